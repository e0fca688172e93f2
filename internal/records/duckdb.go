package records

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // database/sql driver "duckdb"

	"github.com/pubdata/pubdata/internal/apperr"
)

// DuckDB is the embedded record store: a DuckDB database file holding the
// catalog of datasets, versions, files and tombstones, and a directory of
// Parquet files beside it (PATH.files) holding the rows. See the package
// documentation.
type DuckDB struct {
	db   *sql.DB
	path string
	dir  string // Parquet files: dir/<dataset id>/<file>.parquet

	mu sync.Mutex
	loadLocks
}

const duckSchema = `
CREATE TABLE IF NOT EXISTS rs_datasets (
	name       VARCHAR NOT NULL,
	id         BIGINT NOT NULL,
	spec       VARCHAR NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_versions (
	dataset    VARCHAR NOT NULL,
	version    BIGINT NOT NULL,
	generation BIGINT NOT NULL,
	mode       VARCHAR NOT NULL,
	load_id    VARCHAR NOT NULL,
	source     VARCHAR NOT NULL,
	rows       BIGINT NOT NULL,
	added      BIGINT NOT NULL,
	removed    BIGINT NOT NULL,
	deleted    BIGINT NOT NULL,
	spec       VARCHAR NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_files (
	dataset    VARCHAR NOT NULL,
	file_id    BIGINT NOT NULL,
	generation BIGINT NOT NULL,
	version    BIGINT NOT NULL,
	path       VARCHAR NOT NULL,
	rows       BIGINT NOT NULL,
	bytes      BIGINT NOT NULL,
	load_id    VARCHAR NOT NULL,
	source     VARCHAR NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_tombstones (
	dataset    VARCHAR NOT NULL,
	file_id    BIGINT NOT NULL,
	row_number BIGINT NOT NULL,
	version    BIGINT NOT NULL,
	deleted    BOOLEAN NOT NULL
);`

// OpenDuckDB opens (creating if needed) the record store in the DuckDB
// file at path, with its Parquet files in the directory path+".files".
// Files that no committed version uses, left by a load that was
// interrupted, are removed.
func OpenDuckDB(ctx context.Context, path string) (*DuckDB, error) {
	dsn := path + "?autoinstall_known_extensions=false&autoload_known_extensions=false&memory_limit=512MB"
	db, err := sql.Open("duckdb", dsn)
	if err != nil {
		return nil, fmt.Errorf("records: open duckdb %s: %w", path, err)
	}
	s := &DuckDB{db: db, path: path, dir: path + ".files"}
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *DuckDB) init(ctx context.Context) error {
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return fmt.Errorf("records: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, duckSchema); err != nil {
		return fmt.Errorf("records: create catalog: %w", err)
	}
	return s.removeOrphans(ctx)
}

// removeOrphans deletes the Parquet files no committed version uses.
func (s *DuckDB) removeOrphans(ctx context.Context) error {
	orphans, err := s.orphans(ctx)
	if err != nil {
		return err
	}
	for _, rel := range orphans {
		if err := os.Remove(s.abs(rel)); err != nil {
			return fmt.Errorf("records: remove leftover %s: %w", rel, err)
		}
	}
	return nil
}

// orphans lists the files under the store's directory that rs_files does
// not list.
func (s *DuckDB) orphans(ctx context.Context) ([]string, error) {
	known := map[string]bool{}
	rows, err := s.db.QueryContext(ctx, `SELECT path FROM rs_files`)
	if err != nil {
		return nil, fmt.Errorf("records: list files: %w", err)
	}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, fmt.Errorf("records: list files: %w", err)
		}
		known[p] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("records: list files: %w", err)
	}
	var out []string
	err = filepath.WalkDir(s.dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(s.dir, p)
		if rel = filepath.ToSlash(rel); !known[rel] {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("records: list files: %w", err)
	}
	return out, nil
}

// Leftovers lists the files no committed version uses: those of a
// version being written, or of a load interrupted since the store was
// opened (OpenDuckDB removes older ones).
func (s *DuckDB) Leftovers(ctx context.Context) ([]string, error) { return s.orphans(ctx) }

// Close closes the database.
func (s *DuckDB) Close() error { return s.db.Close() }

// DB returns the database, for analytics over the stored files.
func (s *DuckDB) DB() *sql.DB { return s.db }

type duckDataset struct {
	id   int64
	spec DatasetSpec
}

func (s *DuckDB) dataset(ctx context.Context, q querier, name string) (duckDataset, error) {
	var d duckDataset
	var spec string
	err := q.QueryRowContext(ctx, `SELECT id, spec FROM rs_datasets WHERE name = ?`, name).Scan(&d.id, &spec)
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFoundDataset(name)
	}
	if err != nil {
		return d, fmt.Errorf("records: dataset %s: %w", name, err)
	}
	if err := json.Unmarshal([]byte(spec), &d.spec); err != nil {
		return d, fmt.Errorf("records: dataset %s: %w", name, err)
	}
	return d, nil
}

func notFoundDataset(name string) error {
	return apperr.New(apperr.NotFound, "dataset "+strconv.Quote(name)+" not found", "未找到数据集"+strconv.Quote(name))
}

func notFoundVersion(name string, v int64) error {
	if v == 0 {
		return apperr.New(apperr.NotFound, "dataset "+strconv.Quote(name)+" has no published version", "数据集"+strconv.Quote(name)+"尚无已发布的版本")
	}
	return apperr.New(apperr.NotFound, fmt.Sprintf("dataset %q has no version %d", name, v), fmt.Sprintf("数据集%q没有第%d版", name, v))
}

// querier is *sql.DB, *sql.Conn or *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// EnsureDataset creates the dataset or records its new columns.
func (s *DuckDB) EnsureDataset(ctx context.Context, spec DatasetSpec) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	js, _ := json.Marshal(spec)
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.dataset(ctx, s.db, spec.Name)
	switch {
	case err == nil:
		if sameColumns(d.spec, spec) && d.spec.Name == spec.Name && labels(d.spec) == labels(spec) {
			return nil
		}
		_, err = s.db.ExecContext(ctx, `UPDATE rs_datasets SET spec = ? WHERE name = ?`, string(js), spec.Name)
	case apperr.Is(err, apperr.NotFound):
		_, err = s.db.ExecContext(ctx, `INSERT INTO rs_datasets (name, id, spec, created_at)
			SELECT ?, coalesce(max(id), 0) + 1, ?, ? FROM rs_datasets`, spec.Name, string(js), time.Now())
	}
	if err != nil {
		return fmt.Errorf("records: ensure dataset %s: %w", spec.Name, err)
	}
	return nil
}

func labels(s DatasetSpec) string {
	var b strings.Builder
	for _, c := range s.Columns {
		b.WriteString(c.Label)
		b.WriteByte(0)
	}
	return b.String()
}

// Dataset returns the dataset's spec.
func (s *DuckDB) Dataset(ctx context.Context, name string) (DatasetSpec, error) {
	d, err := s.dataset(ctx, s.db, name)
	return d.spec, err
}

const versionCols = `dataset, version, generation, mode, load_id, source, rows, added, removed, deleted, created_at`

func scanVersion(sc interface{ Scan(...any) error }) (Version, error) {
	var v Version
	var mode string
	err := sc.Scan(&v.Dataset, &v.Number, &v.Generation, &mode, &v.LoadID, &v.Source, &v.Rows, &v.Added, &v.Removed, &v.Deleted, &v.CreatedAt)
	v.Mode = Mode(mode)
	return v, err
}

// version returns version n (0: the current one) of a dataset.
func (s *DuckDB) version(ctx context.Context, q querier, dataset string, n int64) (Version, error) {
	query := `SELECT ` + versionCols + ` FROM rs_versions WHERE dataset = ? ORDER BY version DESC LIMIT 1`
	args := []any{dataset}
	if n != 0 {
		query = `SELECT ` + versionCols + ` FROM rs_versions WHERE dataset = ? AND version = ?`
		args = append(args, n)
	}
	v, err := scanVersion(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.dataset(ctx, q, dataset); err != nil {
			return v, err
		}
		return v, notFoundVersion(dataset, n)
	}
	if err != nil {
		return v, fmt.Errorf("records: version of %s: %w", dataset, err)
	}
	return v, nil
}

// Current returns the published version.
func (s *DuckDB) Current(ctx context.Context, dataset string) (Version, error) {
	return s.version(ctx, s.db, dataset, 0)
}

// Versions lists the retained versions, newest first.
func (s *DuckDB) Versions(ctx context.Context, dataset string) ([]Version, error) {
	if _, err := s.dataset(ctx, s.db, dataset); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+versionCols+` FROM rs_versions WHERE dataset = ? ORDER BY version DESC`, dataset)
	if err != nil {
		return nil, fmt.Errorf("records: versions of %s: %w", dataset, err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("records: versions of %s: %w", dataset, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func loadInProgress(dataset string) error {
	return apperr.New(apperr.Conflict, "a load of dataset "+strconv.Quote(dataset)+" is in progress", "数据集"+strconv.Quote(dataset)+"正在加载中")
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// ident quotes an SQL identifier.
func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// sqlType is the column type in DuckDB and PostgreSQL.
func sqlType(t Type, postgres bool) string {
	switch t {
	case Int:
		return "BIGINT"
	case Float:
		if postgres {
			return "DOUBLE PRECISION"
		}
		return "DOUBLE"
	case Date:
		return "DATE"
	case Timestamp:
		return "TIMESTAMP"
	case Bool:
		return "BOOLEAN"
	}
	if postgres {
		return "TEXT"
	}
	return "VARCHAR"
}

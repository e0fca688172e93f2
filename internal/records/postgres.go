package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/pubdata/pubdata/internal/apperr"
)

// Postgres is the record store in PostgreSQL: catalog tables rs_datasets,
// rs_versions and rs_loads, and one table per generation of each dataset
// (rs_<dataset id>_g<generation>) whose rows carry the versions they live
// in (_vfrom, _vto). See the package documentation.
type Postgres struct {
	pool *pgxpool.Pool

	mu sync.Mutex
	loadLocks
	writers map[*pgWriter]bool // versions being written
}

const pgSchema = `
CREATE TABLE IF NOT EXISTS rs_datasets (
	name       TEXT PRIMARY KEY,
	id         BIGSERIAL UNIQUE,
	spec       TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS rs_versions (
	dataset    TEXT NOT NULL,
	version    BIGINT NOT NULL,
	generation BIGINT NOT NULL,
	mode       TEXT NOT NULL,
	load_id    TEXT NOT NULL,
	source     TEXT NOT NULL,
	rows       BIGINT NOT NULL,
	added      BIGINT NOT NULL,
	removed    BIGINT NOT NULL,
	deleted    BIGINT NOT NULL,
	spec       TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (dataset, version)
);
CREATE TABLE IF NOT EXISTS rs_loads (
	dataset    TEXT NOT NULL,
	version    BIGINT NOT NULL,
	generation BIGINT NOT NULL,
	load_id    TEXT NOT NULL,
	source     TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (dataset, version)
);`

// OpenPostgres opens the record store in the PostgreSQL database at url
// (the tables go to the connection's search_path). Tables left by a load
// that was interrupted are dropped, unless a load of their dataset is
// running in another process.
func OpenPostgres(ctx context.Context, url string) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("records: postgres: %w", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("records: postgres: %w", err)
	}
	s := &Postgres{pool: pool, writers: map[*pgWriter]bool{}}
	if _, err := pool.Exec(ctx, pgSchema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("records: create catalog: %w", err)
	}
	if err := s.removeOrphans(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connections. Versions still being written are
// abandoned as if the process had ended: their tables are dropped when the
// store is next opened.
func (s *Postgres) Close() error {
	s.mu.Lock()
	var abandoned []*pgxpool.Conn
	for w := range s.writers {
		if w.lock != nil {
			abandoned = append(abandoned, w.lock)
			w.lock = nil
		}
	}
	s.mu.Unlock()
	for _, c := range abandoned {
		c.Conn().Close(context.Background()) // ends the session and its advisory lock
		c.Release()
	}
	s.pool.Close()
	return nil
}

// Pool returns the connection pool, for analytics.
func (s *Postgres) Pool() *pgxpool.Pool { return s.pool }

func genTable(id, gen int64) string  { return fmt.Sprintf("rs_%d_g%d", id, gen) }
func stageTable(id, v int64) string  { return fmt.Sprintf("rs_%d_s%d", id, v) }
func deleteTable(id, v int64) string { return fmt.Sprintf("rs_%d_d%d", id, v) }
func lockKey(dataset string) int64 {
	h := fnv.New64a()
	h.Write([]byte("pubdata.records:" + dataset))
	return int64(h.Sum64())
}

// orphanTables lists the record tables no published version uses, by
// dataset.
func (s *Postgres) orphanTables(ctx context.Context) (map[string][]string, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT d.name, t.tablename FROM pg_tables t
		JOIN rs_datasets d ON t.tablename LIKE 'rs\_' || d.id || '\_%'
		WHERE t.schemaname = current_schema()
		  AND NOT EXISTS (SELECT 1 FROM rs_versions v WHERE v.dataset = d.name AND t.tablename = 'rs_' || d.id || '_g' || v.generation)`)
	if err != nil {
		return nil, fmt.Errorf("records: list tables: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var ds, t string
		if err := rows.Scan(&ds, &t); err != nil {
			return nil, fmt.Errorf("records: list tables: %w", err)
		}
		out[ds] = append(out[ds], t)
	}
	return out, rows.Err()
}

// Leftovers lists the record tables no published version uses: those of
// versions being written, or of loads interrupted since the store was
// opened (OpenPostgres drops older ones).
func (s *Postgres) Leftovers(ctx context.Context) ([]string, error) {
	m, err := s.orphanTables(ctx)
	var out []string
	for _, ts := range m {
		out = append(out, ts...)
	}
	return out, err
}

// removeOrphans drops the tables of interrupted loads.
func (s *Postgres) removeOrphans(ctx context.Context) error {
	orphans, err := s.orphanTables(ctx)
	if err != nil {
		return err
	}
	for ds, tables := range orphans {
		conn, err := s.pool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("records: %w", err)
		}
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, lockKey(ds)).Scan(&got); err != nil || !got {
			conn.Release()
			continue // a load is running elsewhere
		}
		for _, t := range tables {
			if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS `+ident(t)); err != nil {
				conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, lockKey(ds))
				conn.Release()
				return fmt.Errorf("records: drop leftover %s: %w", t, err)
			}
		}
		conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, lockKey(ds))
		conn.Release()
	}
	return nil
}

// pgQuerier is a pool, a connection or a transaction.
type pgQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func (s *Postgres) dataset(ctx context.Context, q pgQuerier, name string) (duckDataset, error) {
	var d duckDataset
	var spec string
	err := q.QueryRow(ctx, `SELECT id, spec FROM rs_datasets WHERE name = $1`, name).Scan(&d.id, &spec)
	if errors.Is(err, pgx.ErrNoRows) {
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

// EnsureDataset creates the dataset or records its new columns.
func (s *Postgres) EnsureDataset(ctx context.Context, spec DatasetSpec) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	js, _ := json.Marshal(spec)
	_, err := s.pool.Exec(ctx, `INSERT INTO rs_datasets (name, spec, created_at) VALUES ($1, $2, now())
		ON CONFLICT (name) DO UPDATE SET spec = EXCLUDED.spec WHERE rs_datasets.spec <> EXCLUDED.spec`, spec.Name, string(js))
	if err != nil {
		return fmt.Errorf("records: ensure dataset %s: %w", spec.Name, err)
	}
	return nil
}

// Dataset returns the dataset's spec.
func (s *Postgres) Dataset(ctx context.Context, name string) (DatasetSpec, error) {
	d, err := s.dataset(ctx, s.pool, name)
	return d.spec, err
}

func (s *Postgres) version(ctx context.Context, q pgQuerier, dataset string, n int64) (Version, error) {
	query := `SELECT ` + versionCols + ` FROM rs_versions WHERE dataset = $1 ORDER BY version DESC LIMIT 1`
	args := []any{dataset}
	if n != 0 {
		query = `SELECT ` + versionCols + ` FROM rs_versions WHERE dataset = $1 AND version = $2`
		args = append(args, n)
	}
	v, err := scanVersion(q.QueryRow(ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err := s.dataset(ctx, q, dataset); err != nil {
			return v, err
		}
		return v, notFoundVersion(dataset, n)
	}
	if err != nil {
		return v, fmt.Errorf("records: version of %s: %w", dataset, err)
	}
	v.CreatedAt = v.CreatedAt.UTC()
	return v, nil
}

// Current returns the published version.
func (s *Postgres) Current(ctx context.Context, dataset string) (Version, error) {
	return s.version(ctx, s.pool, dataset, 0)
}

// Versions lists the retained versions, newest first.
func (s *Postgres) Versions(ctx context.Context, dataset string) ([]Version, error) {
	if _, err := s.dataset(ctx, s.pool, dataset); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+versionCols+` FROM rs_versions WHERE dataset = $1 ORDER BY version DESC`, dataset)
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
		v.CreatedAt = v.CreatedAt.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Postgres) generationSpec(ctx context.Context, q pgQuerier, dataset string, version int64) (DatasetSpec, error) {
	var js string
	var spec DatasetSpec
	if err := q.QueryRow(ctx, `SELECT spec FROM rs_versions WHERE dataset = $1 AND version = $2`, dataset, version).Scan(&js); err != nil {
		return spec, fmt.Errorf("records: columns of %s version %d: %w", dataset, version, err)
	}
	if err := json.Unmarshal([]byte(js), &spec); err != nil {
		return spec, fmt.Errorf("records: columns of %s version %d: %w", dataset, version, err)
	}
	return spec, nil
}

// tableDDL is the CREATE TABLE of a generation or staging table.
func tableDDL(name string, spec DatasetSpec, generation, unlogged bool) string {
	var cols []string
	for _, c := range spec.Columns {
		cols = append(cols, ident(c.Name)+" "+sqlType(c.Type, true))
	}
	if generation {
		cols = append(cols, "_vfrom BIGINT NOT NULL", "_vto BIGINT")
	}
	cols = append(cols, "_row BIGINT NOT NULL")
	kind := "TABLE"
	if unlogged {
		kind = "UNLOGGED TABLE"
	}
	return "CREATE " + kind + " " + ident(name) + " (" + strings.Join(cols, ", ") + ")"
}

// Scan calls fn for each row of a version.
func (s *Postgres) Scan(ctx context.Context, dataset string, version int64, fn func(Row) error) error {
	d, err := s.dataset(ctx, s.pool, dataset)
	if err != nil {
		return err
	}
	v, err := s.version(ctx, s.pool, dataset, version)
	if err != nil {
		return err
	}
	spec, err := s.generationSpec(ctx, s.pool, dataset, v.Number)
	if err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+columnList(spec)+`, _vfrom, _row FROM `+ident(genTable(d.id, v.Generation))+
		` WHERE _vfrom <= $1 AND (_vto IS NULL OR _vto > $1)`, v.Number)
	if err != nil {
		return fmt.Errorf("records: scan %s: %w", dataset, err)
	}
	defer rows.Close()
	n := len(spec.Columns)
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return fmt.Errorf("records: scan %s: %w", dataset, err)
		}
		if err := fn(rowOf(vals, n)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Count returns the rows of a version.
func (s *Postgres) Count(ctx context.Context, dataset string, version int64) (int64, error) {
	v, err := s.version(ctx, s.pool, dataset, version)
	return v.Rows, err
}

// Provenance returns the retained rows stored for a key.
func (s *Postgres) Provenance(ctx context.Context, dataset string, key []string) ([]Provenance, error) {
	d, err := s.dataset(ctx, s.pool, dataset)
	if err != nil {
		return nil, err
	}
	kc := d.spec.KeyColumns()
	if len(kc) == 0 || len(key) != len(kc) {
		return nil, fmt.Errorf("records: provenance of %s: the key has %d values, want %d", dataset, len(key), len(kc))
	}
	rows, err := s.pool.Query(ctx, `SELECT generation, max(version) FROM rs_versions WHERE dataset = $1 GROUP BY generation ORDER BY generation`, dataset)
	if err != nil {
		return nil, fmt.Errorf("records: provenance of %s: %w", dataset, err)
	}
	type gen struct{ gen, last int64 }
	var gens []gen
	for rows.Next() {
		var g gen
		if err := rows.Scan(&g.gen, &g.last); err != nil {
			rows.Close()
			return nil, fmt.Errorf("records: provenance of %s: %w", dataset, err)
		}
		gens = append(gens, g)
	}
	rows.Close()
	var out []Provenance
	for i, g := range gens {
		spec, err := s.generationSpec(ctx, s.pool, dataset, g.last)
		if err != nil {
			return nil, err
		}
		var where []string
		args := []any{dataset}
		for j, c := range spec.KeyColumns() {
			col := spec.Columns[c]
			args = append(args, key[j])
			where = append(where, "t."+ident(col.Name)+" = CAST($"+strconv.Itoa(len(args))+" AS "+sqlType(col.Type, true)+")")
		}
		q := `SELECT t._vfrom, coalesce(t._vto, 0), t._row, l.load_id, l.source, l.created_at FROM ` + ident(genTable(d.id, g.gen)) + ` t
			JOIN rs_loads l ON l.dataset = $1 AND l.version = t._vfrom WHERE ` + strings.Join(where, " AND ") + ` ORDER BY t._vfrom`
		prow, err := s.pool.Query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("records: provenance of %s: %w", dataset, pgInvalid(err))
		}
		for prow.Next() {
			var p Provenance
			if err := prow.Scan(&p.Version, &p.Until, &p.SourceRow, &p.LoadID, &p.Source, &p.LoadedAt); err != nil {
				prow.Close()
				return nil, fmt.Errorf("records: provenance of %s: %w", dataset, err)
			}
			p.LoadedAt = p.LoadedAt.UTC()
			if next := int64(0); i+1 < len(gens) {
				next = gens[i+1].gen
				if p.Until == 0 || next < p.Until {
					p.Until = next
				}
			}
			out = append(out, p)
		}
		prow.Close()
		if err := prow.Err(); err != nil {
			return nil, fmt.Errorf("records: provenance of %s: %w", dataset, pgInvalid(err))
		}
	}
	return out, nil
}

// pgInvalid marks a failed cast of a key value as invalid input.
func pgInvalid(err error) error {
	if s := err.Error(); strings.Contains(s, "SQLSTATE 22") {
		return invalidKeys(err)
	}
	return err
}

// Retain keeps the keep newest versions: it drops the tables of
// generations no kept version uses and the rows no kept version sees.
func (s *Postgres) Retain(ctx context.Context, dataset string, keep int) error {
	if keep < 1 {
		return apperr.New(apperr.Invalid, "retention must keep at least one version", "保留的版本数至少为1")
	}
	d, err := s.dataset(ctx, s.pool, dataset)
	if err != nil {
		return err
	}
	var oldest int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(min(version), 0) FROM (SELECT version FROM rs_versions WHERE dataset = $1 ORDER BY version DESC LIMIT $2) v`,
		dataset, keep).Scan(&oldest); err != nil || oldest == 0 {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("records: retain %s: %w", dataset, err)
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, `SELECT DISTINCT generation FROM rs_versions WHERE dataset = $1 AND version < $2
		AND generation NOT IN (SELECT generation FROM rs_versions WHERE dataset = $1 AND version >= $2)`, dataset, oldest)
	if err != nil {
		return fmt.Errorf("records: retain %s: %w", dataset, err)
	}
	var drop []int64
	for rows.Next() {
		var g int64
		rows.Scan(&g)
		drop = append(drop, g)
	}
	rows.Close()
	if _, err := tx.Exec(ctx, `DELETE FROM rs_versions WHERE dataset = $1 AND version < $2`, dataset, oldest); err != nil {
		return fmt.Errorf("records: retain %s: %w", dataset, err)
	}
	for _, g := range drop {
		if _, err := tx.Exec(ctx, `DROP TABLE IF EXISTS `+ident(genTable(d.id, g))); err != nil {
			return fmt.Errorf("records: retain %s: %w", dataset, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM rs_loads WHERE dataset = $1 AND generation = $2`, dataset, g); err != nil {
			return fmt.Errorf("records: retain %s: %w", dataset, err)
		}
	}
	// Rows no kept version of their generation sees.
	var g, first int64
	if err := tx.QueryRow(ctx, `SELECT generation, version FROM rs_versions WHERE dataset = $1 AND version = $2`, dataset, oldest).Scan(&g, &first); err != nil {
		return fmt.Errorf("records: retain %s: %w", dataset, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM `+ident(genTable(d.id, g))+` WHERE _vto IS NOT NULL AND _vto <= $1`, first); err != nil {
		return fmt.Errorf("records: retain %s: %w", dataset, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("records: retain %s: %w", dataset, err)
	}
	return nil
}

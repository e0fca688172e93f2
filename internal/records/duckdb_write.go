package records

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/directio"
)

// duckWriter writes a version as Parquet part files, one per concurrent
// writer, in the dataset's directory; Commit records them (and, for an
// incremental version, the tombstones of the rows they replace) in one
// catalog transaction.
type duckWriter struct {
	s       *DuckDB
	name    string
	id      int64
	spec    DatasetSpec // the columns of the files
	mode    Mode
	load    Load
	number  int64
	gen     int64 // generation the version joins
	prev    Version
	hasPrev bool
	token   string
	nparts  int

	mu      sync.Mutex
	free    []*duckPart // open parts no goroutine is writing
	open    []*duckPart // every open part
	parts   []*duckPart // finished parts holding rows
	deletes [][]string
	err     error
	done    bool // committed or aborted
}

type duckPart struct {
	rel string           // path relative to the store's directory
	f   *directio.Writer // the part file, written around the page cache
	pw  *parquetWriter
}

// BeginVersion starts the next version of a dataset.
func (s *DuckDB) BeginVersion(ctx context.Context, dataset string, mode Mode, load Load) (VersionWriter, error) {
	if mode != Full && mode != Incremental {
		return nil, apperr.New(apperr.Invalid, "unknown load mode "+strconv.Quote(string(mode)), "未知的加载方式"+strconv.Quote(string(mode)))
	}
	d, err := s.dataset(ctx, s.db, dataset)
	if err != nil {
		return nil, err
	}
	if err := s.lock(dataset); err != nil {
		return nil, err
	}
	w := &duckWriter{s: s, name: dataset, id: d.id, spec: d.spec, mode: mode, load: load}
	prev, err := s.version(ctx, s.db, dataset, 0)
	switch {
	case err == nil:
		w.prev, w.hasPrev = prev, true
		w.number = prev.Number + 1
	case apperr.Is(err, apperr.NotFound):
		w.number = 1
	default:
		s.unlock(dataset)
		return nil, err
	}
	w.gen = w.number
	if mode == Incremental && w.hasPrev {
		spec, err := s.generationSpec(ctx, s.db, dataset, prev.Number)
		if err != nil {
			s.unlock(dataset)
			return nil, err
		}
		if !sameColumns(spec, d.spec) {
			s.unlock(dataset)
			return nil, apperr.New(apperr.Conflict, "the columns of dataset "+strconv.Quote(dataset)+" changed: load it in full first",
				"数据集"+strconv.Quote(dataset)+"的列已变更，请先全量加载")
		}
		w.gen = prev.Generation
	}
	var tok [6]byte
	rand.Read(tok[:])
	w.token = hex.EncodeToString(tok[:])
	if err := os.MkdirAll(filepath.Join(s.dir, strconv.FormatInt(d.id, 10)), 0o750); err != nil {
		s.unlock(dataset)
		return nil, fmt.Errorf("records: %w", err)
	}
	return w, nil
}

func (s *DuckDB) generationSpec(ctx context.Context, q querier, dataset string, version int64) (DatasetSpec, error) {
	var js string
	var spec DatasetSpec
	if err := q.QueryRowContext(ctx, `SELECT spec FROM rs_versions WHERE dataset = ? AND version = ?`, dataset, version).Scan(&js); err != nil {
		return spec, fmt.Errorf("records: columns of %s version %d: %w", dataset, version, err)
	}
	if err := json.Unmarshal([]byte(js), &spec); err != nil {
		return spec, fmt.Errorf("records: columns of %s version %d: %w", dataset, version, err)
	}
	return spec, nil
}

func (w *duckWriter) Number() int64 { return w.number }

// WriteBatch encodes b into a part file no other goroutine is using.
func (w *duckWriter) WriteBatch(ctx context.Context, b *Batch) error {
	if !b.check(w.spec) {
		return fmt.Errorf("records: batch does not fit the columns of %s", w.name)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := w.part()
	if err != nil {
		return err
	}
	err = p.pw.writeBatch(b)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.err = fmt.Errorf("records: write %s: %w", p.rel, err)
		return w.err
	}
	if w.done {
		w.err = errors.New("records: write after Commit or Abort")
		return w.err
	}
	w.free = append(w.free, p)
	return nil
}

// part takes a free part file or starts a new one.
func (w *duckWriter) part() (*duckPart, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.err != nil:
		return nil, w.err
	case w.done:
		return nil, errors.New("records: write after Commit or Abort")
	case len(w.free) > 0:
		p := w.free[len(w.free)-1]
		w.free = w.free[:len(w.free)-1]
		return p, nil
	}
	rel := fmt.Sprintf("%d/v%d-%s-%d.parquet", w.id, w.number, w.token, w.nparts)
	w.nparts++
	f, err := directio.Create(filepath.Join(w.s.dir, filepath.FromSlash(rel)), 0o640)
	if err != nil {
		w.err = fmt.Errorf("records: %w", err)
		return nil, w.err
	}
	p := &duckPart{rel: rel, f: f, pw: newParquetWriter(f, w.spec.Columns)}
	w.open = append(w.open, p)
	return p, nil
}

// Delete records keys to delete.
func (w *duckWriter) Delete(ctx context.Context, keys [][]string) error {
	if w.mode != Incremental {
		return apperr.New(apperr.Invalid, "deletions need an incremental load", "删除仅适用于增量加载")
	}
	nk := len(w.spec.KeyColumns())
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, k := range keys {
		if len(k) != nk {
			return fmt.Errorf("records: a key of %s has %d values, want %d", w.name, len(k), nk)
		}
		w.deletes = append(w.deletes, append([]string(nil), k...))
	}
	return nil
}

// finish completes the open part files: footers written and synced to
// disk. Empty parts are removed. Writing may go on in new parts. It must
// not run while WriteBatch does.
func (w *duckWriter) finish() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	open := w.open
	w.open, w.free = nil, nil
	for i, p := range open {
		err := p.pw.close()
		if err == nil {
			err = p.f.Sync()
		}
		if cerr := p.f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			for _, q := range open[i+1:] {
				q.f.Close()
				os.Remove(w.abs(q.rel))
			}
			os.Remove(w.abs(p.rel))
			w.err = fmt.Errorf("records: finish %s: %w", p.rel, err)
			return w.err
		}
		if p.pw.rowCount() == 0 {
			os.Remove(w.abs(p.rel))
			continue
		}
		w.parts = append(w.parts, p)
	}
	if len(open) > 0 {
		if err := syncDir(filepath.Join(w.s.dir, strconv.FormatInt(w.id, 10))); err != nil {
			w.err = err
		}
	}
	return w.err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("records: sync %s: %w", dir, err)
	}
	return nil
}

func (w *duckWriter) abs(rel string) string {
	return filepath.Join(w.s.dir, filepath.FromSlash(rel))
}

// partsSQL selects cols (expressions) from the part files, or from an
// empty relation when there are none.
func (w *duckWriter) partsSQL(cols string) string {
	if len(w.parts) == 0 {
		return "SELECT " + cols + " FROM (SELECT " + nullKeys(w.spec) + ") WHERE false"
	}
	var files []string
	for _, p := range w.parts {
		files = append(files, sqlString(w.abs(p.rel)))
	}
	return "SELECT " + cols + " FROM read_parquet([" + strings.Join(files, ", ") + "])"
}

// nullKeys is a select list of typed NULL key columns.
func nullKeys(spec DatasetSpec) string {
	var s []string
	for _, i := range spec.KeyColumns() {
		c := spec.Columns[i]
		s = append(s, "CAST(NULL AS "+sqlType(c.Type, false)+") AS "+ident(c.Name))
	}
	return strings.Join(s, ", ")
}

func keyList(spec DatasetSpec, prefix string) string {
	return selectList(spec, spec.KeyColumns(), prefix)
}

func selectList(spec DatasetSpec, cols []int, prefix string) string {
	var s []string
	for _, i := range cols {
		s = append(s, prefix+ident(spec.Columns[i].Name))
	}
	return strings.Join(s, ", ")
}

// loadKeys creates the temporary table name(columns kc) on conn holding
// keys cast to the columns' types.
func loadKeys(ctx context.Context, conn *sql.Conn, spec DatasetSpec, kc []int, name string, keys [][]string, extra string) error {
	var defs, casts, params []string
	for j, i := range kc {
		c := spec.Columns[i]
		defs = append(defs, ident(c.Name)+" "+sqlType(c.Type, false))
		casts = append(casts, "CAST(k"+strconv.Itoa(j)+" AS "+sqlType(c.Type, false)+")")
		params = append(params, "?")
	}
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+name+" ("+strings.Join(defs, ", ")+extra+")"); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	// Insert as text in chunks, then cast in SQL.
	raw := name + "_raw"
	var rdefs []string
	for j := range kc {
		rdefs = append(rdefs, "k"+strconv.Itoa(j)+" VARCHAR")
	}
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE "+raw+" ("+strings.Join(rdefs, ", ")+")"); err != nil {
		return err
	}
	const per = 500
	for lo := 0; lo < len(keys); lo += per {
		hi := min(lo+per, len(keys))
		var q strings.Builder
		q.WriteString("INSERT INTO " + raw + " VALUES ")
		args := make([]any, 0, (hi-lo)*len(kc))
		for i, k := range keys[lo:hi] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(" + strings.Join(params, ", ") + ")")
			for _, v := range k {
				args = append(args, v)
			}
		}
		if _, err := conn.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	sel := strings.Join(casts, ", ")
	if extra != "" {
		sel += ", " + extraValue(extra)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO "+name+" SELECT "+sel+" FROM "+raw); err != nil {
		return invalidKeys(err)
	}
	_, err := conn.ExecContext(ctx, "DROP TABLE "+raw)
	return err
}

// extraValue is the value of the extra column of delete keys.
func extraValue(extra string) string {
	if strings.Contains(extra, "BOOLEAN") {
		return "true"
	}
	return "NULL"
}

func invalidKeys(err error) error {
	return &apperr.Error{Kind: apperr.Invalid, Message: "a key value does not fit its column's type", ZH: "主键值与列的类型不符", Err: err}
}

// HasKeys reports which keys the version's rows have.
func (w *duckWriter) HasKeys(ctx context.Context, cols []int, keys [][]string) ([]bool, error) {
	if cols == nil {
		cols = w.spec.KeyColumns()
	}
	if err := checkColumns(w.spec, cols, keys); err != nil {
		return nil, err
	}
	if err := w.finish(); err != nil {
		return nil, err
	}
	found := make([]bool, len(keys))
	if len(keys) == 0 || len(w.parts) == 0 {
		return found, nil
	}
	conn, err := w.s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	defer conn.Close()
	if err := loadKeys(ctx, conn, w.spec, cols, "rs_probe", keys, ", _i BIGINT"); err != nil {
		return nil, fmt.Errorf("records: has keys: %w", err)
	}
	// Number the probe keys in insertion order.
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE rs_probe_n AS SELECT row_number() OVER () - 1 AS _i, * EXCLUDE (_i) FROM rs_probe`); err != nil {
		return nil, fmt.Errorf("records: has keys: %w", err)
	}
	var on []string
	for _, i := range cols {
		n := ident(w.spec.Columns[i].Name)
		on = append(on, "p."+n+" = f."+n)
	}
	q := `SELECT DISTINCT p._i FROM rs_probe_n p JOIN (` + w.partsSQL(selectList(w.spec, cols, "")) + `) f ON ` + strings.Join(on, " AND ")
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("records: has keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int64
		if err := rows.Scan(&i); err != nil {
			return nil, fmt.Errorf("records: has keys: %w", err)
		}
		found[i] = true
	}
	conn.ExecContext(ctx, `DROP TABLE IF EXISTS rs_probe; DROP TABLE IF EXISTS rs_probe_n`)
	return found, rows.Err()
}

// Commit publishes the version.
func (w *duckWriter) Commit(ctx context.Context) (Version, error) {
	if w.done {
		return Version{}, errors.New("records: version already committed or aborted")
	}
	if err := w.finish(); err != nil {
		w.Abort()
		return Version{}, err
	}
	v, err := w.commit(ctx)
	if err != nil {
		w.Abort()
		return Version{}, fmt.Errorf("records: commit %s version %d: %w", w.name, w.number, err)
	}
	w.done = true
	w.s.unlock(w.name)
	return v, nil
}

func (w *duckWriter) commit(ctx context.Context) (Version, error) {
	s := w.s
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return Version{}, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return Version{}, err
	}
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	now := time.Now().UTC()
	v := Version{Dataset: w.name, Number: w.number, Mode: w.mode, LoadID: w.load.ID, Source: w.load.Source, Generation: w.gen, CreatedAt: now}
	for _, p := range w.parts {
		v.Added += p.pw.rowCount()
	}
	incremental := w.mode == Incremental && w.hasPrev
	if w.hasPrev {
		cur, err := s.version(ctx, conn, w.name, 0)
		if err != nil {
			return v, err
		}
		if cur.Number != w.prev.Number {
			return v, loadInProgress(w.name)
		}
	}
	if incremental {
		removed, deleted, err := w.tombstones(ctx, conn)
		if err != nil {
			return v, err
		}
		v.Removed, v.Deleted = removed, deleted
		v.Rows = w.prev.Rows - removed + v.Added
	} else {
		v.Rows = v.Added
		if w.hasPrev {
			v.Removed = w.prev.Rows
		}
	}
	var firstID int64
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(file_id), 0) + 1 FROM rs_files WHERE dataset = ?`, w.name).Scan(&firstID); err != nil {
		return v, err
	}
	for i, p := range w.parts {
		st, err := os.Stat(w.abs(p.rel))
		if err != nil {
			return v, err
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO rs_files (dataset, file_id, generation, version, path, rows, bytes, load_id, source, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			w.name, firstID+int64(i), w.gen, w.number, p.rel, p.pw.rowCount(), st.Size(), w.load.ID, w.load.Source, now); err != nil {
			return v, err
		}
	}
	js, _ := json.Marshal(w.spec)
	if _, err := conn.ExecContext(ctx, `INSERT INTO rs_versions (`+versionCols+`, spec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.Dataset, v.Number, v.Generation, string(v.Mode), v.LoadID, v.Source, v.Rows, v.Added, v.Removed, v.Deleted, v.CreatedAt, string(js)); err != nil {
		return v, err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return v, err
	}
	committed = true
	return v, nil
}

// tombstones records, in the commit transaction on conn, the rows of the
// previous version whose keys this version writes or deletes.
func (w *duckWriter) tombstones(ctx context.Context, conn *sql.Conn) (removed, deleted int64, err error) {
	if err := loadKeys(ctx, conn, w.spec, w.spec.KeyColumns(), "rs_del", w.deletes, ", _del BOOLEAN"); err != nil {
		return 0, 0, err
	}
	keys := keyList(w.spec, "")
	q := `CREATE OR REPLACE TEMP TABLE rs_keys AS SELECT ` + keys + `, bool_and(_del) AS _del FROM (
		` + w.partsSQL(keys+", false AS _del") + ` UNION ALL SELECT ` + keys + `, _del FROM rs_del) GROUP BY ALL`
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return 0, 0, err
	}
	live, err := w.s.liveSQL(ctx, conn, w.name, w.prev, w.spec, keys)
	if err != nil {
		return 0, 0, err
	}
	if live != "" {
		var on []string
		for _, i := range w.spec.KeyColumns() {
			n := ident(w.spec.Columns[i].Name)
			on = append(on, "l."+n+" = k."+n)
		}
		ins := `INSERT INTO rs_tombstones (dataset, file_id, row_number, version, deleted)
			SELECT ?, l._file, l._rn, ?, k._del FROM (` + live + `) l JOIN rs_keys k ON ` + strings.Join(on, " AND ")
		if _, err := conn.ExecContext(ctx, ins, w.name, w.number); err != nil {
			return 0, 0, err
		}
	}
	err = conn.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE deleted) FROM rs_tombstones WHERE dataset = ? AND version = ?`,
		w.name, w.number).Scan(&removed, &deleted)
	conn.ExecContext(ctx, `DROP TABLE IF EXISTS rs_keys; DROP TABLE IF EXISTS rs_del`)
	return removed, deleted, err
}

// Abort discards the version's files.
func (w *duckWriter) Abort() error {
	w.mu.Lock()
	if w.done {
		w.mu.Unlock()
		return nil
	}
	w.done = true
	for _, p := range w.open {
		p.f.Close()
	}
	files := append(w.parts, w.open...)
	w.open, w.free, w.parts = nil, nil, nil
	w.mu.Unlock()
	var first error
	for _, p := range files {
		if err := os.Remove(w.abs(p.rel)); err != nil && !os.IsNotExist(err) && first == nil {
			first = fmt.Errorf("records: abort: %w", err)
		}
	}
	w.s.unlock(w.name)
	return first
}

package records

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type duckFile struct {
	id, version, rows, dead int64
	path                    string
}

// files lists the files of version v's generation that v sees, with the
// number of their rows tombstoned as of v.
func (s *DuckDB) files(ctx context.Context, q querier, dataset string, v Version) ([]duckFile, error) {
	rows, err := q.QueryContext(ctx, `SELECT f.file_id, f.version, f.rows, f.path,
			(SELECT count(*) FROM rs_tombstones t WHERE t.dataset = f.dataset AND t.file_id = f.file_id AND t.version <= ?)
		FROM rs_files f WHERE f.dataset = ? AND f.generation = ? AND f.version <= ? ORDER BY f.file_id`,
		v.Number, dataset, v.Generation, v.Number)
	if err != nil {
		return nil, fmt.Errorf("records: files of %s: %w", dataset, err)
	}
	defer rows.Close()
	var out []duckFile
	for rows.Next() {
		var f duckFile
		if err := rows.Scan(&f.id, &f.version, &f.rows, &f.path, &f.dead); err != nil {
			return nil, fmt.Errorf("records: files of %s: %w", dataset, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (s *DuckDB) abs(rel string) string { return filepath.Join(s.dir, filepath.FromSlash(rel)) }

// liveSQL returns a query of the rows version v sees: the select list
// cols (over the file's columns and _row) and _file, _v (the version that
// wrote the row) and _rn (its row number in its file). It returns "" when
// the version has no files.
func (s *DuckDB) liveSQL(ctx context.Context, q querier, dataset string, v Version, spec DatasetSpec, cols string) (string, error) {
	files, err := s.files(ctx, q, dataset, v)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, f := range files {
		if f.dead == f.rows {
			continue
		}
		part := "SELECT " + cols + ", " + strconv.FormatInt(f.id, 10) + "::BIGINT AS _file, " + strconv.FormatInt(f.version, 10) +
			"::BIGINT AS _v, file_row_number AS _rn FROM read_parquet(" + sqlString(s.abs(f.path)) + ", file_row_number = true)"
		if f.dead > 0 {
			part = "SELECT * FROM (" + part + ") WHERE _rn NOT IN (SELECT row_number FROM rs_tombstones WHERE dataset = " +
				sqlString(dataset) + " AND file_id = " + strconv.FormatInt(f.id, 10) + " AND version <= " + strconv.FormatInt(v.Number, 10) + ")"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "\nUNION ALL\n"), nil
}

func columnList(spec DatasetSpec) string {
	var s []string
	for _, c := range spec.Columns {
		s = append(s, ident(c.Name))
	}
	return strings.Join(s, ", ")
}

// Scan calls fn for each row of a version.
func (s *DuckDB) Scan(ctx context.Context, dataset string, version int64, fn func(Row) error) error {
	v, err := s.version(ctx, s.db, dataset, version)
	if err != nil {
		return err
	}
	spec, err := s.generationSpec(ctx, s.db, dataset, v.Number)
	if err != nil {
		return err
	}
	live, err := s.liveSQL(ctx, s.db, dataset, v, spec, columnList(spec)+", _row")
	if err != nil || live == "" {
		return err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+columnList(spec)+", _v, _row FROM ("+live+")")
	if err != nil {
		return fmt.Errorf("records: scan %s: %w", dataset, err)
	}
	defer rows.Close()
	n := len(spec.Columns)
	vals := make([]any, n+2)
	ptrs := make([]any, n+2)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("records: scan %s: %w", dataset, err)
		}
		if err := fn(rowOf(vals, n)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rowOf makes a Row of a scanned row: n column values, then the version
// and source row.
func rowOf(vals []any, n int) Row {
	r := Row{Values: make([]any, n), Version: vals[n].(int64), SourceRow: vals[n+1].(int64)}
	for i := range n {
		r.Values[i] = normalize(vals[i])
	}
	return r
}

// normalize makes scanned values the documented Go types.
func normalize(v any) any {
	switch x := v.(type) {
	case int32:
		return int64(x)
	case time.Time:
		return x.UTC()
	case []byte:
		return string(x)
	}
	return v
}

// Count returns the rows of a version.
func (s *DuckDB) Count(ctx context.Context, dataset string, version int64) (int64, error) {
	v, err := s.version(ctx, s.db, dataset, version)
	return v.Rows, err
}

// Provenance returns the retained rows stored for a key.
func (s *DuckDB) Provenance(ctx context.Context, dataset string, key []string) ([]Provenance, error) {
	d, err := s.dataset(ctx, s.db, dataset)
	if err != nil {
		return nil, err
	}
	spec := d.spec
	kc := spec.KeyColumns()
	if len(kc) == 0 || len(key) != len(kc) {
		return nil, fmt.Errorf("records: provenance of %s: the key has %d values, want %d", dataset, len(key), len(kc))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT file_id, generation, version, path, load_id, source, created_at FROM rs_files WHERE dataset = ? ORDER BY file_id`, dataset)
	if err != nil {
		return nil, fmt.Errorf("records: provenance of %s: %w", dataset, err)
	}
	type file struct {
		id, gen, version int64
		path, load, src  string
		at               time.Time
	}
	var files []file
	for rows.Next() {
		var f file
		if err := rows.Scan(&f.id, &f.gen, &f.version, &f.path, &f.load, &f.src, &f.at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("records: provenance of %s: %w", dataset, err)
		}
		files = append(files, f)
	}
	rows.Close()
	var out []Provenance
	for _, f := range files {
		spec, err := s.generationSpecOrCurrent(ctx, dataset, f.gen, spec)
		if err != nil {
			return nil, err
		}
		var where []string
		args := []any{}
		for j, i := range spec.KeyColumns() {
			c := spec.Columns[i]
			where = append(where, ident(c.Name)+" = CAST(? AS "+sqlType(c.Type, false)+")")
			args = append(args, key[j])
		}
		q := `SELECT p.file_row_number, p._row,
				(SELECT min(t.version) FROM rs_tombstones t WHERE t.dataset = ? AND t.file_id = ? AND t.row_number = p.file_row_number),
				(SELECT min(v.generation) FROM rs_versions v WHERE v.dataset = ? AND v.generation > ?)
			FROM read_parquet(` + sqlString(s.abs(f.path)) + `, file_row_number = true) p WHERE ` + strings.Join(where, " AND ")
		args = append([]any{dataset, f.id, dataset, f.gen}, args...)
		prow, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("records: provenance of %s: %w", dataset, invalidIfCast(err))
		}
		for prow.Next() {
			var rn, src int64
			var tomb, next *int64
			if err := prow.Scan(&rn, &src, &tomb, &next); err != nil {
				prow.Close()
				return nil, fmt.Errorf("records: provenance of %s: %w", dataset, err)
			}
			p := Provenance{Version: f.version, LoadID: f.load, Source: f.src, LoadedAt: f.at.UTC(), SourceRow: src}
			if tomb != nil {
				p.Until = *tomb
			}
			if next != nil && (p.Until == 0 || *next < p.Until) {
				p.Until = *next
			}
			out = append(out, p)
		}
		prow.Close()
	}
	return out, nil
}

func invalidIfCast(err error) error {
	if strings.Contains(err.Error(), "Conversion Error") {
		return invalidKeys(err)
	}
	return err
}

// generationSpecOrCurrent returns the columns of a generation, or cur
// when no retained version of it is left.
func (s *DuckDB) generationSpecOrCurrent(ctx context.Context, dataset string, gen int64, cur DatasetSpec) (DatasetSpec, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM rs_versions WHERE dataset = ? AND generation = ?`, dataset, gen).Scan(&n)
	if err != nil {
		return cur, fmt.Errorf("records: provenance of %s: %w", dataset, err)
	}
	if n == 0 {
		return cur, nil
	}
	return s.generationSpec(ctx, s.db, dataset, n)
}

package verify

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
)

// The DuckDB method reads the record store's own layout (see
// internal/records): rs_versions holds each version's generation and
// columns, rs_files the Parquet files of a generation (paths relative to
// the directory PATH.files beside the database file PATH), rs_tombstones
// the rows of a file that a later version replaced or deleted. The rows
// version v sees are those of the files of its generation written by
// versions <= v, less the rows tombstoned by versions <= v.

// compareDuckDB runs the comparison as SQL over the Parquet files.
func compareDuckDB(ctx context.Context, st *records.DuckDB, req *Request) (*Report, error) {
	db := st.DB()
	dir, err := filesDir(ctx, db)
	if err != nil {
		return nil, err
	}
	live := func(s Side, v records.Version) (records.DatasetSpec, string, error) {
		return duckLive(ctx, db, dir, s, v)
	}
	a, errA := prepare(ctx, st, req.A, SideA, req, live)
	b, errB := prepare(ctx, st, req.B, SideB, req, live)
	if errA != nil || errB != nil {
		if err := apperr.Join(errA, errB); err != nil {
			return nil, err
		}
	}
	rep := newReport(req, a.spec, b.spec, a.cols, b.cols)
	rep.A.Version, rep.B.Version = a.version.Number, b.version.Number
	rep.A.Rows, rep.B.Rows = a.version.Rows, b.version.Rows

	with := "WITH a AS (" + sideSQL(a, b) + "),\nb AS (" + sideSQL(b, a) + ")\n"
	n := len(req.Attributes)
	var agg strings.Builder
	agg.WriteString(with + `SELECT count(a.k), count(b.k), coalesce(sum(a.n), 0), coalesce(sum(b.n), 0),
	count(*) FILTER (WHERE a.n > 1), count(*) FILTER (WHERE b.n > 1),
	count(*) FILTER (WHERE a.k IS NOT NULL AND b.k IS NOT NULL),
	count(*) FILTER (WHERE a.n > 1 AND b.n > 0 OR b.n > 1 AND a.n > 0),
	count(*) FILTER (WHERE a.n = 1 AND b.n = 1 AND (` + differs(n) + `))`)
	for j := range n {
		fmt.Fprintf(&agg, ",\n\tcount(*) FILTER (WHERE a.n = 1 AND b.n = 1 AND a.v%d IS NOT DISTINCT FROM b.v%d)", j, j)
		fmt.Fprintf(&agg, ",\n\tcount(*) FILTER (WHERE a.n = 1 AND b.n = 1 AND a.v%d IS DISTINCT FROM b.v%d)", j, j)
	}
	agg.WriteString("\nFROM a FULL OUTER JOIN b ON a.k = b.k")
	var sumA, sumB int64
	dest := []any{&rep.A.Keys, &rep.B.Keys, &sumA, &sumB, &rep.A.DuplicateKeys, &rep.B.DuplicateKeys,
		&rep.MatchedKeys, &rep.AmbiguousKeys, &rep.ConflictingKeys}
	for j := range n {
		dest = append(dest, &rep.Attributes[j].Matches, &rep.Attributes[j].Conflicts)
	}
	if err := db.QueryRowContext(ctx, agg.String()).Scan(dest...); err != nil {
		return nil, fmt.Errorf("verify: compare %s with %s: %w", req.A.Dataset, req.B.Dataset, err)
	}
	rep.A.NullKeys, rep.B.NullKeys = rep.A.Rows-sumA, rep.B.Rows-sumB
	rep.OnlyA, rep.OnlyB = rep.A.Keys-rep.MatchedKeys, rep.B.Keys-rep.MatchedKeys
	if rep.ConflictingKeys > 0 {
		if err := duckSample(ctx, db, with, req, rep); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// duckSample reads the first conflicts in key order.
func duckSample(ctx context.Context, db *sql.DB, with string, req *Request, rep *Report) error {
	n := len(req.Attributes)
	var q strings.Builder
	q.WriteString(with + "SELECT CAST(a.k AS VARCHAR) AS key")
	for j := range n {
		fmt.Fprintf(&q, ", a.v%d IS DISTINCT FROM b.v%d, CAST(a.v%d AS VARCHAR), CAST(b.v%d AS VARCHAR)", j, j, j, j)
	}
	q.WriteString("\nFROM a JOIN b ON a.k = b.k WHERE a.n = 1 AND b.n = 1 AND (" + differs(n) + ")\nORDER BY key LIMIT " + strconv.Itoa(req.SampleLimit))
	rows, err := db.QueryContext(ctx, q.String())
	if err != nil {
		return fmt.Errorf("verify: sample conflicts: %w", err)
	}
	defer rows.Close()
	var key string
	diff := make([]bool, n)
	va, vb := make([]sql.NullString, n), make([]sql.NullString, n)
	dest := []any{&key}
	for j := range n {
		dest = append(dest, &diff[j], &va[j], &vb[j])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("verify: sample conflicts: %w", err)
		}
		for j, attr := range req.Attributes {
			if !diff[j] || len(rep.Sample) == req.SampleLimit {
				continue
			}
			rep.Sample = append(rep.Sample, Conflict{Key: key, Attribute: attr.Name,
				A: ptr(va[j].String, va[j].Valid), B: ptr(vb[j].String, vb[j].Valid)})
		}
	}
	return rows.Err()
}

// differs is the SQL condition "some attribute differs".
func differs(n int) string {
	parts := make([]string, n)
	for j := range n {
		parts[j] = fmt.Sprintf("a.v%d IS DISTINCT FROM b.v%d", j, j)
	}
	return strings.Join(parts, " OR ")
}

// sideSQL is the relation (k, v0, v1, ..., n) of one side: one row per
// distinct non-NULL key with the number of rows holding it. Columns whose
// type differs from the other side's are compared as text.
func sideSQL(s, other *sqlSide) string {
	col := func(i, j int) string {
		c := ident(s.spec.Columns[i].Name)
		if s.spec.Columns[i].Type != other.spec.Columns[j].Type {
			return "CAST(" + c + " AS VARCHAR)"
		}
		return c
	}
	k := col(s.cols.key, other.cols.key)
	if s.cols.unique {
		var b strings.Builder
		b.WriteString("SELECT " + k + " AS k")
		for j, i := range s.cols.attrs {
			fmt.Fprintf(&b, ", %s AS v%d", col(i, other.cols.attrs[j]), j)
		}
		b.WriteString(", 1 AS n FROM (" + s.live + ") WHERE " + ident(s.spec.Columns[s.cols.key].Name) + " IS NOT NULL")
		return b.String()
	}
	var b strings.Builder
	b.WriteString("SELECT " + k + " AS k")
	for j, i := range s.cols.attrs {
		fmt.Fprintf(&b, ", any_value(%s) AS v%d", col(i, other.cols.attrs[j]), j)
	}
	b.WriteString(", count(*) AS n FROM (" + s.live + ") WHERE " + ident(s.spec.Columns[s.cols.key].Name) + " IS NOT NULL GROUP BY 1")
	return b.String()
}

// duckLive reads a version's columns and builds the query of its rows
// over its files.
func duckLive(ctx context.Context, db *sql.DB, dir string, s Side, v records.Version) (records.DatasetSpec, string, error) {
	var js string
	var spec records.DatasetSpec
	if err := db.QueryRowContext(ctx, `SELECT spec FROM rs_versions WHERE dataset = ? AND version = ?`, s.Dataset, v.Number).Scan(&js); err != nil {
		return spec, "", fmt.Errorf("verify: columns of %s version %d: %w", s.Dataset, v.Number, err)
	}
	if err := json.Unmarshal([]byte(js), &spec); err != nil {
		return spec, "", fmt.Errorf("verify: columns of %s version %d: %w", s.Dataset, v.Number, err)
	}
	live, err := liveSQL(ctx, db, dir, s.Dataset, v, spec)
	return spec, live, err
}

// filesDir is the directory of the store's Parquet files.
func filesDir(ctx context.Context, db *sql.DB) (string, error) {
	var path sql.NullString
	err := db.QueryRowContext(ctx, `SELECT path FROM duckdb_databases() WHERE database_name = current_database()`).Scan(&path)
	if err != nil || !path.Valid || path.String == "" {
		return "", fmt.Errorf("verify: locate the record store's files: %v", err)
	}
	return path.String + ".files", nil
}

// liveSQL is a query of every column of the rows version v sees.
func liveSQL(ctx context.Context, db *sql.DB, dir, dataset string, v records.Version, spec records.DatasetSpec) (string, error) {
	rows, err := db.QueryContext(ctx, `SELECT f.file_id, f.path, f.rows,
			(SELECT count(*) FROM rs_tombstones t WHERE t.dataset = f.dataset AND t.file_id = f.file_id AND t.version <= ?)
		FROM rs_files f WHERE f.dataset = ? AND f.generation = ? AND f.version <= ? ORDER BY f.file_id`,
		v.Number, dataset, v.Generation, v.Number)
	if err != nil {
		return "", fmt.Errorf("verify: files of %s: %w", dataset, err)
	}
	defer rows.Close()
	cols := make([]string, len(spec.Columns))
	for i, c := range spec.Columns {
		cols[i] = ident(c.Name)
	}
	list := strings.Join(cols, ", ")
	var whole []string // files without tombstones
	var parts []string
	for rows.Next() {
		var id, n, dead int64
		var rel string
		if err := rows.Scan(&id, &rel, &n, &dead); err != nil {
			return "", fmt.Errorf("verify: files of %s: %w", dataset, err)
		}
		path := quote(filepath.Join(dir, filepath.FromSlash(rel)))
		switch {
		case dead == n:
		case dead == 0:
			whole = append(whole, path)
		default:
			parts = append(parts, "SELECT "+list+" FROM read_parquet("+path+", file_row_number = true) WHERE file_row_number NOT IN "+
				"(SELECT row_number FROM rs_tombstones WHERE dataset = "+quote(dataset)+" AND file_id = "+strconv.FormatInt(id, 10)+
				" AND version <= "+strconv.FormatInt(v.Number, 10)+")")
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("verify: files of %s: %w", dataset, err)
	}
	if len(whole) > 0 {
		parts = append(parts, "SELECT "+list+" FROM read_parquet(["+strings.Join(whole, ", ")+"])")
	}
	if len(parts) == 0 {
		// No rows: an empty relation of the same columns.
		typed := make([]string, len(spec.Columns))
		for i, c := range spec.Columns {
			typed[i] = "CAST(NULL AS " + duckType(c.Type) + ") AS " + ident(c.Name)
		}
		return "SELECT " + strings.Join(typed, ", ") + " WHERE false", nil
	}
	return strings.Join(parts, "\nUNION ALL\n"), nil
}

func duckType(t records.Type) string {
	switch t {
	case records.Int:
		return "BIGINT"
	case records.Float:
		return "DOUBLE"
	case records.Date:
		return "DATE"
	case records.Timestamp:
		return "TIMESTAMP"
	case records.Bool:
		return "BOOLEAN"
	}
	return "VARCHAR"
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

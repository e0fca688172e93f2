package verify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
)

// The PostgreSQL method runs the comparison inside the database, over the
// generation tables of the record store (records.Postgres.LiveSQL is the
// query of a version's rows), as one statement (pgCompareSQL): the two
// sides' relations a and b of (k, v0, v1, ..., n), as in the DuckDB
// method, are joined once (a full outer join, materialized), the joined
// rows are counted by class and the first conflicts are read in key
// order. Where the DuckDB method joins twice (counts, then sample), one
// join about halves the work here: PostgreSQL's hash join of a million
// keys is most of it (docs/benchmarks.md).
//
// Values are compared as the scan method compares their text (text):
// columns of the same type natively, which is the same for every type
// (NaN equals NaN and -0 equals 0 in PostgreSQL as in their text), and
// columns of different types as text rendered by pgText. Text is
// compared and sorted under the "C" collation: byte by byte, as Go
// compares strings. Samples are read as values and rendered by text.

// errNotExact says a comparison cannot be expressed exactly in SQL on
// PostgreSQL: PostgreSQL renders floating-point numbers as text
// differently from text (1 vs 1.0, 1e+15 vs 1000000000000000.0), so a
// floating-point key (its text orders the sample) or a floating-point
// column compared with a column of another type is compared by scan.
var errNotExact = errors.New("verify: not expressible in PostgreSQL SQL")

// pgWorkMem is the work_mem of the comparison's transaction: the join's
// hash table of a million keys and three values (142 MB; PostgreSQL lets
// a hash use twice work_mem) fits in it, where the default (4MB) would
// spill it to temporary files.
const pgWorkMem = "256MB"

// comparePostgres runs the comparison as SQL in the PostgreSQL store.
func comparePostgres(ctx context.Context, st *records.Postgres, req *Request) (*Report, error) {
	live := func(_ Side, v records.Version) (records.DatasetSpec, string, error) { return st.LiveSQL(ctx, v) }
	a, errA := prepare(ctx, st, req.A, SideA, req, live)
	b, errB := prepare(ctx, st, req.B, SideB, req, live)
	if err := apperr.Join(errA, errB); err != nil {
		return nil, err
	}
	if !pgExact(a, b) {
		return nil, errNotExact
	}
	rep := newReport(req, a.spec, b.spec, a.cols, b.cols)
	rep.A.Version, rep.B.Version = a.version.Number, b.version.Number
	rep.A.Rows, rep.B.Rows = a.version.Rows, b.version.Rows

	tx, err := st.Pool().BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("verify: compare %s with %s: %w", req.A.Dataset, req.B.Dataset, err)
	}
	defer tx.Rollback(ctx)
	// DateStyle ISO: pgText's dates and timestamps as YYYY-MM-DD[ HH:MM:SS[.ffffff]].
	// No JIT: compiling the statement's expressions costs more than it
	// saves on a million rows.
	if _, err := tx.Exec(ctx, `SELECT set_config('work_mem', $1, true), set_config('DateStyle', 'ISO', true), set_config('jit', 'off', true)`,
		pgWorkMem); err != nil {
		return nil, fmt.Errorf("verify: compare %s with %s: %w", req.A.Dataset, req.B.Dataset, err)
	}
	if err := pgRead(ctx, tx, a, b, req, rep); err != nil {
		return nil, fmt.Errorf("verify: compare %s with %s: %w", req.A.Dataset, req.B.Dataset, err)
	}
	return rep, nil
}

// pgExact says whether the comparison of a and b is exact in SQL (see
// errNotExact).
func pgExact(a, b *sqlSide) bool {
	ka, kb := a.spec.Columns[a.cols.key].Type, b.spec.Columns[b.cols.key].Type
	if ka == records.Float || kb == records.Float {
		return false
	}
	for j, i := range a.cols.attrs {
		ta, tb := a.spec.Columns[i].Type, b.spec.Columns[b.cols.attrs[j]].Type
		if ta != tb && (ta == records.Float || tb == records.Float) {
			return false
		}
	}
	return true
}

// pgCompared is how a column of s is compared with column j of other: as
// itself when their types are the same, else as text; text under the "C"
// collation. It returns the expression and the type compared.
func pgCompared(s, other *sqlSide, i, j int) (string, records.Type) {
	c, t := ident(s.spec.Columns[i].Name), s.spec.Columns[i].Type
	if t != other.spec.Columns[j].Type {
		c, t = pgText(c, t), records.Text
	}
	if t == records.Text {
		c += ` COLLATE "C"`
	}
	return c, t
}

// pgSideSQL is the relation (k, v0, v1, ..., n) of one side: one row per
// distinct non-NULL key, with the number of rows holding it (n) and the
// compared values of one of them (only read when n = 1).
func pgSideSQL(s, other *sqlSide) string {
	k, _ := pgCompared(s, other, s.cols.key, other.cols.key)
	notNull := " WHERE " + ident(s.spec.Columns[s.cols.key].Name) + " IS NOT NULL"
	var b strings.Builder
	b.WriteString("SELECT " + k + " AS k")
	if s.cols.unique {
		// The key is the dataset's primary key: one row a key, as the
		// DuckDB method takes it.
		for j, i := range s.cols.attrs {
			v, _ := pgCompared(s, other, i, other.cols.attrs[j])
			fmt.Fprintf(&b, ", %s AS v%d", v, j)
		}
		b.WriteString(", CAST(1 AS BIGINT) AS n FROM (" + s.live + ") r" + notNull)
		return b.String()
	}
	for j, i := range s.cols.attrs {
		// Any value will do: only keys of one row are compared, and the
		// one value of one row is its min (or bool_or).
		v, t := pgCompared(s, other, i, other.cols.attrs[j])
		agg := "min"
		if t == records.Bool {
			agg = "bool_or"
		}
		fmt.Fprintf(&b, ", %s(%s) AS v%d", agg, v, j)
	}
	b.WriteString(", count(*) AS n FROM (" + s.live + ") r" + notNull + " GROUP BY 1")
	return b.String()
}

// pgText renders a column of type t (not Float) as text does.
func pgText(c string, t records.Type) string {
	switch t {
	case records.Int, records.Bool: // decimal; true, false
		return "CAST(" + c + " AS text)"
	case records.Date:
		return pgBC(c, "DATE '0001-01-01'")
	case records.Timestamp:
		return pgBC(c, "TIMESTAMP '0001-01-01 00:00:00'")
	}
	return c
}

// pgBC renders a date or timestamp as text: YYYY-MM-DD[ HH:MM:SS[.f]] as
// PostgreSQL renders it in DateStyle ISO, except before year 1:
// PostgreSQL writes year Y BC as "Y ... BC", Go as the astronomical year
// 1-Y ("0000" for 1 BC, "-0001" for 2 BC).
func pgBC(c, first string) string {
	t := "CAST(" + c + " AS text)"
	return "CASE WHEN " + c + " < " + first + " THEN (CASE WHEN left(" + t + ", 4) <> '0001' THEN '-' ELSE '' END) || " +
		"lpad(CAST(CAST(left(" + t + ", 4) AS int) - 1 AS text), 4, '0') || substr(" + t + ", 5, length(" + t + ") - 7) ELSE " + t + " END"
}

// pgCompareSQL is the statement of the comparison. Its rows are of two
// kinds. Counts (kind 0, an, bn, d, count): the joined keys of a class,
// an and bn being the rows holding the key on each side (NULL: none) and
// d, for a key held by one row on each side, the bit mask of the
// attributes that differ (bit j: attribute j). Conflicts (kind 1, d, key,
// a.v0, b.v0, a.v1, b.v1, ...): the first SampleLimit keys with d <> 0 in
// the order of the key's text, with their values.
func pgCompareSQL(a, b *sqlSide, req *Request) (string, records.Type) {
	n := len(req.Attributes)
	_, keyType := pgCompared(a, b, a.cols.key, b.cols.key)
	mask := "CAST(0 AS BIGINT)"
	for j := range n {
		mask += fmt.Sprintf(" + CASE WHEN a.v%d IS DISTINCT FROM b.v%d THEN %d ELSE 0 END", j, j, int64(1)<<j)
	}
	var q strings.Builder
	q.WriteString("WITH a AS (" + pgSideSQL(a, b) + "),\nb AS (" + pgSideSQL(b, a) + "),\n")
	// The joined rows, with the key and values only where they are needed
	// (d <> 0), are held once for the counts and the sample. OFFSET 0
	// computes d once a row: PostgreSQL would copy its expression into
	// each use otherwise.
	q.WriteString("j AS MATERIALIZED (SELECT an, bn, d, CASE WHEN d <> 0 THEN k END AS k")
	for j := range n {
		fmt.Fprintf(&q, ", CASE WHEN d <> 0 THEN av%d END AS av%d, CASE WHEN d <> 0 THEN bv%d END AS bv%d", j, j, j, j)
	}
	q.WriteString("\n\tFROM (SELECT a.n AS an, b.n AS bn, a.k")
	for j := range n {
		fmt.Fprintf(&q, ", a.v%d AS av%d, b.v%d AS bv%d", j, j, j, j)
	}
	q.WriteString(", CASE WHEN a.n = 1 AND b.n = 1 THEN " + mask + " END AS d\n\tFROM a FULL OUTER JOIN b ON a.k = b.k OFFSET 0) x)\n")
	q.WriteString("SELECT 0, an, bn, d, count(*), NULL")
	for range n {
		q.WriteString(", NULL, NULL")
	}
	q.WriteString(" FROM j GROUP BY an, bn, d\nUNION ALL\n(SELECT 1, NULL, NULL, d, NULL, k")
	for j := range n {
		fmt.Fprintf(&q, ", av%d, bv%d", j, j)
	}
	order := "k"
	if keyType != records.Text {
		order = pgText("k", keyType) + ` COLLATE "C"`
	}
	q.WriteString(" FROM j WHERE d <> 0 ORDER BY " + order + " LIMIT " + strconv.Itoa(req.SampleLimit) + ")")
	return q.String(), keyType
}

// pgRead runs pgCompareSQL and fills rep from its rows.
func pgRead(ctx context.Context, tx pgx.Tx, a, b *sqlSide, req *Request, rep *Report) error {
	q, keyType := pgCompareSQL(a, b, req)
	types := make([]records.Type, len(req.Attributes))
	for j := range types {
		_, types[j] = pgCompared(a, b, a.cols.attrs[j], b.cols.attrs[j])
	}
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	var sumA, sumB int64
	var conflicts []Conflict
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return err
		}
		d, compared := vals[3].(int64)
		if vals[0].(int32) == 1 {
			key, _ := text(vals[5], keyType)
			for j, attr := range req.Attributes {
				if d&(1<<j) != 0 {
					conflicts = append(conflicts, Conflict{Key: key, Attribute: attr.Name,
						A: ptr(text(vals[6+2*j], types[j])), B: ptr(text(vals[7+2*j], types[j]))})
				}
			}
			continue
		}
		an, inA := vals[1].(int64)
		bn, inB := vals[2].(int64)
		c := vals[4].(int64)
		if inA {
			rep.A.Keys += c
			sumA += an * c
			if an > 1 {
				rep.A.DuplicateKeys += c
			}
		}
		if inB {
			rep.B.Keys += c
			sumB += bn * c
			if bn > 1 {
				rep.B.DuplicateKeys += c
			}
		}
		if inA && inB {
			rep.MatchedKeys += c
			if an > 1 || bn > 1 {
				rep.AmbiguousKeys += c
			}
		}
		if !compared {
			continue
		}
		if d != 0 {
			rep.ConflictingKeys += c
		}
		for j := range rep.Attributes {
			if d&(1<<j) != 0 {
				rep.Attributes[j].Conflicts += c
			} else {
				rep.Attributes[j].Matches += c
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rep.A.NullKeys, rep.B.NullKeys = rep.A.Rows-sumA, rep.B.Rows-sumB
	rep.OnlyA, rep.OnlyB = rep.A.Keys-rep.MatchedKeys, rep.B.Keys-rep.MatchedKeys
	// The keys came in order (a union's branch is read in its order); a
	// stable sort by key keeps that true whatever the plan.
	slices.SortStableFunc(conflicts, func(x, y Conflict) int { return strings.Compare(x.Key, y.Key) })
	if len(conflicts) > req.SampleLimit {
		conflicts = conflicts[:req.SampleLimit]
	}
	rep.Sample = conflicts
	return nil
}

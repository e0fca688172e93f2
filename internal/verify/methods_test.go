package verify

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
)

var (
	// left and right hold the same facts in columns of other types: the
	// dates, numbers, flags and timestamps of left are text in right.
	leftSpec = records.DatasetSpec{Name: "left", Columns: []records.Column{
		{Name: "id", Label: "编号", Type: records.Text, Key: true},
		{Name: "code", Label: "代码", Type: records.Text},
		{Name: "name", Label: "名称", Type: records.Text},
		{Name: "birth", Label: "日期", Type: records.Date},
		{Name: "count", Label: "数量", Type: records.Int},
		{Name: "ok", Label: "有效", Type: records.Bool},
		{Name: "score", Label: "分数", Type: records.Float},
		{Name: "at", Label: "时间", Type: records.Timestamp},
	}}
	rightSpec = records.DatasetSpec{Name: "right", Columns: []records.Column{
		{Name: "rid", Label: "编号", Type: records.Text, Key: true},
		{Name: "code", Label: "代码", Type: records.Text},
		{Name: "name", Label: "名称", Type: records.Text},
		{Name: "birth", Label: "日期", Type: records.Text},
		{Name: "count", Label: "数量", Type: records.Text},
		{Name: "ok", Label: "有效", Type: records.Text},
		{Name: "score", Label: "分数", Type: records.Float},
		{Name: "at", Label: "时间", Type: records.Text},
	}}
)

// writeLeftRight writes two versions of left and of right: keys on one
// side, NULLs on either or both, values differing only in case or a
// trailing space, keys sorting differently by bytes and by collation,
// repeated codes, NaN and -0, dates and timestamps of year 1 and 10000
// (and of year 0, 1 BC, with bc), fractional seconds, and incremental
// versions replacing and deleting rows.
//
// bc is false on DuckDB: its text of a date or timestamp before year 1
// is "0001-03-04 (BC)", so its SQL method differs from scan there.
func writeLeftRight(t *testing.T, s records.Store, bc bool) {
	year0, year0Text := time.Date(0, 3, 4, 0, 0, 0, 0, time.UTC), "0000-03-04"
	lastBC, lastBCText := time.Date(0, 12, 31, 23, 59, 59, 500000000, time.UTC), "0000-12-31 23:59:59.5"
	if !bc {
		year0, year0Text = time.Date(1, 3, 4, 0, 0, 0, 0, time.UTC), "0001-03-04"
		lastBC, lastBCText = time.Date(1, 1, 1, 23, 59, 59, 500000000, time.UTC), "0001-01-01 23:59:59.5"
	}
	year10k := time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC)
	negZero := math.Copysign(0, -1)
	writeVersion(t, s, leftSpec, records.Full, [][]any{
		{"a10", "C1", "张三", "1990-01-01", int64(10), true, 1.5, "2024-01-02 03:04:05"},
		{"a9", "C1", "李四", "1991-02-03", int64(9), false, math.NaN(), "2024-01-02 03:04:05.5"},
		{"B", "C2", "Wang", year0, int64(-3), nil, negZero, "2024-01-02 03:04:05.123456"},
		{"b", "C3", "王五 ", year10k, nil, true, 1e15, nil},
		{"中", "C4", nil, nil, int64(0), false, 0.1, lastBC},
		{"一", "C4", "钱一", "0001-01-01", int64(11), true, 1.0, "0001-01-01 00:00:00"},
		{"Z", nil, "赵六", "2000-02-29", int64(7), true, 2.0, "1999-12-31 23:59:59.999999"},
		{"é", "C5", "Émile", "1980-05-05", int64(5), false, -2.5, "1980-05-05 00:00:00"},
		{"x1", "C6", "孙七", "1970-01-01", int64(1), true, 3.0, "1970-01-01 00:00:00"},
	})
	writeVersion(t, s, leftSpec, records.Incremental, [][]any{
		{"x1", "C6", "孙七七", "1970-01-02", int64(2), false, 3.5, "1970-01-01 00:00:01"},
		{"y1", "C7", "周八", "1960-06-06", int64(6), nil, nil, nil},
	}, "Z")
	writeVersion(t, s, rightSpec, records.Full, [][]any{
		{"a10", "C1", "张三", "1990-01-01", "10", "true", 1.5, "2024-01-02 03:04:05"},
		{"a9", "C1", "李四", "1991-02-04", "09", "false", math.NaN(), "2024-01-02 03:04:05.50"},
		{"B", "C2", "wang", year0Text, "-3", nil, 0.0, "2024-01-02 03:04:05.123456"},
		{"b", "C3", "王五", "10000-01-02", nil, "t", 1e15, nil},
		{"中", "C4", nil, nil, "0", "false", 0.30000000000000004, lastBCText},
		{"一", "C4", "钱一", "0001-01-01", "11", "true", 1.0, "0001-01-01 00:00:00"},
		{"Z", "C9", "赵六", "2000-02-29", "7", "true", 2.0, "1999-12-31 23:59:59.999999"},
		{"é", "C5", "Emile", "1980-05-05", "5", "false", -2.5, "1980-05-05"},
		{"r1", "C5", "吴九", "1970-01-02", "2", "false", 3.5, "1970-01-01 00:00:01"},
		{"r2", nil, "郑十", nil, nil, nil, nil, nil},
		{"x1", "C6", "孙七七", "1970-01-02", "2", "false", 3.5, "1970-01-01 00:00:01"},
	})
	writeVersion(t, s, rightSpec, records.Incremental, [][]any{
		{"r2", "C8", "郑十", "1950-01-01", "1", "true", 4.0, "1950-01-01 00:00:00"},
	}, "r1")
}

// Every method of a store gives the report of the scan method: the SQL
// methods are fast paths, not other semantics.
func TestCompareMethodsAgree(t *testing.T) {
	all := []Field{{Name: "名称"}, {Name: "日期"}, {Name: "数量"}, {Name: "有效"}, {Name: "分数"}, {Name: "时间"}}
	tests := []struct {
		name string
		give Request
	}{
		{"primary keys, columns of other types", Request{A: Side{Dataset: "left"}, B: Side{Dataset: "right"},
			Key: Field{Name: "编号"}, Attributes: all}},
		{"first versions", Request{A: Side{Dataset: "left", Version: 1}, B: Side{Dataset: "right", Version: 1},
			Key: Field{Name: "编号"}, Attributes: all}},
		{"small sample", Request{A: Side{Dataset: "left"}, B: Side{Dataset: "right"},
			Key: Field{Name: "编号"}, Attributes: all, SampleLimit: 4}},
		{"repeated keys", Request{A: Side{Dataset: "left"}, B: Side{Dataset: "right"},
			Key: Field{Name: "代码"}, Attributes: []Field{{Name: "名称"}, {Name: "日期"}, {Name: "有效"}}}},
		{"integer key against text", Request{A: Side{Dataset: "left"}, B: Side{Dataset: "right"},
			Key: Field{Name: "数量"}, Attributes: []Field{{Name: "编号"}, {Name: "名称"}}}},
		{"date key, two versions of one dataset", Request{A: Side{Dataset: "left", Version: 1}, B: Side{Dataset: "left", Version: 2},
			Key: Field{Name: "日期"}, Attributes: []Field{{Name: "x", A: "name", B: "code"}, {Name: "有效"}, {Name: "时间"}}}},
		{"timestamp key against text", Request{A: Side{Dataset: "left"}, B: Side{Dataset: "right"},
			Key: Field{Name: "时间"}, Attributes: []Field{{Name: "编号"}}}},
		{"items by column name", Request{A: Side{Dataset: "right"}, B: Side{Dataset: "left"},
			Key: Field{Name: "key", A: "rid", B: "id"}, Attributes: []Field{{Name: "n", A: "count", B: "count"}, {Name: "d", A: "birth", B: "birth"}}}},
	}
	eachRecordStore(t, func(t *testing.T, s records.Store, methods []string) {
		_, duck := s.(*records.DuckDB)
		writeLeftRight(t, s, !duck)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				give := tt.give
				give.Method = MethodScan
				want, err := Compare(context.Background(), s, give)
				if err != nil {
					t.Fatalf("Compare(scan): %v", err)
				}
				if want.ComparedKeys == 0 {
					t.Fatalf("Compare(scan) compared no keys: %+v", want)
				}
				for _, m := range methods {
					give.Method = m
					got, err := Compare(context.Background(), s, give)
					if err != nil {
						t.Fatalf("Compare(%s): %v", m, err)
					}
					if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Report{}, "Method", "DurationMS"), cmpopts.EquateNaNs()); diff != "" {
						t.Errorf("Compare(%s) differs from scan (-scan +%s):\n%s", m, m, diff)
					}
				}
			})
		}
	})
}

// The PostgreSQL method compares and sorts text byte by byte, as scan
// does, whatever the collation of the columns: here the Chinese collation
// of ICU, which sorts 中 before Z and b before B.
func TestComparePostgresIgnoresTheCollation(t *testing.T) {
	for _, r := range recordStores() {
		if r.name != "postgres" {
			continue
		}
		s := r.Open(t)
		writeLeftRight(t, s, true)
		ctx := context.Background()
		pool := s.(*records.Postgres).Pool()
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_collation WHERE collname = 'zh-x-icu'`).Scan(&n); err != nil || n == 0 {
			t.Skipf("PostgreSQL has no ICU collation zh-x-icu (%v)", err)
		}
		rows, err := pool.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name LIKE 'rs\_%\_g%' AND data_type = 'text'`)
		if err != nil {
			t.Fatal(err)
		}
		var alter []string
		for rows.Next() {
			var tab, col string
			if err := rows.Scan(&tab, &col); err != nil {
				t.Fatal(err)
			}
			alter = append(alter, `ALTER TABLE `+ident(tab)+` ALTER COLUMN `+ident(col)+` TYPE text COLLATE "zh-x-icu"`)
		}
		if rows.Err() != nil || len(alter) == 0 {
			t.Fatalf("text columns of the generation tables: %v, %d found", rows.Err(), len(alter))
		}
		for _, a := range alter {
			if _, err := pool.Exec(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		for _, key := range []string{"编号", "代码", "时间"} {
			req := Request{A: Side{Dataset: "left"}, B: Side{Dataset: "right"}, Key: Field{Name: key},
				Attributes: []Field{{Name: "名称"}, {Name: "日期"}, {Name: "有效"}}, Method: MethodScan}
			want, err := Compare(ctx, s, req)
			if err != nil {
				t.Fatalf("Compare(scan): %v", err)
			}
			req.Method = MethodPostgresSQL
			got, err := Compare(ctx, s, req)
			if err != nil {
				t.Fatalf("Compare(postgres_sql): %v", err)
			}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Report{}, "Method", "DurationMS")); diff != "" {
				t.Errorf("Compare(key %s, postgres_sql) differs from scan (-scan +postgres_sql):\n%s", key, diff)
			}
		}
	}
}

// On PostgreSQL, comparisons of floating-point keys, or of floating-point
// items with items of other types, are made by scan: PostgreSQL's text of
// a float is not Go's.
func TestComparePostgresLeavesFloatsToScan(t *testing.T) {
	for _, r := range recordStores() {
		if r.name != "postgres" {
			continue
		}
		s := r.Open(t)
		writeLeftRight(t, s, true)
		for _, req := range []Request{
			{A: Side{Dataset: "left"}, B: Side{Dataset: "right"}, Key: Field{Name: "分数"}, Attributes: []Field{{Name: "名称"}}},
			{A: Side{Dataset: "left"}, B: Side{Dataset: "right"}, Key: Field{Name: "编号"}, Attributes: []Field{{Name: "x", A: "score", B: "count"}}},
		} {
			want, err := Compare(context.Background(), s, Request{A: req.A, B: req.B, Key: req.Key, Attributes: req.Attributes, Method: MethodScan})
			if err != nil {
				t.Fatalf("Compare(scan): %v", err)
			}
			got, err := Compare(context.Background(), s, req)
			if err != nil {
				t.Fatalf("Compare: %v", err)
			}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Report{}, "DurationMS")); diff != "" {
				t.Errorf("Compare(key %s) differs from scan (-scan +got):\n%s", req.Key.Name, diff)
			}
			req.Method = MethodPostgresSQL
			if _, err := Compare(context.Background(), s, req); apperr.KindOf(err) != apperr.Invalid {
				t.Errorf("Compare(key %s, postgres_sql) = %v, want invalid", req.Key.Name, err)
			}
		}
	}
}

package records_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

// backend opens fresh stores of one engine.
type backend struct {
	name string
	// open returns a store and a function that reopens it (after Close).
	open func(t *testing.T) (records.Store, func() records.Store)
}

func backends(t *testing.T) []backend {
	bs := []backend{{name: "duckdb", open: func(t *testing.T) (records.Store, func() records.Store) {
		path := filepath.Join(t.TempDir(), "records.duckdb")
		open := func() records.Store {
			s, err := records.OpenDuckDB(context.Background(), path)
			if err != nil {
				t.Fatalf("OpenDuckDB: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		return open(), open
	}}}
	if pg := os.Getenv("PUBDATA_TEST_POSTGRES"); pg != "" {
		bs = append(bs, backend{name: "postgres", open: func(t *testing.T) (records.Store, func() records.Store) {
			dsn := storetest.FreshSchema(t, pg)
			open := func() records.Store {
				s, err := records.OpenPostgres(context.Background(), dsn)
				if err != nil {
					t.Fatalf("OpenPostgres: %v", err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			return open(), open
		}})
	}
	return bs
}

// each runs fn on every backend.
func each(t *testing.T, fn func(t *testing.T, s records.Store, reopen func() records.Store)) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			s, reopen := b.open(t)
			fn(t, s, reopen)
		})
	}
}

var people = records.DatasetSpec{Name: "people", Columns: []records.Column{
	{Name: "id", Label: "公民身份号码", Type: records.Text, Key: true},
	{Name: "name", Label: "姓名", Type: records.Text},
	{Name: "birth", Label: "出生日期", Type: records.Date},
	{Name: "n", Type: records.Int},
	{Name: "score", Type: records.Float},
	{Name: "ok", Type: records.Bool},
	{Name: "at", Type: records.Timestamp},
}}

// person is a row of people in test form.
type person struct {
	ID, Name string
	Birth    string // YYYY-MM-DD or ""
	N        int64
	Score    float64
	OK       bool
	At       string // YYYY-MM-DD HH:MM:SS or ""
}

func batch(rows ...person) *records.Batch {
	b := records.NewBatch(people, len(rows))
	for i, r := range rows {
		b.Cols[0].AppendString(r.ID)
		if r.Name == "" {
			b.Cols[1].AppendNull(records.Text)
		} else {
			b.Cols[1].AppendString(r.Name)
		}
		if r.Birth == "" {
			b.Cols[2].AppendNull(records.Date)
		} else {
			d, _ := time.Parse("2006-01-02", r.Birth)
			b.Cols[2].AppendInt(d.Unix() / 86400)
		}
		b.Cols[3].AppendInt(r.N)
		b.Cols[4].AppendFloat(r.Score)
		b.Cols[5].AppendBool(r.OK)
		if r.At == "" {
			b.Cols[6].AppendNull(records.Timestamp)
		} else {
			ts, _ := time.Parse("2006-01-02 15:04:05", r.At)
			b.Cols[6].AppendInt(ts.UnixMicro())
		}
		b.SourceRow = append(b.SourceRow, int64(i+1))
		b.Len++
	}
	return b
}

func scan(t *testing.T, s records.Store, version int64) []person {
	t.Helper()
	var out []person
	err := s.Scan(context.Background(), people.Name, version, func(r records.Row) error {
		p := person{ID: r.Values[0].(string), N: r.Values[3].(int64), Score: r.Values[4].(float64), OK: r.Values[5].(bool)}
		if v := r.Values[1]; v != nil {
			p.Name = v.(string)
		}
		if v := r.Values[2]; v != nil {
			p.Birth = v.(time.Time).Format("2006-01-02")
		}
		if v := r.Values[6]; v != nil {
			p.At = v.(time.Time).Format("2006-01-02 15:04:05")
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatalf("Scan(%d): %v", version, err)
	}
	slices.SortFunc(out, func(a, b person) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func load(t *testing.T, s records.Store, mode records.Mode, id string, rows []person, deletes ...string) records.Version {
	t.Helper()
	ctx := context.Background()
	w, err := s.BeginVersion(ctx, people.Name, mode, records.Load{ID: id, Source: id + ".csv"})
	if err != nil {
		t.Fatalf("BeginVersion: %v", err)
	}
	if len(rows) > 0 {
		if err := w.WriteBatch(ctx, batch(rows...)); err != nil {
			t.Fatalf("WriteBatch: %v", err)
		}
	}
	if len(deletes) > 0 {
		var keys [][]string
		for _, d := range deletes {
			keys = append(keys, []string{d})
		}
		if err := w.Delete(ctx, keys); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	v, err := w.Commit(ctx)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return v
}

var (
	alice = person{ID: "A", Name: "张三", Birth: "1990-01-02", N: 1, Score: 1.5, OK: true, At: "2024-05-06 07:08:09"}
	bob   = person{ID: "B", Name: "李四", Birth: "1985-12-31", N: 2, Score: -2, OK: false}
	carol = person{ID: "C", Name: "", Birth: "", N: 3, Score: 0, OK: true}
	bob2  = person{ID: "B", Name: "李四四", Birth: "1985-12-30", N: 22, Score: 2.25, OK: true, At: "2025-01-01 00:00:00"}
	dave  = person{ID: "D", Name: "王五", Birth: "2000-02-29", N: 4, Score: 4, OK: false}
)

func TestFullThenIncremental(t *testing.T) {
	each(t, func(t *testing.T, s records.Store, _ func() records.Store) {
		ctx := context.Background()
		if err := s.EnsureDataset(ctx, people); err != nil {
			t.Fatalf("EnsureDataset: %v", err)
		}
		if _, err := s.Current(ctx, people.Name); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("Current before any load = %v, want NotFound", err)
		}
		v1 := load(t, s, records.Full, "L1", []person{alice, bob, carol})
		if v1.Number != 1 || v1.Rows != 3 || v1.Added != 3 {
			t.Errorf("version 1 = %+v, want number 1, 3 rows added", v1)
		}
		v2 := load(t, s, records.Incremental, "L2", []person{bob2, dave}, "C", "Z")
		if v2.Number != 2 || v2.Rows != 3 || v2.Added != 2 || v2.Removed != 2 || v2.Deleted != 1 {
			t.Errorf("version 2 = %+v, want number 2, 3 rows, 2 added, 2 removed, 1 deleted", v2)
		}
		if diff := cmp.Diff([]person{alice, bob2, dave}, scan(t, s, 0)); diff != "" {
			t.Errorf("current rows (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]person{alice, bob, carol}, scan(t, s, 1)); diff != "" {
			t.Errorf("version 1 rows (-want +got):\n%s", diff)
		}
		cur, err := s.Current(ctx, people.Name)
		if err != nil || cur.Number != 2 || cur.LoadID != "L2" {
			t.Errorf("Current = %+v, %v; want version 2 of load L2", cur, err)
		}
		if n, err := s.Count(ctx, people.Name, 1); err != nil || n != 3 {
			t.Errorf("Count(1) = %d, %v; want 3", n, err)
		}
		prov, err := s.Provenance(ctx, people.Name, []string{"B"})
		if err != nil {
			t.Fatalf("Provenance: %v", err)
		}
		for i := range prov {
			prov[i].LoadedAt = time.Time{}
		}
		want := []records.Provenance{
			{Version: 1, LoadID: "L1", Source: "L1.csv", SourceRow: 2, Until: 2},
			{Version: 2, LoadID: "L2", Source: "L2.csv", SourceRow: 1},
		}
		if diff := cmp.Diff(want, prov); diff != "" {
			t.Errorf("Provenance(B) (-want +got):\n%s", diff)
		}
		// A full load replaces everything.
		v3 := load(t, s, records.Full, "L3", []person{dave})
		if v3.Rows != 1 || v3.Removed != 3 {
			t.Errorf("version 3 = %+v, want 1 row, 3 removed", v3)
		}
		if diff := cmp.Diff([]person{dave}, scan(t, s, 0)); diff != "" {
			t.Errorf("rows after full load (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]person{alice, bob2, dave}, scan(t, s, 2)); diff != "" {
			t.Errorf("version 2 rows after full load (-want +got):\n%s", diff)
		}
	})
}

func TestIncrementalFirstLoadAndEmptyVersions(t *testing.T) {
	each(t, func(t *testing.T, s records.Store, _ func() records.Store) {
		ctx := context.Background()
		s.EnsureDataset(ctx, people)
		v := load(t, s, records.Incremental, "L1", []person{alice}, "B")
		if v.Rows != 1 || v.Deleted != 0 {
			t.Errorf("first incremental version = %+v, want 1 row", v)
		}
		v = load(t, s, records.Incremental, "L2", nil, "A")
		if v.Rows != 0 || v.Deleted != 1 {
			t.Errorf("delete-only version = %+v, want 0 rows, 1 deleted", v)
		}
		if got := scan(t, s, 0); len(got) != 0 {
			t.Errorf("rows = %v, want none", got)
		}
		v = load(t, s, records.Full, "L3", nil)
		if v.Rows != 0 || v.Number != 3 {
			t.Errorf("empty full version = %+v, want version 3 with 0 rows", v)
		}
	})
}

func TestAbortPublishesNothing(t *testing.T) {
	each(t, func(t *testing.T, s records.Store, _ func() records.Store) {
		ctx := context.Background()
		s.EnsureDataset(ctx, people)
		load(t, s, records.Full, "L1", []person{alice, bob})
		for _, mode := range []records.Mode{records.Full, records.Incremental} {
			w, err := s.BeginVersion(ctx, people.Name, mode, records.Load{ID: "bad"})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteBatch(ctx, batch(carol, dave)); err != nil {
				t.Fatal(err)
			}
			if _, err := s.BeginVersion(ctx, people.Name, mode, records.Load{ID: "second"}); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("second BeginVersion = %v, want Conflict", err)
			}
			if err := w.Abort(); err != nil {
				t.Fatalf("Abort: %v", err)
			}
			if _, err := w.Commit(ctx); err == nil {
				t.Errorf("Commit after Abort succeeded")
			}
			cur, err := s.Current(ctx, people.Name)
			if err != nil || cur.Number != 1 {
				t.Errorf("Current after abort = %+v, %v; want version 1", cur, err)
			}
			if diff := cmp.Diff([]person{alice, bob}, scan(t, s, 0)); diff != "" {
				t.Errorf("rows after abort (-want +got):\n%s", diff)
			}
		}
		v := load(t, s, records.Incremental, "L2", []person{carol})
		if v.Number != 2 || v.Rows != 3 {
			t.Errorf("version after aborts = %+v, want version 2 with 3 rows", v)
		}
	})
}

func TestUnfinishedVersionIsGoneAfterReopen(t *testing.T) {
	each(t, func(t *testing.T, s records.Store, reopen func() records.Store) {
		ctx := context.Background()
		s.EnsureDataset(ctx, people)
		load(t, s, records.Full, "L1", []person{alice})
		for _, mode := range []records.Mode{records.Full, records.Incremental} {
			w, err := s.BeginVersion(ctx, people.Name, mode, records.Load{ID: "crash"})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteBatch(ctx, batch(bob, carol)); err != nil {
				t.Fatal(err)
			}
			// The process "dies": the store is closed without Commit or Abort.
			s.Close()
			s = reopen()
			if diff := cmp.Diff([]person{alice}, scan(t, s, 0)); diff != "" {
				t.Errorf("%s: rows after reopen (-want +got):\n%s", mode, diff)
			}
			if left := records.Leftovers(ctx, s); len(left) != 0 {
				t.Errorf("%s: leftovers after reopen: %v", mode, left)
			}
		}
	})
}

func TestHasKeys(t *testing.T) {
	each(t, func(t *testing.T, s records.Store, _ func() records.Store) {
		ctx := context.Background()
		s.EnsureDataset(ctx, people)
		load(t, s, records.Full, "L1", []person{alice})
		w, err := s.BeginVersion(ctx, people.Name, records.Incremental, records.Load{ID: "L2"})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		w.WriteBatch(ctx, batch(bob, carol))
		// Only this version's rows count: alice ("A") is in the previous one.
		for _, tc := range []struct {
			cols []int
			keys [][]string
			want []bool
		}{
			{nil, [][]string{{"A"}, {"B"}, {"X"}, {"C"}}, []bool{false, true, false, true}},
			// Other columns, typed: a name, a date and a number.
			{[]int{1}, [][]string{{"张三"}, {"李四"}}, []bool{false, true}},
			{[]int{2, 3}, [][]string{{"1985-12-31", "2"}, {"1985-12-31", "3"}, {"1990-01-02", "1"}}, []bool{true, false, false}},
		} {
			got, err := w.HasKeys(ctx, tc.cols, tc.keys)
			if err != nil {
				t.Fatalf("HasKeys(%v): %v", tc.cols, err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("HasKeys(%v, %v) = %v, want %v", tc.cols, tc.keys, got, tc.want)
			}
		}
		if _, err := w.HasKeys(ctx, []int{1, 2}, [][]string{{"李四"}}); err == nil {
			t.Errorf("HasKeys with a key short of a value: no error")
		}
		if _, err := w.HasKeys(ctx, []int{9}, [][]string{{"x"}}); err == nil {
			t.Errorf("HasKeys on column 9 of 7: no error")
		}
	})
}

func TestRetain(t *testing.T) {
	each(t, func(t *testing.T, s records.Store, _ func() records.Store) {
		ctx := context.Background()
		s.EnsureDataset(ctx, people)
		load(t, s, records.Full, "L1", []person{alice})
		load(t, s, records.Incremental, "L2", []person{bob})
		load(t, s, records.Full, "L3", []person{carol})
		load(t, s, records.Incremental, "L4", []person{dave}, "C")
		if err := s.Retain(ctx, people.Name, 2); err != nil {
			t.Fatalf("Retain: %v", err)
		}
		vs, err := s.Versions(ctx, people.Name)
		if err != nil {
			t.Fatal(err)
		}
		var nums []int64
		for _, v := range vs {
			nums = append(nums, v.Number)
		}
		if !slices.Equal(nums, []int64{4, 3}) {
			t.Errorf("versions after Retain(2) = %v, want [4 3]", nums)
		}
		if diff := cmp.Diff([]person{carol}, scan(t, s, 3)); diff != "" {
			t.Errorf("version 3 (-want +got):\n%s", diff)
		}
		if err := s.Scan(ctx, people.Name, 1, func(records.Row) error { return nil }); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Scan of a dropped version = %v, want NotFound", err)
		}
		if err := s.Retain(ctx, people.Name, 1); err != nil {
			t.Fatalf("Retain: %v", err)
		}
		if diff := cmp.Diff([]person{dave}, scan(t, s, 0)); diff != "" {
			t.Errorf("current after Retain(1) (-want +got):\n%s", diff)
		}
		// DuckDB keeps the files of versions 3 and 4; PostgreSQL the table
		// of generation 3.
		want := 2
		if strings.HasSuffix(t.Name(), "/postgres") {
			want = 1
		}
		if got := records.StorageUnits(ctx, s, people.Name); got != want {
			t.Errorf("storage units after Retain(1) = %d, want %d", got, want)
		}
	})
}

func TestEnsureDatasetValidates(t *testing.T) {
	each(t, func(t *testing.T, s records.Store, _ func() records.Store) {
		bad := records.DatasetSpec{Name: "x y", Columns: []records.Column{{Name: "A", Type: "blob"}}}
		err := s.EnsureDataset(context.Background(), bad)
		if !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("EnsureDataset(bad) = %v, want Invalid", err)
		}
		if e := apperr.As(err); len(e.Fields) != 3 {
			t.Errorf("field errors = %v, want 3", e.Fields)
		}
	})
}

func TestManyRowsAcrossRowGroups(t *testing.T) {
	each(t, func(t *testing.T, s records.Store, _ func() records.Store) {
		ctx := context.Background()
		s.EnsureDataset(ctx, people)
		w, err := s.BeginVersion(ctx, people.Name, records.Full, records.Load{ID: "big"})
		if err != nil {
			t.Fatal(err)
		}
		const n = 300_000
		rows := make([]person, 0, 10000)
		for i := range n {
			rows = append(rows, person{ID: fmt.Sprintf("K%07d", i), Name: "名" + fmt.Sprint(i%100), N: int64(i), Birth: "2001-01-01"})
			if len(rows) == cap(rows) {
				if err := w.WriteBatch(ctx, batch(rows...)); err != nil {
					t.Fatal(err)
				}
				rows = rows[:0]
			}
		}
		v, err := w.Commit(ctx)
		if err != nil || v.Rows != n {
			t.Fatalf("Commit = %+v, %v; want %d rows", v, err, n)
		}
		var sum, count int64
		s.Scan(ctx, people.Name, 0, func(r records.Row) error {
			sum += r.Values[3].(int64)
			count++
			return nil
		})
		if count != n || sum != n*(n-1)/2 {
			t.Errorf("scan: %d rows, sum %d; want %d, %d", count, sum, n, n*(n-1)/2)
		}
		v = load(t, s, records.Incremental, "small", []person{{ID: "K0000005", N: -5}}, "K0299999")
		if v.Rows != n-1 || v.Removed != 2 {
			t.Errorf("incremental over many rows = %+v, want %d rows, 2 removed", v, n-1)
		}
	})
}

package aggregate_test

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/gen"
	"github.com/pubdata/pubdata/internal/records"
)

// TestPullSourcesIncremental pulls 人口基本信息 from a PostgreSQL and a
// MariaDB table by a watermark column: the first pull moves every row, an
// immediate rerun moves none, a second pull moves only the changed rows;
// the watermark is stored with each load and resumed.
func TestPullSourcesIncremental(t *testing.T) {
	for _, db := range []struct{ name, driver, sqlDriver, env string }{
		{"postgres", "postgres", "pgx", "PUBDATA_TEST_POSTGRES"},
		{"mysql", "mysql", "mysql", "PUBDATA_TEST_MYSQL"},
	} {
		t.Run(db.name, func(t *testing.T) {
			dsn := os.Getenv(db.env)
			if dsn == "" {
				t.Skipf("%s is not set", db.env)
			}
			src, err := sql.Open(db.sqlDriver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			table := fmt.Sprintf("people_%d", time.Now().UnixNano())
			exec := func(q string, args ...any) {
				t.Helper()
				if db.driver == "postgres" {
					q = pgPlaceholders(q)
				}
				if _, err := src.Exec(q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec("CREATE TABLE " + table + " (gmsfhm VARCHAR(18) PRIMARY KEY, xm VARCHAR(50), xb VARCHAR(1), csrq VARCHAR(10), wm BIGINT)")
			t.Cleanup(func() { src.Exec("DROP TABLE " + table) })
			var data bytes.Buffer
			if _, err := gen.Population(&data, nil, gen.PopulationOptions{Rows: 300, Seed: 3, Encoding: "utf-8"}); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(&data).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range recs[1:] {
				exec("INSERT INTO "+table+" VALUES (?, ?, ?, ?, ?)", r[0], r[1], r[2], r[3], i+1)
			}

			a := apptest.Open(t, "", nil)
			apptest.Seed(t, a)
			res := population(t, a)
			ctx := apptest.As(t, a, "a.editor")
			ps, err := a.Aggregate.CreatePullSource(ctx, res.ID, aggregate.PullSourceInput{Name: "户籍库", Kind: aggregate.SourceDB,
				Mode: records.Incremental, DB: &aggregate.DBConfig{Driver: db.driver, DSN: dsn, Table: table, Watermark: "wm"}})
			if err != nil {
				t.Fatalf("CreatePullSource: %v", err)
			}
			if ps.DB.DSN != "" || len(ps.Schema) != 5 {
				t.Errorf("source = %+v: the DSN must not be shown; want 5 captured columns", ps)
			}
			run := func(want int64) *aggregate.Load {
				t.Helper()
				l, err := a.Aggregate.RunPullSource(ctx, ps.ID)
				if err != nil {
					t.Fatalf("RunPullSource: %v", err)
				}
				l = wait(t, ctx, a.Aggregate, l.ID)
				if l.State != aggregate.Succeeded || l.RowsRead != want || l.RowsRejected != 0 {
					t.Fatalf("pull = %s %+v: read %d rejected %d, want %d read", l.State, l.Error, l.RowsRead, l.RowsRejected, want)
				}
				return l
			}
			run(300)
			got, err := a.Aggregate.PullSourceOf(ctx, ps.ID)
			if err != nil || got.Watermark != "300" {
				t.Errorf("watermark after the first pull = %q, %v; want 300", got.Watermark, err)
			}
			run(0) // nothing changed: nothing moves
			exec("UPDATE "+table+" SET xm = ?, wm = wm + 1000 WHERE wm IN (5, 6, 7)", "李四")
			run(3)
			d, err := a.Aggregate.Dataset(ctx, res.ID)
			if err != nil || d.Current.Rows != 300 || d.Current.Number != 3 {
				t.Errorf("dataset = %+v, %v; want 300 rows in version 3", d.Current, err)
			}
			// Another organisation sees neither the source nor its data.
			if _, err := a.Aggregate.PullSourceOf(apptest.As(t, a, "b.editor"), ps.ID); apperr.KindOf(err) != apperr.NotFound {
				t.Errorf("PullSourceOf by another organisation = %v, want not found", err)
			}

			// Logical aggregation: the same table read at the source, now.
			lg, err := a.Aggregate.CreatePullSource(ctx, res.ID, aggregate.PullSourceInput{Name: "户籍库（逻辑接入）", Kind: aggregate.SourceDB,
				Logical: true, DB: &aggregate.DBConfig{Driver: db.driver, DSN: dsn, Table: table, Watermark: "wm"}})
			if err != nil {
				t.Fatalf("CreatePullSource(logical): %v", err)
			}
			page, err := a.Aggregate.LogicalRows(ctx, lg.ID, 5, 0)
			if err != nil || len(page.Rows) != 5 || page.Rows[0][0] != recs[1][0] {
				t.Errorf("LogicalRows = %+v, %v", page, err)
			}
			if _, err := a.Aggregate.RunPullSource(ctx, lg.ID); apperr.KindOf(err) != apperr.Conflict {
				t.Errorf("RunPullSource(logical) = %v, want conflict", err)
			}
			// A source that cannot be reached is refused when registered.
			_, err = a.Aggregate.CreatePullSource(ctx, res.ID, aggregate.PullSourceInput{Name: "x", Kind: aggregate.SourceDB,
				DB: &aggregate.DBConfig{Driver: db.driver, DSN: dsn, Table: "no_such_table_x"}})
			if apperr.KindOf(err) != apperr.Invalid {
				t.Errorf("CreatePullSource(no such table) = %v, want invalid", err)
			}
		})
	}
}

// pgPlaceholders turns ? into $1, $2 ...
func pgPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestScheduledPull: a source scheduled by cron is pulled by the runner
// when the (injected) clock passes its next run, and moved to the run
// after.
func TestScheduledPull(t *testing.T) {
	dsn := os.Getenv("PUBDATA_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("PUBDATA_TEST_POSTGRES is not set")
	}
	src, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	table := fmt.Sprintf("people_sched_%d", time.Now().UnixNano())
	if _, err := src.Exec("CREATE TABLE " + table + " (gmsfhm VARCHAR(18) PRIMARY KEY, xm VARCHAR(50), xb VARCHAR(1), csrq VARCHAR(10))"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Exec("DROP TABLE " + table) })
	var data bytes.Buffer
	if _, err := gen.Population(&data, nil, gen.PopulationOptions{Rows: 50, Seed: 4, Encoding: "utf-8"}); err != nil {
		t.Fatal(err)
	}
	recs, _ := csv.NewReader(&data).ReadAll()
	for _, r := range recs[1:] {
		if _, err := src.Exec("INSERT INTO "+table+" VALUES ($1, $2, $3, $4)", r[0], r[1], r[2], r[3]); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	clock := time.Date(2026, 11, 27, 1, 0, 0, 0, time.FixedZone("CST", 8*3600))
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	a := apptest.Open(t, "", now)
	apptest.Seed(t, a)
	res := population(t, a)
	ctx := apptest.As(t, a, "a.editor")
	ps, err := a.Aggregate.CreatePullSource(ctx, res.ID, aggregate.PullSourceInput{Name: "每日全量", Kind: aggregate.SourceDB,
		Schedule: "0 2 * * *", DB: &aggregate.DBConfig{Driver: "postgres", DSN: dsn, Table: table}})
	if err != nil {
		t.Fatalf("CreatePullSource: %v", err)
	}
	if ps.NextRunAt == nil || !ps.NextRunAt.Equal(clock.Add(time.Hour)) {
		t.Fatalf("next run = %v, want 02:00", ps.NextRunAt)
	}
	time.Sleep(200 * time.Millisecond) // the runner ticks; nothing is due
	if _, total, _ := a.Aggregate.List(ctx, aggregate.LoadFilter{ResourceID: res.ID}); total != 0 {
		t.Fatalf("%d loads before the schedule fired", total)
	}
	mu.Lock()
	clock = clock.Add(61 * time.Minute)
	mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		items, _, _ := a.Aggregate.List(ctx, aggregate.LoadFilter{ResourceID: res.ID, State: aggregate.Succeeded})
		if len(items) == 1 {
			if items[0].RowsRead != 50 || items[0].SubmittedBy != "system" {
				t.Errorf("scheduled load = %+v", items[0])
			}
			got, _ := a.Aggregate.PullSourceOf(ctx, ps.ID)
			if want := time.Date(2026, 11, 28, 2, 0, 0, 0, time.FixedZone("CST", 8*3600)); got.NextRunAt == nil || !got.NextRunAt.Equal(want) {
				t.Errorf("next run after firing = %v, want %v", got.NextRunAt, want)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the scheduled pull did not run")
}

// TestHTTPPull pulls 人口基本信息 from a paged JSON API; a later pull that
// finds no records leaves the dataset as it is.
func TestHTTPPull(t *testing.T) {
	var data bytes.Buffer
	if _, err := gen.Population(&data, nil, gen.PopulationOptions{Rows: 120, Seed: 5, Encoding: "utf-8"}); err != nil {
		t.Fatal(err)
	}
	recs, _ := csv.NewReader(&data).ReadAll()
	var people []map[string]string
	for _, r := range recs[1:] {
		people = append(people, map[string]string{"gmsfhm": r[0], "xm": r[1], "xb": r[2], "csrq": r[3]})
	}
	var mu sync.Mutex
	empty := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "k-123" {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("size"))
		mu.Lock()
		list := people
		if empty {
			list = nil
		}
		mu.Unlock()
		from, to := min((page-1)*size, len(list)), min(page*size, len(list))
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"list": list[from:to]}})
	}))
	defer srv.Close()

	a := apptest.Open(t, "", nil)
	apptest.Seed(t, a)
	res := population(t, a)
	ctx := apptest.As(t, a, "a.editor")
	ps, err := a.Aggregate.CreatePullSource(ctx, res.ID, aggregate.PullSourceInput{Name: "人口接口", Kind: aggregate.SourceHTTP,
		HTTP: &aggregate.HTTPConfig{URL: srv.URL + "/people", Records: "data.list", Headers: map[string]string{"X-Api-Key": "k-123"},
			Paging: aggregate.PagingConfig{Kind: "page", Param: "page", Size: 50, SizeParam: "size"}}})
	if err != nil {
		t.Fatalf("CreatePullSource: %v", err)
	}
	if ps.HTTP.Headers != nil {
		t.Errorf("the source shows its headers: %v", ps.HTTP.Headers)
	}
	l, err := a.Aggregate.RunPullSource(ctx, ps.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l = wait(t, ctx, a.Aggregate, l.ID); l.State != aggregate.Succeeded || l.RowsRead != 120 || l.Version != 1 {
		t.Fatalf("pull = %s %+v: read %d, version %d", l.State, l.Error, l.RowsRead, l.Version)
	}
	mu.Lock()
	empty = true
	mu.Unlock()
	if l, err = a.Aggregate.RunPullSource(ctx, ps.ID); err != nil {
		t.Fatal(err)
	}
	if l = wait(t, ctx, a.Aggregate, l.ID); l.State != aggregate.Succeeded || l.RowsRead != 0 || l.Version != 1 {
		t.Errorf("empty pull = %s %+v: read %d, version %d; want succeeded, nothing read, version 1 kept", l.State, l.Error, l.RowsRead, l.Version)
	}
	if d, err := a.Aggregate.Dataset(ctx, res.ID); err != nil || d.Current.Rows != 120 {
		t.Errorf("dataset after the empty pull = %+v, %v", d.Current, err)
	}
}

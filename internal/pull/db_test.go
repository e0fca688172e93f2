package pull

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testDB is a database the pull tests run against, with the column types
// of each watermark kind.
type testDB struct {
	driver, dsn string
	db          *sql.DB // for setting up tables, outside any pull
	kinds       []wmKind
	types       typeRow // the column types and cells of TestPull*/values
}

// wmKind is a watermark column type and its n-th value, as SQL literals
// that increase with n by the smallest step the type can tell apart.
type wmKind struct {
	name, sqlType string
	value         func(n int) string
}

var (
	// Integers past 2^53, where comparing as float64 would lose a step.
	intKind = func(typ string) wmKind {
		return wmKind{"int", typ, func(n int) string { return fmt.Sprint(int64(1)<<53 + int64(n)) }}
	}
	// Timestamps a microsecond apart.
	tsKind = func(name, typ string) wmKind {
		return wmKind{name, typ, func(n int) string {
			return fmt.Sprintf("'2024-01-01 00:00:00.%06d'", n)
		}}
	}
	textKind = func(typ string) wmKind {
		return wmKind{"text", typ, func(n int) string { return fmt.Sprintf("'v%05d'", n) }}
	}
)

func TestPullPostgres(t *testing.T) {
	dsn := os.Getenv("PUBDATA_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("PUBDATA_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	runDBTests(t, &testDB{driver: "postgres", dsn: dsn,
		kinds: []wmKind{intKind("BIGINT"), tsKind("timestamp", "TIMESTAMP(6)"), tsKind("timestamptz", "TIMESTAMPTZ"), textKind("VARCHAR(40)")},
		types: pgTypes,
	})
}

func TestPullMySQL(t *testing.T) {
	dsn := os.Getenv("PUBDATA_TEST_MYSQL")
	if dsn == "" {
		t.Skip("PUBDATA_TEST_MYSQL is not set (e.g. root@tcp(127.0.0.1:3306)/test)")
	}
	runDBTests(t, &testDB{driver: "mysql", dsn: dsn,
		kinds: []wmKind{intKind("BIGINT"), tsKind("timestamp", "DATETIME(6)"), textKind("VARCHAR(40)")},
		types: mysqlTypes,
	})
}

func runDBTests(t *testing.T, tdb *testDB) {
	d, _ := dialectOf(tdb.driver)
	db, err := DBSource{Driver: tdb.driver, DSN: tdb.dsn}.open(d)
	if err != nil {
		t.Fatalf("open %s: %v", tdb.driver, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Ping(); err != nil {
		t.Fatalf("connect to %s: %v", tdb.driver, err)
	}
	tdb.db = db
	for _, k := range tdb.kinds {
		t.Run("incremental/"+k.name, func(t *testing.T) { testIncremental(t, tdb, k) })
	}
	t.Run("full", func(t *testing.T) { testFull(t, tdb) })
	t.Run("query", func(t *testing.T) { testQuery(t, tdb) })
	t.Run("values", func(t *testing.T) { testValues(t, tdb) })
	t.Run("errors", func(t *testing.T) { testErrors(t, tdb) })
	t.Run("cancel", func(t *testing.T) { testCancel(t, tdb) })
	t.Run("load", func(t *testing.T) { testLoad(t, tdb) })
	t.Run("logical", func(t *testing.T) { testLogical(t, tdb) })
}

// testLogical reads a source at request time: its schema, and pages in
// watermark order.
func testLogical(t *testing.T, tdb *testDB) {
	tbl := tdb.table(t, "id INT PRIMARY KEY, name VARCHAR(40), wm INT")
	tdb.exec(t, "INSERT INTO "+tbl+" VALUES (1, 'a', 30), (2, 'b', 10), (3, NULL, 20)")
	src := DBSource{Driver: tdb.driver, DSN: tdb.dsn, Table: tbl, Watermark: "wm"}
	cols, err := src.Schema(context.Background())
	if err != nil {
		t.Fatalf("Schema: %v", err)
	}
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	if !cmp.Equal(names, []string{"id", "name", "wm"}) || cols[0].Type == "" {
		t.Errorf("schema = %+v", cols)
	}
	page, err := src.Read(context.Background(), 2, 1)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if want := [][]string{{"3", "", "20"}, {"1", "a", "30"}}; !cmp.Equal(page.Rows, want) {
		t.Errorf("page = %v, want %v", page.Rows, want)
	}
	// Read only: a query that writes is refused before it reaches the source.
	bad := DBSource{Driver: tdb.driver, DSN: tdb.dsn, Query: "DELETE FROM " + tbl}
	if _, err := bad.Read(context.Background(), 1, 0); err == nil {
		t.Errorf("Read of a DELETE succeeded")
	}
}

// table creates a uniquely named table, dropped when the test ends.
func (tdb *testDB) table(t *testing.T, columns string) string {
	t.Helper()
	name := fmt.Sprintf("pull_test_%d", time.Now().UnixNano())
	tdb.exec(t, "CREATE TABLE "+name+" ("+columns+")")
	t.Cleanup(func() {
		if _, err := tdb.db.Exec("DROP TABLE " + name); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return name
}

func (tdb *testDB) exec(t *testing.T, query string) {
	t.Helper()
	if _, err := tdb.db.Exec(query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// pulled is what one pull yielded.
type pulled struct {
	header    []string
	rows      [][]string
	watermark string
}

// pull runs a pull to its end.
func pull(t *testing.T, src DBSource, last string) pulled {
	t.Helper()
	p, err := src.Open(context.Background(), last)
	if err != nil {
		t.Fatalf("Open(%q): %v", last, err)
	}
	defer p.Close()
	return readPull(t, p)
}

func readPull(t *testing.T, p *DBPull) pulled {
	t.Helper()
	if _, err := p.Watermark(); err == nil {
		t.Errorf("Watermark before the rows were read: no error")
	}
	recs, err := csv.NewReader(p.Source.R).ReadAll()
	if err != nil {
		t.Fatalf("read the pulled CSV: %v", err)
	}
	if len(recs) == 0 {
		t.Fatalf("the pulled CSV has no header")
	}
	wm, err := p.Watermark()
	if err != nil {
		t.Fatalf("Watermark: %v", err)
	}
	return pulled{header: recs[0], rows: recs[1:], watermark: wm}
}

// column returns column i of rows.
func column(rows [][]string, i int) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r[i])
	}
	return out
}

func testIncremental(t *testing.T, tdb *testDB, k wmKind) {
	tbl := tdb.table(t, "id INT PRIMARY KEY, name VARCHAR(40), wm "+k.sqlType+" NOT NULL")
	var values []string
	for i := 1; i <= 10; i++ {
		values = append(values, fmt.Sprintf("(%d, 'name %d', %s)", i, i, k.value(i)))
	}
	tdb.exec(t, "INSERT INTO "+tbl+" VALUES "+strings.Join(values, ", "))
	src := DBSource{Driver: tdb.driver, DSN: tdb.dsn, Table: tbl, Watermark: "wm"}

	// The first pull takes every row, in watermark order.
	first := pull(t, src, "")
	if diff := cmp.Diff([]string{"id", "name", "wm"}, first.header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(strings.Fields("1 2 3 4 5 6 7 8 9 10"), column(first.rows, 0)); diff != "" {
		t.Fatalf("ids of the first pull (-want +got):\n%s", diff)
	}
	if want := first.rows[9][2]; first.watermark != want {
		t.Errorf("watermark of the first pull = %q, want the last row's %q", first.watermark, want)
	}

	// An immediate rerun moves nothing and keeps the watermark.
	again := pull(t, src, first.watermark)
	if len(again.rows) != 0 || again.watermark != first.watermark || len(again.header) != 3 {
		t.Errorf("rerun = %d rows, header %v, watermark %q; want none, the header, %q", len(again.rows), again.header, again.watermark, first.watermark)
	}

	// Rows updated a step past the watermark move, and only they.
	tdb.exec(t, "UPDATE "+tbl+" SET name = 'seven', wm = "+k.value(12)+" WHERE id = 7")
	tdb.exec(t, "UPDATE "+tbl+" SET wm = "+k.value(11)+" WHERE id = 3")
	second := pull(t, src, first.watermark)
	if diff := cmp.Diff([][]string{{"3", "name 3"}, {"7", "seven"}}, [][]string{second.rows[0][:2], second.rows[1][:2]}); diff != "" || len(second.rows) != 2 {
		t.Errorf("second pull rows = %v (-want +got):\n%s", second.rows, diff)
	}
	if want := second.rows[len(second.rows)-1][2]; second.watermark != want {
		t.Errorf("watermark of the second pull = %q, want %q", second.watermark, want)
	}

	// A row committed while a pull streams, past its upper bound, is left
	// to the next pull.
	tdb.exec(t, "UPDATE "+tbl+" SET wm = "+k.value(13)+" WHERE id = 2")
	p, err := src.Open(context.Background(), second.watermark)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	tdb.exec(t, "INSERT INTO "+tbl+" VALUES (11, 'late', "+k.value(14)+")")
	third := readPull(t, p)
	p.Close()
	if diff := cmp.Diff([]string{"2"}, column(third.rows, 0)); diff != "" {
		t.Errorf("ids of the pull during an insert (-want +got):\n%s", diff)
	}
	fourth := pull(t, src, third.watermark)
	if diff := cmp.Diff([]string{"11"}, column(fourth.rows, 0)); diff != "" {
		t.Errorf("ids of the pull after it (-want +got):\n%s", diff)
	}
	if again := pull(t, src, fourth.watermark); len(again.rows) != 0 {
		t.Errorf("last rerun moved %v", again.rows)
	}
	// Passing no watermark pulls everything again.
	if all := pull(t, src, ""); len(all.rows) != 11 || all.watermark != fourth.watermark {
		t.Errorf("pull from scratch = %d rows, watermark %q; want 11, %q", len(all.rows), all.watermark, fourth.watermark)
	}
}

func testFull(t *testing.T, tdb *testDB) {
	tbl := tdb.table(t, "id INT PRIMARY KEY, name VARCHAR(40)")
	src := DBSource{Driver: tdb.driver, DSN: tdb.dsn, Table: tbl}
	if got := pull(t, src, ""); len(got.rows) != 0 || len(got.header) != 2 || got.watermark != "" {
		t.Errorf("full pull of an empty table = %+v, want the header alone", got)
	}
	tdb.exec(t, "INSERT INTO "+tbl+" VALUES (1, 'a'), (2, 'b')")
	for range 2 { // every full pull reads every row
		if got := pull(t, src, ""); len(got.rows) != 2 || got.watermark != "" {
			t.Errorf("full pull = %+v, want 2 rows and no watermark", got)
		}
	}
	// An empty table with a watermark column: the header alone, and the
	// watermark passed in.
	wt := tdb.table(t, "id INT PRIMARY KEY, wm INT")
	wsrc := DBSource{Driver: tdb.driver, DSN: tdb.dsn, Table: wt, Watermark: "WM"} // the column in another case
	for _, last := range []string{"", "5"} {
		if got := pull(t, wsrc, last); len(got.rows) != 0 || len(got.header) != 2 || got.watermark != last {
			t.Errorf("pull(%q) of an empty table = %+v, want the header alone and watermark %q", last, got, last)
		}
	}
}

func testQuery(t *testing.T, tdb *testDB) {
	tbl := tdb.table(t, "id INT PRIMARY KEY, name VARCHAR(40), wm INT")
	tdb.exec(t, "INSERT INTO "+tbl+" VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30), (4, 'd', 40)")
	src := DBSource{Driver: tdb.driver, DSN: tdb.dsn, Watermark: "wm",
		Query: "  select id AS code, upper(name) AS label, wm from " + tbl + " where id <> 3;\n"}
	got := pull(t, src, "10")
	want := pulled{header: []string{"code", "label", "wm"}, rows: [][]string{{"2", "B", "20"}, {"4", "D", "40"}}, watermark: "40"}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(pulled{})); diff != "" {
		t.Errorf("query pull (-want +got):\n%s", diff)
	}
}

// typeRow is a table of many column types, one row of values, and the
// cells they should become.
type typeRow struct {
	columns, values string
	want            []string
}

var pgTypes = typeRow{
	columns: "i INT, n NUMERIC(12,2), r REAL, f DOUBLE PRECISION, b BOOLEAN, d DATE, ts TIMESTAMP(6), tz TIMESTAMPTZ, t TEXT, bin BYTEA, nul TEXT",
	values:  "1, 12.30, 0.1, 2.5, true, '2024-02-29', '2024-02-29 13:14:15.5', '2024-02-29 13:14:15+08:00', '中文, \"quoted\"', 'bytes', NULL",
	want: []string{"1", "12.30", "0.1", "2.5", "true", "2024-02-29", "2024-02-29 13:14:15.5",
		time.Date(2024, 2, 29, 5, 14, 15, 0, time.UTC).Local().Format(timestampTZLayout), "中文, \"quoted\"", "bytes", ""},
}

var mysqlTypes = typeRow{
	columns: "i INT, n DECIMAL(12,2), r FLOAT, f DOUBLE, b BOOLEAN, d DATE, ts DATETIME(6), t TEXT, bin BLOB, nul TEXT",
	values:  "1, 12.30, 0.1, 2.5, true, '2024-02-29', '2024-02-29 13:14:15.5', '中文, \"quoted\"', 'bytes', NULL",
	want:    []string{"1", "12.30", "0.1", "2.5", "1", "2024-02-29", "2024-02-29 13:14:15.5", "中文, \"quoted\"", "bytes", ""},
}

func testValues(t *testing.T, tdb *testDB) {
	tbl := tdb.table(t, tdb.types.columns)
	tdb.exec(t, "INSERT INTO "+tbl+" VALUES ("+tdb.types.values+")")
	got := pull(t, DBSource{Driver: tdb.driver, DSN: tdb.dsn, Table: tbl}, "")
	if len(got.rows) != 1 {
		t.Fatalf("pulled %d rows, want 1", len(got.rows))
	}
	if diff := cmp.Diff(tdb.types.want, got.rows[0]); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
}

func testErrors(t *testing.T, tdb *testDB) {
	tbl := tdb.table(t, "id INT PRIMARY KEY, wm INT")
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		give DBSource
		last string
		want string
	}{
		{"no such table", DBSource{Table: "pull_no_such_table"}, "", "pull_no_such_table"},
		{"no such watermark column", DBSource{Table: tbl, Watermark: "updated_at"}, "", `no column "updated_at"`},
		{"watermark not an integer", DBSource{Table: tbl, Watermark: "wm"}, "abc", `"abc" is not an integer`},
		{"watermark without a column", DBSource{Table: tbl}, "5", "without a watermark column"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.give.Driver, tt.give.DSN = tdb.driver, tdb.dsn
			p, err := tt.give.Open(ctx, tt.last)
			if err == nil {
				p.Close()
				t.Fatalf("Open = nil error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func testCancel(t *testing.T, tdb *testDB) {
	tbl := tdb.table(t, "id INT PRIMARY KEY, name VARCHAR(200)")
	tdb.exec(t, "INSERT INTO "+tbl+" SELECT 1, 'x'")
	for i := 0; i < 15; i++ { // 2^15 rows, more than the pipe's buffers
		tdb.exec(t, "INSERT INTO "+tbl+" SELECT id + (SELECT max(id) FROM (SELECT id FROM "+tbl+") m), name FROM "+tbl)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, err := DBSource{Driver: tdb.driver, DSN: tdb.dsn, Table: tbl}.Open(ctx, "")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer p.Close()
	buf := make([]byte, 1024)
	if _, err := p.Source.R.Read(buf); err != nil {
		t.Fatalf("Read: %v", err)
	}
	cancel()
	var rerr error
	for rerr == nil {
		_, rerr = p.Source.R.Read(buf)
	}
	if !errors.Is(rerr, context.Canceled) {
		t.Errorf("Read after cancel = %v, want context.Canceled", rerr)
	}
	if _, err := p.Watermark(); err == nil {
		t.Errorf("Watermark of a cancelled pull: no error")
	}
	if err := p.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

package pull

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
)

// testLoad pulls a table through the real load engine into DuckDB,
// incrementally, storing the watermark between runs as a caller would.
func testLoad(t *testing.T, tdb *testDB) {
	ts := "TIMESTAMP(6)"
	if tdb.driver == "mysql" {
		ts = "DATETIME(6)"
	}
	tbl := tdb.table(t, "id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, born DATE, amount DECIMAL(12,2), updated_at "+ts+" NOT NULL")
	var values []string
	for i := 1; i <= 1000; i++ {
		born := fmt.Sprintf("'19%02d-%02d-%02d'", i%100, i%12+1, i%28+1)
		if i%10 == 0 {
			born = "NULL"
		}
		values = append(values, fmt.Sprintf("(%d, '名称%d', %s, %d.25, '2024-03-01 08:00:00.%06d')", i, i, born, i, i))
	}
	tdb.exec(t, "INSERT INTO "+tbl+" VALUES "+strings.Join(values, ", "))

	ctx := context.Background()
	store, err := records.OpenDuckDB(ctx, filepath.Join(t.TempDir(), "r.duckdb"))
	if err != nil {
		t.Fatalf("OpenDuckDB: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	spec := ingest.Spec{Dataset: "pulled", Columns: []quality.Column{
		{Name: "编号", Code: "ID", DataType: "I", PrimaryKey: true, Required: true},
		{Name: "名称", Code: "NAME", DataType: "C", Length: 40, Required: true},
		{Name: "出生日期", Code: "BORN", DataType: "D"},
		{Name: "金额", Code: "AMOUNT", DataType: "N", Length: 12},
		{Name: "更新时间", Code: "UPDATED_AT", DataType: "T", Required: true},
	}}
	if err := store.EnsureDataset(ctx, spec.DatasetSpec()); err != nil {
		t.Fatalf("EnsureDataset: %v", err)
	}
	src := DBSource{Driver: tdb.driver, DSN: tdb.dsn, Table: tbl, Watermark: "updated_at"}

	stored := "" // the watermark the caller keeps between loads
	load := func(wantRead, wantCount int64) {
		t.Helper()
		p, err := src.Open(ctx, stored)
		if err != nil {
			t.Fatalf("Open(%q): %v", stored, err)
		}
		defer p.Close()
		res, err := ingest.Load(ctx, store, spec, p.Source, ingest.Options{Mode: records.Incremental, QuarantineDir: t.TempDir()}, nil)
		if err != nil {
			t.Fatalf("Load after watermark %q: %v", stored, err)
		}
		if res.RowsRead != wantRead || res.RowsRejected != 0 {
			t.Errorf("Load after watermark %q: read %d, rejected %d (%v); want %d, 0", stored, res.RowsRead, res.RowsRejected, res.Rejections, wantRead)
		}
		n, err := store.Count(ctx, spec.Dataset, 0)
		if err != nil || n != wantCount {
			t.Errorf("Count = %d, %v; want %d", n, err, wantCount)
		}
		if stored, err = p.Watermark(); err != nil {
			t.Fatalf("Watermark: %v", err)
		}
	}
	load(1000, 1000)
	if stored != "2024-03-01 08:00:00.001" {
		t.Errorf("watermark after the first load = %q, want 2024-03-01 08:00:00.001", stored)
	}
	load(0, 1000)
	tdb.exec(t, "UPDATE "+tbl+" SET name = '改名', updated_at = '2024-03-02 09:00:00' WHERE id IN (3, 30, 300, 301, 999)")
	load(5, 1000)
	load(0, 1000)
	tdb.exec(t, "INSERT INTO "+tbl+" VALUES (1001, '新增', NULL, NULL, '2024-03-03 00:00:00')")
	load(1, 1001)
	if stored != "2024-03-03 00:00:00" {
		t.Errorf("watermark after the last load = %q, want 2024-03-03 00:00:00", stored)
	}

	renamed := 0
	err = store.Scan(ctx, spec.Dataset, 0, func(r records.Row) error {
		if r.Values[1] == "改名" {
			renamed++
		}
		return nil
	})
	if err != nil || renamed != 5 {
		t.Errorf("stored rows with the new name = %d, %v; want 5", renamed, err)
	}
}

package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestParquet loads a Parquet file written by DuckDB from a generated
// population file: the same rows are rejected as from the CSV, dates read
// as dates, and a source that is not a file is spooled.
func TestParquet(t *testing.T) {
	data, bad := generate(t, 5_000, 0.02, "utf-8")
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "p.csv")
	if err := os.WriteFile(csvPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	pq := filepath.Join(dir, "p.parquet")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	// Text columns, but 出生日期 as a DATE where it parses, as a provider's
	// Parquet export would type it.
	if _, err := db.Exec(`COPY (SELECT * REPLACE (TRY_CAST(出生日期 AS DATE) AS 出生日期) FROM read_csv(?, all_varchar = true, header = true))
		TO '`+pq+`' (FORMAT parquet)`, csvPath); err != nil {
		t.Fatalf("write parquet: %v", err)
	}
	db.Close()
	for _, spooled := range []bool{false, true} {
		t.Run("spooled="+strconv.FormatBool(spooled), func(t *testing.T) {
			src, closer, err := FileSource(pq)
			if err != nil {
				t.Fatal(err)
			}
			defer closer.Close()
			if spooled {
				b, _ := os.ReadFile(pq)
				src.R = bytes.NewReader(b)
			}
			res, err := Load(context.Background(), openDuck(t), populationSpec(), src, Options{QuarantineDir: t.TempDir()}, nil)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if res.Format != "parquet" || res.RowsRead != 5_000 || res.RowsAccepted+res.RowsRejected != res.RowsRead {
				t.Fatalf("format %s read %d accepted %d rejected %d", res.Format, res.RowsRead, res.RowsAccepted, res.RowsRejected)
			}
			_, q := quarantined(t, res.QuarantinePath)
			got := rowNumbers(q)
			// Impossible birth dates became NULL in the DATE column: the
			// row is still rejected (required / ID agreement).
			if !slices.Equal(got, bad) {
				t.Errorf("rejected %d rows, truth has %d", len(got), len(bad))
			}
		})
	}
}

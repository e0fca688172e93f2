package ingest

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// BenchmarkLoad loads a generated population CSV (PUBDATA_BENCH_ROWS
// rows, 1,000,000 by default; or the file PUBDATA_BENCH_FILE) into the
// DuckDB record store and reports rows/s, peak RSS and the ratio to
// DuckDB's own read_csv of the same file. With PUBDATA_TEST_POSTGRES set
// it loads into PostgreSQL as well.
func BenchmarkLoad(b *testing.B) {
	rows, _ := strconv.Atoi(os.Getenv("PUBDATA_BENCH_ROWS"))
	if rows == 0 {
		rows = 1_000_000
	}
	opts := BenchOptions{File: os.Getenv("PUBDATA_BENCH_FILE"), Rows: rows, ErrorRate: 0.02,
		Encoding: os.Getenv("PUBDATA_BENCH_ENCODING"), Dir: b.TempDir(), Postgres: os.Getenv("PUBDATA_TEST_POSTGRES"),
		NoRaw: os.Getenv("PUBDATA_BENCH_NORAW") != ""}
	for b.Loop() {
		res, err := BenchLoad(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.DuckDB.RowsPerSec, "rows/s")
		b.ReportMetric(float64(res.DuckDB.PeakRSS)/(1<<20), "peakRSS-MiB")
		b.ReportMetric(float64(res.Rows)/res.DuckDB.CPUSeconds, "rows/cpu-s")
		if res.Raw != nil && res.Raw.RowsPerSec > 0 {
			b.ReportMetric(res.Raw.RowsPerSec, "raw-rows/s")
			b.ReportMetric(res.Ratio, "ratio-to-raw")
		}
		if res.Postgres != nil {
			b.ReportMetric(res.Postgres.RowsPerSec, "pg-rows/s")
		}
		b.Logf("%+v", *res)
		if res.Raw != nil {
			b.Logf("raw: %+v", *res.Raw)
		}
		if res.Postgres != nil {
			b.Logf("postgres: %+v", *res.Postgres)
		}
	}
}

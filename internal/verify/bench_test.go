package verify

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// BenchmarkVerify compares two generated population datasets of
// PUBDATA_BENCH_ROWS rows each (1,000,000 by default) in the DuckDB record
// store, by the SQL method and by Store.Scan; with PUBDATA_BENCH_POSTGRES
// (a URL) set, in the PostgreSQL record store of that database instead.
// The store is built once and cached under PUBDATA_BENCH_DIR
// (os.TempDir()/pubdata-verify-bench), or in a schema of the database.
//
//	go test -run '^$' -bench BenchmarkVerify -benchtime 3x ./internal/verify/
func BenchmarkVerify(b *testing.B) {
	rows, _ := strconv.Atoi(os.Getenv("PUBDATA_BENCH_ROWS"))
	pg := os.Getenv("PUBDATA_BENCH_POSTGRES")
	methods := []string{MethodDuckDBSQL, MethodScan}
	if pg != "" {
		methods = []string{MethodPostgresSQL, MethodScan}
	}
	for _, m := range methods {
		b.Run(m, func(b *testing.B) {
			for b.Loop() {
				res, err := Bench(context.Background(), BenchOptions{Rows: rows, Dir: os.Getenv("PUBDATA_BENCH_DIR"), Method: m, Postgres: pg})
				if err != nil {
					b.Fatal(err)
				}
				if res.Report.ConflictingKeys != int64(res.TruthConflicts) {
					b.Fatalf("found %d conflicting keys, the generator injected %d", res.Report.ConflictingKeys, res.TruthConflicts)
				}
				b.ReportMetric(res.Seconds, "s/verify")
				b.ReportMetric(res.RowsPerSec, "rows/s")
				b.ReportMetric(res.CPUSeconds, "cpu-s")
				if res.LoadSeconds > 0 {
					b.Logf("generated and loaded 2 x %d rows in %.1f s", res.Rows, res.LoadSeconds)
				}
				b.Logf("%s: %d x %d rows, %d matched, %d conflicting keys, %.2f s (%.2f s CPU)", res.Method,
					res.Report.A.Rows, res.Report.B.Rows, res.Report.MatchedKeys, res.Report.ConflictingKeys, res.Seconds, res.CPUSeconds)
			}
		})
	}
}

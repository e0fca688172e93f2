package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/verify"
)

func benchVerifyCmd() *cobra.Command {
	var o verify.BenchOptions
	var methods string
	c := &cobra.Command{
		Use:   "verify",
		Short: "Compare two generated population datasets (sources 0 and 1) by the store's SQL path and by Store.Scan",
		Long: `Generates two population files of --rows rows (sources 0 and 1 of the
generator, --conflict-rate of source 1's rows differing in 姓名 or 户籍地址),
loads them into a DuckDB record store kept in --work for later runs (or,
with --postgres, into the PostgreSQL record store in a schema of that
database kept for later runs), and times the multi-source verification of
公民身份号码 on 姓名, 出生日期 and 户籍地址 by each method. Each run must
find exactly the conflicts the generator injected.`,
		RunE: func(c *cobra.Command, _ []string) error {
			store, sqlMethod := "DuckDB", verify.MethodDuckDBSQL
			if o.Postgres != "" {
				store, sqlMethod = "PostgreSQL", verify.MethodPostgresSQL
			}
			if methods == "" {
				methods = sqlMethod + "," + verify.MethodScan
			}
			fmt.Printf("## Verification benchmark (%s): %d x %d rows, keyed by 公民身份号码, on 姓名, 出生日期, 户籍地址\n\n", store, o.Rows, o.Rows)
			fmt.Printf("%s, %d CPUs, %s, %s, load average %s\n\n", runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.Version(),
				time.Now().Format(time.DateOnly), loadAverage())
			fmt.Println("| method | seconds | rows/s (both sides) | CPU s | PostgreSQL CPU s | matched keys | conflicting keys | injected | target |")
			fmt.Println("|---|---|---|---|---|---|---|---|---|")
			var notes []string
			seconds := map[string]float64{}
			for _, m := range strings.Split(methods, ",") {
				o.Method = strings.TrimSpace(m)
				res, err := verify.Bench(c.Context(), o)
				if err != nil {
					return fmt.Errorf("bench verify (%s): %w", o.Method, err)
				}
				if res.LoadSeconds > 0 {
					notes = append(notes, fmt.Sprintf("generated and loaded 2 x %d rows in %.1f s (cached in %s for later runs)",
						res.Rows, res.LoadSeconds, res.Store))
				}
				rep := res.Report
				target := ""
				if o.Rows == 1_000_000 {
					target = "<= 10 s"
				}
				server := "-"
				if o.Postgres != "" {
					server = fmt.Sprintf("%.2f", res.ServerCPUSeconds)
				}
				fmt.Printf("| %s | **%.2f** | %.0f | %.2f | %s | %d | %d | %d | %s |\n", res.Method, res.Seconds, res.RowsPerSec, res.CPUSeconds,
					server, rep.MatchedKeys, rep.ConflictingKeys, res.TruthConflicts, target)
				seconds[res.Method] = res.Seconds
				if rep.ConflictingKeys != int64(res.TruthConflicts) {
					return fmt.Errorf("bench verify (%s): found %d conflicting keys, the generator injected %d",
						res.Method, rep.ConflictingKeys, res.TruthConflicts)
				}
			}
			if sql, scan := seconds[sqlMethod], seconds[verify.MethodScan]; sql > 0 && scan > 0 {
				fmt.Printf("\nRatio scan/%s: **%.1f** (load average %s at the end)\n", sqlMethod, scan/sql, loadAverage())
			}
			if o.Postgres != "" {
				notes = append(notes, "PostgreSQL CPU s is the CPU time of all of this machine's postgres processes during the comparison, other clients' included")
			}
			for _, n := range notes {
				fmt.Printf("\nNote: %s\n", n)
			}
			return nil
		},
	}
	fl := c.Flags()
	fl.IntVar(&o.Rows, "rows", 1_000_000, "rows per side")
	fl.Float64Var(&o.ConflictRate, "conflict-rate", 0.01, "share of source 1's rows that disagree with source 0")
	fl.StringVar(&o.Dir, "work", "", "directory caching the generated files and the record store (default: $TMPDIR/pubdata-verify-bench)")
	fl.StringVar(&o.Postgres, "postgres", "", "use the PostgreSQL record store of the database at this URL (schema pubdata_verify_bench_..., kept for later runs)")
	fl.StringVar(&methods, "methods", "", "methods to time: duckdb_sql or postgres_sql, scan (default: the store's SQL method, then scan)")
	return c
}

// loadAverage is the 1-minute load average, "?" where /proc has none.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

package main

import (
	"fmt"
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
		Short: "Compare two generated population datasets (sources 0 and 1) by the DuckDB SQL path and by Store.Scan",
		Long: `Generates two population files of --rows rows (sources 0 and 1 of the
generator, --conflict-rate of source 1's rows differing in 姓名 or 户籍地址),
loads them into a DuckDB record store kept in --work for later runs, and
times the multi-source verification of 公民身份号码 on 姓名, 出生日期 and
户籍地址 by each method. Each run must find exactly the conflicts the
generator injected.`,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Printf("## Verification benchmark: %d x %d rows, keyed by 公民身份号码, on 姓名, 出生日期, 户籍地址\n\n", o.Rows, o.Rows)
			fmt.Printf("%s, %d CPUs, %s, %s\n\n", runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.Version(), time.Now().Format(time.DateOnly))
			fmt.Println("| method | seconds | rows/s (both sides) | CPU s | matched keys | conflicting keys | injected | target |")
			fmt.Println("|---|---|---|---|---|---|---|---|")
			var notes []string
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
				fmt.Printf("| %s | **%.2f** | %.0f | %.2f | %d | %d | %d | %s |\n", res.Method, res.Seconds, res.RowsPerSec, res.CPUSeconds,
					rep.MatchedKeys, rep.ConflictingKeys, res.TruthConflicts, target)
				if rep.ConflictingKeys != int64(res.TruthConflicts) {
					return fmt.Errorf("bench verify (%s): found %d conflicting keys, the generator injected %d",
						res.Method, rep.ConflictingKeys, res.TruthConflicts)
				}
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
	fl.StringVar(&methods, "methods", verify.MethodDuckDBSQL+","+verify.MethodScan, "methods to time: duckdb_sql, scan")
	return c
}

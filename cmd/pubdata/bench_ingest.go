package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/ingest"
)

func benchIngestCmd() *cobra.Command {
	var o ingest.BenchOptions
	var memTrace, cpuProfile string
	c := &cobra.Command{
		Use:   "ingest",
		Short: "Load a generated population file with the standard rules on, against DuckDB's own read_csv of the same file",
		RunE: func(c *cobra.Command, _ []string) error {
			if o.Dir == "" {
				d, err := os.MkdirTemp("", "pubdata-bench-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(d)
				o.Dir = d
			}
			if memTrace != "" {
				f, err := os.Create(memTrace)
				if err != nil {
					return err
				}
				defer f.Close()
				o.MemTrace = f
			}
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			res, err := ingest.BenchLoad(c.Context(), o)
			if err != nil {
				return err
			}
			mib := func(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
			fmt.Printf("## Aggregation benchmark: %d rows, 12 columns, %s, %.0f MiB\n\n", res.Rows, res.Encoding, float64(res.Bytes)/(1<<20))
			fmt.Printf("%s, %d CPUs, %s, %s\n\n", runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.Version(), time.Now().Format(time.DateOnly))
			fmt.Println("| run | seconds | rows/s | CPU s | peak RSS | rejected | target |")
			fmt.Println("|---|---|---|---|---|---|---|")
			row := func(name string, r *ingest.BenchRun, target string) {
				if r == nil || r.Seconds == 0 {
					return
				}
				fmt.Printf("| %s | %.1f | %.0f | %.1f | %s | %d | %s |\n", name, r.Seconds, r.RowsPerSec, r.CPUSeconds, mib(r.PeakRSS), r.Rejected, target)
			}
			row("pubdata → DuckDB, rules on", &res.DuckDB, ">= 1,000,000 rows/s, peak RSS <= 1 GiB")
			row("DuckDB read_csv → table, no rules (baseline)", res.Raw, "")
			row("pubdata → PostgreSQL, rules on", res.Postgres, ">= 300,000 rows/s")
			if res.Raw != nil && res.Raw.RowsPerSec > 0 {
				fmt.Printf("\nRatio pubdata/read_csv: **%.2f** (target >= 0.5)\n", res.Ratio)
			} else if res.Raw != nil {
				fmt.Printf("\nRatio pubdata/read_csv: n/a here; compare with read_csv of the UTF-8 file of the same rows (the run above)\n")
			}
			for _, r := range []*ingest.BenchRun{&res.DuckDB, res.Raw, res.Postgres} {
				if r != nil && r.Note != "" {
					fmt.Printf("\nNote: %s\n", r.Note)
				}
			}
			return nil
		},
	}
	fl := c.Flags()
	fl.IntVar(&o.Rows, "rows", 10_000_000, "rows to generate")
	fl.Float64Var(&o.ErrorRate, "error-rate", 0.02, "injected error rate")
	fl.StringVar(&o.Encoding, "encoding", "utf-8", "utf-8, gbk or gb18030")
	fl.StringVar(&o.File, "file", "", "load this file instead of generating one")
	fl.StringVar(&o.Dir, "work", "", "working directory (default: a temporary one)")
	fl.StringVar(&o.Postgres, "postgres", "", "also load into the PostgreSQL record store at this URL (a new schema)")
	fl.BoolVar(&o.NoRaw, "no-raw", false, "skip the read_csv baseline")
	fl.BoolVar(&o.NoDuckDB, "no-duckdb", false, "skip the DuckDB load and read_csv (with --postgres: that load alone)")
	fl.IntVar(&o.Workers, "workers", 0, "goroutines that parse and check rows (default GOMAXPROCS)")
	fl.IntVar(&o.Writers, "writers", 0, "goroutines that write to the store (default 2)")
	fl.IntVar(&o.MaxKeysInMemory, "max-keys", 0, "the duplicate checker's table budget in keys (default 12,000,000)")
	fl.IntVar(&o.KeyFilterBytes, "key-filter-bytes", 0, "the duplicate checker's filter budget in bytes (default 256 MiB)")
	fl.StringVar(&cpuProfile, "cpu-profile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	fl.StringVar(&memTrace, "mem-trace", "", "write a line a second of rows read and memory in MiB (anonymous, file-backed, Go heap, Go total, off-heap) to this file")
	return c
}

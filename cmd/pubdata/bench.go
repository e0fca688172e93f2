package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/catalogio"
)

func benchCmd() *cobra.Command {
	c := &cobra.Command{Use: "bench", Short: "Measure the product on this machine (used by make bench)"}
	c.AddCommand(benchCatalogCmd(), benchIngestCmd(), benchVerifyCmd())
	return c
}

// benchQueries are the 20 Chinese queries of the catalog benchmark.
var benchQueries = []string{
	"电子证照", "電子證照", "社保", "营业执照", "人口", "不动产", "公积金", "医保", "学籍", "企业信用",
	"行政处罚", "婚姻登记", "出生", "车辆", "税务登记", "环境监测", "食品安全", "养老", "就业", "身份证",
}

func benchCatalogCmd() *cobra.Command {
	var n, rounds int
	var postgres, formats, work, cpuProfile string
	c := &cobra.Command{
		Use:   "catalog",
		Short: "Import N entries (10 items each) from XLSX and JSON, search with 20 Chinese queries, reindex",
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			if work == "" {
				d, err := os.MkdirTemp("", "pubdata-bench-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(d)
				work = d
			}
			backend := "sqlite"
			if postgres != "" {
				backend = "postgresql"
			}
			fmt.Printf("## Catalog benchmark: %d entries, control store %s\n\n", n, backend)
			fmt.Printf("%s, %d CPUs, %s, %s\n\n", runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.Version(), time.Now().Format(time.DateOnly))
			fmt.Println("| measurement | value | target |")
			fmt.Println("|---|---|---|")
			for _, format := range strings.Split(formats, ",") {
				if err := benchImport(ctx, work, postgres, format, n, rounds, cpuProfile); err != nil {
					return err
				}
			}
			return nil
		},
	}
	c.Flags().IntVar(&n, "n", 100000, "entries")
	c.Flags().IntVar(&rounds, "rounds", 10, "times each query is run")
	c.Flags().StringVar(&postgres, "postgres", "", "PostgreSQL URL of an EMPTY database or schema (default: SQLite)")
	c.Flags().StringVar(&formats, "formats", "xlsx,json", "import formats to measure")
	c.Flags().StringVar(&work, "work", "", "working directory (default: a temporary one)")
	c.Flags().StringVar(&cpuProfile, "cpu-profile", "", "write a CPU profile of each import to this file, suffixed with the format (go tool pprof)")
	return c
}

func benchImport(ctx context.Context, work, postgres, format string, n, rounds int, cpuProfile string) error {
	if err := os.MkdirAll(work, 0o750); err != nil {
		return err
	}
	file := filepath.Join(work, fmt.Sprintf("catalog-%d.%s", n, format))
	if _, err := os.Stat(file); err != nil {
		f, err := os.Create(file)
		if err != nil {
			return err
		}
		var classes []string
		for _, cl := range catalog.DefaultClassifications {
			if len(cl.Code) == 6 {
				classes = append(classes, cl.Code)
			}
		}
		if err := catalogio.WriteSynthetic(f, format, n, 1, []string{"DSJ350000"}, classes); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	dir := filepath.Join(work, "node-"+format)
	os.RemoveAll(dir)
	if postgres != "" {
		// A fresh schema per format keeps the two runs independent.
		pg, cleanup, err := freshSchema(ctx, postgres, "bench_"+format)
		if err != nil {
			return err
		}
		defer cleanup()
		postgres = pg
	}
	a, err := app.Open(ctx, app.Config{DataDir: dir, Postgres: postgres, AdminPassword: "Bench-Admin-Pass-1",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.Identity.PrincipalOf(ctx, "admin")
	if err != nil {
		return err
	}
	actx := authz.WithPrincipal(ctx, p)
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if cpuProfile != "" {
		pf, err := os.Create(cpuProfile + "." + format)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
	}
	start := time.Now()
	rep, err := a.Transfer.Import(actx, f, format, catalog.ImportOptions{Reason: "benchmark"})
	el := time.Since(start)
	if cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	if rep.Imported != n {
		return fmt.Errorf("imported %d of %d (%d errors, first: %+v)", rep.Imported, n, len(rep.Errors), firstErr(rep.Errors))
	}
	fmt.Printf("| import %d entries from %s (incl. validation, store, index) | %.1f s = **%.0f entries/s** | >= 5,000/s |\n",
		n, strings.ToUpper(format), el.Seconds(), float64(n)/el.Seconds())

	var lat []time.Duration
	for r := 0; r < rounds; r++ {
		for _, q := range benchQueries {
			t0 := time.Now()
			if _, err := a.Catalog.List(actx, catalog.ListQuery{Text: q, Limit: 20}); err != nil {
				return err
			}
			lat = append(lat, time.Since(t0))
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	fmt.Printf("| search (%d queries x %d, page of 20, with facets), after %s import | p50 %.1f ms, **p95 %.1f ms**, p99 %.1f ms | p95 <= 20 ms |\n",
		len(benchQueries), rounds, strings.ToUpper(format), pct(0.5), pct(0.95), pct(0.99))

	start = time.Now()
	cnt, err := a.Catalog.Reindex(actx)
	if err != nil {
		return err
	}
	fmt.Printf("| full reindex of %d entries | **%.1f s** | <= 30 s |\n", cnt, time.Since(start).Seconds())
	return nil
}

func firstErr(es []catalog.RowError) any {
	if len(es) == 0 {
		return nil
	}
	return es[0]
}

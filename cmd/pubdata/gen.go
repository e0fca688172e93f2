package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/catalogio"
	"github.com/pubdata/pubdata/internal/gen"
)

func genCmd() *cobra.Command {
	c := &cobra.Command{Use: "gen", Short: "Generate realistic synthetic files for tests and benchmarks"}
	c.AddCommand(genCatalogCmd(), genPopulationCmd(), genLegalCmd(), genLicenceCmd())
	return c
}

func genCatalogCmd() *cobra.Command {
	var n int
	var seed int64
	var format, out, providers string
	c := &cobra.Command{
		Use:   "catalog",
		Short: "Write N catalog entries (10 data items each) in the import format",
		RunE: func(c *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("--out is required")
			}
			if format == "" {
				f, err := formatOfFile("", out)
				if err != nil {
					return err
				}
				format = f
			}
			var classes []string
			for _, cl := range catalog.DefaultClassifications {
				if len(cl.Code) == 6 {
					classes = append(classes, cl.Code)
				}
			}
			w, err := os.Create(out)
			if err != nil {
				return err
			}
			start := time.Now()
			if err := catalogio.WriteSynthetic(w, format, n, seed, strings.Split(providers, ","), classes); err != nil {
				w.Close()
				return err
			}
			if err := w.Close(); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "wrote %d entries to %s in %s\n", n, out, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	c.Flags().IntVar(&n, "n", 1000, "number of entries")
	c.Flags().Int64Var(&seed, "seed", 1, "random seed (same seed, same file)")
	c.Flags().StringVar(&format, "format", "", "xlsx, csv or json (default: from --out)")
	c.Flags().StringVarP(&out, "out", "o", "", "output file")
	c.Flags().StringVar(&providers, "providers", "DSJ350000", "comma-separated provider codes of existing organisations")
	return c
}

// genTabular wires one of internal/gen's generators to FILE and
// FILE.truth.csv.
func genTabular(use, short string, run func(w, truth io.Writer, o gen.Options, source int, conflict float64) (gen.Stats, error)) *cobra.Command {
	var o gen.Options
	var out, kinds string
	var source int
	var conflict float64
	c := &cobra.Command{
		Use:   use,
		Short: short,
		RunE: func(c *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("--out is required")
			}
			if kinds != "" {
				o.Kinds = strings.Split(kinds, ",")
			}
			start := time.Now()
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			tf, err := os.Create(out + ".truth.csv")
			if err != nil {
				f.Close()
				return err
			}
			bw, bt := bufio.NewWriterSize(f, 1<<20), bufio.NewWriterSize(tf, 64<<10)
			st, err := run(bw, bt, o, source, conflict)
			for _, e := range []error{err, bw.Flush(), bt.Flush(), f.Close(), tf.Close()} {
				if e != nil {
					return e
				}
			}
			el := time.Since(start)
			fmt.Fprintf(os.Stderr, "wrote %d rows (%d with injected errors %v, %d conflicts, %s) to %s and %s.truth.csv in %s (%.0f rows/s)\n",
				st.Rows, sum(st.Errors), st.Errors, sum(st.Conflicts), st.Encoding, out, out, el.Round(time.Millisecond), float64(st.Rows)/el.Seconds())
			return nil
		},
	}
	c.Flags().IntVar(&o.Rows, "rows", 1000, "data rows")
	c.Flags().Float64Var(&o.ErrorRate, "error-rate", 0, "share of rows with one injected error (0 to 1)")
	c.Flags().Uint64Var(&o.Seed, "seed", 1, "random seed (same seed, same bytes)")
	c.Flags().StringVar(&o.Encoding, "encoding", "utf-8", "utf-8, gbk or gb18030")
	c.Flags().StringVar(&kinds, "kinds", "", "comma-separated error kinds to inject (default: all row-level kinds)")
	c.Flags().StringVarP(&out, "out", "o", "", "output CSV file; the ground truth goes to FILE.truth.csv")
	if use == "population" {
		c.Flags().IntVar(&source, "source", 0, "provider number: >0 writes the same people with cross-source conflicts")
		c.Flags().Float64Var(&conflict, "conflict-rate", 0, "with --source > 0: share of valid rows whose 姓名 or 户籍地址 differ")
	}
	return c
}

func genPopulationCmd() *cobra.Command {
	return genTabular("population", "Write a population (人口基本信息) CSV with Chinese headers and its truth file",
		func(w, truth io.Writer, o gen.Options, source int, conflict float64) (gen.Stats, error) {
			return gen.Population(w, truth, gen.PopulationOptions{Rows: o.Rows, ErrorRate: o.ErrorRate, Seed: o.Seed,
				Encoding: o.Encoding, Kinds: o.Kinds, Source: source, ConflictRate: conflict})
		})
}

func genLegalCmd() *cobra.Command {
	return genTabular("legal", "Write a legal-person (法人基本信息) CSV and its truth file",
		func(w, truth io.Writer, o gen.Options, _ int, _ float64) (gen.Stats, error) {
			return gen.LegalPersons(w, truth, o)
		})
}

func genLicenceCmd() *cobra.Command {
	return genTabular("licence", "Write an e-licence (电子证照) CSV and its truth file",
		func(w, truth io.Writer, o gen.Options, _ int, _ float64) (gen.Stats, error) {
			return gen.Licences(w, truth, o)
		})
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

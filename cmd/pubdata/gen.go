package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/catalogio"
)

func genCmd() *cobra.Command {
	c := &cobra.Command{Use: "gen", Short: "Generate realistic synthetic files for tests and benchmarks"}
	c.AddCommand(genCatalogCmd())
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

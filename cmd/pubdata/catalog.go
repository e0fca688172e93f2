package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/catalogio"
)

func catalogCmd() *cobra.Command {
	c := &cobra.Command{Use: "catalog", Short: "Import, export, search and show catalog entries on a data directory"}
	c.AddCommand(catalogImportCmd(), catalogExportCmd(), catalogTemplateCmd(), catalogSearchCmd(), catalogShowCmd(), catalogReindexCmd())
	return c
}

// formatOfFile picks a format from --format or the file extension.
func formatOfFile(flag, name string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return "xlsx", nil
	case ".csv", ".txt":
		return "csv", nil
	case ".json":
		return "json", nil
	}
	return "", fmt.Errorf("cannot tell the format of %s: use --format xlsx|csv|json", name)
}

func catalogImportCmd() *cobra.Command {
	var o options
	var format string
	var opts catalog.ImportOptions
	c := &cobra.Command{
		Use:   "import FILE",
		Short: "Import entries from XLSX, CSV (UTF-8, GBK, GB18030) or JSON; all or nothing unless --partial",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			format, err := formatOfFile(format, args[0])
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			a, ctx, err := o.asUser(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			opts.Filename = filepath.Base(args[0])
			var bar *progressbar.ProgressBar
			stage := ""
			start := time.Now()
			rep, err := a.Transfer.ImportWithProgress(ctx, f, format, opts, func(st string, done, total int) {
				if st != stage || bar == nil {
					if bar != nil {
						bar.Finish()
					}
					stage = st
					bar = progressbar.NewOptions(total, progressbar.OptionSetDescription(st), progressbar.OptionSetWriter(os.Stderr),
						progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionThrottle(100*time.Millisecond))
				}
				bar.Set(done)
			})
			if bar != nil {
				bar.Finish()
				fmt.Fprintln(os.Stderr)
			}
			if err != nil {
				return err
			}
			for _, e := range rep.Errors {
				fmt.Fprintf(os.Stderr, "%s row %d %s: %s (%s)\n", e.Sheet, e.Row, e.Column, e.ZH, e.Message)
			}
			el := time.Since(start)
			fmt.Printf("rows %d, imported %d, rejected %d in %s (%.0f entries/s)\n", rep.Rows, rep.Imported, rep.Rejected,
				el.Round(time.Millisecond), float64(rep.Imported)/el.Seconds())
			if rep.RejectsFile != "" {
				fmt.Printf("rejected rows kept in %s\n", rep.RejectsFile)
			}
			if rep.Rejected > 0 && rep.Imported == 0 {
				return fmt.Errorf("%d invalid rows: nothing imported (use --partial to import the valid rows)", rep.Rejected)
			}
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "", "xlsx, csv or json (default: from the file extension)")
	c.Flags().BoolVar(&opts.Partial, "partial", false, "import the valid rows and write the invalid ones to a rejects file")
	c.Flags().StringVar(&opts.Encoding, "encoding", "", "CSV encoding: utf-8, gbk or gb18030 (default: detect)")
	c.Flags().StringVar(&opts.Reason, "reason", "", "reason recorded with the imported versions")
	o.nodeFlags(c)
	o.asFlag(c)
	return c
}

func outFile(path string) (io.WriteCloser, error) {
	if path == "" || path == "-" {
		return nopCloser{os.Stdout}, nil
	}
	return os.Create(path)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func catalogExportCmd() *cobra.Command {
	var o options
	var format, out, q string
	c := &cobra.Command{
		Use:   "export",
		Short: "Export entries (those the --as user may see) to XLSX, CSV or JSON",
		RunE: func(c *cobra.Command, _ []string) error {
			a, ctx, err := o.asUser(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			if format == "" {
				if format, err = formatOfFile("", out); err != nil {
					return err
				}
			}
			w, err := outFile(out)
			if err != nil {
				return err
			}
			bw := bufio.NewWriterSize(w, 1<<20)
			if err := a.Transfer.Export(ctx, bw, format, catalog.ListQuery{Text: q}); err != nil {
				w.Close()
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			return w.Close()
		},
	}
	c.Flags().StringVar(&format, "format", "", "xlsx, csv or json (default: from --out)")
	c.Flags().StringVarP(&out, "out", "o", "", "output file (- for stdout)")
	c.Flags().StringVar(&q, "q", "", "only entries matching this search")
	o.nodeFlags(c)
	o.asFlag(c)
	return c
}

func catalogTemplateCmd() *cobra.Command {
	var format, out string
	c := &cobra.Command{
		Use:   "template",
		Short: "Write the import template (XLSX with instructions and code tables, or CSV/JSON)",
		RunE: func(c *cobra.Command, _ []string) error {
			if format == "" {
				format = "xlsx"
				if out != "" {
					if f, err := formatOfFile("", out); err == nil {
						format = f
					}
				}
			}
			if out == "" {
				out = "catalog-template." + format
			}
			w, err := outFile(out)
			if err != nil {
				return err
			}
			if err := catalogio.WriteTemplate(w, format); err != nil {
				w.Close()
				return err
			}
			fmt.Fprintln(os.Stderr, "template written to", out)
			return w.Close()
		},
	}
	c.Flags().StringVar(&format, "format", "", "xlsx, csv or json")
	c.Flags().StringVarP(&out, "out", "o", "", "output file")
	return c
}

func catalogSearchCmd() *cobra.Command {
	var o options
	var lq catalog.ListQuery
	var filters []string
	c := &cobra.Command{
		Use:   "search [TEXT]",
		Short: "Search the catalog (Chinese full text, simplified or traditional)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			a, ctx, err := o.asUser(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			if len(args) == 1 {
				lq.Text = args[0]
			}
			lq.Filters = map[string][]string{}
			for _, f := range filters {
				k, v, ok := strings.Cut(f, "=")
				if !ok {
					return fmt.Errorf("--filter %q: want FIELD=VALUE", f)
				}
				lq.Filters[k] = append(lq.Filters[k], v)
			}
			start := time.Now()
			res, err := a.Catalog.List(ctx, lq)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tNAME\tPROVIDER\tSTATUS\tLEVEL")
			for _, r := range res.Items {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Code, r.Name, r.OrgName, r.Status, r.Level)
			}
			tw.Flush()
			fmt.Fprintf(os.Stderr, "%d of %d in %s\n", len(res.Items), res.Total, time.Since(start).Round(time.Microsecond))
			return nil
		},
	}
	c.Flags().IntVar(&lq.Limit, "limit", 20, "results per page")
	c.Flags().IntVar(&lq.Offset, "offset", 0, "skip this many results")
	c.Flags().StringArrayVar(&filters, "filter", nil, "facet filter FIELD=VALUE (org, region, classification, library, level, share, open, cycle, status); repeatable")
	o.nodeFlags(c)
	o.asFlag(c)
	return c
}

func catalogShowCmd() *cobra.Command {
	var o options
	var history bool
	c := &cobra.Command{
		Use:   "show ID|CODE",
		Short: "Show one entry as JSON (with --history, its versions)",
		Args:  cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			a, ctx, err := o.asUser(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			var r *catalog.Resource
			if strings.Contains(args[0], "/") {
				r, err = a.Catalog.GetByCode(ctx, args[0])
			} else {
				r, err = a.Catalog.Get(ctx, args[0])
			}
			if err != nil {
				return err
			}
			out := any(r)
			if history {
				h, err := a.Catalog.History(ctx, r.ID)
				if err != nil {
					return err
				}
				out = map[string]any{"resource": r, "history": h}
			}
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(out)
		},
	}
	c.Flags().BoolVar(&history, "history", false, "include the version history")
	o.nodeFlags(c)
	o.asFlag(c)
	return c
}

func catalogReindexCmd() *cobra.Command {
	var o options
	c := &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the control store",
		RunE: func(c *cobra.Command, _ []string) error {
			a, ctx, err := o.asUser(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			start := time.Now()
			n, err := a.Catalog.Reindex(ctx)
			if err != nil {
				return err
			}
			fmt.Printf("indexed %d entries in %s\n", n, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	o.nodeFlags(c)
	o.asFlag(c)
	return c
}

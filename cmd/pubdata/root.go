package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/app"
)

// options are the flags every command that opens a node shares.
type options struct {
	addr     string
	data     string
	postgres string
	role     string
	region   string
	as       string
	// records opens the record store (DuckDB admits one process, so only
	// the commands that load or serve data open it).
	records         bool
	recordsPostgres string
}

func run(ctx context.Context, args []string) error {
	root := &cobra.Command{
		Use:           "pubdata",
		Short:         "pubdata: the integrated public data platform (一体化公共数据平台)",
		SilenceUsage:  true,
		SilenceErrors: false,
	}
	root.SetArgs(args)
	root.AddCommand(serveCmd(), demoCmd(), migrateCmd(), userCmd(), catalogCmd(), genCmd(), benchCmd(), ingestCmd())
	return root.ExecuteContext(ctx)
}

func (o *options) nodeFlags(c *cobra.Command) {
	c.Flags().StringVar(&o.data, "data", envOr("PUBDATA_DATA", "./data"), "data directory (SQLite control store, search index, files)")
	c.Flags().StringVar(&o.postgres, "postgres", os.Getenv("PUBDATA_POSTGRES"), "PostgreSQL URL for the control store (default: SQLite in --data)")
	c.Flags().StringVar(&o.role, "role", envOr("PUBDATA_ROLE", "province"), "node role: province, city, department or exchange")
	c.Flags().StringVar(&o.region, "region", envOr("PUBDATA_REGION", "350000"), "GB/T 2260 code of the region this node serves")
}

// recordFlags are the flags of commands that open the record store.
func (o *options) recordFlags(c *cobra.Command) {
	o.records = true
	c.Flags().StringVar(&o.recordsPostgres, "records-postgres", os.Getenv("PUBDATA_RECORDS_POSTGRES"),
		"PostgreSQL URL for the record store (default: DuckDB in --data)")
}

func (o *options) open(ctx context.Context) (*app.App, error) {
	a, err := app.Open(ctx, app.Config{DataDir: o.data, Postgres: o.postgres, Role: o.role, Region: o.region,
		AdminPassword: os.Getenv("PUBDATA_ADMIN_PASSWORD"), Log: logger(), NoRecordStore: !o.records, RecordsPostgres: o.recordsPostgres})
	if err != nil {
		return nil, err
	}
	if a.GeneratedAdminPassword != "" {
		// Shown once: it is stored only as a hash.
		os.Stderr.WriteString("\n  user admin created with password: " + a.GeneratedAdminPassword + "\n  (shown once; set PUBDATA_ADMIN_PASSWORD to choose it)\n\n")
	}
	return a, nil
}

func logger() *slog.Logger {
	level := slog.LevelInfo
	if os.Getenv("PUBDATA_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

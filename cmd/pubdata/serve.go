package main

import (
	"fmt"
	"net"
	"os"

	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/demo"
)

func serveCmd() *cobra.Command {
	var o options
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run a node: the API, the portal and background work",
		RunE: func(c *cobra.Command, _ []string) error {
			a, err := o.open(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			return listenAndServe(c, a, o.addr)
		},
	}
	c.Flags().StringVar(&o.addr, "addr", envOr("PUBDATA_ADDR", "127.0.0.1:8080"), "listen address HOST:PORT")
	o.nodeFlags(c)
	o.recordFlags(c)
	return c
}

func demoCmd() *cobra.Command {
	var o options
	var n int
	c := &cobra.Command{
		Use:   "demo",
		Short: "Seed a demo Fujian province (nodes, 40+ departments, 1,000+ resources) and serve it",
		RunE: func(c *cobra.Command, _ []string) error {
			a, err := o.open(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			sum, err := demo.Seed(c.Context(), a.Identity, a.Catalog, a.DB, demo.Options{Resources: n})
			if err != nil {
				return fmt.Errorf("seed demo: %w", err)
			}
			if err := demo.SeedData(c.Context(), a.Identity, a.Aggregate, a.DB); err != nil {
				return fmt.Errorf("seed demo data: %w", err)
			}
			fmt.Fprintf(os.Stderr, "demo province ready: %+v\n  demo users: <org>.editor / <org>.reviewer / <org>.admin, auditor, security, consumer; password %s\n",
				*sum, demo.DefaultPassword)
			return listenAndServe(c, a, o.addr)
		},
	}
	c.Flags().StringVar(&o.addr, "addr", envOr("PUBDATA_ADDR", "127.0.0.1:8080"), "listen address HOST:PORT")
	c.Flags().IntVar(&n, "resources", 1200, "number of demo resources")
	o.nodeFlags(c)
	o.recordFlags(c)
	return c
}

func listenAndServe(c *cobra.Command, a *app.App, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "pubdata serving on http://%s\n", ln.Addr())
	return a.Serve(c.Context(), ln)
}

func migrateCmd() *cobra.Command {
	var o options
	c := &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the control store schema, then exit",
		RunE: func(c *cobra.Command, _ []string) error {
			a, err := o.open(c.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			fmt.Println("control store is up to date")
			return nil
		},
	}
	o.nodeFlags(c)
	return c
}

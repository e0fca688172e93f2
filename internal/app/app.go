// Package app wires pubdata together: it opens the stores, builds the
// services and serves the edges. cmd/pubdata and the end-to-end tests both
// start this one value.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/api"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/catalogio"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/lineage"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/search"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/uscc"
	"github.com/pubdata/pubdata/internal/verify"
	"github.com/pubdata/pubdata/internal/web"
)

// Config is what a node needs to start.
type Config struct {
	DataDir       string // SQLite file, search index, blobs
	Postgres      string // PostgreSQL URL for the control store; "" = SQLite in DataDir
	Role          string // node role: province | city | department | exchange
	Region        string // GB/T 2260 code of the region this node serves
	AdminPassword string // for user admin; "" = generate one on first start
	Log           *slog.Logger
	Now           func() time.Time
	Argon2        *identity.Argon2Params // nil = production cost
	// RecordsPostgres is a PostgreSQL URL for the record store; "" =
	// DuckDB in DataDir (records.duckdb).
	RecordsPostgres string
	// NoRecordStore leaves the record store closed: commands that only
	// touch the catalog or users, so they can run beside a serving node
	// (DuckDB admits one process).
	NoRecordStore bool
	// Aggregation tunes the load runner (see aggregate.Config); Dir is set
	// to DataDir.
	Aggregation aggregate.Config
	// EscalateEvery is how often the serving node escalates overdue
	// rectification tickets (hourly when 0; never when negative, for tests
	// that escalate by hand), starting at StartJobs.
	EscalateEvery time.Duration
}

// App is one running node.
type App struct {
	cfg      Config
	DB       *store.DB
	Index    *search.Index
	Identity *identity.Service
	Catalog  *catalog.Service
	Transfer *catalogio.Transfer
	// Records and Aggregate are nil when Config.NoRecordStore is set.
	Records   records.Store
	Aggregate *aggregate.Service
	// Governance: multi-source verification (nil without the record
	// store), rectification tickets and the relationship graph.
	Verify  *verify.Service
	Rectify *rectify.Service
	Lineage *lineage.Service
	// GeneratedAdminPassword is set when Open created user admin with a
	// generated password; print it once.
	GeneratedAdminPassword string

	platform   platform   // who raises the platform's tickets
	escalation escalation // the periodic escalation pass
}

// Open opens (creating if needed) a node's stores and services.
func Open(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Role == "" {
		cfg.Role = identity.RoleProvince
	}
	if cfg.Region == "" {
		cfg.Region = "350000"
	}
	if cfg.DataDir == "" {
		return nil, errors.New("a data directory is required")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	dsn := cfg.Postgres
	if dsn == "" {
		dsn = filepath.Join(cfg.DataDir, "control.db")
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, DB: db}
	if err := a.init(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) init(ctx context.Context) error {
	cfg := a.cfg
	var idOpts []identity.Option
	idOpts = append(idOpts, identity.WithClock(cfg.Now))
	if cfg.Argon2 != nil {
		idOpts = append(idOpts, identity.WithArgon2(*cfg.Argon2))
	}
	a.Identity = identity.New(a.DB, cfg.Log, idOpts...)
	ix, err := search.Open(filepath.Join(a.cfg.DataDir, "search"))
	if err != nil {
		return fmt.Errorf("open search index: %w", err)
	}
	a.Index = ix
	a.Catalog = catalog.New(a.DB, ix, cfg.Log, cfg.Now)
	a.Transfer = catalogio.New(a.Catalog, a.DB, cfg.DataDir, cfg.Log)
	if err := a.bootstrap(ctx); err != nil {
		return err
	}
	if err := a.Catalog.LoadReference(ctx); err != nil {
		return err
	}
	if err := a.Catalog.EnsureIndex(ctx); err != nil {
		return err
	}
	if !cfg.NoRecordStore {
		if err := a.openRecords(ctx); err != nil {
			return err
		}
	}
	if err := a.initGovernance(ctx); err != nil {
		return err
	}
	if cfg.NoRecordStore {
		return nil
	}
	acfg := cfg.Aggregation
	acfg.Dir = cfg.DataDir
	acfg.OnSucceeded = a.chainLoadHook(acfg.OnSucceeded)
	a.Aggregate = aggregate.New(a.DB, a.Catalog, a.Records, acfg, cfg.Log, cfg.Now)
	return nil
}

// openRecords opens the record store: PostgreSQL when configured, else
// DuckDB in the data directory.
func (a *App) openRecords(ctx context.Context) error {
	if a.cfg.RecordsPostgres != "" {
		pg, err := records.OpenPostgres(ctx, a.cfg.RecordsPostgres)
		if err != nil {
			return fmt.Errorf("open the record store: %w", err)
		}
		a.Records = pg
		return nil
	}
	path := filepath.Join(a.cfg.DataDir, "records.duckdb")
	duck, err := records.OpenDuckDB(ctx, path)
	if err != nil {
		if strings.Contains(err.Error(), "lock") {
			return fmt.Errorf("open the record store %s: another pubdata process has it open (stop it, or talk to it with --server): %w", path, err)
		}
		return fmt.Errorf("open the record store %s: %w", path, err)
	}
	a.Records = duck
	return nil
}

// StartJobs starts the background work: the escalation of overdue
// rectification tickets and the load runner.
func (a *App) StartJobs(ctx context.Context) error {
	a.startEscalation(ctx)
	if a.Aggregate == nil {
		return nil
	}
	return a.Aggregate.Start(ctx)
}

// bootstrap makes a new node usable: its region, itself, the organisation
// operating the platform, user admin, and the default reference data.
func (a *App) bootstrap(ctx context.Context) error {
	cfg := a.cfg
	if _, err := a.Identity.LocalNode(ctx); err == nil {
		_, err := a.Identity.EnsureAdmin(ctx, "", cfg.AdminPassword)
		return err
	}
	for _, r := range RegionsFor(cfg.Region) {
		if err := a.Identity.PutRegion(ctx, r); err != nil {
			return err
		}
	}
	node := identity.Node{ID: "node-" + cfg.Region, Role: cfg.Role, RegionCode: cfg.Region, Name: regionName(cfg.Region) + "公共数据平台", Local: true}
	if err := a.Identity.PutNode(ctx, node); err != nil {
		return err
	}
	rnd := rand.New(rand.NewPCG(uint64(len(cfg.Region)), 2024))
	org, err := a.Identity.SeedOrg(ctx, identity.Organisation{NodeID: node.ID, Name: regionName(cfg.Region) + "大数据管理局",
		NameEN: "Big Data Administration", ProviderCode: "DSJ" + cfg.Region, USCC: uscc.Generate(rnd, cfg.Region),
		Kind: "authority", RegionCode: cfg.Region, Duties: "统筹公共数据资源管理、平台运营和目录审核"})
	if err != nil {
		return fmt.Errorf("bootstrap organisation: %w", err)
	}
	gen, err := a.Identity.EnsureAdmin(ctx, org.ID, cfg.AdminPassword)
	if err != nil {
		return fmt.Errorf("bootstrap admin: %w", err)
	}
	a.GeneratedAdminPassword = gen
	if err := a.Catalog.SeedClassifications(ctx, catalog.DefaultClassifications...); err != nil {
		return err
	}
	return a.Catalog.SeedElements(ctx, catalog.DefaultElements...)
}

// Handler is the whole HTTP surface: health, API, portal.
func (a *App) Handler() http.Handler {
	apiSrv := &api.Server{Identity: a.Identity, Catalog: a.Catalog, Transfer: a.Transfer, Aggregate: a.Aggregate,
		Verify: a.Verify, Rectify: a.Rectify, Lineage: a.Lineage, DB: a.DB, Log: a.cfg.Log}
	portal := web.New(web.Deps{Identity: a.Identity, Catalog: a.Catalog, Transfer: a.Transfer, Aggregate: a.Aggregate,
		Rectify: a.Rectify, Verify: a.Verify, Lineage: a.Lineage, Log: a.cfg.Log, Now: a.cfg.Now})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := a.DB.Ping(r.Context()); err != nil {
			http.Error(w, "control store unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("/api/", apiSrv.Handler())
	mux.Handle("/", portal)
	return securityHeaders(mux)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
		}
		next.ServeHTTP(w, r)
	})
}

// Serve serves on ln until ctx ends, then shuts down gracefully.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if err := a.StartJobs(ctx); err != nil {
		return err
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(a.cfg.Log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	<-errc
	return nil
}

// Close releases the stores.
func (a *App) Close() error {
	var errs []error
	a.stopEscalation()
	if a.Aggregate != nil {
		a.Aggregate.Stop()
	}
	if a.Records != nil {
		errs = append(errs, a.Records.Close())
	}
	if a.Index != nil {
		errs = append(errs, a.Index.Close())
	}
	if a.DB != nil {
		errs = append(errs, a.DB.Close())
	}
	return errors.Join(errs...)
}

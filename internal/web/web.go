// Package web is the service portal (服务门户): server-rendered HTML pages
// over the catalog services, in simplified Chinese by default and English
// on request. Pages work as plain forms and full page loads; when htmx is
// present (copied from npm at build time by scripts/assets.sh), inline
// validation and facet clicks become partial updates. The relationship
// graph is drawn by ECharts (also from npm) in static/lineage.js, from a
// same-origin JSON route: the content security policy admits no inline
// script.
//
// Like the JSON API, the portal is an edge: it parses, authenticates,
// checks the route-level right, calls one service and renders. The
// services enforce every rule again.
package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/lineage"
	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/verify"
)

// Transfer is the catalog file import the portal offers (internal/catalogio).
type Transfer interface {
	Import(ctx context.Context, r io.Reader, format string, opts catalog.ImportOptions) (*catalog.ImportReport, error)
	Template(w io.Writer, format string) error
}

// Deps are the services the portal calls.
type Deps struct {
	Identity *identity.Service
	Catalog  *catalog.Service
	Transfer Transfer
	// Aggregate loads data into structured resources; nil on a node
	// without a record store, which then offers no data pages.
	Aggregate *aggregate.Service
	// Governance: rectification tickets, multi-source verification (nil
	// without a record store, which then offers no verification pages)
	// and the relationship graph.
	Rectify *rectify.Service
	Verify  *verify.Service
	Lineage *lineage.Service
	Log     *slog.Logger
	// Now is the clock working-day deadlines are counted on (time.Now
	// when nil).
	Now func() time.Time
}

// portal serves the pages.
type portal struct {
	Deps
	assets *assets
	views  *views
}

// New returns the portal handler, to be mounted at "/".
func New(d Deps) http.Handler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	a := loadAssets()
	p := &portal{Deps: d, assets: a, views: loadViews(a)}
	return p.routes()
}

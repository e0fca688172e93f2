// Package web is the service portal (服务门户): server-rendered HTML pages
// over the catalog services, in simplified Chinese by default and English
// on request. Pages work as plain forms and full page loads; when htmx is
// present (copied from npm at build time by scripts/assets.sh), inline
// validation and facet clicks become partial updates.
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

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/identity"
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
	Log       *slog.Logger
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
	a := loadAssets()
	p := &portal{Deps: d, assets: a, views: loadViews(a)}
	return p.routes()
}

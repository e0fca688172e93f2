package web

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/authz"
)

// route is one page or form target. A route is public, or names the
// actions of which the caller needs at least one somewhere (the
// route-level gate; pages check the object and services check again).
type route struct {
	pattern string
	public  bool
	need    []authz.Action
	maxBody int64 // POST body limit; 0 = defaultMaxBody
	// streamed routes read their multipart body as a stream and check
	// the CSRF token themselves (readStreamedForm), so that wrap does not
	// parse the form and spool an upload before the handler sees it.
	streamed bool
	handle   func(w http.ResponseWriter, r *http.Request) error
}

const (
	defaultMaxBody = 4 << 20
	importMaxBody  = 256 << 20
	// loadMaxBody is the aggregation service's default upload limit; the
	// upload handler applies the service's own (aggregate.Config.MaxUpload).
	loadMaxBody = 64 << 30
)

// routes is the portal's whole route table.
func (p *portal) routes() http.Handler {
	review := []authz.Action{authz.CatalogReviewOrg, authz.CatalogReviewPlat}
	transition := []authz.Action{authz.CatalogWrite, authz.CatalogReviewOrg, authz.CatalogReviewPlat, authz.CatalogRetire}
	read := []authz.Action{authz.CatalogRead}
	write := []authz.Action{authz.CatalogWrite}
	report := []authz.Action{authz.ReportRead}
	loadRead := []authz.Action{authz.LoadRead}
	ticketRead := []authz.Action{authz.RectifyRead}
	// Who may move a ticket: the provider's staff (handle), the raiser's
	// organisation (verify) and the raiser, who may raise.
	ticketMove := []authz.Action{authz.RectifyHandle, authz.RectifyVerify, authz.RectifyRaise}
	verifyRead := []authz.Action{authz.VerifyRead}
	lineageRead := []authz.Action{authz.LineageRead}
	table := []route{
		{pattern: "GET /static/{file...}", public: true, handle: p.assets.serve},
		{pattern: "GET /lang/{lang}", public: true, handle: p.setLang},
		{pattern: "GET /login", public: true, handle: p.loginForm},
		{pattern: "POST /login", public: true, handle: p.login},
		{pattern: "POST /logout", need: []authz.Action{authz.SelfRead}, handle: p.logout},

		{pattern: "GET /{$}", need: read, handle: p.catalogSearch},
		{pattern: "GET /catalog", need: read, handle: p.catalogSearch},
		{pattern: "GET /catalog/new", need: write, handle: p.resourceNew},
		{pattern: "POST /catalog/new", need: write, handle: p.resourceCreate},
		{pattern: "POST /catalog/validate", need: write, handle: p.resourceValidate},
		{pattern: "GET /catalog/{id}", need: read, handle: p.resourceShow},
		{pattern: "GET /catalog/{id}/edit", need: write, handle: p.resourceEdit},
		{pattern: "POST /catalog/{id}/edit", need: write, handle: p.resourceUpdate},
		{pattern: "POST /catalog/{id}/transition", need: transition, handle: p.resourceTransition},
		{pattern: "GET /catalog/{id}/versions/{n}", need: read, handle: p.versionShow},
		{pattern: "POST /catalog/{id}/loads", need: []authz.Action{authz.LoadSubmit}, maxBody: loadMaxBody, streamed: true, handle: p.loadSubmit},
		{pattern: "POST /catalog/{id}/tickets", need: []authz.Action{authz.RectifyRaise}, handle: p.ticketRaise},

		{pattern: "GET /loads", need: loadRead, handle: p.loadList},
		{pattern: "GET /loads/{id}", need: loadRead, handle: p.loadShow},
		{pattern: "GET /loads/{id}/rejects.csv", need: loadRead, handle: p.loadRejectsCSV},
		{pattern: "GET /loads/{id}/rejects.xlsx", need: loadRead, handle: p.loadRejectsXLSX},

		{pattern: "GET /tickets", need: ticketRead, handle: p.ticketList},
		{pattern: "GET /tickets/{id}", need: ticketRead, handle: p.ticketShow},
		{pattern: "POST /tickets/{id}/transition", need: ticketMove, handle: p.ticketTransition},
		{pattern: "GET /reports/rectification", need: ticketRead, handle: p.rectificationReport},

		{pattern: "GET /verifications", need: verifyRead, handle: p.verificationList},
		{pattern: "POST /verifications", need: []authz.Action{authz.VerifyRun}, handle: p.verificationRun},
		{pattern: "GET /verifications/{id}", need: verifyRead, handle: p.verificationShow},

		{pattern: "GET /lineage", need: lineageRead, handle: p.lineagePage},
		{pattern: "GET /lineage/graph.json", need: lineageRead, handle: p.lineageGraph},

		{pattern: "GET /review", need: review, handle: p.reviewQueue},
		{pattern: "GET /overdue", need: report, handle: p.overdue},
		{pattern: "GET /conformance", need: report, handle: p.conformance},
		{pattern: "GET /import", need: write, handle: p.importForm},
		{pattern: "POST /import", need: write, maxBody: importMaxBody, handle: p.importFile},
		{pattern: "GET /import/template.xlsx", need: write, handle: p.importTemplate},

		// Anything else is not found, after authentication, so that probing
		// paths without a session learns nothing.
		{pattern: "/", need: []authz.Action{authz.SelfRead}, handle: p.notFound},
	}
	mux := http.NewServeMux()
	for _, rt := range table {
		mux.Handle(rt.pattern, p.wrap(rt))
	}
	return mux
}

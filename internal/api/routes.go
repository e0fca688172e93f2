package api

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/authz"
)

// Route is one API endpoint: its pattern, the action a caller needs to
// reach it at all (object-level checks happen in the services), and its
// handler.
type Route struct {
	Method  string
	Path    string
	Action  authz.Action // required unless Public
	Public  bool
	Summary string
	handle  func(http.ResponseWriter, *http.Request) error
}

// Routes is the whole API, in one table.
func (s *Server) Routes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/auth/login", Public: true, Summary: "Log in; returns a bearer token", handle: s.login},
		{Method: "POST", Path: "/api/v1/auth/logout", Action: authz.SelfRead, Summary: "End the current token", handle: s.logout},
		{Method: "GET", Path: "/api/v1/auth/me", Action: authz.SelfRead, Summary: "The caller's identity and roles", handle: s.me},
		{Method: "GET", Path: "/api/v1/openapi.json", Action: authz.SelfRead, Summary: "This API's OpenAPI 3.1 document", handle: s.openapi},

		{Method: "GET", Path: "/api/v1/regions", Action: authz.ReferenceRead, Summary: "GB/T 2260 regions", handle: s.listRegions},
		{Method: "GET", Path: "/api/v1/nodes", Action: authz.ReferenceRead, Summary: "Platform nodes", handle: s.listNodes},
		{Method: "GET", Path: "/api/v1/classifications", Action: authz.ReferenceRead, Summary: "Classification tree", handle: s.listClassifications},
		{Method: "POST", Path: "/api/v1/classifications", Action: authz.CatalogReviewPlat, Summary: "Add or rename a classification", handle: s.putClassification},
		{Method: "GET", Path: "/api/v1/elements", Action: authz.ReferenceRead, Summary: "Standard data elements", handle: s.listElements},
		{Method: "POST", Path: "/api/v1/elements", Action: authz.CatalogReviewPlat, Summary: "Add or change a standard data element", handle: s.putElement},
		{Method: "GET", Path: "/api/v1/codes", Action: authz.ReferenceRead, Summary: "Code tables of the metadata standard", handle: s.codes},
		{Method: "GET", Path: "/api/v1/calendar", Action: authz.ReferenceRead, Summary: "Working-day calendar: overrides and a date check", handle: s.calendar},
		{Method: "POST", Path: "/api/v1/calendar/days", Action: authz.CalendarManage, Summary: "Add a holiday or make-up workday", handle: s.putCalendarDay},

		{Method: "GET", Path: "/api/v1/organisations", Action: authz.OrgRead, Summary: "List organisations", handle: s.listOrgs},
		{Method: "POST", Path: "/api/v1/organisations", Action: authz.OrgManage, Summary: "Register an organisation", handle: s.createOrg},
		{Method: "GET", Path: "/api/v1/organisations/{id}", Action: authz.OrgRead, Summary: "One organisation", handle: s.getOrg},
		{Method: "GET", Path: "/api/v1/users", Action: authz.UserRead, Summary: "List users", handle: s.listUsers},
		{Method: "POST", Path: "/api/v1/users", Action: authz.UserManage, Summary: "Create a user", handle: s.createUser},
		{Method: "PUT", Path: "/api/v1/users/{id}/roles", Action: authz.UserManage, Summary: "Replace a user's roles", handle: s.setRoles},
		{Method: "PUT", Path: "/api/v1/users/{id}/password", Action: authz.SelfRead, Summary: "Change a password (own, or as administrator)", handle: s.setPassword},

		{Method: "GET", Path: "/api/v1/resources", Action: authz.CatalogRead, Summary: "Search the catalog", handle: s.listResources},
		{Method: "POST", Path: "/api/v1/resources", Action: authz.CatalogWrite, Summary: "Register a resource (draft)", handle: s.createResource},
		{Method: "POST", Path: "/api/v1/resources/validate", Action: authz.CatalogRead, Summary: "Check an entry without saving it", handle: s.validateResource},
		{Method: "GET", Path: "/api/v1/resources/{id}", Action: authz.CatalogRead, Summary: "One resource", handle: s.getResource},
		{Method: "PUT", Path: "/api/v1/resources/{id}", Action: authz.CatalogWrite, Summary: "Edit a resource (a new version)", handle: s.updateResource},
		{Method: "POST", Path: "/api/v1/resources/{id}/transitions", Action: authz.CatalogRead, Summary: "Submit, review, publish or retire", handle: s.transition},
		{Method: "GET", Path: "/api/v1/resources/{id}/versions", Action: authz.CatalogRead, Summary: "Version history with diffs", handle: s.history},
		{Method: "GET", Path: "/api/v1/resources/{id}/versions/{version}", Action: authz.CatalogRead, Summary: "One past version", handle: s.version},

		{Method: "GET", Path: "/api/v1/resources/{id}/rules", Action: authz.CatalogRead, Summary: "Quality rules the resource adds to its items' own", handle: s.getRules},
		{Method: "PUT", Path: "/api/v1/resources/{id}/rules", Action: authz.CatalogWrite, Summary: "Replace the resource's quality rules", handle: s.putRules},
		{Method: "POST", Path: "/api/v1/resources/{id}/loads", Action: authz.LoadSubmit, Summary: "Load a file into the resource's dataset (202: queued)", handle: s.submitLoad},
		{Method: "POST", Path: "/api/v1/resources/{id}/push", Action: authz.LoadSubmit, Summary: "Push a JSON or NDJSON batch (idempotent by key)", handle: s.pushBatch},
		{Method: "GET", Path: "/api/v1/resources/{id}/dataset", Action: authz.LoadRead, Summary: "The resource's dataset: columns and versions", handle: s.getDataset},
		{Method: "GET", Path: "/api/v1/resources/{id}/dataset/rows", Action: authz.RecordsRead, Summary: "A page of the dataset's rows", handle: s.datasetRows},
		{Method: "POST", Path: "/api/v1/resources/{id}/dataset/check", Action: authz.RecordsRead, Summary: "Run the dataset rules (unique, reference) over the current version", handle: s.checkDataset},
		{Method: "GET", Path: "/api/v1/resources/{id}/dataset/provenance", Action: authz.RecordsRead, Summary: "Where each stored row of a key came from", handle: s.datasetProvenance},
		{Method: "GET", Path: "/api/v1/resources/{id}/quality", Action: authz.LoadRead, Summary: "Quality scores of the dataset's versions", handle: s.resourceQuality},
		{Method: "GET", Path: "/api/v1/resources/{id}/pulls", Action: authz.LoadRead, Summary: "The resource's database and HTTP pull sources", handle: s.listPullSources},
		{Method: "POST", Path: "/api/v1/resources/{id}/pulls", Action: authz.LoadSubmit, Summary: "Register a database or HTTP pull source", handle: s.createPullSource},
		{Method: "GET", Path: "/api/v1/pulls/{id}", Action: authz.LoadRead, Summary: "One pull source (credentials never shown)", handle: s.getPullSource},
		{Method: "POST", Path: "/api/v1/pulls/{id}/run", Action: authz.LoadSubmit, Summary: "Pull now (202: a queued load)", handle: s.runPullSource},
		{Method: "POST", Path: "/api/v1/pulls/{id}/disable", Action: authz.LoadSubmit, Summary: "Stop a pull source's schedule and runs", handle: s.disablePullSource},
		{Method: "GET", Path: "/api/v1/pulls/{id}/rows", Action: authz.RecordsRead, Summary: "Read a logical source's rows at the source", handle: s.logicalRows},
		{Method: "GET", Path: "/api/v1/loads", Action: authz.LoadRead, Summary: "Load jobs, newest first", handle: s.listLoads},
		{Method: "GET", Path: "/api/v1/loads/{id}", Action: authz.LoadRead, Summary: "One load with live progress", handle: s.getLoad},
		{Method: "GET", Path: "/api/v1/loads/{id}/rejects", Action: authz.LoadRead, Summary: "A load's rejected rows with their reasons (CSV or XLSX)", handle: s.loadRejects},

		{Method: "GET", Path: "/api/v1/sources", Action: authz.CatalogRead, Summary: "Authoritative sources (one data, one source)", handle: s.listSources},
		{Method: "POST", Path: "/api/v1/sources", Action: authz.SourceDeclare, Summary: "Declare an authoritative source", handle: s.declareSource},
		{Method: "POST", Path: "/api/v1/sources/transfer", Action: authz.SourceTransfer, Summary: "Transfer an authoritative source", handle: s.transferSource},

		{Method: "GET", Path: "/api/v1/events", Action: authz.ReportRead, Summary: "Update events and their 10-working-day clocks", handle: s.listEvents},
		{Method: "POST", Path: "/api/v1/events", Action: authz.EventRecord, Summary: "Record a change of law or duty", handle: s.recordEvent},
		{Method: "POST", Path: "/api/v1/events/{id}/resolve", Action: authz.EventRecord, Summary: "Close an organisation-level event", handle: s.resolveEvent},
		{Method: "GET", Path: "/api/v1/reports/overdue", Action: authz.ReportRead, Summary: "Overdue catalog updates per organisation", handle: s.overdue},
		{Method: "GET", Path: "/api/v1/reports/aggregation", Action: authz.ReportRead, Summary: "Aggregation statistics per organisation for a month", handle: s.aggregationStats},
		{Method: "GET", Path: "/api/v1/reports/aggregation/bulletin", Action: authz.ReportRead, Summary: "The monthly aggregation bulletin (XLSX or HTML)", handle: s.aggregationBulletin},
		{Method: "GET", Path: "/api/v1/reports/conformance", Action: authz.ReportRead, Summary: "Conformance report", handle: s.conformance},

		{Method: "POST", Path: "/api/v1/catalog/import", Action: authz.CatalogWrite, Summary: "Import entries from XLSX, CSV or JSON", handle: s.importCatalog},
		{Method: "GET", Path: "/api/v1/catalog/export", Action: authz.CatalogRead, Summary: "Export entries to XLSX, CSV or JSON", handle: s.exportCatalog},
		{Method: "GET", Path: "/api/v1/catalog/template", Action: authz.CatalogRead, Summary: "The import template", handle: s.template},
		{Method: "POST", Path: "/api/v1/catalog/reindex", Action: authz.IndexRebuild, Summary: "Rebuild the search index from the store", handle: s.reindex},

		{Method: "GET", Path: "/api/v1/actions", Action: authz.ActionLogRead, Summary: "The action log", handle: s.listActions},

		{Method: "POST", Path: "/api/v1/verifications", Action: authz.VerifyRun, Summary: "Compare two providers' datasets (multi-source verification)", handle: s.runVerification},
		{Method: "GET", Path: "/api/v1/verifications", Action: authz.VerifyRead, Summary: "Verification runs, newest first", handle: s.listVerifications},
		{Method: "GET", Path: "/api/v1/verifications/{id}", Action: authz.VerifyRead, Summary: "One verification run with its report", handle: s.getVerification},
		{Method: "GET", Path: "/api/v1/tickets", Action: authz.RectifyRead, Summary: "Rectification tickets, the most urgent first", handle: s.listTickets},
		{Method: "POST", Path: "/api/v1/tickets", Action: authz.RectifyRaise, Summary: "Raise an issue with a provider's record or column", handle: s.raiseTicket},
		{Method: "GET", Path: "/api/v1/tickets/{id}", Action: authz.RectifyRead, Summary: "One ticket with its history", handle: s.getTicket},
		{Method: "POST", Path: "/api/v1/tickets/{id}/transitions", Action: authz.RectifyRead, Summary: "Acknowledge, fix, reject, verify, reopen or close a ticket", handle: s.transitionTicket},
		{Method: "GET", Path: "/api/v1/reports/rectification", Action: authz.RectifyRead, Summary: "Rectification tickets per organisation: active, overdue, escalated", handle: s.rectificationReport},
		{Method: "GET", Path: "/api/v1/lineage/graph", Action: authz.LineageRead, Summary: "The relationship graph: lineage and key-element links", handle: s.lineageGraph},
		{Method: "POST", Path: "/api/v1/lineage/edges", Action: authz.LineageWrite, Summary: "Record a lineage edge by hand (manual)", handle: s.declareLineageEdge},
		{Method: "DELETE", Path: "/api/v1/lineage/edges/{id}", Action: authz.LineageWrite, Summary: "Delete a lineage edge recorded by hand", handle: s.deleteLineageEdge},
		{Method: "GET", Path: "/api/v1/resources/{id}/links", Action: authz.LineageRead, Summary: "Resources sharing a key element with this one", handle: s.resourceLinks},
	}
}

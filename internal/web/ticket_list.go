package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/rectify"
)

// ticketsPerPage is how many tickets the list shows at a time.
const ticketsPerPage = 50

// Ticket list scopes: the caller's organisation as provider or raiser.
const (
	scopeProvided = "provided"
	scopeRaised   = "raised"
)

type ticketsView struct {
	Scope, Status      string
	Scopes, Statuses   []option
	Overdue, Escalated bool
	OrgID, OrgName     string // narrowed to one provider
	ResourceID         string // narrowed to one resource
	ResourceName       string
	Items              []ticketRow
	Page               int
	Prev, Next         string
	ReadsAll           bool // platform-wide: every organisation's tickets
}

// ticketList lists the tickets the caller may read (the service
// decides): to and from their organisation, or every organisation's for
// platform-wide roles, the most urgent first, narrowed by scope, status,
// overdue and escalated.
func (p *portal) ticketList(w http.ResponseWriter, r *http.Request) error {
	if p.Rectify == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ctx, lang, pr := r.Context(), state(r).lang, state(r).principal
	q := r.URL.Query()
	page := pageParam(q)
	v := ticketsView{Scope: q.Get("scope"), Status: q.Get("status"), Overdue: q.Get("overdue") != "",
		Escalated: q.Get("escalated") != "", OrgID: q.Get("org"), ResourceID: q.Get("resource"), Page: page,
		ReadsAll: pr.CanAny(authz.RectifyRead)}
	f := rectify.Filter{OrgID: v.OrgID, ResourceID: v.ResourceID, Overdue: v.Overdue, Escalated: v.Escalated,
		Limit: ticketsPerPage + 1, Offset: (page - 1) * ticketsPerPage}
	switch v.Scope {
	case "":
	case scopeProvided:
		f.OrgID = pr.OrgID
	case scopeRaised:
		f.RaisedOrgID = pr.OrgID
	default:
		return appErr(apperr.Invalid, "tickets.badfilter")
	}
	if v.Status != "" {
		if !slices.Contains(rectify.Statuses, rectify.Status(v.Status)) {
			return appErr(apperr.Invalid, "tickets.badfilter")
		}
		f.Statuses = []rectify.Status{rectify.Status(v.Status)}
	}
	ts, err := p.Rectify.List(ctx, f)
	if err != nil {
		return err
	}
	rows, err := p.ticketRows(ctx, lang)
	if err != nil {
		return err
	}
	if len(ts) > ticketsPerPage {
		ts = ts[:ticketsPerPage]
		v.Next = ticketsURL(q, page+1)
	}
	if page > 1 {
		v.Prev = ticketsURL(q, page-1)
	}
	for i := range ts {
		v.Items = append(v.Items, rows.row(&ts[i]))
	}
	v.OrgName = rows.orgs[v.OrgID]
	if v.ResourceID != "" {
		v.ResourceName = p.resourceNames(ctx)(v.ResourceID, v.ResourceID)
	}
	for _, s := range []string{"", scopeProvided, scopeRaised} {
		v.Scopes = append(v.Scopes, option{Value: s, Label: p.t(r, "tickets.scope."+cmp.Or(s, "all")), Selected: s == v.Scope})
	}
	for _, s := range rectify.Statuses {
		v.Statuses = append(v.Statuses, option{Value: string(s), Label: p.t(r, "ticket.status."+string(s)), Selected: string(s) == v.Status})
	}
	return p.render(w, r, http.StatusOK, "tickets", "tickets.title", v)
}

// ticketsURL is the list with the same filters on page n.
func ticketsURL(q url.Values, n int) string {
	u := url.Values{}
	for _, k := range []string{"scope", "status", "overdue", "escalated", "org", "resource"} {
		if q.Get(k) != "" {
			u.Set(k, q.Get(k))
		}
	}
	if n > 1 {
		u.Set("page", strconv.Itoa(n))
	}
	if len(u) == 0 {
		return "/tickets"
	}
	return "/tickets?" + u.Encode()
}

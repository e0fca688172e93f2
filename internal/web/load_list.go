package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
)

// loadsPerPage is how many loads the list shows at a time.
const loadsPerPage = 50

// loadStates are the states a load list can be narrowed to, in order.
var loadStates = []string{aggregate.Queued, aggregate.Running, aggregate.Succeeded, aggregate.Failed}

type loadsView struct {
	State      string
	States     []option
	ResourceID string // narrowed to one resource's loads
	ChooseOrg  bool   // the caller sees every organisation's loads
	Orgs       []option
	Total      int
	Items      []loadRow
	Pager      pager
}

type loadRow struct {
	aggregate.Load
	ResourceName, OrgName, SubmitterName string
}

// resourceNames returns a function naming resources by id, by their code
// when the caller may not read them, remembering the names it looked up.
func (p *portal) resourceNames(ctx context.Context) func(id, code string) string {
	seen := map[string]string{}
	return func(id, code string) string {
		if n, ok := seen[id]; ok {
			return n
		}
		n := code
		if res, err := p.Catalog.Get(ctx, id); err == nil {
			n = res.Name
		}
		seen[id] = n
		return n
	}
}

// loadList lists loads, newest first: the caller's organisation's, or
// every organisation's for roles that may read them all (the service
// decides), narrowed by state, organisation or resource.
func (p *portal) loadList(w http.ResponseWriter, r *http.Request) error {
	if p.Aggregate == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	lang, pr := state(r).lang, state(r).principal
	q := r.URL.Query()
	page := pageParam(q)
	f := aggregate.LoadFilter{State: q.Get("state"), ResourceID: q.Get("resource"), Limit: loadsPerPage,
		Offset: (page - 1) * loadsPerPage}
	v := loadsView{State: f.State, ResourceID: f.ResourceID, ChooseOrg: pr.CanAny(authz.LoadRead)}
	if v.ChooseOrg {
		f.OrgID = q.Get("org")
	}
	items, total, err := p.Aggregate.List(r.Context(), f)
	if err != nil {
		return err
	}
	orgs, err := p.Identity.Orgs(r.Context())
	if err != nil {
		return err
	}
	orgName := map[string]string{}
	for _, o := range orgs {
		orgName[o.ID] = localName(lang, o.Name, o.NameEN)
		if v.ChooseOrg {
			v.Orgs = append(v.Orgs, option{Value: o.ID, Label: orgName[o.ID], Selected: o.ID == f.OrgID})
		}
	}
	for _, s := range loadStates {
		v.States = append(v.States, option{Value: s, Label: p.t(r, "load.state."+s), Selected: s == f.State})
	}
	v.Total = total
	userName, resourceName := p.userNames(r.Context()), p.resourceNames(r.Context())
	for _, l := range items {
		v.Items = append(v.Items, loadRow{Load: l, ResourceName: resourceName(l.ResourceID, l.ResourceCode),
			OrgName: orgName[l.OrgID], SubmitterName: userName(l.SubmittedBy)})
	}
	v.Pager = newPager(f.Offset, loadsPerPage, total, func(n int) string {
		u := url.Values{}
		for _, k := range []string{"state", "org", "resource"} {
			if q.Get(k) != "" {
				u.Set(k, q.Get(k))
			}
		}
		u.Set("page", strconv.Itoa(n))
		return "/loads?" + u.Encode()
	})
	return p.render(w, r, http.StatusOK, "loads", "loads.title", v)
}

package web

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
)

// reviewLimit is how many entries a review queue section lists.
const reviewLimit = 100

type reviewView struct {
	Sections []reviewSection
}

type reviewSection struct {
	Title string
	Total int
	More  string // the full list in the catalog search
	Rows  []reviewRow
}

type reviewRow struct {
	R       catalog.Resource
	Actions []actionView // the ones that need no reason, offered inline
}

// reviewQueue lists the entries awaiting the caller's review: submitted
// entries of their organisation for organisation reviewers, entries
// approved by their organisation or by the platform (to publish) for
// platform administrators.
func (p *portal) reviewQueue(w http.ResponseWriter, r *http.Request) error {
	pr := state(r).principal
	type queue struct {
		title  string
		status catalog.Status
		org    string
	}
	var queues []queue
	if pr.CanSome(authz.CatalogReviewOrg) && !pr.CanAny(authz.CatalogReviewOrg) {
		queues = append(queues, queue{"review.org", catalog.Submitted, pr.OrgID})
	}
	if pr.CanSome(authz.CatalogReviewPlat) {
		queues = append(queues, queue{"review.platform", catalog.OrgApproved, ""}, queue{"review.publish", catalog.Approved, ""})
	}
	n, err := p.loadNames(r.Context(), state(r).lang)
	if err != nil {
		return err
	}
	var v reviewView
	for _, q := range queues {
		filters := map[string][]string{"status": {string(q.status)}}
		if q.org != "" {
			filters["org"] = []string{q.org}
		}
		res, err := p.Catalog.List(r.Context(), catalog.ListQuery{Filters: filters, Limit: reviewLimit})
		if err != nil {
			return err
		}
		sec := reviewSection{Title: p.t(r, q.title), Total: res.Total}
		if res.Total > len(res.Items) {
			sec.More = searchURL("", filters, 20, 1)
		}
		for i := range res.Items {
			row := reviewRow{R: res.Items[i]}
			row.R.OrgName = n.label(state(r).lang, "org", "", row.R.OrgID)
			for _, a := range p.actions(r, pr, &res.Items[i]) {
				if !a.Reason {
					row.Actions = append(row.Actions, a)
				}
			}
			sec.Rows = append(sec.Rows, row)
		}
		v.Sections = append(v.Sections, sec)
	}
	return p.render(w, r, http.StatusOK, "review", "review.title", v)
}

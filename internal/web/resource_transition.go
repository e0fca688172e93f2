package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
)

// lifecycle says which action buttons a resource shows: from which status
// and with which right. It only decides what to offer; catalog.Transition
// decides what happens and checks everything again.
var lifecycle = []struct {
	action string
	from   []catalog.Status
	need   authz.Action
	reason bool
}{
	{catalog.ActSubmit, []catalog.Status{catalog.Draft, catalog.Returned}, authz.CatalogWrite, false},
	{catalog.ActOrgApprove, []catalog.Status{catalog.Submitted}, authz.CatalogReviewOrg, false},
	{catalog.ActApprove, []catalog.Status{catalog.OrgApproved}, authz.CatalogReviewPlat, false},
	{catalog.ActPublish, []catalog.Status{catalog.Approved}, authz.CatalogReviewPlat, false},
	{catalog.ActReturn, []catalog.Status{catalog.Submitted}, authz.CatalogReviewOrg, true},
	{catalog.ActReturn, []catalog.Status{catalog.OrgApproved, catalog.Approved}, authz.CatalogReviewPlat, true},
	{catalog.ActRetire, []catalog.Status{catalog.Published}, authz.CatalogRetire, true},
}

// editable are the statuses in which a resource's content may change.
var editable = []catalog.Status{catalog.Draft, catalog.Returned, catalog.Published}

type actionView struct {
	Action string
	Label  string
	Reason bool // asks for a reason
}

func (p *portal) actions(r *http.Request, pr *authz.Principal, res *catalog.Resource) []actionView {
	var out []actionView
	for _, l := range lifecycle {
		if slices.Contains(l.from, res.Status) && pr.Can(l.need, res.OrgID) {
			out = append(out, actionView{Action: l.action, Label: p.t(r, "action."+l.action), Reason: l.reason})
		}
	}
	return out
}

func canEdit(pr *authz.Principal, res *catalog.Resource) bool {
	return pr.Can(authz.CatalogWrite, res.OrgID) && slices.Contains(editable, res.Status)
}

// resourceTransition moves a resource through the review lifecycle. A
// refusal the user can act on (a missing reason, a changed status, a
// failed check) shows on the detail page.
func (p *portal) resourceTransition(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	action := r.PostFormValue("action")
	_, err := p.Catalog.Transition(r.Context(), id, action, r.PostFormValue("reason"))
	if k := apperr.KindOf(err); err != nil && (k == apperr.Invalid || k == apperr.Conflict) {
		v := newErrorView(state(r).lang, apperr.As(err))
		status := http.StatusBadRequest
		if k == apperr.Conflict {
			status = http.StatusConflict
		}
		return p.showResource(w, r, status, &v)
	}
	if err != nil {
		return err
	}
	next := safeNext(r.PostFormValue("next"))
	if next == "" {
		next = "/catalog/" + id
	}
	http.Redirect(w, r, withMsg(next, action), http.StatusSeeOther)
	return nil
}

// withMsg adds ?msg=key to a same-site URL, for the notice after a redirect.
func withMsg(u, key string) string {
	sep := "?"
	if strings.ContainsRune(u, '?') {
		sep = "&"
	}
	return u + sep + "msg=" + key
}

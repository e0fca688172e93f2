package web

import (
	"net/http"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
)

type actionView struct {
	Action string
	Label  string
	Reason bool // asks for a reason
}

// actions are the lifecycle buttons pr may use on res: exactly the
// transitions catalog.Transition would accept now.
func (p *portal) actions(r *http.Request, pr *authz.Principal, res *catalog.Resource) []actionView {
	var out []actionView
	for _, a := range catalog.AllowedActions(pr, res) {
		out = append(out, actionView{Action: a.Action, Label: p.t(r, "action."+a.Action), Reason: a.Reason})
	}
	return out
}

func canEdit(pr *authz.Principal, res *catalog.Resource) bool { return catalog.Editable(pr, res) }

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
		return p.showResource(w, r, status, func(rv *resourceView) { rv.Error = &v })
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

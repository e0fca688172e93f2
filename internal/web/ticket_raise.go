package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/rectify"
)

// govView is the governance panel of a resource's page: the relationship
// graph, the resource's tickets and runs, and the form raising an issue
// with its data.
type govView struct {
	Lineage       bool
	Tickets       bool
	Verifications bool
	Raise         *issueForm // nil: the caller may not raise an issue here
}

// issueForm is the form raising an issue, with the values of a refused
// post kept.
type issueForm struct {
	Items                               []string // the resource's data items by name
	Title, Description, RecordKey, Item string
	Error                               *errorView
}

func (p *portal) govSection(pr *authz.Principal, res *catalog.Resource) govView {
	g := govView{
		Lineage:       p.Lineage != nil && pr.CanSome(authz.LineageRead),
		Tickets:       p.Rectify != nil && pr.CanSome(authz.RectifyRead),
		Verifications: p.Verify != nil && pr.CanSome(authz.VerifyRead),
	}
	if p.Rectify != nil && pr.CanSome(authz.RectifyRaise) && res.PublishedVersion > 0 && res.Status != catalog.Retired {
		g.Raise = &issueForm{}
		for _, it := range res.Items {
			g.Raise.Items = append(g.Raise.Items, it.Name)
		}
	}
	return g
}

// ticketRaise raises an issue with a published resource's data: a ticket
// to its provider. A refused form shows again on the resource's page.
func (p *portal) ticketRaise(w http.ResponseWriter, r *http.Request) error {
	if p.Rectify == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ctx := r.Context()
	res, err := p.Catalog.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	if p.govSection(state(r).principal, res).Raise == nil {
		return appErr(apperr.Conflict, "issue.notpublished")
	}
	in := rectify.Issue{ResourceID: res.ID, Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		RecordKey: strings.TrimSpace(r.PostFormValue("record_key")), Item: r.PostFormValue("item")}
	if in.Item != "" && !slices.ContainsFunc(res.Items, func(it catalog.DataItem) bool { return it.Name == in.Item }) {
		err = appErr(apperr.Invalid, "error.invalid").With("item", "is not a data item of the resource", "不是该资源的信息项")
	} else {
		var t *rectify.Ticket
		if t, err = p.Rectify.Raise(ctx, in); err == nil {
			http.Redirect(w, r, withMsg("/tickets/"+t.ID, "raised"), http.StatusSeeOther)
			return nil
		}
	}
	if !apperr.Is(err, apperr.Invalid) {
		return err
	}
	ev := newErrorView(state(r).lang, apperr.As(err))
	return p.showResource(w, r, http.StatusBadRequest, func(v *resourceView) {
		if f := v.Gov.Raise; f != nil {
			f.Title, f.Description, f.RecordKey, f.Item, f.Error = in.Title, in.Description, in.RecordKey, in.Item, &ev
		}
	})
}

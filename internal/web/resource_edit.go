package web

import (
	"net/http"
	"slices"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
)

// resourceNew shows an empty form with one data item row.
func (p *portal) resourceNew(w http.ResponseWriter, r *http.Request) error {
	pr := state(r).principal
	f, err := p.newForm(r.Context(), state(r).lang, pr, catalog.Resource{OrgID: pr.OrgID, Items: []catalog.DataItem{blankItem()}})
	if err != nil {
		return err
	}
	return p.render(w, r, http.StatusOK, "form", "form.new", f)
}

// resourceCreate saves a new resource, or applies a form-only button.
func (p *portal) resourceCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	return p.submitForm(w, r, nil)
}

// resourceEdit shows the form for an existing resource.
func (p *portal) resourceEdit(w http.ResponseWriter, r *http.Request) error {
	cur, err := p.loadEditable(r)
	if err != nil {
		return err
	}
	f, err := p.newForm(r.Context(), state(r).lang, state(r).principal, *cur)
	if err != nil {
		return err
	}
	return p.render(w, r, http.StatusOK, "form", "form.edit", f)
}

// resourceUpdate saves a new version of a resource.
func (p *portal) resourceUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	cur, err := p.loadEditable(r)
	if err != nil {
		return err
	}
	return p.submitForm(w, r, cur)
}

// loadEditable loads the resource of the path for editing: the caller must
// be allowed to write it, and it must be in a status that allows edits.
func (p *portal) loadEditable(r *http.Request) (*catalog.Resource, error) {
	cur, err := p.Catalog.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !state(r).principal.Can(authz.CatalogWrite, cur.OrgID) {
		return nil, appErr(apperr.Forbidden, "error.forbidden")
	}
	if !catalog.Editable(state(r).principal, cur) {
		return nil, apperr.New(apperr.Conflict,
			catalogs[langEN].T("error.noedit", catalog.StatusNames.Label(string(cur.Status), "en")),
			catalogs[langZH].T("error.noedit", catalog.StatusNames.Label(string(cur.Status), "zh")))
	}
	return cur, nil
}

// submitForm handles a posted form: add or remove a row, check, or save
// (create when cur is nil). A refused save shows the form again with every
// value kept and the errors next to their fields.
func (p *portal) submitForm(w http.ResponseWriter, r *http.Request, cur *catalog.Resource) error {
	ctx, lang, pr := r.Context(), state(r).lang, state(r).principal
	res, reason := readResource(r)
	if cur != nil {
		res.ID, res.Code, res.OrgID = cur.ID, cur.Code, cur.OrgID
	}
	f, err := p.newForm(ctx, lang, pr, res)
	if err != nil {
		return err
	}
	f.Reason = reason
	title := "form.new"
	if cur != nil {
		title = "form.edit"
	}
	op := r.PostFormValue("op")
	if formOp(op, &f.R) {
		return p.render(w, r, http.StatusOK, "form", title, f)
	}
	if op == "check" {
		fs, err := p.check(r, f)
		if err != nil {
			return err
		}
		f.setFindings(fs)
		return p.render(w, r, http.StatusOK, "form", title, f)
	}
	var saved *catalog.Resource
	if cur == nil {
		saved, err = p.Catalog.Create(ctx, detached(res))
	} else {
		saved, err = p.Catalog.Update(ctx, cur.ID, detached(res), reason)
	}
	if k := apperr.KindOf(err); err != nil && (k == apperr.Invalid || k == apperr.Conflict) {
		f.setError(apperr.As(err))
		status := http.StatusBadRequest
		if k == apperr.Conflict {
			status = http.StatusConflict
		}
		return p.render(w, r, status, "form", title, f)
	}
	if err != nil {
		return err
	}
	msg := "created"
	if cur != nil {
		msg = "updated"
	}
	http.Redirect(w, r, withMsg("/catalog/"+saved.ID, msg), http.StatusSeeOther)
	return nil
}

// check runs the service's validation on the form's values.
func (p *portal) check(r *http.Request, f *formView) ([]catalog.Finding, error) {
	res := detached(f.R)
	if res.OrgID == "" {
		res.OrgID = state(r).principal.OrgID
	}
	return p.Catalog.Validate(r.Context(), res)
}

// detached copies res so that the services' normalisation leaves the
// form's values as they were typed.
func detached(res catalog.Resource) catalog.Resource {
	res.Items = slices.Clone(res.Items)
	res.Keywords = slices.Clone(res.Keywords)
	res.Related = slices.Clone(res.Related)
	return res
}

// resourceValidate is the inline check: htmx posts the form on every
// change and gets the findings as out-of-band updates of the fields'
// message slots; without htmx it renders the whole form.
func (p *portal) resourceValidate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	lang, pr := state(r).lang, state(r).principal
	res, reason := readResource(r)
	if id := r.PostFormValue("id"); id != "" {
		cur, err := p.Catalog.Get(r.Context(), id)
		if err != nil {
			return err
		}
		res.ID, res.Code, res.OrgID = cur.ID, cur.Code, cur.OrgID
	}
	if isHTMX(r) {
		f := &formView{Lang: lang, R: res, Inline: true, Edit: res.ID != "", ChooseOrg: choosesOrg(pr, res.ID != "")}
		fs, err := p.check(r, f)
		if err != nil {
			return err
		}
		f.setFindings(inlineFindings(fs, r.Header.Get("HX-Trigger-Name")))
		return p.renderPartial(w, r, "form", "validate-oob", f)
	}
	f, err := p.newForm(r.Context(), lang, pr, res)
	if err != nil {
		return err
	}
	f.Reason = reason
	fs, err := p.check(r, f)
	if err != nil {
		return err
	}
	f.setFindings(fs)
	title := "form.new"
	if f.Edit {
		title = "form.edit"
	}
	return p.render(w, r, http.StatusOK, "form", title, f)
}

// inlineFindings leaves out, while the form is being filled in, that
// fields not yet reached are empty: "required" findings show only for the
// field just changed (form names are the findings' field paths). Saving
// reports them all.
func inlineFindings(fs []catalog.Finding, changed string) []catalog.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if f.Rule != "required" || f.Field == changed {
			out = append(out, f)
		}
	}
	return out
}

package web

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/catalog"
)

type conformanceView struct {
	Picker orgPicker
	Rep    *catalog.ConformanceReport
}

// conformance shows the conformance report of one organisation, or of all
// for platform-wide roles.
func (p *portal) conformance(w http.ResponseWriter, r *http.Request) error {
	lang, pr := state(r).lang, state(r).principal
	org := r.URL.Query().Get("org")
	rep, err := p.Catalog.Conformance(r.Context(), org)
	if err != nil {
		return err
	}
	picker, err := p.pickOrg(r.Context(), lang, pr, org)
	if err != nil {
		return err
	}
	if rep.OrgID != "" && rep.OrgName != "" {
		if o, err := p.Identity.Org(r.Context(), rep.OrgID); err == nil {
			rep.OrgName = localName(lang, o.Name, o.NameEN)
		}
	}
	return p.render(w, r, http.StatusOK, "conformance", "conformance.title", conformanceView{Picker: picker, Rep: rep})
}

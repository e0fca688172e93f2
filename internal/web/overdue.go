package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
)

type overdueView struct {
	Picker  orgPicker
	Total   int
	MaxLate int
	Groups  []overdueGroup
}

type overdueGroup struct {
	OrgID, OrgName string
	MaxLate        int
	Events         []catalog.Event
}

// orgPicker lets platform-wide roles narrow a report to one organisation.
type orgPicker struct {
	Choose bool
	OrgID  string
	Orgs   []option
}

func (p *portal) pickOrg(ctx context.Context, lang string, pr *authz.Principal, org string) (orgPicker, error) {
	op := orgPicker{OrgID: org, Choose: pr.CanAny(authz.ReportRead)}
	if !op.Choose {
		return op, nil
	}
	orgs, err := p.Identity.Orgs(ctx)
	if err != nil {
		return op, err
	}
	for _, o := range orgs {
		op.Orgs = append(op.Orgs, option{Value: o.ID, Label: localName(lang, o.Name, o.NameEN), Selected: o.ID == org})
	}
	return op, nil
}

// overdue lists open catalog updates past their 10-working-day deadline,
// per organisation, the most overdue organisations first.
func (p *portal) overdue(w http.ResponseWriter, r *http.Request) error {
	lang, pr := state(r).lang, state(r).principal
	org := r.URL.Query().Get("org")
	evs, err := p.Catalog.Events(r.Context(), catalog.EventFilter{OrgID: org, OverdueOnly: true})
	if err != nil {
		return err
	}
	picker, err := p.pickOrg(r.Context(), lang, pr, org)
	if err != nil {
		return err
	}
	v := overdueView{Picker: picker, Total: len(evs)}
	at := map[string]int{}
	for _, e := range evs {
		i, ok := at[e.OrgID]
		if !ok {
			i = len(v.Groups)
			at[e.OrgID] = i
			v.Groups = append(v.Groups, overdueGroup{OrgID: e.OrgID, OrgName: e.OrgName})
		}
		g := &v.Groups[i]
		g.Events = append(g.Events, e)
		g.MaxLate = max(g.MaxLate, e.DaysLate)
		v.MaxLate = max(v.MaxLate, e.DaysLate)
	}
	slices.SortStableFunc(v.Groups, func(a, b overdueGroup) int {
		if d := len(b.Events) - len(a.Events); d != 0 {
			return d
		}
		return b.MaxLate - a.MaxLate
	})
	return p.render(w, r, http.StatusOK, "overdue", "overdue.title", v)
}

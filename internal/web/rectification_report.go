package web

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/rectify"
)

type rectificationView struct {
	Rows  []rectify.OrgSummary
	Total rectify.OrgSummary
}

// rectificationReport counts tickets per providing organisation, the
// most overdue first: every organisation's for platform-wide roles, the
// caller's own otherwise (the service decides).
func (p *portal) rectificationReport(w http.ResponseWriter, r *http.Request) error {
	if p.Rectify == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ctx := r.Context()
	sums, err := p.Rectify.OrgSummaries(ctx)
	if err != nil {
		return err
	}
	orgs, err := p.orgNames(ctx, state(r).lang)
	if err != nil {
		return err
	}
	v := rectificationView{Rows: sums}
	for i := range v.Rows {
		o := &v.Rows[i]
		if n, ok := orgs[o.OrgID]; ok {
			o.OrgName = n
		}
		v.Total.Active += o.Active
		v.Total.Overdue += o.Overdue
		v.Total.Escalated += o.Escalated
		v.Total.Closed += o.Closed
		v.Total.Rejected += o.Rejected
	}
	return p.render(w, r, http.StatusOK, "rectification", "rectification.title", v)
}

package web

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/verify"
)

type verificationView struct {
	runRow
	Report *verify.Report
	// Authority names the authoritative side's resource, "" when neither
	// side is the declared source.
	Authority string
	By        string // the organisation that ran it
	Withheld  bool   // the sample holds personal data the caller may not see
}

// verificationShow shows a run: both sides, the match rate of every
// attribute, the conflicts, the authoritative side, and the sample of
// conflicts for who may see it.
func (p *portal) verificationShow(w http.ResponseWriter, r *http.Request) error {
	if p.Verify == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ctx, lang, pr := r.Context(), state(r).lang, state(r).principal
	run, err := p.Verify.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	orgs, err := p.orgNames(ctx, lang)
	if err != nil {
		return err
	}
	name := p.resourceNames(ctx)
	v := verificationView{runRow: runRow{Run: *run, NameA: name(run.ResourceA, run.DatasetA), NameB: name(run.ResourceB, run.DatasetB),
		OrgA: orgs[run.OrgA], OrgB: orgs[run.OrgB]}, By: orgs[run.OrgID]}
	rep := *run.Report
	if len(rep.Sample) > 0 && !verify.SeesSamples(pr, run.OrgA, run.OrgB) {
		rep.Sample, v.Withheld = nil, true
	}
	v.Report, v.Run.Report = &rep, nil
	switch run.Authoritative {
	case verify.SideA:
		v.Authority = v.NameA
	case verify.SideB:
		v.Authority = v.NameB
	}
	return p.render(w, r, http.StatusOK, "verification", "verification.title", v)
}

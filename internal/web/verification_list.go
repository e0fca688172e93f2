package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/verify"
)

// runsPerPage is how many verification runs the list shows at a time.
const runsPerPage = 50

type verificationsView struct {
	ResourceID, ResourceName string // narrowed to runs about one resource
	Items                    []runRow
	Page                     int
	Prev, Next               string
	Form                     *runForm // nil: the caller may not run verifications
}

// runRow is a run with its sides named.
type runRow struct {
	verify.Run
	NameA, NameB string
	OrgA, OrgB   string
}

// verificationList lists the verification runs the caller may read
// (the service decides), newest first, with the form running one for
// who may.
func (p *portal) verificationList(w http.ResponseWriter, r *http.Request) error {
	return p.showVerifications(w, r, http.StatusOK, nil)
}

func (p *portal) showVerifications(w http.ResponseWriter, r *http.Request, status int, form *runForm) error {
	if p.Verify == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ctx, lang, pr := r.Context(), state(r).lang, state(r).principal
	q := r.URL.Query()
	page := pageParam(q)
	v := verificationsView{ResourceID: q.Get("resource"), Page: page, Form: form}
	runs, err := p.Verify.List(ctx, verify.RunFilter{ResourceID: v.ResourceID, Limit: runsPerPage + 1, Offset: (page - 1) * runsPerPage})
	if err != nil {
		return err
	}
	if len(runs) > runsPerPage {
		runs = runs[:runsPerPage]
		v.Next = runsURL(v.ResourceID, page+1)
	}
	if page > 1 {
		v.Prev = runsURL(v.ResourceID, page-1)
	}
	orgs, err := p.orgNames(ctx, lang)
	if err != nil {
		return err
	}
	name := p.resourceNames(ctx)
	for _, run := range runs {
		v.Items = append(v.Items, runRow{Run: run, NameA: name(run.ResourceA, run.DatasetA), NameB: name(run.ResourceB, run.DatasetB),
			OrgA: orgs[run.OrgA], OrgB: orgs[run.OrgB]})
	}
	if v.ResourceID != "" {
		v.ResourceName = name(v.ResourceID, v.ResourceID)
	}
	if v.Form == nil && pr.CanSome(authz.VerifyRun) {
		v.Form = &runForm{Key: "DE00001"}
	}
	return p.render(w, r, status, "verifications", "verifications.title", v)
}

func runsURL(resource string, n int) string {
	u := url.Values{}
	if resource != "" {
		u.Set("resource", resource)
	}
	if n > 1 {
		u.Set("page", strconv.Itoa(n))
	}
	if len(u) == 0 {
		return "/verifications"
	}
	return "/verifications?" + u.Encode()
}

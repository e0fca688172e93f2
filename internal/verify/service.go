package verify

import (
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/store"
)

// Service runs verifications and keeps their reports.
type Service struct {
	db      *store.DB
	records records.Store
	now     func() time.Time
}

// New returns the verification service over the control store db and the
// record store rs.
func New(db *store.DB, rs records.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, records: rs, now: now}
}

// AuthoritativeSide returns the side (SideA, SideB or "") whose resource is
// the authoritative source of element in region among sources, as
// catalog.Service.Sources lists them.
func AuthoritativeSide(sources []catalog.Source, element, region string, a, b Side) string {
	for _, s := range sources {
		if s.Element != element || s.RegionCode != region {
			continue
		}
		switch s.ResourceID {
		case "":
		case a.ResourceID:
			return SideA
		case b.ResourceID:
			return SideB
		}
	}
	return ""
}

// Who may do what:
//
//	authz.VerifyRun   run a comparison: on both sides' organisations (a
//	                  side naming no resource needs the Any scope)
//	authz.VerifyRead  read a run: in the organisation that ran it, or in
//	                  the providing organisation of either side
//
// Platform administrators run (Any); they and auditors read every run
// (Any), the organisations' administrators, editors, reviewers and
// security officers the runs about their data (Own).

// canRun reports whether p may compare data of the organisations orgs
// ("" for a side naming no resource).
func canRun(p *authz.Principal, orgs ...string) bool {
	for _, org := range orgs {
		if org == "" && !p.CanAny(authz.VerifyRun) || org != "" && !p.Can(authz.VerifyRun, org) {
			return false
		}
	}
	return p.CanSome(authz.VerifyRun)
}

func canRead(p *authz.Principal, r *Run) bool {
	return p.Can(authz.VerifyRead, r.OrgID) || p.Can(authz.VerifyRead, r.OrgA) || p.Can(authz.VerifyRead, r.OrgB)
}

func notFound(id string) error {
	return apperr.New(apperr.NotFound, "verification run "+id+" not found", "未找到校核记录 "+id)
}

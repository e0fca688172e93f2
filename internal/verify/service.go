package verify

import (
	"context"
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

// The checks below stand for authz actions the policy does not have yet:
//
//	verify:run   platform administrators (Any)
//	verify:read  platform administrators and auditors (Any); the
//	             organisations' administrators, editors, reviewers and
//	             security officers (Own) for runs they ran or about their data
//
// verify:read is expressed with authz.ReportRead, which has those grants.

func principal(ctx context.Context) (*authz.Principal, error) {
	p := authz.FromContext(ctx)
	if p == nil {
		return nil, apperr.New(apperr.Unauthenticated, "login required", "请先登录")
	}
	return p, nil
}

func forbidden() error {
	return apperr.New(apperr.Forbidden, "you are not allowed to do this", "无权执行此操作")
}

func canRun(p *authz.Principal) bool { return p.HasRole(authz.PlatformAdmin) }

func canRead(p *authz.Principal, r *Run) bool {
	return p.Can(authz.ReportRead, r.OrgID) || p.Can(authz.ReportRead, r.OrgA) || p.Can(authz.ReportRead, r.OrgB)
}

func notFound(id string) error {
	return apperr.New(apperr.NotFound, "verification run "+id+" not found", "未找到校核记录 "+id)
}

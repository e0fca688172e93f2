package rectify

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/workday"
)

// Config are the service's dependencies beyond the control store.
type Config struct {
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Calendar returns the working-day calendar with the administrators'
	// overrides (catalog.Service.Calendar); workday.Default when nil.
	Calendar func(ctx context.Context) (*workday.Calendar, error)
	// Verifier, when set, re-checks every fix (see Verifier).
	Verifier Verifier
	// Log receives re-checks that failed to run.
	Log *slog.Logger
}

// Service owns the rectification tickets.
type Service struct {
	db       *store.DB
	now      func() time.Time
	calendar func(ctx context.Context) (*workday.Calendar, error)
	verifier Verifier
	log      *slog.Logger
}

// New returns the rectification service.
func New(db *store.DB, cfg Config) *Service {
	s := &Service{db: db, now: cfg.Now, calendar: cfg.Calendar, verifier: cfg.Verifier, log: cfg.Log}
	if s.now == nil {
		s.now = time.Now
	}
	if s.calendar == nil {
		s.calendar = func(context.Context) (*workday.Calendar, error) { return workday.Default(), nil }
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return s
}

// Who may do what. The checks stand for authz actions the policy does not
// have yet:
//
//	rectify:raise     any role but the auditor's, for consumer issues
//	                  (Any); platform administrators for rule and
//	                  verification issues (Any)
//	rectify:handle    acknowledge, fix, reject: the provider's
//	                  organisation administrators and catalog editors (Own)
//	rectify:verify    verify, reopen, close: platform administrators (Any);
//	                  the raiser, and the raiser's organisation
//	                  administrators (Own)
//	rectify:read      platform administrators and auditors (Any); anyone in
//	                  the provider's or the raiser's organisation (Own)
//	rectify:escalate  platform administrators (Any), and the scheduler
//	                  (no principal)

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

func notFound(id string) error {
	return apperr.New(apperr.NotFound, "rectification ticket "+id+" not found", "未找到整改工单 "+id)
}

func isPlatform(p *authz.Principal) bool { return p.HasRole(authz.PlatformAdmin) }

func canRaise(p *authz.Principal, src Source) bool {
	if src != SourceConsumer {
		return isPlatform(p)
	}
	for _, r := range p.Roles {
		if r != authz.Auditor {
			return true
		}
	}
	return false
}

// isProvider: the provider's staff who maintain its data.
func isProvider(p *authz.Principal, t *Ticket) bool {
	return p.OrgID == t.OrgID && (p.HasRole(authz.OrgAdmin) || p.HasRole(authz.CatalogEditor))
}

// isRaiser: who raised the ticket, their organisation's administrators,
// or the platform.
func isRaiser(p *authz.Principal, t *Ticket) bool {
	return p.UserID == t.RaisedBy || p.OrgID == t.RaisedOrgID && p.HasRole(authz.OrgAdmin) || isPlatform(p)
}

func canRead(p *authz.Principal, t *Ticket) bool {
	return readsAll(p) || p.OrgID == t.OrgID || p.OrgID == t.RaisedOrgID || p.UserID == t.RaisedBy
}

func readsAll(p *authz.Principal) bool { return isPlatform(p) || p.HasRole(authz.Auditor) }

// transition is one edge of the lifecycle.
type transition struct {
	from      []Status
	to        Status
	provider  bool // made by the provider, else by the raiser's side
	needsNote bool
	zh, en    string
}

var transitions = map[string]transition{
	ActAcknowledge: {from: []Status{Open}, to: Acknowledged, provider: true, zh: "签收", en: "Acknowledge"},
	ActFix:         {from: []Status{Acknowledged}, to: Fixed, provider: true, zh: "完成整改", en: "Mark fixed"},
	ActReject:      {from: []Status{Open, Acknowledged}, to: Rejected, provider: true, needsNote: true, zh: "驳回", en: "Reject"},
	ActVerify:      {from: []Status{Fixed}, to: Verified, zh: "核验通过", en: "Verify"},
	ActReopen:      {from: []Status{Fixed, Verified}, to: Acknowledged, needsNote: true, zh: "退回重改", en: "Reopen"},
	ActClose:       {from: []Status{Verified}, to: Closed, zh: "关闭", en: "Close"},
}

// actionOrder is the order AllowedActions lists transitions in.
var actionOrder = []string{ActAcknowledge, ActFix, ActReject, ActVerify, ActReopen, ActClose}

// may reports whether p may make transition tr on t.
func may(p *authz.Principal, tr transition, t *Ticket) bool {
	if tr.provider {
		return isProvider(p, t)
	}
	return isRaiser(p, t)
}

// AllowedActions lists the transitions p may make on t now.
func AllowedActions(p *authz.Principal, t *Ticket) []Allowed {
	out := []Allowed{}
	if p == nil {
		return out
	}
	for _, a := range actionOrder {
		tr := transitions[a]
		if !from(tr, t.Status) || !may(p, tr, t) {
			continue
		}
		out = append(out, Allowed{Action: a, NeedsNote: tr.needsNote, LabelZH: tr.zh, LabelEN: tr.en, Target: tr.to})
	}
	return out
}

func from(tr transition, s Status) bool {
	for _, f := range tr.from {
		if f == s {
			return true
		}
	}
	return false
}

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

// Who may do what:
//
//	authz.RectifyRaise   raise a consumer's issue (every role but the
//	                     auditor's, Any). Rule and verification tickets, and
//	                     escalation, are the platform's: they need
//	                     authz.RectifyHandle in every organisation (Any);
//	                     escalation also runs as the scheduler (no
//	                     principal).
//	authz.RectifyHandle  acknowledge, fix, reject: in the provider's
//	                     organisation (its administrators and catalog
//	                     editors Own; platform administrators Any)
//	authz.RectifyVerify  verify, reopen, close: in the raiser's organisation
//	                     (its administrators Own; platform administrators
//	                     Any); the raiser may always
//	authz.RectifyRead    read: in the provider's or the raiser's
//	                     organisation (Own; platform administrators and
//	                     auditors Any); the raiser may always

func notFound(id string) error {
	return apperr.New(apperr.NotFound, "rectification ticket "+id+" not found", "未找到整改工单 "+id)
}

// isPlatform: who handles every organisation's tickets.
func isPlatform(p *authz.Principal) bool { return p.CanAny(authz.RectifyHandle) }

func canRaise(p *authz.Principal, src Source) bool {
	if src != SourceConsumer {
		return p.CanAny(authz.RectifyRaise) && isPlatform(p)
	}
	return p.CanSome(authz.RectifyRaise)
}

// isProvider: the provider's staff who maintain its data, or the platform.
func isProvider(p *authz.Principal, t *Ticket) bool { return p.Can(authz.RectifyHandle, t.OrgID) }

// isRaiser: who raised the ticket, their organisation's administrators,
// or the platform.
func isRaiser(p *authz.Principal, t *Ticket) bool {
	return p.UserID == t.RaisedBy || p.Can(authz.RectifyVerify, t.RaisedOrgID)
}

func canRead(p *authz.Principal, t *Ticket) bool {
	return p.Can(authz.RectifyRead, t.OrgID) || p.Can(authz.RectifyRead, t.RaisedOrgID) || p.UserID == t.RaisedBy
}

func readsAll(p *authz.Principal) bool { return p.CanAny(authz.RectifyRead) }

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

package rectify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// Transition makes one step of a ticket's lifecycle (ActAcknowledge,
// ActFix, ActReject, ActVerify, ActReopen or ActClose) with a note, which
// reject and reopen require as their reason. A fix is re-checked at once
// when the service has a Verifier. It returns the ticket with its history.
func (s *Service) Transition(ctx context.Context, id, action, note string) (*Ticket, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	tr, ok := transitions[action]
	if !ok {
		return nil, apperr.New(apperr.Invalid, "unknown action "+action, "未知的操作"+action).
			With("action", "must be one of "+strings.Join(actionOrder, ", "), "须为 "+strings.Join(actionOrder, "、")+" 之一")
	}
	note = strings.TrimSpace(note)
	if tr.needsNote && note == "" {
		return nil, apperr.New(apperr.Invalid, "a reason is required", "请填写理由").With("note", "is required", "不能为空")
	}
	if utf8.RuneCountInString(note) > 2000 {
		return nil, apperr.New(apperr.Invalid, "the note is too long", "说明过长").With("note", "must be at most 2000 characters", "不能超过2000个字")
	}
	var t *Ticket
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := loadTicket(ctx, tx, id, s.now())
		if store.IsNoRows(err) || err == nil && !canRead(p, cur) {
			return notFound(id)
		}
		if err != nil {
			return err
		}
		t = cur
		if !may(p, tr, t) {
			return authz.Denied()
		}
		if !from(tr, t.Status) {
			return apperr.New(apperr.Conflict, fmt.Sprintf("a ticket that is %s cannot be %s", t.Status, tr.en),
				fmt.Sprintf("工单当前状态为%s，不能%s", statusZH[t.Status], tr.zh))
		}
		return s.apply(ctx, tx, t, action, tr.to, note, s.now())
	})
	if err != nil {
		return nil, err
	}
	if action == ActFix && s.verifier != nil {
		s.recheck(ctx, t)
	}
	return s.get(ctx, id)
}

var statusZH = map[Status]string{
	Open: "待签收", Acknowledged: "整改中", Fixed: "已整改待核验", Verified: "已核验", Closed: "已关闭", Rejected: "已驳回",
}

// apply moves t to status to (or, for escalation, marks it), records the
// event and the action, as the principal in ctx (the system when none).
func (s *Service) apply(ctx context.Context, tx *store.Tx, t *Ticket, action string, to Status, note string, now time.Time) error {
	now = now.UTC()
	before := *t
	was := t.Status
	t.Status, t.UpdatedAt = to, now
	switch {
	case action == ActEscalate:
		t.Escalated, t.EscalatedAt = true, &now
	case to == Closed:
		t.ClosedAt = &now
	case to == Rejected:
		t.RejectReason = note
	}
	t.Overdue = t.Status.Active() && now.After(t.Deadline)
	ok, err := updateTicket(ctx, tx, t, was)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Conflict, "the ticket was changed meanwhile; reload it", "工单已被他人修改，请刷新后重试")
	}
	e := Event{Action: action, From: was, To: to, Note: note, ActorID: "system", ActorName: "system", At: now}
	if p := authz.FromContext(ctx); p != nil {
		e.OrgID, e.ActorID, e.ActorName = p.OrgID, p.UserID, p.Username
	}
	if err := appendEvent(ctx, tx, t.ID, &e, t.NodeID); err != nil {
		return err
	}
	return actionlog.Append(ctx, tx, now, "rectification."+action, "rectification_ticket", t.ID, t.OrgID, before, t)
}

// recheck runs the Verifier on a fixed ticket and, as the system, moves it
// to verified or back to acknowledged. A Verifier that fails leaves the
// ticket fixed, for the raiser to verify.
func (s *Service) recheck(ctx context.Context, t *Ticket) {
	resolved, reason, err := s.verifier(ctx, t)
	if errors.Is(err, ErrNoRecheck) {
		return
	}
	if err != nil {
		s.log.Warn("rectification re-check failed", "ticket", t.ID, "org", t.OrgID, "error", err)
		return
	}
	action, to, note := ActVerify, Verified, "自动复核通过 / re-check passed"
	if !resolved {
		action, to = ActReopen, Acknowledged
		note = "自动复核：问题仍存在 / re-check: the issue remains"
		if reason = strings.TrimSpace(reason); reason != "" {
			note += ": " + reason
		}
	}
	sys := authz.WithPrincipal(ctx, nil)
	err = s.db.InTx(sys, func(tx *store.Tx) error {
		cur, err := loadTicket(sys, tx, t.ID, s.now())
		if err != nil {
			return err
		}
		if cur.Status != Fixed {
			return nil // someone else moved it on meanwhile
		}
		return s.apply(sys, tx, cur, action, to, note, s.now())
	})
	if err != nil {
		s.log.Warn("rectification re-check not recorded", "ticket", t.ID, "org", t.OrgID, "error", err)
	}
}

package rectify

import (
	"context"
	"fmt"
	"time"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// Get returns a ticket with its history.
func (s *Service) Get(ctx context.Context, id string) (*Ticket, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canRead(p, t) {
		return nil, notFound(id)
	}
	return t, nil
}

// get reads a ticket with its history, unchecked.
func (s *Service) get(ctx context.Context, id string) (*Ticket, error) {
	t, err := loadTicket(ctx, s.db, id, s.now())
	if store.IsNoRows(err) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, err
	}
	if t.History, err = loadEvents(ctx, s.db, id); err != nil {
		return nil, err
	}
	return t, nil
}

// List returns the tickets the caller may read that match f, the most
// urgent first (earliest deadline), without their history.
func (s *Service) List(ctx context.Context, f Filter) ([]Ticket, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	now := s.now()
	q := ticketSelect + ` WHERE 1=1`
	var args []any
	add := func(cond string, vals ...any) {
		q += ` AND ` + cond
		args = append(args, vals...)
	}
	switch {
	case readsAll(p):
	case p.CanSome(authz.RectifyRead):
		add(`(t.org_id = ? OR t.raised_org_id = ? OR t.raised_by = ?)`, p.OrgID, p.OrgID, p.UserID)
	default:
		add(`t.raised_by = ?`, p.UserID)
	}
	if f.OrgID != "" {
		add(`t.org_id = ?`, f.OrgID)
	}
	if f.RaisedOrgID != "" {
		add(`t.raised_org_id = ?`, f.RaisedOrgID)
	}
	if f.ResourceID != "" {
		add(`t.resource_id = ?`, f.ResourceID)
	}
	if f.Source != "" {
		add(`t.source = ?`, string(f.Source))
	}
	if len(f.Statuses) > 0 {
		vals := make([]any, len(f.Statuses))
		for i, st := range f.Statuses {
			vals[i] = string(st)
		}
		add(`t.status IN (`+placeholders(len(vals))+`)`, vals...)
	}
	if f.Overdue {
		add(`t.status NOT IN ('closed', 'rejected') AND t.deadline < ?`, store.FormatTime(now))
	}
	if f.Escalated {
		add(`t.escalated = 1`)
	}
	q += ` ORDER BY t.deadline, t.id LIMIT ? OFFSET ?`
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("rectify: list tickets: %w", err)
	}
	defer rows.Close()
	out := []Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows, now)
		if err != nil {
			return nil, fmt.Errorf("rectify: list tickets: %w", err)
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// OrgSummaries counts tickets per providing organisation, those with the
// most overdue tickets first: every organisation for platform
// administrators and auditors, the caller's own otherwise.
func (s *Service) OrgSummaries(ctx context.Context) ([]OrgSummary, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !p.CanSome(authz.RectifyRead) {
		return nil, authz.Denied()
	}
	q := `SELECT t.org_id, o.name,
		SUM(CASE WHEN t.status NOT IN ('closed', 'rejected') THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.status NOT IN ('closed', 'rejected') AND t.deadline < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.status NOT IN ('closed', 'rejected') AND t.escalated = 1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.status = 'closed' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.status = 'rejected' THEN 1 ELSE 0 END)
		FROM rectification_tickets t JOIN organisations o ON o.id = t.org_id`
	args := []any{store.FormatTime(s.now())}
	if !readsAll(p) {
		q += ` WHERE t.org_id = ?`
		args = append(args, p.OrgID)
	}
	q += ` GROUP BY t.org_id, o.name ORDER BY 4 DESC, 5 DESC, 3 DESC, o.name`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("rectify: summaries: %w", err)
	}
	defer rows.Close()
	out := []OrgSummary{}
	for rows.Next() {
		var o OrgSummary
		if err := rows.Scan(&o.OrgID, &o.OrgName, &o.Active, &o.Overdue, &o.Escalated, &o.Closed, &o.Rejected); err != nil {
			return nil, fmt.Errorf("rectify: summaries: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Escalate marks every active ticket past its deadline at now, and not
// yet escalated, as escalated, and returns them. It is the scheduler's
// pass (run with no principal in ctx) or a platform administrator's.
func (s *Service) Escalate(ctx context.Context, now time.Time) ([]Ticket, error) {
	if p := authz.FromContext(ctx); p != nil && !isPlatform(p) {
		return nil, authz.Denied()
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	var out []Ticket
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, ticketSelect+` WHERE t.escalated = 0 AND t.status NOT IN ('closed', 'rejected')
			AND t.deadline < ? ORDER BY t.deadline, t.id`, store.FormatTime(now))
		if err != nil {
			return fmt.Errorf("rectify: overdue tickets: %w", err)
		}
		var due []*Ticket
		for rows.Next() {
			t, err := scanTicket(rows, now)
			if err != nil {
				rows.Close()
				return fmt.Errorf("rectify: overdue tickets: %w", err)
			}
			due = append(due, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, t := range due {
			days := cal.WorkdaysBetween(t.Deadline, now)
			note := fmt.Sprintf("逾期 %d 个工作日未办结，已升级 / overdue by %d working days: escalated", days, days)
			if err := s.apply(ctx, tx, t, ActEscalate, t.Status, note, now); err != nil {
				return err
			}
			out = append(out, *t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []Ticket{}
	}
	return out, nil
}

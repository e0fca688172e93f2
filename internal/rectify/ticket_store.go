package rectify

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/store"
)

const ticketSelect = `SELECT t.id, t.node_id, t.org_id, o.name, t.raised_org_id, ro.name, t.raised_by, t.raised_by_name,
	t.source, t.resource_id, t.dataset, t.load_id, t.run_id, t.record_key, t.item, t.title, t.title_en, t.description,
	t.detail, t.affected, t.status, t.deadline, t.escalated, t.escalated_at, t.reject_reason, t.created_at, t.updated_at, t.closed_at
	FROM rectification_tickets t JOIN organisations o ON o.id = t.org_id JOIN organisations ro ON ro.id = t.raised_org_id`

func scanTicket(sc interface{ Scan(...any) error }, now time.Time) (*Ticket, error) {
	var t Ticket
	var detail, deadline, created, updated string
	var escalatedAt, closedAt sql.NullString
	var escalated int64
	err := sc.Scan(&t.ID, &t.NodeID, &t.OrgID, &t.OrgName, &t.RaisedOrgID, &t.RaisedOrgName, &t.RaisedBy, &t.RaisedByName,
		&t.Source, &t.ResourceID, &t.Dataset, &t.LoadID, &t.RunID, &t.RecordKey, &t.Item, &t.Title, &t.TitleEN, &t.Description,
		&detail, &t.Affected, &t.Status, &deadline, &escalated, &escalatedAt, &t.RejectReason, &created, &updated, &closedAt)
	if err != nil {
		return nil, err
	}
	if detail != "" {
		t.Detail = []byte(detail)
	}
	t.Deadline, t.CreatedAt, t.UpdatedAt = store.ParseTime(deadline), store.ParseTime(created), store.ParseTime(updated)
	t.Escalated = store.Bool(escalated)
	t.EscalatedAt, t.ClosedAt = timePtr(escalatedAt), timePtr(closedAt)
	t.Overdue = t.Status.Active() && now.After(t.Deadline)
	return &t, nil
}

func timePtr(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := store.ParseTime(s.String)
	return &t
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return store.FormatTime(*t)
}

func insertTicket(ctx context.Context, q store.Querier, t *Ticket) error {
	_, err := q.ExecContext(ctx, `INSERT INTO rectification_tickets (id, node_id, org_id, raised_org_id, raised_by, raised_by_name,
		source, resource_id, dataset, load_id, run_id, record_key, item, title, title_en, description, detail, affected, status,
		deadline, escalated, reject_reason, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?, ?)`,
		t.ID, t.NodeID, t.OrgID, t.RaisedOrgID, t.RaisedBy, t.RaisedByName, string(t.Source), t.ResourceID, t.Dataset,
		t.LoadID, t.RunID, t.RecordKey, t.Item, t.Title, t.TitleEN, t.Description, string(t.Detail), t.Affected, string(t.Status),
		store.FormatTime(t.Deadline), store.FormatTime(t.CreatedAt), store.FormatTime(t.UpdatedAt))
	if err != nil {
		return fmt.Errorf("rectify: insert ticket: %w", err)
	}
	return nil
}

// loadTicket reads one ticket; store.ErrNoRows when there is none.
func loadTicket(ctx context.Context, q store.Querier, id string, now time.Time) (*Ticket, error) {
	t, err := scanTicket(q.QueryRowContext(ctx, ticketSelect+` WHERE t.id = ?`, id), now)
	if err != nil && !store.IsNoRows(err) {
		return nil, fmt.Errorf("rectify: load ticket %s: %w", id, err)
	}
	return t, err
}

// updateTicket writes a ticket's changing columns, provided its status is
// still was: false when another writer changed it first.
func updateTicket(ctx context.Context, q store.Querier, t *Ticket, was Status) (bool, error) {
	res, err := q.ExecContext(ctx, `UPDATE rectification_tickets SET status = ?, escalated = ?, escalated_at = ?, reject_reason = ?,
		updated_at = ?, closed_at = ? WHERE id = ? AND status = ?`,
		string(t.Status), store.Int(t.Escalated), nullTime(t.EscalatedAt), t.RejectReason, store.FormatTime(t.UpdatedAt),
		nullTime(t.ClosedAt), t.ID, string(was))
	if err != nil {
		return false, fmt.Errorf("rectify: update ticket %s: %w", t.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// appendEvent adds the next event of a ticket's history.
func appendEvent(ctx context.Context, q store.Querier, ticketID string, e *Event, nodeID string) error {
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM rectification_events WHERE ticket_id = ?`, ticketID).Scan(&e.Seq); err != nil {
		return fmt.Errorf("rectify: next event of %s: %w", ticketID, err)
	}
	_, err := q.ExecContext(ctx, `INSERT INTO rectification_events (ticket_id, seq, action, from_status, to_status, note, node_id, org_id,
		actor_id, actor_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ticketID, e.Seq, e.Action, string(e.From), string(e.To), e.Note, nodeID, e.OrgID, e.ActorID, e.ActorName, store.FormatTime(e.At))
	if err != nil {
		return fmt.Errorf("rectify: insert event of %s: %w", ticketID, err)
	}
	return nil
}

func loadEvents(ctx context.Context, q store.Querier, ticketID string) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, action, from_status, to_status, note, org_id, actor_id, actor_name, at
		FROM rectification_events WHERE ticket_id = ? ORDER BY seq`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("rectify: history of %s: %w", ticketID, err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&e.Seq, &e.Action, &e.From, &e.To, &e.Note, &e.OrgID, &e.ActorID, &e.ActorName, &at); err != nil {
			return nil, fmt.Errorf("rectify: history of %s: %w", ticketID, err)
		}
		e.At = store.ParseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// placeholders returns "?, ?, ..." for n values.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

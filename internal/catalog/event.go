package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/workday"
)

// UpdateWindow is the number of working days within which a change of law
// or duty must be reflected in the catalog (CAT-4).
const UpdateWindow = 10

// Event kinds that start the update clock.
var EventKinds = codeTable{
	{"law", "法律法规变化", "Change of law or regulation"},
	{"duty", "职能职责变化", "Change of duties"},
	{"other", "其他", "Other"},
}

// Event is a recorded trigger for a catalog update.
type Event struct {
	ID           string `json:"id"`
	OrgID        string `json:"org_id"`
	OrgName      string `json:"org_name,omitempty"`
	ResourceID   string `json:"resource_id,omitempty"`
	ResourceName string `json:"resource_name,omitempty"`
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	OccurredOn   string `json:"occurred_on"` // YYYY-MM-DD
	Deadline     string `json:"deadline"`    // YYYY-MM-DD: end of the 10th working day after OccurredOn
	RecordedAt   string `json:"recorded_at"`
	ResolvedAt   string `json:"resolved_at,omitempty"`
	Overdue      bool   `json:"overdue"`
	DaysLate     int    `json:"working_days_late,omitempty"`
}

// RecordEvent records a change of law or duty against a resource or an
// organisation and starts the 10-working-day clock.
func (s *Service) RecordEvent(ctx context.Context, e Event) (*Event, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	var f apperr.Fields
	if !EventKinds.Has(e.Kind) {
		f.Add("kind", "must be law, duty or other", "须为 law、duty、other 之一")
	}
	if e.Title = strings.TrimSpace(e.Title); e.Title == "" {
		f.Add("title", "is required", "不能为空")
	}
	occurred, perr := ParseDay(e.OccurredOn)
	if perr != nil {
		f.Add("occurred_on", "must be a date YYYY-MM-DD", "须为日期 YYYY-MM-DD")
	} else if occurred.After(s.now()) {
		f.Add("occurred_on", "cannot be in the future", "不能晚于今天")
	}
	if e.ResourceID != "" {
		r, err := loadResource(ctx, s.db, e.ResourceID)
		if err != nil {
			f.Add("resource_id", "no such resource", "资源不存在")
		} else {
			e.OrgID = r.OrgID
		}
	}
	if e.OrgID == "" {
		e.OrgID = p.OrgID
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !p.Can(authz.EventRecord, e.OrgID) {
		return nil, authz.Denied()
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	if !cal.Covers(occurred) {
		return nil, apperr.New(apperr.Invalid, "the working-day calendar has no data for that year; an administrator must add it", "工作日历尚无该年度数据,请管理员补充").
			With("occurred_on", "outside the calendar's years", "超出工作日历年份")
	}
	e.ID = uuid.Must(uuid.NewV7()).String()
	e.Deadline = cal.AddWorkdays(occurred, UpdateWindow).Format(time.DateOnly)
	e.RecordedAt = store.FormatTime(s.now())
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		o, _ := s.org(e.OrgID)
		var res any
		if e.ResourceID != "" {
			res = e.ResourceID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO update_events (id, node_id, org_id, resource_id, kind, title, occurred_on, recorded_at, deadline, recorded_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, o.nodeID, e.OrgID, res, e.Kind, e.Title, e.OccurredOn, e.RecordedAt, e.Deadline, p.Username); err != nil {
			return fmt.Errorf("insert event: %w", err)
		}
		return actionlog.Append(ctx, tx, s.now(), "event.record", "event", e.ID, e.OrgID, nil, e)
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// ResolveEvent closes an organisation-level event once its catalog has been
// brought up to date. Events against a resource close by themselves when a
// new version of the resource is published.
func (s *Service) ResolveEvent(ctx context.Context, id string) (*Event, error) {
	evs, err := s.events(ctx, `WHERE e.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		return nil, apperr.NotFoundf("event", id)
	}
	e := evs[0]
	if _, err := need(ctx, authz.EventRecord, e.OrgID); err != nil {
		return nil, err
	}
	if e.ResolvedAt != "" {
		return nil, apperr.New(apperr.Conflict, "the event is already resolved", "该事件已办结")
	}
	e.ResolvedAt = store.FormatTime(s.now())
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE update_events SET resolved_at = ? WHERE id = ?`, e.ResolvedAt, id); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, s.now(), "event.resolve", "event", id, e.OrgID, nil, e)
	})
	return &e, err
}

// resolveEvents closes the open events of a resource that was just
// published.
func resolveEvents(ctx context.Context, tx *store.Tx, r *Resource, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE update_events SET resolved_at = ?, resolved_version = ? WHERE resource_id = ? AND resolved_at IS NULL`,
		store.FormatTime(now), r.Version, r.ID)
	return err
}

// EventFilter selects events.
type EventFilter struct {
	OrgID       string
	OverdueOnly bool
	OpenOnly    bool
}

// Events lists update events the caller may see, with their clocks
// evaluated now.
func (s *Service) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if f.OrgID == "" && !p.CanAny(authz.ReportRead) {
		f.OrgID = p.OrgID
	}
	if f.OrgID != "" && !p.Can(authz.ReportRead, f.OrgID) {
		return nil, authz.Denied()
	}
	if f.OrgID == "" && !p.CanAny(authz.ReportRead) {
		return nil, authz.Denied()
	}
	where, args := `WHERE 1=1`, []any{}
	if f.OrgID != "" {
		where += ` AND e.org_id = ?`
		args = append(args, f.OrgID)
	}
	if f.OpenOnly || f.OverdueOnly {
		where += ` AND e.resolved_at IS NULL`
	}
	evs, err := s.events(ctx, where, args...)
	if err != nil {
		return nil, err
	}
	if !f.OverdueOnly {
		return evs, nil
	}
	out := evs[:0]
	for _, e := range evs {
		if e.Overdue {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *Service) events(ctx context.Context, where string, args ...any) ([]Event, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, e.org_id, o.name, COALESCE(e.resource_id, ''), COALESCE(r.name, ''), e.kind, e.title,
		e.occurred_on, e.deadline, e.recorded_at, COALESCE(e.resolved_at, '')
		FROM update_events e JOIN organisations o ON o.id = e.org_id LEFT JOIN resources r ON r.id = e.resource_id
		`+where+` ORDER BY e.deadline, e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	today := civilDay(s.now())
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.OrgID, &e.OrgName, &e.ResourceID, &e.ResourceName, &e.Kind, &e.Title,
			&e.OccurredOn, &e.Deadline, &e.RecordedAt, &e.ResolvedAt); err != nil {
			return nil, err
		}
		deadline, _ := ParseDay(e.Deadline)
		end := today
		if e.ResolvedAt != "" {
			end = civilDay(store.ParseTime(e.ResolvedAt))
		}
		if end.After(deadline) {
			e.Overdue = e.ResolvedAt == ""
			e.DaysLate = cal.WorkdaysBetween(deadline, end)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OverdueByOrg counts open overdue events per organisation.
func (s *Service) OverdueByOrg(ctx context.Context) (map[string]int, error) {
	evs, err := s.Events(ctx, EventFilter{OverdueOnly: true})
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, e := range evs {
		out[e.OrgID]++
	}
	return out, nil
}

// CalendarOverrides lists the admins' additions to the shipped calendar.
func (s *Service) CalendarOverrides(ctx context.Context) ([]workday.Override, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT day, kind, name FROM calendar_overrides ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("list calendar overrides: %w", err)
	}
	defer rows.Close()
	var out []workday.Override
	for rows.Next() {
		var day, kind, name string
		if err := rows.Scan(&day, &kind, &name); err != nil {
			return nil, err
		}
		d, err := ParseDay(day)
		if err != nil {
			continue
		}
		k := workday.Holiday
		if kind == "workday" {
			k = workday.Workday
		}
		out = append(out, workday.Override{Date: d, Kind: k, Name: name})
	}
	return out, rows.Err()
}

// PutCalendarDay adds or replaces an override day (platform administrators).
func (s *Service) PutCalendarDay(ctx context.Context, day, kind, name string) error {
	p, err := need(ctx, authz.CalendarManage, "")
	if err != nil {
		return err
	}
	var f apperr.Fields
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		f.Add("day", "must be a date YYYY-MM-DD", "须为日期 YYYY-MM-DD")
	}
	if kind != "holiday" && kind != "workday" {
		f.Add("kind", "must be holiday or workday", "须为 holiday 或 workday")
	}
	if strings.TrimSpace(name) == "" {
		f.Add("name", "is required", "不能为空")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_overrides (day, kind, name, created_by, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name`, day, kind, name, p.Username, store.FormatTime(s.now())); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, s.now(), "calendar.put", "calendar", day, "", nil, map[string]string{"kind": kind, "name": name})
	})
}

// cst is China Standard Time, in which working days are counted.
var cst = time.FixedZone("CST", 8*3600)

func civilDay(t time.Time) time.Time {
	y, m, d := t.In(cst).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, cst)
}

// ParseDay reads a YYYY-MM-DD civil date in China Standard Time.
func ParseDay(s string) (time.Time, error) { return time.ParseInLocation(time.DateOnly, s, cst) }

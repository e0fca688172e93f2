package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/store"
)

// Summary counts what the node holds after seeding.
type Summary struct {
	AlreadySeeded    bool                   // the demo was seeded before; nothing was changed
	Nodes            int                    // nodes, the province hub included
	Organisations    int                    // organisations, the platform's own included
	Users            int                    // users, admin included
	Resources        int                    // catalog resources
	ByStatus         map[catalog.Status]int // resources per lifecycle status
	PendingRevisions int                    // published resources with a newer unpublished revision
	DataItems        int
	Versions         int // resource versions kept
	Sources          int // authoritative sources declared
	Events           int // update events (CAT-4)
	EventsOpen       int // not resolved, within their deadline
	EventsOverdue    int // not resolved, past their deadline
	EventsResolved   int
	Elapsed          time.Duration // how long seeding took (0 when already seeded)
}

// count reads the summary from the store; now decides which open events
// are overdue.
func count(ctx context.Context, db *store.DB, now time.Time) (*Summary, error) {
	s := &Summary{ByStatus: map[catalog.Status]int{}}
	for _, c := range []struct {
		dst *int
		q   string
	}{
		{&s.Nodes, `SELECT COUNT(*) FROM nodes`},
		{&s.Organisations, `SELECT COUNT(*) FROM organisations`},
		{&s.Users, `SELECT COUNT(*) FROM users`},
		{&s.Resources, `SELECT COUNT(*) FROM resources`},
		{&s.PendingRevisions, `SELECT COUNT(*) FROM resources WHERE published_version IS NOT NULL AND version > published_version`},
		{&s.DataItems, `SELECT COUNT(*) FROM data_items`},
		{&s.Versions, `SELECT COUNT(*) FROM resource_versions`},
		{&s.Sources, `SELECT COUNT(*) FROM authoritative_sources`},
		{&s.Events, `SELECT COUNT(*) FROM update_events`},
		{&s.EventsResolved, `SELECT COUNT(*) FROM update_events WHERE resolved_at IS NOT NULL`},
	} {
		if err := db.QueryRowContext(ctx, c.q).Scan(c.dst); err != nil {
			return nil, fmt.Errorf("count: %w", err)
		}
	}
	// A deadline is the end of its day in China Standard Time.
	today := now.In(cst).Format(time.DateOnly)
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM update_events WHERE resolved_at IS NULL AND deadline < ?`, today).Scan(&s.EventsOverdue); err != nil {
		return nil, fmt.Errorf("count overdue events: %w", err)
	}
	s.EventsOpen = s.Events - s.EventsResolved - s.EventsOverdue
	rows, err := db.QueryContext(ctx, `SELECT status, COUNT(*) FROM resources GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count resources by status: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		s.ByStatus[catalog.Status(st)] = n
	}
	return s, rows.Err()
}

// Package actionlog records every write: who, what, when, from where, and
// the entity before and after. It is one append-only table written by one
// function, Append, so that the tamper-evident audit trail can take it over.
package actionlog

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// Entry is one recorded action.
type Entry struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	NodeID     string          `json:"node_id"`
	OrgID      string          `json:"org_id"`
	ActorID    string          `json:"actor_id"`
	ActorName  string          `json:"actor_name"`
	Action     string          `json:"action"`
	EntityType string          `json:"entity_type"`
	EntityID   string          `json:"entity_id"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	RemoteAddr string          `json:"remote_addr,omitempty"`
}

type remoteKey struct{}

// WithRemoteAddr returns ctx carrying the caller's address for Append.
func WithRemoteAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, remoteKey{}, addr)
}

// Append records one action inside the caller's transaction, so the record
// and the change commit or fail together. before and after are marshalled
// to JSON (nil for none). The actor comes from ctx; a nil principal is
// recorded as the system.
func Append(ctx context.Context, q store.Querier, at time.Time, action, entityType, entityID, orgID string, before, after any) error {
	p := authz.FromContext(ctx)
	actorID, actorName, nodeID := "system", "system", ""
	if p != nil {
		actorID, actorName, nodeID = p.UserID, p.Username, p.NodeID
	}
	b, err := marshal(before)
	if err != nil {
		return err
	}
	a, err := marshal(after)
	if err != nil {
		return err
	}
	remote, _ := ctx.Value(remoteKey{}).(string)
	_, err = q.ExecContext(ctx, `INSERT INTO action_log
		(at, node_id, org_id, actor_id, actor_name, action, entity_type, entity_id, before_json, after_json, remote_addr)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		store.FormatTime(at), nodeID, orgID, actorID, actorName, action, entityType, entityID, b, a, remote)
	if err != nil {
		return fmt.Errorf("append action %s %s/%s: %w", action, entityType, entityID, err)
	}
	return nil
}

func marshal(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		return string(raw), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("marshal action log value: %w", err)
	}
	return string(b), nil
}

// Filter selects entries for List.
type Filter struct {
	OrgID      string // "" = all (callers enforce scope)
	EntityType string
	EntityID   string
	BeforeSeq  int64 // page backwards from here; 0 = newest
	Limit      int
}

// List returns entries newest first.
func List(ctx context.Context, q store.Querier, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	sql := `SELECT seq, at, node_id, org_id, actor_id, actor_name, action, entity_type, entity_id, before_json, after_json, remote_addr
		FROM action_log WHERE 1=1`
	var args []any
	if f.OrgID != "" {
		sql += ` AND org_id = ?`
		args = append(args, f.OrgID)
	}
	if f.EntityType != "" {
		sql += ` AND entity_type = ?`
		args = append(args, f.EntityType)
	}
	if f.EntityID != "" {
		sql += ` AND entity_id = ?`
		args = append(args, f.EntityID)
	}
	if f.BeforeSeq > 0 {
		sql += ` AND seq < ?`
		args = append(args, f.BeforeSeq)
	}
	sql += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := q.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var at, before, after string
		if err := rows.Scan(&e.Seq, &at, &e.NodeID, &e.OrgID, &e.ActorID, &e.ActorName, &e.Action,
			&e.EntityType, &e.EntityID, &before, &after, &e.RemoteAddr); err != nil {
			return nil, err
		}
		e.At = store.ParseTime(at)
		if before != "" {
			e.Before = json.RawMessage(before)
		}
		if after != "" {
			e.After = json.RawMessage(after)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

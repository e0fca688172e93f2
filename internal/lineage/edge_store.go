package lineage

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/store"
)

const edgeSelect = `SELECT id, node_id, org_id, from_kind, from_ref, from_label, to_kind, to_ref, to_label, kind, label,
	manual, note, created_by, created_at FROM lineage_edges`

func scanEdge(sc interface{ Scan(...any) error }) (*Edge, error) {
	var e Edge
	var manual int64
	var at string
	if err := sc.Scan(&e.ID, &e.NodeID, &e.OrgID, &e.From.Kind, &e.From.Ref, &e.From.Label, &e.To.Kind, &e.To.Ref, &e.To.Label,
		&e.Kind, &e.Label, &manual, &e.Note, &e.CreatedBy, &at); err != nil {
		return nil, err
	}
	e.Manual = manual != 0
	e.CreatedAt = store.ParseTime(at)
	return &e, nil
}

// findEdge returns the edge with e's ends and kind, or nil.
func findEdge(ctx context.Context, q store.Querier, e Edge) (*Edge, error) {
	x, err := scanEdge(q.QueryRowContext(ctx, edgeSelect+` WHERE from_kind = ? AND from_ref = ? AND to_kind = ? AND to_ref = ? AND kind = ?`,
		e.From.Kind, e.From.Ref, e.To.Kind, e.To.Ref, e.Kind))
	if store.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lineage: find edge: %w", err)
	}
	return x, nil
}

func edgeByID(ctx context.Context, q store.Querier, id int64) (*Edge, error) {
	e, err := scanEdge(q.QueryRowContext(ctx, edgeSelect+` WHERE id = ?`, id))
	if store.IsNoRows(err) {
		return nil, apperr.New(apperr.NotFound, "lineage edge "+strconv.FormatInt(id, 10)+" not found", "未找到血缘关系 "+strconv.FormatInt(id, 10))
	}
	if err != nil {
		return nil, fmt.Errorf("lineage: edge %d: %w", id, err)
	}
	return e, nil
}

func insertEdge(ctx context.Context, q store.Querier, e *Edge) (int64, error) {
	var id int64
	manual := 0
	if e.Manual {
		manual = 1
	}
	err := q.QueryRowContext(ctx, `INSERT INTO lineage_edges (node_id, org_id, from_kind, from_ref, from_label, to_kind, to_ref, to_label,
		kind, label, manual, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.NodeID, e.OrgID, e.From.Kind, e.From.Ref, e.From.Label, e.To.Kind, e.To.Ref, e.To.Label, e.Kind, e.Label,
		manual, e.Note, e.CreatedBy, store.FormatTime(e.CreatedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("lineage: insert edge: %w", err)
	}
	return id, nil
}

func updateLabels(ctx context.Context, q store.Querier, e *Edge) error {
	_, err := q.ExecContext(ctx, `UPDATE lineage_edges SET from_label = ?, to_label = ?, label = ? WHERE id = ?`,
		e.From.Label, e.To.Label, e.Label, e.ID)
	if err != nil {
		return fmt.Errorf("lineage: update edge %d: %w", e.ID, err)
	}
	return nil
}

// listEdges returns edges matching f, newest first.
func listEdges(ctx context.Context, q store.Querier, f EdgeFilter) ([]Edge, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	sql := edgeSelect + ` WHERE 1=1`
	var args []any
	if f.Node != "" {
		kind, ref, _ := strings.Cut(f.Node, ":")
		sql += ` AND (from_kind = ? AND from_ref = ? OR to_kind = ? AND to_ref = ?)`
		args = append(args, kind, ref, kind, ref)
	}
	if f.Kind != "" {
		sql += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if f.OrgID != "" {
		sql += ` AND org_id = ?`
		args = append(args, f.OrgID)
	}
	sql += ` ORDER BY id DESC LIMIT ? OFFSET ?`
	args = append(args, f.Limit, max(f.Offset, 0))
	return queryEdges(ctx, q, sql, args...)
}

func queryEdges(ctx context.Context, q store.Querier, sql string, args ...any) ([]Edge, error) {
	rows, err := q.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("lineage: list edges: %w", err)
	}
	defer rows.Close()
	out := []Edge{}
	for rows.Next() {
		e, err := scanEdge(rows)
		if err != nil {
			return nil, fmt.Errorf("lineage: list edges: %w", err)
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

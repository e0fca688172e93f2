package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/store"
)

// nextCode allocates the next sequence number of a classification and
// returns the resource code.
func nextCode(ctx context.Context, q store.Querier, classCode string) (string, error) {
	var seq int
	err := q.QueryRowContext(ctx, `INSERT INTO resource_sequences (class_code, next_seq) VALUES (?, 1)
		ON CONFLICT (class_code) DO UPDATE SET next_seq = resource_sequences.next_seq + 1
		RETURNING next_seq`, classCode).Scan(&seq)
	if err != nil {
		return "", fmt.Errorf("allocate code for %s: %w", classCode, err)
	}
	if seq > 999999 {
		return "", apperr.New(apperr.Conflict, "classification "+classCode+" has no free sequence numbers", "分类"+classCode+"的顺序码已用尽")
	}
	return fmt.Sprintf("%s/%06d", classCode, seq), nil
}

// insertResource writes the entry's row; its document goes in with its
// version (insertVersion), which is where the working copy is read from.
func insertResource(ctx context.Context, q store.Querier, r *Resource) error {
	_, err := q.ExecContext(ctx, `INSERT INTO resources (id, node_id, org_id, code, class_code, name, status, version, published_version,
		level, sensitivity, share_type, open_type, update_cycle, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.NodeID, r.OrgID, r.Code, r.ClassCode, r.Name, string(r.Status), r.Version, nullInt(r.PublishedVersion),
		r.Level, r.Sensitivity, r.Share.Type, r.Open.Type, r.UpdateCycle, r.CreatedBy,
		store.FormatTime(r.CreatedAt), store.FormatTime(r.UpdatedAt))
	if store.IsUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "resource code "+r.Code+" exists", "资源代码"+r.Code+"已存在").With("code", "must be unique", "不能重复")
	}
	if err != nil {
		return fmt.Errorf("insert resource: %w", err)
	}
	return replaceItems(ctx, q, r)
}

func updateResource(ctx context.Context, q store.Querier, r *Resource, itemsChanged bool) error {
	_, err := q.ExecContext(ctx, `UPDATE resources SET name = ?, class_code = ?, status = ?, version = ?, published_version = ?,
		level = ?, sensitivity = ?, share_type = ?, open_type = ?, update_cycle = ?, updated_at = ? WHERE id = ?`,
		r.Name, r.ClassCode, string(r.Status), r.Version, nullInt(r.PublishedVersion), r.Level, r.Sensitivity,
		r.Share.Type, r.Open.Type, r.UpdateCycle, store.FormatTime(r.UpdatedAt), r.ID)
	if err != nil {
		return fmt.Errorf("update resource %s: %w", r.ID, err)
	}
	if !itemsChanged {
		return nil
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM data_items WHERE resource_id = ?`, r.ID); err != nil {
		return err
	}
	return replaceItems(ctx, q, r)
}

func replaceItems(ctx context.Context, q store.Querier, r *Resource) error {
	for i, it := range r.Items {
		if _, err := q.ExecContext(ctx, `INSERT INTO data_items (resource_id, position, code, name, data_type, element_code, category, sensitivity)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, i, it.Code, it.Name, it.DataType, it.Element, it.Category, it.Sensitivity); err != nil {
			return fmt.Errorf("insert data item %d: %w", i, err)
		}
	}
	return nil
}

func insertVersion(ctx context.Context, q store.Querier, r *Resource, action, reason, authorID, authorName string, doc []byte, diff []Change) error {
	d, err := json.Marshal(diff)
	if err != nil {
		return err
	}
	if diff == nil {
		d = []byte("[]")
	}
	_, err = q.ExecContext(ctx, `INSERT INTO resource_versions (resource_id, version, status, action, reason, author_id, author_name, at, doc, diff)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Version, string(r.Status), action, reason, authorID, authorName, store.FormatTime(r.UpdatedAt), string(doc), string(d))
	if err != nil {
		return fmt.Errorf("insert version %d of %s: %w", r.Version, r.ID, err)
	}
	return nil
}

func nullInt(v int) any {
	if v == 0 {
		return nil
	}
	return v
}

// loadResource reads the working copy of one resource.
func loadResource(ctx context.Context, q store.Querier, id string) (*Resource, error) {
	var doc string
	var pub sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT v.doc, r.published_version FROM resources r
		JOIN resource_versions v ON v.resource_id = r.id AND v.version = r.version WHERE r.id = ?`, id).Scan(&doc, &pub)
	if store.IsNoRows(err) {
		return nil, apperr.NotFoundf("resource", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load resource %s: %w", id, err)
	}
	var r Resource
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return nil, fmt.Errorf("decode resource %s: %w", id, err)
	}
	r.PublishedVersion = int(pub.Int64)
	return &r, nil
}

// loadResources reads the working copies of ids, in the order given.
func loadResources(ctx context.Context, q store.Querier, ids []string) ([]Resource, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, `SELECT r.id, v.doc, r.published_version FROM resources r
		JOIN resource_versions v ON v.resource_id = r.id AND v.version = r.version WHERE r.id IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("load resources: %w", err)
	}
	defer rows.Close()
	byID := make(map[string]*Resource, len(ids))
	for rows.Next() {
		var id, doc string
		var pub sql.NullInt64
		if err := rows.Scan(&id, &doc, &pub); err != nil {
			return nil, err
		}
		var r Resource
		if err := json.Unmarshal([]byte(doc), &r); err != nil {
			return nil, fmt.Errorf("decode resource %s: %w", id, err)
		}
		r.PublishedVersion = int(pub.Int64)
		byID[id] = &r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Resource, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, *r)
		}
	}
	return out, nil
}

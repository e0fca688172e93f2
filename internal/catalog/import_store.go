package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// The rows an import writes per entry: one in resources, one in
// resource_versions (the document, marshalled once), one per data item.
var (
	resourceCols = []string{"id", "node_id", "org_id", "code", "class_code", "name", "status", "version", "published_version",
		"level", "sensitivity", "share_type", "open_type", "update_cycle", "created_by", "created_at", "updated_at"}
	versionCols = []string{"resource_id", "version", "status", "action", "reason", "author_id", "author_name", "at", "doc", "diff"}
	itemCols    = []string{"resource_id", "position", "code", "name", "data_type", "element_code", "category", "sensitivity"}
)

// importRows are one chunk's rows, ready for the store's bulk path.
type importRows struct {
	rs              []Resource
	res, ver, items [][]any
	err             error
}

// buildRows marshals the entries' documents and lays out their rows. Each
// table's cells share one allocation.
func buildRows(rs []Resource, p *authz.Principal, reason string) *importRows {
	n := 0
	for i := range rs {
		n += len(rs[i].Items)
	}
	out := &importRows{rs: rs, res: make([][]any, len(rs)), ver: make([][]any, len(rs)), items: make([][]any, 0, n)}
	resCells := make([]any, 0, len(rs)*len(resourceCols))
	verCells := make([]any, 0, len(rs)*len(versionCols))
	itemCells := make([]any, 0, n*len(itemCols))
	for i := range rs {
		r := &rs[i]
		doc, err := json.Marshal(r)
		if err != nil {
			out.err = fmt.Errorf("marshal %s: %w", r.Code, err)
			return out
		}
		at := store.FormatTime(r.CreatedAt)
		k := len(resCells)
		resCells = append(resCells, r.ID, r.NodeID, r.OrgID, r.Code, r.ClassCode, r.Name, string(r.Status), r.Version, nil,
			r.Level, r.Sensitivity, r.Share.Type, r.Open.Type, r.UpdateCycle, r.CreatedBy, at, at)
		out.res[i] = resCells[k:len(resCells):len(resCells)]
		k = len(verCells)
		verCells = append(verCells, r.ID, r.Version, string(r.Status), "import", reason, p.UserID, p.Username, at, string(doc), "[]")
		out.ver[i] = verCells[k:len(verCells):len(verCells)]
		for j, it := range r.Items {
			k = len(itemCells)
			itemCells = append(itemCells, r.ID, j, it.Code, it.Name, it.DataType, it.Element, it.Category, it.Sensitivity)
			out.items = append(out.items, itemCells[k:len(itemCells):len(itemCells)])
		}
	}
	return out
}

// insert writes the chunk with the store's bulk path (COPY on PostgreSQL,
// multi-row INSERT on SQLite).
func (ir *importRows) insert(ctx context.Context, tx *store.Tx) error {
	if err := tx.CopyRows(ctx, "resources", resourceCols, ir.res); err != nil {
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "a resource code is already taken", "资源代码已被占用")
		}
		return err
	}
	if err := tx.CopyRows(ctx, "resource_versions", versionCols, ir.ver); err != nil {
		return err
	}
	return tx.CopyRows(ctx, "data_items", itemCols, ir.items)
}

// allocateCodes gives every entry its resource code: one statement takes
// a range of sequence numbers for each classification in rs.
func allocateCodes(ctx context.Context, tx *store.Tx, rs []Resource) error {
	count := map[string]int{}
	var q strings.Builder
	var args []any
	q.WriteString(`INSERT INTO resource_sequences (class_code, next_seq) VALUES `)
	for i := range rs {
		class := rs[i].ClassCode
		if count[class] == 0 {
			if len(args) > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?)")
			args = append(args, class, 0)
		}
		count[class]++
	}
	for i := 0; i < len(args); i += 2 {
		args[i+1] = count[args[i].(string)]
	}
	q.WriteString(` ON CONFLICT (class_code) DO UPDATE SET next_seq = resource_sequences.next_seq + excluded.next_seq
		RETURNING class_code, next_seq`)
	rows, err := tx.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return fmt.Errorf("allocate codes: %w", err)
	}
	defer rows.Close()
	next := make(map[string]int, len(count))
	for rows.Next() {
		var class string
		var last int
		if err := rows.Scan(&class, &last); err != nil {
			return fmt.Errorf("allocate codes: %w", err)
		}
		if last > 999999 {
			return apperr.New(apperr.Conflict, "classification "+class+" has no free sequence numbers", "分类"+class+"的顺序码已用尽")
		}
		next[class] = last - count[class] + 1
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("allocate codes: %w", err)
	}
	if len(next) != len(count) {
		return fmt.Errorf("allocate codes: %d of %d classifications answered", len(next), len(count))
	}
	for i := range rs {
		r := &rs[i]
		r.Code = fmt.Sprintf("%s/%06d", r.ClassCode, next[r.ClassCode])
		next[r.ClassCode]++
	}
	return nil
}

// importCacheKiB is the SQLite page cache of an import's transaction (the
// connection's default is 2 MiB): the pages of the tables and indexes
// being filled stay in memory until the commit writes them, rather than
// being spilled to the WAL and read back while the transaction runs.
const importCacheKiB = 256 << 10

// tuneForImport readies tx for writing many rows and returns what undoes
// it before the transaction ends. SQLite: a larger page cache for this
// transaction (synchronous and journal stay as they are: a committed
// import is as durable as any other write). PostgreSQL: documents are
// compressed with lz4 rather than pglz where the server has it (about
// twice as fast to write; readers decompress either).
func tuneForImport(ctx context.Context, tx *store.Tx) (func() error, error) {
	switch tx.Dialect() {
	case store.SQLite:
		var old int
		if err := tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&old); err != nil {
			return nil, fmt.Errorf("read cache size: %w", err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d`, -importCacheKiB)); err != nil {
			return nil, fmt.Errorf("set cache size: %w", err)
		}
		return func() error {
			// The connection goes back to the pool: give it its cache back.
			_, err := tx.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = %d`, old))
			return err
		}, nil
	case store.Postgres:
		var lz4 bool
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) > 0 FROM pg_settings
			WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`).Scan(&lz4); err != nil {
			return nil, fmt.Errorf("read toast compression methods: %w", err)
		}
		if lz4 {
			if _, err := tx.ExecContext(ctx, `SET LOCAL default_toast_compression = lz4`); err != nil {
				return nil, fmt.Errorf("set toast compression: %w", err)
			}
		}
	}
	return func() error { return nil }, nil
}

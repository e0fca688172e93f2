package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/search"
	"github.com/pubdata/pubdata/internal/store"
)

// OrgIDByProviderCode resolves an organisation's provider code (the code
// used in spreadsheets) to its id.
func (s *Service) OrgIDByProviderCode(code string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for id, o := range s.orgs {
		if o.providerCode == code {
			return id, true
		}
	}
	return "", false
}

// PrepareImport readies one entry of a bulk import: it checks the caller
// may write to the entry's organisation, fills the organisation's details,
// normalises, grades and checks it. The findings' errors block the entry.
func (s *Service) PrepareImport(ctx context.Context, r *Resource) ([]Finding, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if r.OrgID == "" {
		r.OrgID = p.OrgID
	}
	o, ok := s.org(r.OrgID)
	if !ok {
		return []Finding{{Field: "org_id", Severity: SevError, Rule: "reference", Message: "no such organisation", ZH: "单位不存在"}}, nil
	}
	if !p.Can(authz.CatalogWrite, r.OrgID) {
		return []Finding{{Field: "provider_code", Severity: SevError, Rule: "permission",
			Message: "you may not register resources for " + o.name, ZH: "无权为" + o.name + "编目"}}, nil
	}
	r.OrgName, r.ProviderCode, r.NodeID, r.RegionCode = o.name, o.providerCode, o.nodeID, o.region
	Normalize(r)
	Grade(r)
	return Check(r, s.reference()), nil
}

// BulkCreate stores prepared entries as drafts in one transaction: all or
// none. progress, if set, is called with the number stored so far.
func (s *Service) BulkCreate(ctx context.Context, rs []Resource, reason string, progress func(int)) ([]Resource, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if !p.Can(authz.CatalogWrite, rs[i].OrgID) {
			return nil, forbidden()
		}
	}
	now := s.now()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		stmts, err := prepareBulk(ctx, tx)
		if err != nil {
			return err
		}
		defer stmts.close()
		for i := range rs {
			r := &rs[i]
			r.ID = uuid.Must(uuid.NewV7()).String()
			r.Status, r.Version, r.PublishedVersion = Draft, 1, 0
			r.CreatedBy, r.CreatedAt, r.UpdatedAt = p.Username, now, now
			code, err := nextCodeStmt(ctx, stmts, r.ClassCode)
			if err != nil {
				return err
			}
			r.Code = code
			doc, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := stmts.insert(ctx, r, doc, p, reason); err != nil {
				return fmt.Errorf("entry %d (%s): %w", i+1, r.Name, err)
			}
			if progress != nil && (i+1)%1000 == 0 {
				progress(i + 1)
			}
		}
		return actionlog.Append(ctx, tx, now, "resource.import", "resource", fmt.Sprintf("%d entries", len(rs)), p.OrgID, nil,
			map[string]any{"count": len(rs), "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress(len(rs))
	}
	docs := make([]search.Doc, len(rs))
	for i := range rs {
		docs[i] = toDoc(&rs[i])
	}
	if err := s.index.Put(docs...); err != nil {
		s.log.Error("index imported resources", "error", err, "count", len(rs))
	}
	return rs, nil
}

// SeedResource stores a resource exactly as given (status, versions and all)
// without a principal: the demo uses it to build a believable history.
func (s *Service) SeedResource(ctx context.Context, tx *store.Tx, r *Resource, history []Version) error {
	doc, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := insertResource(ctx, tx, r, doc); err != nil {
		return err
	}
	for _, v := range history {
		vr := *r
		if v.Resource != nil {
			vr = *v.Resource
		}
		vr.Version, vr.Status = v.Version, v.Status
		vdoc, err := json.Marshal(vr)
		if err != nil {
			return err
		}
		if err := insertVersion(ctx, tx, &vr, v.Action, v.Reason, "seed", v.AuthorName, vdoc, v.Diff); err != nil {
			return err
		}
	}
	return nil
}

// NextCode allocates a resource code in tx (demo seeding).
func NextCode(ctx context.Context, tx *store.Tx, classCode string) (string, error) {
	return nextCode(ctx, tx, classCode)
}

// IndexAll puts rs into the search index (after seeding).
func (s *Service) IndexAll(ctx context.Context, rs []Resource) error {
	docs := make([]search.Doc, 0, len(rs))
	for i := range rs {
		ds, err := s.docsOf(ctx, &rs[i])
		if err != nil {
			return err
		}
		docs = append(docs, ds...)
	}
	return s.index.Put(docs...)
}

// bulkStmts are the statements of a bulk import, prepared once.
type bulkStmts struct{ seq, res, item, ver *sql.Stmt }

func prepareBulk(ctx context.Context, tx *store.Tx) (*bulkStmts, error) {
	var b bulkStmts
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.Prepare(ctx, q)
		return st
	}
	b.seq = prep(`INSERT INTO resource_sequences (class_code, next_seq) VALUES (?, 1)
		ON CONFLICT (class_code) DO UPDATE SET next_seq = resource_sequences.next_seq + 1 RETURNING next_seq`)
	b.res = prep(`INSERT INTO resources (id, node_id, org_id, code, class_code, name, status, version, published_version,
		level, sensitivity, share_type, open_type, update_cycle, doc, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	b.item = prep(`INSERT INTO data_items (resource_id, position, code, name, data_type, element_code, category, sensitivity)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	b.ver = prep(`INSERT INTO resource_versions (resource_id, version, status, action, reason, author_id, author_name, at, doc, diff)
		VALUES (?, ?, ?, 'import', ?, ?, ?, ?, ?, '[]')`)
	if err != nil {
		b.close()
		return nil, fmt.Errorf("prepare bulk import: %w", err)
	}
	return &b, nil
}

func (b *bulkStmts) close() {
	for _, s := range []*sql.Stmt{b.seq, b.res, b.item, b.ver} {
		if s != nil {
			s.Close()
		}
	}
}

func nextCodeStmt(ctx context.Context, b *bulkStmts, classCode string) (string, error) {
	var seq int
	if err := b.seq.QueryRowContext(ctx, classCode).Scan(&seq); err != nil {
		return "", fmt.Errorf("allocate code for %s: %w", classCode, err)
	}
	if seq > 999999 {
		return "", apperr.New(apperr.Conflict, "classification "+classCode+" has no free sequence numbers", "分类"+classCode+"的顺序码已用尽")
	}
	return fmt.Sprintf("%s/%06d", classCode, seq), nil
}

func (b *bulkStmts) insert(ctx context.Context, r *Resource, doc []byte, p *authz.Principal, reason string) error {
	at := store.FormatTime(r.CreatedAt)
	if _, err := b.res.ExecContext(ctx, r.ID, r.NodeID, r.OrgID, r.Code, r.ClassCode, r.Name, string(r.Status), r.Version,
		r.Level, r.Sensitivity, r.Share.Type, r.Open.Type, r.UpdateCycle, string(doc), r.CreatedBy, at, at); err != nil {
		return err
	}
	for i, it := range r.Items {
		if _, err := b.item.ExecContext(ctx, r.ID, i, it.Code, it.Name, it.DataType, it.Element, it.Category, it.Sensitivity); err != nil {
			return err
		}
	}
	_, err := b.ver.ExecContext(ctx, r.ID, r.Version, string(r.Status), reason, p.UserID, p.Username, at, string(doc))
	return err
}

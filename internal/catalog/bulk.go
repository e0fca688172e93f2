package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"

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
//
// It is the import's hot path: codes are allocated a range per
// classification, documents are marshalled on every core, rows go in
// multi-row statements, and the search index is fed while the transaction
// runs (and cleaned up if it fails).
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
	for i := range rs {
		r := &rs[i]
		r.ID = uuid.Must(uuid.NewV7()).String()
		r.Status, r.Version, r.PublishedVersion = Draft, 1, 0
		r.CreatedBy, r.CreatedAt, r.UpdatedAt = p.Username, now, now
	}
	var indexed chan error
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := allocateCodes(ctx, tx, rs); err != nil {
			return err
		}
		docs, err := marshalAll(rs)
		if err != nil {
			return err
		}
		indexed = make(chan error, 1)
		go func() { indexed <- s.index.Put(searchDocs(rs)...) }()
		if err := insertBulk(ctx, tx, rs, docs, p, reason, progress); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, now, "resource.import", "resource", fmt.Sprintf("%d entries", len(rs)), p.OrgID, nil,
			map[string]any{"count": len(rs), "reason": reason})
	})
	if indexed != nil {
		if ierr := <-indexed; ierr != nil {
			s.log.Error("index imported resources", "error", ierr, "count", len(rs))
		}
	}
	if err != nil {
		if indexed != nil {
			ids := make([]string, len(rs))
			for i := range rs {
				ids[i] = rs[i].ID
			}
			if derr := s.index.Delete(ids...); derr != nil {
				s.log.Error("unindex failed import", "error", derr, "count", len(rs))
			}
		}
		return nil, err
	}
	if progress != nil {
		progress(len(rs))
	}
	return rs, nil
}

func searchDocs(rs []Resource) []search.Doc {
	docs := make([]search.Doc, len(rs))
	for i := range rs {
		docs[i] = toDoc(&rs[i])
	}
	return docs
}

// allocateCodes gives every entry its resource code, taking one range of
// sequence numbers per classification.
func allocateCodes(ctx context.Context, tx *store.Tx, rs []Resource) error {
	count := map[string]int{}
	var order []string
	for i := range rs {
		if count[rs[i].ClassCode] == 0 {
			order = append(order, rs[i].ClassCode)
		}
		count[rs[i].ClassCode]++
	}
	next := map[string]int{}
	for _, class := range order {
		n := count[class]
		var last int
		err := tx.QueryRowContext(ctx, `INSERT INTO resource_sequences (class_code, next_seq) VALUES (?, ?)
			ON CONFLICT (class_code) DO UPDATE SET next_seq = resource_sequences.next_seq + ?
			RETURNING next_seq`, class, n, n).Scan(&last)
		if err != nil {
			return fmt.Errorf("allocate codes for %s: %w", class, err)
		}
		if last > 999999 {
			return apperr.New(apperr.Conflict, "classification "+class+" has no free sequence numbers", "分类"+class+"的顺序码已用尽")
		}
		next[class] = last - n + 1
	}
	for i := range rs {
		r := &rs[i]
		r.Code = fmt.Sprintf("%s/%06d", r.ClassCode, next[r.ClassCode])
		next[r.ClassCode]++
	}
	return nil
}

// marshalAll encodes the entries on every core.
func marshalAll(rs []Resource) ([]string, error) {
	docs := make([]string, len(rs))
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(rs); i += workers {
				b, err := json.Marshal(&rs[i])
				if err != nil {
					errs[w] = err
					return
				}
				docs[i] = string(b)
			}
		}(w)
	}
	wg.Wait()
	return docs, errors.Join(errs...)
}

// bulkChunk is how many entries go to the store at a time: it bounds the
// memory of the row buffers.
const bulkChunk = 2000

var (
	resourceCols = []string{"id", "node_id", "org_id", "code", "class_code", "name", "status", "version", "published_version",
		"level", "sensitivity", "share_type", "open_type", "update_cycle", "created_by", "created_at", "updated_at"}
	versionCols = []string{"resource_id", "version", "status", "action", "reason", "author_id", "author_name", "at", "doc", "diff"}
	itemCols    = []string{"resource_id", "position", "code", "name", "data_type", "element_code", "category", "sensitivity"}
)

// insertBulk writes the entries, their items and their first versions with
// the store's bulk path (COPY on PostgreSQL, multi-row INSERT on SQLite).
func insertBulk(ctx context.Context, tx *store.Tx, rs []Resource, docs []string, p *authz.Principal, reason string, progress func(int)) error {
	for start := 0; start < len(rs); start += bulkChunk {
		end := min(start+bulkChunk, len(rs))
		res := make([][]any, 0, end-start)
		ver := make([][]any, 0, end-start)
		var items [][]any
		for i := start; i < end; i++ {
			r := &rs[i]
			at := store.FormatTime(r.CreatedAt)
			res = append(res, []any{r.ID, r.NodeID, r.OrgID, r.Code, r.ClassCode, r.Name, string(r.Status), r.Version, nil,
				r.Level, r.Sensitivity, r.Share.Type, r.Open.Type, r.UpdateCycle, r.CreatedBy, at, at})
			ver = append(ver, []any{r.ID, r.Version, string(r.Status), "import", reason, p.UserID, p.Username, at, docs[i], "[]"})
			for j, it := range r.Items {
				items = append(items, []any{r.ID, j, it.Code, it.Name, it.DataType, it.Element, it.Category, it.Sensitivity})
			}
		}
		if err := tx.CopyRows(ctx, "resources", resourceCols, res); err != nil {
			if store.IsUniqueViolation(err) {
				return apperr.New(apperr.Conflict, "a resource code is already taken", "资源代码已被占用")
			}
			return err
		}
		if err := tx.CopyRows(ctx, "resource_versions", versionCols, ver); err != nil {
			return err
		}
		if err := tx.CopyRows(ctx, "data_items", itemCols, items); err != nil {
			return err
		}
		if progress != nil {
			progress(end)
		}
	}
	return nil
}

// SeedResource stores a resource exactly as given (status, versions and all)
// without a principal: the demo uses it to build a believable history.
func (s *Service) SeedResource(ctx context.Context, tx *store.Tx, r *Resource, history []Version) error {
	if err := insertResource(ctx, tx, r); err != nil {
		return err
	}
	current := false
	for _, v := range history {
		vr := *r
		if v.Resource != nil {
			vr = *v.Resource
		}
		vr.Version, vr.Status = v.Version, v.Status
		if v.Version == r.Version {
			// The current version's document is the working copy.
			vr, current = *r, true
		}
		vdoc, err := json.Marshal(vr)
		if err != nil {
			return err
		}
		if err := insertVersion(ctx, tx, &vr, v.Action, v.Reason, "seed", v.AuthorName, vdoc, v.Diff); err != nil {
			return err
		}
	}
	if !current {
		doc, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return insertVersion(ctx, tx, r, "import", "", "seed", r.CreatedBy, doc, nil)
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

package catalog

import (
	"context"
	"encoding/json"

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
	p, err := authz.Require(ctx)
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
// none (an Import fed in chunks). progress, if set, is called with the
// number stored so far.
func (s *Service) BulkCreate(ctx context.Context, rs []Resource, reason string, progress func(int)) ([]Resource, error) {
	im, err := s.BeginImport(ctx, reason)
	if err != nil {
		return nil, err
	}
	for start := 0; start < len(rs); start += bulkChunk {
		if err := im.Add(rs[start:min(start+bulkChunk, len(rs))]); err != nil {
			im.Abort()
			return nil, err
		}
	}
	if err := im.Commit(progress); err != nil {
		return nil, err
	}
	return rs, nil
}

// bulkChunk is how many entries BulkCreate hands to its import at a time:
// it bounds the memory of the row buffers.
const bulkChunk = 2000

func searchDocs(rs []Resource) []search.Doc {
	docs := make([]search.Doc, len(rs))
	for i := range rs {
		docs[i] = toDoc(&rs[i])
	}
	return docs
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

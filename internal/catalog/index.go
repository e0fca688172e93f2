package catalog

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/search"
)

// Visibility values in the search index: everyone authenticated sees
// published entries; an organisation's own people also see its drafts.
const visPublic = "public"

func visOrg(org string) string { return "org:" + org }

func toDoc(r *Resource) search.Doc {
	items := make([]string, len(r.Items))
	for i, it := range r.Items {
		items[i] = it.Name
	}
	lib := ""
	if len(r.ClassCode) > 0 {
		lib = map[byte]string{'1': "base", '2': "theme", '3': "department"}[r.ClassCode[0]]
	}
	class := r.ClassCode
	if len(class) > 3 {
		class = class[:3]
	}
	vis := []string{visOrg(r.OrgID)}
	if r.PublishedVersion > 0 && r.Status != Retired {
		vis = append(vis, visPublic)
	}
	return search.Doc{
		ID: r.ID, Code: r.Code, Name: r.Name, Summary: r.Summary, Keywords: r.Keywords, Items: items,
		OrgID: r.OrgID, OrgName: r.OrgName, Region: r.RegionCode, Classification: class, Library: lib,
		Level: r.Level, Sensitivity: r.Sensitivity, ShareType: r.Share.Type, OpenType: r.Open.Type,
		UpdateCycle: r.UpdateCycle, Status: string(r.Status), UpdatedAt: r.UpdatedAt, Visibility: vis,
	}
}

// indexOne updates the index after a committed change. The store is the
// truth: an index failure is logged and repaired by Reindex, never undoes
// the change.
func (s *Service) indexOne(r *Resource) {
	if err := s.index.Put(toDoc(r)); err != nil {
		s.log.Error("index resource", "error", err, "resource_id", r.ID)
	}
}

// ListQuery selects catalog entries.
type ListQuery struct {
	Text    string
	Filters map[string][]string
	Offset  int
	Limit   int
}

// ListResult is one page of entries with facet counts.
type ListResult struct {
	Items  []Resource                      `json:"items"`
	Total  int                             `json:"total"`
	Facets map[string][]search.FacetCount `json:"facets"`
}

// List searches the catalog as the caller may see it.
func (s *Service) List(ctx context.Context, q ListQuery) (*ListResult, error) {
	p, err := need(ctx, authz.CatalogRead, p0(ctx))
	if err != nil {
		return nil, err
	}
	filters := map[string][]string{}
	for k, v := range q.Filters {
		if len(v) > 0 {
			filters[k] = v
		}
	}
	if !p.CanAny(authz.CatalogReadDraft) {
		vis := []string{visPublic}
		if p.CanSome(authz.CatalogReadDraft) {
			vis = append(vis, visOrg(p.OrgID))
		}
		filters["visibility"] = vis
	}
	res, err := s.index.Search(ctx, search.Query{Text: q.Text, Filters: filters, Offset: q.Offset, Limit: q.Limit})
	if err != nil {
		return nil, fmt.Errorf("search catalog: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	items, err := s.visible(ctx, p, ids)
	if err != nil {
		return nil, err
	}
	return &ListResult{Items: items, Total: res.Total, Facets: res.Facets}, nil
}

func p0(ctx context.Context) string {
	if p := authz.FromContext(ctx); p != nil {
		return p.OrgID
	}
	return ""
}

// visible loads ids as p may see them: working copies of entries p may read
// as drafts, published versions of the others.
func (s *Service) visible(ctx context.Context, p *authz.Principal, ids []string) ([]Resource, error) {
	rs, err := loadResources(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	out := rs[:0]
	for _, r := range rs {
		if p.Can(authz.CatalogReadDraft, r.OrgID) {
			out = append(out, r)
			continue
		}
		if r.PublishedVersion == 0 || r.Status == Retired {
			continue
		}
		if r.Version != r.PublishedVersion {
			pub, err := s.versionDoc(ctx, r.ID, r.PublishedVersion)
			if err != nil {
				return nil, err
			}
			r = *pub
		}
		out = append(out, r)
	}
	return out, nil
}

// Reindex rebuilds the search index from the store and returns the number
// of entries indexed.
func (s *Service) Reindex(ctx context.Context) (int, error) {
	return s.index.Rebuild(ctx, func(yield func(search.Doc) error) error {
		rows, err := s.db.QueryContext(ctx, `SELECT doc, published_version FROM resources`)
		if err != nil {
			return fmt.Errorf("scan resources: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var doc string
			var pub *int64
			if err := rows.Scan(&doc, &pub); err != nil {
				return err
			}
			var r Resource
			if err := json.Unmarshal([]byte(doc), &r); err != nil {
				return err
			}
			if pub != nil {
				r.PublishedVersion = int(*pub)
			}
			if err := yield(toDoc(&r)); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// EnsureIndex rebuilds the index when it does not hold as many entries as
// the store (a new data directory, or an index lost or left behind).
func (s *Service) EnsureIndex(ctx context.Context) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM resources`).Scan(&n); err != nil {
		return err
	}
	got, err := s.index.Count()
	if err != nil || got != n {
		s.log.Info("search index out of step; rebuilding", "indexed", got, "stored", n)
		_, err = s.Reindex(ctx)
	}
	return err
}

package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/search"
)

// The search index holds one document per entry: its working copy, seen by
// the owner organisation (and by platform-wide readers). An entry that is
// published and unchanged since is also what everyone else sees. An entry
// published and then revised has a second document, "<id>@pub": its
// published version, which everyone outside the owner sees, so that a
// draft's words, facets and status never reach them.
const (
	visPublic    = "public"
	visPublished = "pub" // marks the published-version documents
	pubSuffix    = "@pub"
)

func visOrg(org string) string   { return "org:" + org }
func visPubOf(org string) string { return "pubof:" + org }

// revised reports whether r has a published version older than its
// working copy.
func revised(r *Resource) bool {
	return r.PublishedVersion > 0 && r.Status != Retired && r.Version != r.PublishedVersion
}

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
	if r.PublishedVersion > 0 && r.Status != Retired && !revised(r) {
		vis = append(vis, visPublic)
	}
	return search.Doc{
		ID: r.ID, Code: r.Code, Name: r.Name, Summary: r.Summary, Keywords: r.Keywords, Items: items,
		OrgID: r.OrgID, OrgName: r.OrgName, Region: r.RegionCode, Classification: class, Library: lib,
		Level: r.Level, Sensitivity: r.Sensitivity, ShareType: r.Share.Type, OpenType: r.Open.Type,
		UpdateCycle: r.UpdateCycle, Status: string(r.Status), UpdatedAt: r.UpdatedAt, Visibility: vis,
	}
}

// pubDoc is the document of the published version pub of an entry whose
// working copy has moved on.
func pubDoc(pub *Resource) search.Doc {
	d := toDoc(pub)
	d.ID = pub.ID + pubSuffix
	d.Visibility = []string{visPublic, visPublished, visPubOf(pub.OrgID)}
	return d
}

// docsOf returns the index documents of r (loading its published version
// when r was revised since).
func (s *Service) docsOf(ctx context.Context, r *Resource) ([]search.Doc, error) {
	docs := []search.Doc{toDoc(r)}
	if revised(r) {
		pub, err := s.versionDoc(ctx, r.ID, r.PublishedVersion)
		if err != nil {
			return nil, err
		}
		pub.PublishedVersion = r.PublishedVersion
		docs = append(docs, pubDoc(pub))
	}
	return docs, nil
}

// indexOne updates the index after a committed change. The store is the
// truth: an index failure is logged and repaired by Reindex, never undoes
// the change.
func (s *Service) indexOne(ctx context.Context, r *Resource) {
	docs, err := s.docsOf(ctx, r)
	if err == nil {
		err = s.index.Put(docs...)
	}
	if err == nil && !revised(r) {
		err = s.index.Delete(r.ID + pubSuffix)
	}
	if err != nil {
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
	Items  []Resource                     `json:"items"`
	Total  int                            `json:"total"`
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
	exclude := map[string][]string{}
	switch {
	case p.CanAny(authz.CatalogReadDraft):
		// Working copies of everything.
		exclude["visibility"] = []string{visPublished}
	case p.CanSome(authz.CatalogReadDraft):
		// The own organisation's working copies and everyone else's
		// published versions.
		filters["visibility"] = []string{visPublic, visOrg(p.OrgID)}
		exclude["visibility"] = []string{visPubOf(p.OrgID)}
	default:
		filters["visibility"] = []string{visPublic}
	}
	res, err := s.index.Search(ctx, search.Query{Text: q.Text, Filters: filters, Exclude: exclude, Offset: q.Offset, Limit: q.Limit})
	if err != nil {
		return nil, fmt.Errorf("search catalog: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = strings.TrimSuffix(h.ID, pubSuffix)
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
		rows, err := s.db.QueryContext(ctx, `SELECT v.doc, r.published_version FROM resources r
			JOIN resource_versions v ON v.resource_id = r.id AND v.version = r.version`)
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
			docs, err := s.docsOf(ctx, &r)
			if err != nil {
				return err
			}
			for _, d := range docs {
				if err := yield(d); err != nil {
					return err
				}
			}
		}
		return rows.Err()
	})
}

// EnsureIndex rebuilds the index when it does not hold as many entries as
// the store (a new data directory, or an index lost or left behind).
func (s *Service) EnsureIndex(ctx context.Context) error {
	// One document per entry, two for entries revised since publication.
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) + COUNT(CASE WHEN published_version IS NOT NULL
		AND published_version <> version AND status <> 'retired' THEN 1 END) FROM resources`).Scan(&n); err != nil {
		return err
	}
	got, err := s.index.Count()
	if err != nil || got != n {
		s.log.Info("search index out of step; rebuilding", "indexed", got, "stored", n)
		_, err = s.Reindex(ctx)
	}
	return err
}

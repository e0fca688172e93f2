// Package search is the embedded full-text index of the public data
// catalog. It holds one document per catalog resource, keeps only the
// resource ID, and answers free-text queries in simplified or traditional
// Chinese with facet counts for the catalog's filters.
//
// Text is folded (Fold: traditional to simplified, full-width to
// half-width, lower case) before it is indexed or searched, and analysed
// into CJK character pairs, single characters and words (analyze.go).
// The index is in memory (mem.go): roaring bitmaps of document slots per
// term and field, per-document columns for update times and facet values,
// and a sorted list of codes. A search intersects the postings, scores
// only the matches (BM25-like, name > keywords > text; score.go), counts
// facets from the columns and keeps the top hits in a heap. On disk the
// index is a log of writes, replayed by Open (index.go, log.go).
//
// The control store is the truth: callers load full resources by the IDs
// a search returns, and rebuild the index from the store when it is out of
// step (see Index.Rebuild and Index.NeedsRebuild).
package search

import "time"

// Doc is what the index knows of one catalog resource.
type Doc struct {
	ID, Code, Name, Summary string
	Keywords                []string
	Items                   []string // data item names, e.g. 公民身份号码, 姓名
	OrgID, OrgName          string
	Region                  string // 6-digit region code, e.g. 350100
	Classification          string // classification code prefix, e.g. "101" (类+项)
	Library                 string // "base" | "theme" | "department"
	Level                   string // "core" | "important" | "general" (highest category)
	Sensitivity             string // "L1".."L4"
	ShareType               string // "1" | "2" | "3"
	OpenType                string // "1" | "2" | "3"
	UpdateCycle             string // e.g. "daily"
	Status                  string // draft|submitted|returned|org_approved|approved|published|retired
	Visibility              []string
	UpdatedAt               time.Time
}

// Query selects resources. Text may be empty: then every resource matches,
// newest first.
type Query struct {
	Text string
	// Filters maps a filter key (see FacetKeys and FilterKeys) to the
	// allowed values: OR within a key, AND across keys.
	Filters map[string][]string
	// Exclude maps a filter key to values a document must not hold.
	Exclude       map[string][]string
	Offset, Limit int
}

// Result is one page of hits, the total number of matches and the facet
// counts over all matches.
type Result struct {
	Total  int
	Hits   []Hit
	Facets map[string][]FacetCount
}

// Hit is one matching resource.
type Hit struct {
	ID    string
	Score float64
}

// FacetCount is how many matches have Value in a facet.
type FacetCount struct {
	Value string
	Count int
}

const (
	// DefaultLimit is the page size when Query.Limit is zero or negative.
	DefaultLimit = 20
	// MaxLimit caps Query.Limit.
	MaxLimit = 200
)

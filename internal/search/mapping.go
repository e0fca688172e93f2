package search

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// schemaVersion changes whenever the mapping or what goes into a field
// changes; an index of another version is replaced by an empty one (see
// Index.NeedsRebuild).
const schemaVersion = "pubdata-search-4"

// Text fields. Bigram fields hold CJK character pairs (the bleve cjk
// analyzer); the unigram field holds single characters so that
// one-character queries work.
const (
	fName     = "name"
	fKeywords = "keywords"
	fText     = "text" // items, summary and organisation name
	fUni      = "uni"  // name, keywords and items, character by character
	fCode     = "code"
	fUpdated  = "updated"
)

const uniAnalyzer = "pubdata_unigram"

// filter is one filter key.
type filter struct {
	key       string
	facetSize int // 0: filter only, no facet
}

// filters lists every filter key, in the order columns keep them. Those
// with a facet size are counted on each query. All values are indexed in
// one keyword field, fFilter, as "key:value" terms.
var filters = []filter{
	{"org", 200},
	{"region", 200},
	{"classification", 100},
	{"library", 10},
	{"level", 10},
	{"share", 10},
	{"open", 10},
	{"cycle", 20},
	{"status", 20},
	{"sensitivity", 0},
	{"visibility", 0},
}

const fFilter = "f"

// FacetKeys are the filter keys counted in Result.Facets.
func FacetKeys() []string {
	var keys []string
	for _, f := range filters {
		if f.facetSize > 0 {
			keys = append(keys, f.key)
		}
	}
	return keys
}

// FilterKeys are all keys Query.Filters accepts.
func FilterKeys() []string {
	keys := make([]string, len(filters))
	for i, f := range filters {
		keys[i] = f.key
	}
	return keys
}

// filterIndex returns the position of key in filters.
func filterIndex(key string) (int, bool) {
	for i, f := range filters {
		if f.key == key {
			return i, true
		}
	}
	return 0, false
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	err := im.AddCustomAnalyzer(uniAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	})
	if err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = cjk.AnalyzerName
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	dm := mapping.NewDocumentStaticMapping()
	text := func(analyzer string) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(docValues bool) *mapping.FieldMapping {
		f := text(keyword.Name)
		f.DocValues = docValues
		return f
	}
	for _, name := range []string{fName, fKeywords, fText} {
		dm.AddFieldMappingsAt(name, text(cjk.AnalyzerName))
	}
	dm.AddFieldMappingsAt(fUni, text(uniAnalyzer))
	dm.AddFieldMappingsAt(fCode, kw(false))
	// Filters, facets and sorting read columns built from these doc
	// values (see columns.go).
	dm.AddFieldMappingsAt(fUpdated, kw(true))
	dm.AddFieldMappingsAt(fFilter, kw(true))
	// No composite _all field: queries name their fields.
	dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im, nil
}

// updatedTerm encodes t so that terms sort as times do: seconds since
// 1970 with the sign bit flipped, then nanoseconds, in hex.
func updatedTerm(t time.Time) string {
	return fmt.Sprintf("%016x%08x", uint64(t.Unix())^(1<<63), t.Nanosecond())
}

// parseUpdated reverses updatedTerm.
func parseUpdated(term []byte) (sec int64, nsec int32, ok bool) {
	if len(term) != 24 {
		return 0, 0, false
	}
	s, err1 := strconv.ParseUint(string(term[:16]), 16, 64)
	n, err2 := strconv.ParseUint(string(term[16:]), 16, 32)
	return int64(s ^ (1 << 63)), int32(n), err1 == nil && err2 == nil
}

// tagSep separates the parts of a doc folded together; the tokenizers
// treat it as a space.
const tagSep = "\x1f"

// fields maps d to what bleve indexes. Text is folded in one go.
func fields(d *Doc) map[string]any {
	raw := []string{d.Name, strings.Join(d.Keywords, " "), strings.Join(d.Items, " "), d.Summary, d.OrgName}
	parts := strings.Split(Fold(strings.Join(raw, tagSep)), tagSep)
	if len(parts) != len(raw) { // a separator inside a field: fold one by one
		parts = raw
		for i := range parts {
			parts[i] = Fold(parts[i])
		}
	}
	name, kws, items := parts[0], parts[1], parts[2]
	m := map[string]any{
		fName:     name,
		fKeywords: kws,
		fText:     items + tagSep + parts[3] + tagSep + parts[4],
		fUni:      name + tagSep + kws + tagSep + items,
		fUpdated:  updatedTerm(d.UpdatedAt),
	}
	if d.Code != "" {
		m[fCode] = Fold(strings.TrimSpace(d.Code))
	}
	f := make([]string, 0, 12)
	for i, v := range []string{d.OrgID, d.Region, d.Classification, d.Library, d.Level,
		d.ShareType, d.OpenType, d.UpdateCycle, d.Status, d.Sensitivity} {
		if v != "" {
			f = append(f, filters[i].key+":"+v)
		}
	}
	for _, v := range d.Visibility {
		f = append(f, "visibility:"+v)
	}
	m[fFilter] = f
	return m
}

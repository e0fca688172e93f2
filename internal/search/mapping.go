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
const schemaVersion = "pubdata-search-2"

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

// field is one filter key and the index field behind it.
type field struct {
	key, field string
	facetSize  int // 0: filter only, no facet
}

// filterFields lists every filter key. Those with a facet size are counted
// on each query.
var filterFields = []field{
	{"org", "org", 200},
	{"region", "region", 200},
	{"classification", "classification", 100},
	{"library", "library", 10},
	{"level", "level", 10},
	{"share", "share", 10},
	{"open", "open", 10},
	{"cycle", "cycle", 20},
	{"status", "status", 20},
	{"sensitivity", "sensitivity", 0},
	{"visibility", "visibility", 0},
}

// FacetKeys are the filter keys counted in Result.Facets.
func FacetKeys() []string {
	var keys []string
	for _, f := range filterFields {
		if f.facetSize > 0 {
			keys = append(keys, f.key)
		}
	}
	return keys
}

// FilterKeys are all keys Query.Filters accepts.
func FilterKeys() []string {
	keys := make([]string, len(filterFields))
	for i, f := range filterFields {
		keys[i] = f.key
	}
	return keys
}

func filterField(key string) (field, bool) {
	for _, f := range filterFields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
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
	// Filters, facets and sorting read columns built from the postings
	// (see columns.go); only the update time needs doc values.
	dm.AddFieldMappingsAt(fUpdated, kw(true))
	for _, f := range filterFields {
		dm.AddFieldMappingsAt(f.field, kw(false))
	}
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
	for k, v := range map[string]string{
		"org": d.OrgID, "region": d.Region, "classification": d.Classification,
		"library": d.Library, "level": d.Level, "share": d.ShareType, "open": d.OpenType,
		"cycle": d.UpdateCycle, "status": d.Status, "sensitivity": d.Sensitivity,
	} {
		if v != "" {
			m[k] = v
		}
	}
	if len(d.Visibility) > 0 {
		m["visibility"] = d.Visibility
	}
	return m
}

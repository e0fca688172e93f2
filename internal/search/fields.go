package search

// filter is one filter key.
type filter struct {
	key       string
	facetSize int // 0: filter only, no facet
}

// filters lists every filter key, in the order the index keeps them.
// Those with a facet size are counted on each query.
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

const visibilityKey = 10 // position of "visibility" in filters

// filterValues returns d's values for each filter key, in filters order.
func filterValues(d *Doc) [][]string {
	one := func(v string) []string {
		if v == "" {
			return nil
		}
		return []string{v}
	}
	return [][]string{one(d.OrgID), one(d.Region), one(d.Classification), one(d.Library), one(d.Level),
		one(d.ShareType), one(d.OpenType), one(d.UpdateCycle), one(d.Status), one(d.Sensitivity), d.Visibility}
}

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

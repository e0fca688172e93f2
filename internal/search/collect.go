package search

import (
	"container/heap"
	"fmt"
	"slices"
	"strings"

	index "github.com/blevesearch/bleve_index_api"
)

// collector counts facets over the hits it is given and keeps the best k.
type collector struct {
	cols    *columns
	match   *match
	byScore bool
	total   int
	counts  [][]int // per filter key: ordinal -> hits
	top     topHits
}

type hit struct {
	slot  uint32
	score float64
}

func newCollector(m *match, k int, byScore bool) *collector {
	cols := m.cols
	c := &collector{cols: cols, match: m, byScore: byScore, counts: make([][]int, len(cols.ords))}
	for i, vals := range cols.values {
		if cols.ords[i] != nil {
			c.counts[i] = make([]int, len(vals)+1)
		}
	}
	c.top = topHits{k: k, better: c.better}
	return c
}

func (c *collector) add(slot uint32, score float64) {
	if !c.match.ok(slot) {
		return
	}
	c.total++
	for i, ords := range c.cols.ords {
		if ords != nil {
			c.counts[i][ords[slot]]++
		}
	}
	c.top.offer(hit{slot, score})
}

// better orders hits: higher score (when scoring), newer, lower slot.
func (c *collector) better(a, b hit) bool {
	if c.byScore && a.score != b.score {
		return a.score > b.score
	}
	if sa, sb := c.cols.sec[a.slot], c.cols.sec[b.slot]; sa != sb {
		return sa > sb
	}
	if na, nb := c.cols.nsec[a.slot], c.cols.nsec[b.slot]; na != nb {
		return na > nb
	}
	return a.slot < b.slot
}

// result returns the hits from offset on, with their IDs, and the facets.
func (c *collector) result(r index.IndexReader, offset int) (Result, error) {
	best := c.top.sorted()
	if offset > len(best) {
		offset = len(best)
	}
	out := Result{
		Total:  c.total,
		Hits:   make([]Hit, 0, len(best)-offset),
		Facets: make(map[string][]FacetCount),
	}
	for _, h := range best[offset:] {
		id, err := r.ExternalID(internalID(h.slot))
		if err != nil {
			return Result{}, fmt.Errorf("search catalog index: %w", err)
		}
		out.Hits = append(out.Hits, Hit{ID: id, Score: h.score})
	}
	for i, f := range filters {
		if f.facetSize == 0 {
			continue
		}
		fc := []FacetCount{}
		for ord, n := range c.counts[i] {
			if ord > 0 && n > 0 {
				fc = append(fc, FacetCount{Value: c.cols.values[i][ord-1], Count: n})
			}
		}
		slices.SortFunc(fc, func(a, b FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		if len(fc) > f.facetSize {
			fc = fc[:f.facetSize]
		}
		out.Facets[f.key] = fc
	}
	return out, nil
}

// topHits keeps the k best hits offered, the worst of them on top of a
// heap.
type topHits struct {
	k      int
	better func(a, b hit) bool
	hits   []hit
}

func (t *topHits) offer(h hit) {
	if len(t.hits) < t.k {
		heap.Push(t, h)
		return
	}
	if t.k > 0 && t.better(h, t.hits[0]) {
		t.hits[0] = h
		heap.Fix(t, 0)
	}
}

// sorted returns the hits best first.
func (t *topHits) sorted() []hit {
	out := slices.Clone(t.hits)
	slices.SortFunc(out, func(a, b hit) int {
		if t.better(a, b) {
			return -1
		}
		if t.better(b, a) {
			return 1
		}
		return 0
	})
	return out
}

func (t *topHits) Len() int           { return len(t.hits) }
func (t *topHits) Less(i, j int) bool { return t.better(t.hits[j], t.hits[i]) }
func (t *topHits) Swap(i, j int)      { t.hits[i], t.hits[j] = t.hits[j], t.hits[i] }
func (t *topHits) Push(x any)         { t.hits = append(t.hits, x.(hit)) }
func (t *topHits) Pop() any {
	h := t.hits[len(t.hits)-1]
	t.hits = t.hits[:len(t.hits)-1]
	return h
}

package search

import (
	"container/heap"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// collector counts facets over the matches and keeps the best k.
type collector struct {
	m       *mem
	sc      *scratch
	byScore bool
	total   int
	counts  [][]int // per filter key: ordinal -> matches
	top     topHits
}

type hit struct {
	slot  uint32
	score float32
}

func newCollector(m *mem, sc *scratch, k int, byScore bool) *collector {
	c := &collector{m: m, sc: sc, byScore: byScore, counts: make([][]int, len(filters))}
	for i, f := range filters {
		if f.facetSize > 0 {
			c.counts[i] = make([]int, len(m.values[i])+1)
		}
	}
	c.top = topHits{k: k, better: c.better}
	return c
}

// collect counts the facets of the slots in cand and offers them to the
// top hits, resetting their scores.
func (c *collector) collect(cand *roaring.Bitmap) {
	c.total = int(cand.GetCardinality())
	var facets [][]uint16
	var counts [][]int
	for i, ords := range c.m.ords {
		if ords != nil {
			facets = append(facets, ords)
			counts = append(counts, c.counts[i])
		}
	}
	scores := c.sc.scores
	buf := make([]uint32, 1024)
	it := cand.ManyIterator()
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, s := range buf[:n] {
			for j, ords := range facets {
				counts[j][ords[s]]++
			}
			h := hit{s, scores[s]}
			scores[s] = 0
			c.top.offer(h)
		}
	}
}

// better orders hits: higher score (when scoring), newer, lower slot.
func (c *collector) better(a, b hit) bool {
	if c.byScore && a.score != b.score {
		return a.score > b.score
	}
	if sa, sb := c.m.sec[a.slot], c.m.sec[b.slot]; sa != sb {
		return sa > sb
	}
	if na, nb := c.m.nsec[a.slot], c.m.nsec[b.slot]; na != nb {
		return na > nb
	}
	return a.slot < b.slot
}

// result returns the hits from offset on, with their IDs, and the facets.
func (c *collector) result(offset int) Result {
	best := c.top.sorted()
	offset = min(offset, len(best))
	out := Result{
		Total:  c.total,
		Hits:   make([]Hit, 0, len(best)-offset),
		Facets: make(map[string][]FacetCount),
	}
	for _, h := range best[offset:] {
		out.Hits = append(out.Hits, Hit{ID: c.m.ids[h.slot], Score: float64(h.score)})
	}
	for i, f := range filters {
		if f.facetSize == 0 {
			continue
		}
		fc := []FacetCount{}
		for ord, n := range c.counts[i] {
			if ord > 0 && n > 0 {
				fc = append(fc, FacetCount{Value: c.m.values[i][ord-1], Count: n})
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
	return out
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

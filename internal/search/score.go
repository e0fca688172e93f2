package search

import (
	"math"

	"github.com/RoaringBitmap/roaring/v2"
)

// Scoring is BM25 with every term counted once per field: a term found
// in a field adds idf × the field's boost × a factor that favours short
// fields, and a document's score sums this over the query's distinct
// tokens and the fields holding them. Scores are only computed for the
// documents that match.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

func idf(df, n int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// score adds the scores of the slots in cand to sc.scores.
func (m *mem) score(ws []word, cand *roaring.Bitmap, sc *scratch) {
	n := m.count()
	seen := map[token]bool{}
	buf := make([]uint32, 1024)
	add := func(bm *roaring.Bitmap, weight float64, f int) {
		hits := roaring.And(bm, cand)
		if hits.IsEmpty() {
			return
		}
		w := float32(weight)
		// norm = (k1+1) / (1 + k1(1-b) + k1·b·len/avg)
		var a, c float32
		if f >= 0 && m.lenN[f] > 0 {
			avg := float64(m.lenSum[f]) / float64(m.lenN[f])
			a, c = float32(1+bm25K1*(1-bm25B)), float32(bm25K1*bm25B/avg)
			w *= bm25K1 + 1
		}
		lens := []uint16(nil)
		if f >= 0 {
			lens = m.lens[f]
		}
		it := hits.ManyIterator()
		for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
			for _, s := range buf[:k] {
				if lens == nil || c == 0 {
					sc.scores[s] += w
				} else {
					sc.scores[s] += w / (a + c*float32(lens[s]))
				}
			}
		}
	}
	for _, w := range ws {
		if w.code || w.prefix {
			if bm := m.codeMatches(w.text, false); !bm.IsEmpty() {
				add(bm, codeBoost*idf(int(bm.GetCardinality()), n), -1)
			}
			if w.prefix {
				if bm := m.codeMatches(w.text, true); !bm.IsEmpty() {
					add(bm, codePrefixBoost*idf(int(bm.GetCardinality()), n), -1)
				}
			}
		}
		for _, v := range w.variants {
			for _, t := range v {
				if seen[t] {
					continue
				}
				seen[t] = true
				p := m.lookup(t)
				if p == nil {
					continue
				}
				df := int(m.tokenSlots(t).GetCardinality())
				if t.single {
					add(p[fName], idf(df, n), -1)
					continue
				}
				for f := range p {
					add(p[f], fieldBoost[f]*idf(df, n), f)
				}
			}
		}
	}
}

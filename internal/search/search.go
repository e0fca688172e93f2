package search

import (
	"context"
	"sync"
)

// Search returns one page of the resources matching q, best first (newest
// first when q.Text is empty), with facet counts over all matches.
//
// q.Text is split into words at spaces and punctuation. A word matches a
// resource code exactly, the start of a code, or text: every character
// pair (single characters on their own) somewhere in the name, keywords,
// items, summary or organisation name. If that finds nothing, a word may
// miss a few of its pairs, and then only one word need match (see level).
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	if err := checkFilters(q.Filters); err != nil {
		return Result{}, err
	}
	if err := checkFilters(q.Exclude); err != nil {
		return Result{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset := max(q.Offset, 0)
	ws := parseWords(q.Text)

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Result{}, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	m := ix.cur
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.size(len(m.ids))

	cand := m.allowed(q.Filters, q.Exclude)
	if len(ws) > 0 && !cand.IsEmpty() {
		allowed := cand
		for _, lv := range levels(ws) {
			cand = m.matchText(ws, lv, sc)
			if cand.And(allowed); !cand.IsEmpty() {
				break
			}
		}
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		m.score(ws, cand, sc)
	}
	c := newCollector(m, sc, offset+limit, len(ws) > 0)
	c.collect(cand)
	return c.result(offset), nil
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

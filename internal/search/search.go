package search

import (
	"context"
	"encoding/binary"
	"fmt"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
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
	ws := words(Fold(q.Text))

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return Result{}, ErrClosed
	}
	r, err := ix.reader()
	if err != nil {
		return Result{}, err
	}
	defer r.Close()
	cols, err := ix.columnsFor(ctx, r)
	if err != nil {
		return Result{}, err
	}
	c := newCollector(newMatch(cols, q.Filters, q.Exclude), offset+limit, len(ws) > 0)
	if len(ws) == 0 {
		err = c.collectAll(ctx)
	} else {
		for _, lv := range levels(ws) {
			if err = ix.collectText(ctx, r, textQuery(ws, lv), c); err != nil || c.total > 0 {
				break
			}
		}
	}
	if err != nil {
		return Result{}, fmt.Errorf("search catalog index: %w", err)
	}
	return c.result(r, offset)
}

func (ix *Index) reader() (index.IndexReader, error) {
	adv, err := ix.cur.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search catalog index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search catalog index: %w", err)
	}
	return r, nil
}

// columnsFor returns the columns of snapshot r, reading them if the last
// ones read were of another snapshot.
func (ix *Index) columnsFor(ctx context.Context, r index.IndexReader) (*columns, error) {
	ix.colMu.Lock()
	defer ix.colMu.Unlock()
	if ix.cols != nil && ix.cols.reader == r {
		return ix.cols, nil
	}
	c, err := loadColumns(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("read search index columns: %w", err)
	}
	ix.cols = c
	return c, nil
}

// warm reads the columns of the current snapshot, so that the next search
// need not. Callers hold mu.
func (ix *Index) warm() error {
	r, err := ix.reader()
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = ix.columnsFor(context.Background(), r)
	return err
}

// collectAll adds every document passing the filters.
func (c *collector) collectAll(ctx context.Context) error {
	it := c.match.candidates().Iterator()
	for n := 0; it.HasNext(); n++ {
		if n&0xFFF == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		c.add(it.Next(), 0)
	}
	return nil
}

// collectText adds the documents matching qq, with their scores.
func (ix *Index) collectText(ctx context.Context, r index.IndexReader, qq query.Query, c *collector) error {
	s, err := qq.Searcher(ctx, r, ix.cur.Mapping(), bsearch.SearcherOptions{})
	if err != nil {
		return err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{
		DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0),
		IndexReader:       r,
	}
	for n := 0; ; n++ {
		if n&0xFFF == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		d, err := s.Next(sctx)
		if err != nil {
			return err
		}
		if d == nil {
			return nil
		}
		c.add(uint32(d.IndexInternalID.Value()), d.Score)
		sctx.DocumentMatchPool.Put(d)
	}
}

func internalID(slot uint32) index.IndexInternalID {
	id := make(index.IndexInternalID, 8)
	binary.BigEndian.PutUint64(id, uint64(slot))
	return id
}

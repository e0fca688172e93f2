package search

import (
	"bytes"
	"context"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// columns hold, for one index snapshot, each document's filter values and
// update time by bleve's internal document number ("slot"). Bleve's own
// facets and sorting visit doc values for every hit, about 0.2 µs per
// field and hit; with columns a hit costs an array lookup per facet.
//
// Columns are read from the doc values of fUpdated and fFilter, once per
// snapshot: a write makes a new snapshot (so may bleve's background
// persisting and merging), and the next search reads them again.
type columns struct {
	reader index.IndexReader // the snapshot these describe
	live   *roaring.Bitmap   // slots of documents
	sec    []int64           // slot -> UpdatedAt, seconds
	nsec   []int32           // and nanoseconds
	// Per filter key, in filters order. Facet keys have one value per
	// document, kept as an ordinal; the others are kept as bitmaps.
	ords   [][]uint16                   // slot -> ordinal, 0 for none
	values [][]string                   // ordinal-1 -> value
	ordOf  []map[string]uint16          // value -> ordinal
	sets   []map[string]*roaring.Bitmap // value -> slots
}

func loadColumns(ctx context.Context, r index.IndexReader) (*columns, error) {
	c := &columns{
		reader: r,
		live:   roaring.New(),
		ords:   make([][]uint16, len(filters)),
		values: make([][]string, len(filters)),
		ordOf:  make([]map[string]uint16, len(filters)),
		sets:   make([]map[string]*roaring.Bitmap, len(filters)),
	}
	for i, f := range filters {
		if f.facetSize > 0 {
			c.ordOf[i] = map[string]uint16{}
		} else {
			c.sets[i] = map[string]*roaring.Bitmap{}
		}
	}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer ids.Close()
	dv, err := r.DocValueReader([]string{fUpdated, fFilter})
	if err != nil {
		return nil, err
	}
	var slot uint64
	var verr error
	visit := func(field string, term []byte) {
		if field == fUpdated {
			if s, n, ok := parseUpdated(term); ok {
				c.sec[slot], c.nsec[slot] = s, n
			}
			return
		}
		if err := c.set(slot, term); err != nil && verr == nil {
			verr = err
		}
	}
	for n := 0; ; n++ {
		if n&0xFFF == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		id, err := ids.Next()
		if err != nil {
			return nil, err
		}
		if id == nil {
			break
		}
		if slot = id.Value(); slot >= 1<<31 {
			return nil, fmt.Errorf("document number %d out of range", slot)
		}
		c.live.Add(uint32(slot))
		c.grow(int(slot) + 1)
		if err := dv.VisitDocValues(id, visit); err != nil {
			return nil, err
		}
		if verr != nil {
			return nil, verr
		}
	}
	return c, nil
}

// grow makes the per-slot arrays n long.
func (c *columns) grow(n int) {
	for len(c.sec) < n {
		c.sec = append(c.sec, 0)
		c.nsec = append(c.nsec, 0)
	}
	for i, m := range c.ordOf {
		if m == nil {
			continue
		}
		for len(c.ords[i]) < n {
			c.ords[i] = append(c.ords[i], 0)
		}
	}
}

// set records a "key:value" term of fFilter for slot.
func (c *columns) set(slot uint64, term []byte) error {
	k, v, ok := bytes.Cut(term, []byte{':'})
	if !ok {
		return nil
	}
	i, ok := filterIndex(string(k))
	if !ok {
		return nil
	}
	if c.ordOf[i] == nil {
		bm, ok := c.sets[i][string(v)]
		if !ok {
			bm = roaring.New()
			c.sets[i][string(v)] = bm
		}
		bm.Add(uint32(slot))
		return nil
	}
	ord, ok := c.ordOf[i][string(v)]
	if !ok {
		if len(c.values[i]) >= 1<<16-1 {
			return fmt.Errorf("filter %s: more than %d values", k, 1<<16-1)
		}
		c.values[i] = append(c.values[i], string(v))
		ord = uint16(len(c.values[i]))
		c.ordOf[i][string(v)] = ord
	}
	c.ords[i][slot] = ord
	return nil
}

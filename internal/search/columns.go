package search

import (
	"context"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// columns hold, for one index snapshot, each document's filter values and
// update time by bleve's internal document number ("slot"). Bleve's own
// facets and sorting visit doc values for every hit, about 0.2 µs per
// field; with columns a hit costs an array lookup per facet.
//
// Columns are read from the postings of the keyword fields, once per
// snapshot: a write makes a new snapshot, and the next search rebuilds
// them (about 0.1 s for 100,000 documents).
type columns struct {
	reader index.IndexReader // the snapshot these describe
	live   *roaring.Bitmap   // slots of documents
	// Per filter field (in filterFields order):
	terms  []map[string]*roaring.Bitmap // value -> slots
	values [][]string                   // facet fields: ordinal-1 -> value
	ords   [][]uint16                   // facet fields: slot -> ordinal, 0 for none
	sec    []int64                      // slot -> UpdatedAt, seconds
	nsec   []int32                      // and nanoseconds
}

func loadColumns(ctx context.Context, r index.IndexReader) (*columns, error) {
	c := &columns{reader: r, live: roaring.New()}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	dv, err := r.DocValueReader([]string{fUpdated})
	if err != nil {
		ids.Close()
		return nil, err
	}
	for {
		id, err := ids.Next()
		if err != nil {
			ids.Close()
			return nil, err
		}
		if id == nil {
			break
		}
		slot := id.Value()
		if slot > 1<<31 {
			ids.Close()
			return nil, fmt.Errorf("document number %d out of range", slot)
		}
		c.live.Add(uint32(slot))
		for uint64(len(c.sec)) <= slot {
			c.sec = append(c.sec, 0)
			c.nsec = append(c.nsec, 0)
		}
		err = dv.VisitDocValues(id, func(_ string, term []byte) {
			if s, n, ok := parseUpdated(term); ok {
				c.sec[slot], c.nsec[slot] = s, n
			}
		})
		if err != nil {
			ids.Close()
			return nil, err
		}
	}
	if err := ids.Close(); err != nil {
		return nil, err
	}

	c.terms = make([]map[string]*roaring.Bitmap, len(filterFields))
	c.values = make([][]string, len(filterFields))
	c.ords = make([][]uint16, len(filterFields))
	for i, f := range filterFields {
		if err := c.loadField(ctx, r, i, f); err != nil {
			return nil, fmt.Errorf("read %s values: %w", f.field, err)
		}
	}
	return c, nil
}

func (c *columns) loadField(ctx context.Context, r index.IndexReader, i int, f field) error {
	dict, err := r.FieldDict(f.field)
	if err != nil {
		return err
	}
	defer dict.Close()
	c.terms[i] = map[string]*roaring.Bitmap{}
	if f.facetSize > 0 {
		c.ords[i] = make([]uint16, len(c.sec))
	}
	var doc index.TermFieldDoc
	for {
		e, err := dict.Next()
		if err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		bm := roaring.New()
		c.terms[i][e.Term] = bm
		ord := 0
		if f.facetSize > 0 {
			if len(c.values[i]) >= 1<<16-1 {
				return fmt.Errorf("more than %d values", 1<<16-1)
			}
			c.values[i] = append(c.values[i], e.Term)
			ord = len(c.values[i])
		}
		tfr, err := r.TermFieldReader(ctx, []byte(e.Term), f.field, false, false, false)
		if err != nil {
			return err
		}
		for {
			d, err := tfr.Next(doc.Reset())
			if err != nil {
				tfr.Close()
				return err
			}
			if d == nil {
				break
			}
			slot := d.ID.Value()
			if slot >= uint64(len(c.sec)) {
				continue // not live
			}
			bm.Add(uint32(slot))
			if ord > 0 {
				c.ords[i][slot] = uint16(ord)
			}
		}
		if err := tfr.Close(); err != nil {
			return err
		}
	}
}

// allowed returns the slots that pass filters (keys already checked), or
// nil if nothing is filtered.
func (c *columns) allowed(filters map[string][]string) *roaring.Bitmap {
	var out *roaring.Bitmap
	for i, f := range filterFields {
		vals, ok := filters[f.key]
		if !ok {
			continue
		}
		any := roaring.New()
		n := 0
		for _, v := range vals {
			if v = trimValue(v); v == "" {
				continue
			}
			n++
			if bm, ok := c.terms[i][v]; ok {
				any.Or(bm)
			}
		}
		if n == 0 {
			continue
		}
		if out == nil {
			out = any
		} else {
			out.And(any)
		}
	}
	return out
}

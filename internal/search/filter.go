package search

import (
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// match is a query's filters resolved against columns.
type match struct {
	cols *columns
	ords []ordFilter     // facet keys filtered on
	set  *roaring.Bitmap // slots passing the other keys; nil: all
}

type ordFilter struct {
	key int
	ok  []bool // by ordinal
}

// newMatch resolves fs (keys already checked). Empty values are ignored,
// and so is a key with no other values.
func newMatch(c *columns, fs map[string][]string) *match {
	m := &match{cols: c}
	for i, f := range filters {
		var vals []string
		for _, v := range fs[f.key] {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			continue
		}
		if c.ordOf[i] != nil {
			of := ordFilter{key: i, ok: make([]bool, len(c.values[i])+1)}
			for _, v := range vals {
				if ord, ok := c.ordOf[i][v]; ok {
					of.ok[ord] = true
				}
			}
			m.ords = append(m.ords, of)
			continue
		}
		any := roaring.New()
		for _, v := range vals {
			if bm, ok := c.sets[i][v]; ok {
				any.Or(bm)
			}
		}
		if m.set == nil {
			m.set = any
		} else {
			m.set.And(any)
		}
	}
	return m
}

// ok reports whether the document in slot passes.
func (m *match) ok(slot uint32) bool {
	if int(slot) >= len(m.cols.sec) {
		return false
	}
	for _, of := range m.ords {
		if !of.ok[m.cols.ords[of.key][slot]] {
			return false
		}
	}
	return m.set == nil || m.set.Contains(slot)
}

// candidates returns the slots worth checking when every document
// matches the text.
func (m *match) candidates() *roaring.Bitmap {
	if m.set == nil {
		return m.cols.live
	}
	return roaring.And(m.set, m.cols.live)
}

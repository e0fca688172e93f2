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
	not  *roaring.Bitmap // slots excluded by a set-valued key; nil: none
}

type ordFilter struct {
	key int
	ok  []bool // by ordinal
}

// newMatch resolves the filters fs and the exclusions ex (keys already
// checked). Empty values are ignored, and so is a key with no other values.
func newMatch(c *columns, fs, ex map[string][]string) *match {
	m := &match{cols: c}
	m.exclude(ex)
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
	return (m.set == nil || m.set.Contains(slot)) && (m.not == nil || !m.not.Contains(slot))
}

// exclude adds the exclusions: a document holding any excluded value of a
// key does not pass.
func (m *match) exclude(ex map[string][]string) {
	c := m.cols
	for i, f := range filters {
		var vals []string
		for _, v := range ex[f.key] {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			continue
		}
		if c.ordOf[i] != nil {
			of := ordFilter{key: i, ok: make([]bool, len(c.values[i])+1)}
			for j := range of.ok {
				of.ok[j] = true
			}
			for _, v := range vals {
				if ord, ok := c.ordOf[i][v]; ok {
					of.ok[ord] = false
				}
			}
			m.ords = append(m.ords, of)
			continue
		}
		for _, v := range vals {
			if bm, ok := c.sets[i][v]; ok {
				if m.not == nil {
					m.not = roaring.New()
				}
				m.not.Or(bm)
			}
		}
	}
}

// candidates returns the slots worth checking when every document
// matches the text.
func (m *match) candidates() *roaring.Bitmap {
	base := m.cols.live
	if m.set != nil {
		base = roaring.And(m.set, base)
	}
	if m.not != nil {
		base = roaring.AndNot(base, m.not)
	}
	return base
}

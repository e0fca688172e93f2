package search

import (
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// allowed returns the live slots passing the filters fs and not holding
// a value of ex (keys already checked): OR within a key, AND across keys.
// Empty values are ignored, and so is a key with no other values.
func (m *mem) allowed(fs, ex map[string][]string) *roaring.Bitmap {
	out := m.live.Clone()
	for i, f := range filters {
		if vals := cleanValues(fs[f.key]); len(vals) > 0 {
			out.And(m.anyOf(i, vals))
		}
	}
	for i, f := range filters {
		if vals := cleanValues(ex[f.key]); len(vals) > 0 {
			out.AndNot(m.anyOf(i, vals))
		}
	}
	return out
}

// anyOf returns the slots holding any of vals for filter key i.
func (m *mem) anyOf(i int, vals []string) *roaring.Bitmap {
	var bms []*roaring.Bitmap
	for _, v := range vals {
		if ord, ok := m.ordOf[i][v]; ok {
			bms = append(bms, m.sets[i][ord-1])
		}
	}
	if len(bms) == 0 {
		return roaring.New()
	}
	return roaring.FastOr(bms...)
}

func cleanValues(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

package search

import (
	"fmt"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// mem is the index proper, in memory. Documents are numbered by slot;
// postings and filter values are roaring bitmaps of slots, and the
// per-document values (update time, facet values, field lengths) are
// arrays indexed by slot.
//
// Deleting a document (or replacing it: a Put of a known ID is a delete
// and an add) only takes its slot out of live; postings keep the slot
// until compact removes all dead slots from them at once and frees the
// slots for reuse. Every query intersects with live.
//
// mem is not safe for concurrent use: Index guards it.
type mem struct {
	ids    []string // slot -> ID; "" for a dead or free slot
	slotOf map[string]uint32
	live   *roaring.Bitmap
	dead   *roaring.Bitmap // slots deleted but still in postings
	free   []uint32        // slots in no posting, to reuse

	sec  []int64 // slot -> UpdatedAt: seconds
	nsec []int32 // and nanoseconds
	lens [numFields][]uint16
	// Sum of lengths and number of documents with a non-empty field, for
	// the mean length, over live documents.
	lenSum [numFields]int64
	lenN   [numFields]int64

	// Per filter key, in filters order: value ordinals (slot -> ordinal,
	// 0 for none) for facet keys, and a bitmap per value for every key.
	ords   [][]uint16
	values [][]string          // ordinal-1 -> value
	ordOf  []map[string]uint16 // value -> ordinal
	sets   [][]*roaring.Bitmap // ordinal-1 -> slots holding the value

	keyTerm  map[uint64]uint32 // pair or single key -> term
	wordTerm map[string]uint32 // word -> term
	post     []posting         // term -> where it occurs

	// codes is sorted by code; entries of dead slots stay until compact.
	codes    []codeEntry
	newCodes []codeEntry // added since codes was last sorted
}

// posting holds a term's slots per field; a single's are in fName only.
type posting [numFields]*roaring.Bitmap

type codeEntry struct {
	code string
	slot uint32
}

func newMem() *mem {
	m := &mem{
		slotOf:   map[string]uint32{},
		live:     roaring.New(),
		dead:     roaring.New(),
		ords:     make([][]uint16, len(filters)),
		values:   make([][]string, len(filters)),
		ordOf:    make([]map[string]uint16, len(filters)),
		sets:     make([][]*roaring.Bitmap, len(filters)),
		keyTerm:  map[uint64]uint32{},
		wordTerm: map[string]uint32{},
	}
	for i := range filters {
		m.ordOf[i] = map[string]uint16{}
	}
	return m
}

func (m *mem) count() int { return int(m.live.GetCardinality()) }

// put indexes a, replacing the document with its ID.
func (m *mem) put(a *analysed) error {
	d := a.doc
	vals := filterValues(d)
	// Resolve filter values first: the only failure leaves m unchanged.
	ords := make([]uint16, 0, 12)
	for i, vs := range vals {
		for _, v := range vs {
			ord, err := m.ordinal(i, v)
			if err != nil {
				return fmt.Errorf("index resource %s: %w", d.ID, err)
			}
			ords = append(ords, ord)
		}
	}
	m.delete(d.ID)
	slot := m.alloc()
	m.ids[slot] = d.ID
	m.slotOf[d.ID] = slot
	m.live.Add(slot)
	m.sec[slot], m.nsec[slot] = d.UpdatedAt.Unix(), int32(d.UpdatedAt.Nanosecond())
	j := 0
	for i, vs := range vals {
		for range vs {
			ord := ords[j]
			j++
			m.sets[i][ord-1].Add(slot)
			if filters[i].facetSize > 0 {
				m.ords[i][slot] = ord
			}
		}
	}
	for f := range a.fields {
		t := &a.fields[f]
		n := min(t.n, 1<<16-1)
		m.lens[f][slot] = uint16(n)
		if n > 0 {
			m.lenSum[f] += int64(n)
			m.lenN[f]++
		}
		for _, k := range t.keys {
			m.postingOf(m.keyID(k))[f].Add(slot)
		}
		for _, w := range t.words {
			m.postingOf(m.wordID(w))[f].Add(slot)
		}
	}
	for _, k := range a.singles {
		m.postingOf(m.keyID(k))[fName].Add(slot)
	}
	if a.code != "" {
		m.newCodes = append(m.newCodes, codeEntry{a.code, slot})
	}
	return nil
}

// delete removes the document id, if indexed.
func (m *mem) delete(id string) {
	slot, ok := m.slotOf[id]
	if !ok {
		return
	}
	delete(m.slotOf, id)
	m.ids[slot] = ""
	m.live.Remove(slot)
	m.dead.Add(slot)
	for f := range m.lens {
		if n := m.lens[f][slot]; n > 0 {
			m.lenSum[f] -= int64(n)
			m.lenN[f]--
		}
	}
}

// alloc returns a slot for a new document, growing the arrays.
func (m *mem) alloc() uint32 {
	if n := len(m.free); n > 0 {
		s := m.free[n-1]
		m.free = m.free[:n-1]
		for i := range m.ords {
			if m.ords[i] != nil {
				m.ords[i][s] = 0
			}
		}
		return s
	}
	s := uint32(len(m.ids))
	m.ids = append(m.ids, "")
	m.sec = append(m.sec, 0)
	m.nsec = append(m.nsec, 0)
	for f := range m.lens {
		m.lens[f] = append(m.lens[f], 0)
	}
	for i, f := range filters {
		if f.facetSize > 0 {
			m.ords[i] = append(m.ords[i], 0)
		}
	}
	return s
}

// ordinal returns the ordinal of value v of filter key i, adding it.
func (m *mem) ordinal(i int, v string) (uint16, error) {
	if ord, ok := m.ordOf[i][v]; ok {
		return ord, nil
	}
	if len(m.values[i]) >= 1<<16-1 {
		return 0, fmt.Errorf("filter %s: more than %d values", filters[i].key, 1<<16-1)
	}
	m.values[i] = append(m.values[i], v)
	m.sets[i] = append(m.sets[i], roaring.New())
	ord := uint16(len(m.values[i]))
	m.ordOf[i][v] = ord
	return ord, nil
}

func (m *mem) keyID(k uint64) uint32 {
	id, ok := m.keyTerm[k]
	if !ok {
		id = uint32(len(m.post))
		m.post = append(m.post, posting{})
		m.keyTerm[k] = id
	}
	return id
}

func (m *mem) wordID(w string) uint32 {
	id, ok := m.wordTerm[w]
	if !ok {
		id = uint32(len(m.post))
		m.post = append(m.post, posting{})
		m.wordTerm[strings.Clone(w)] = id
	}
	return id
}

// postingOf returns term id's posting with every field's bitmap made.
func (m *mem) postingOf(id uint32) *posting {
	p := &m.post[id]
	if p[0] == nil {
		for f := range p {
			p[f] = roaring.New()
		}
	}
	return p
}

// lookup returns t's posting, or nil if no document holds it.
func (m *mem) lookup(t token) *posting {
	var id uint32
	var ok bool
	if t.word != "" {
		id, ok = m.wordTerm[t.word]
	} else {
		id, ok = m.keyTerm[t.key]
	}
	if !ok || m.post[id][0] == nil {
		return nil
	}
	return &m.post[id]
}

// settle sorts the codes added since the last call into codes, and
// compacts m when dead slots make up much of it. Writers call it after
// each batch.
func (m *mem) settle() {
	if len(m.newCodes) > 0 {
		slices.SortFunc(m.newCodes, compareCode)
		m.codes = mergeCodes(m.codes, m.newCodes)
		m.newCodes = m.newCodes[:0]
	}
	if d := m.dead.GetCardinality(); d > 4096 && d > m.live.GetCardinality()/8 {
		m.compact()
	}
}

func compareCode(a, b codeEntry) int {
	if c := strings.Compare(a.code, b.code); c != 0 {
		return c
	}
	return int(a.slot) - int(b.slot)
}

// mergeCodes merges sorted b into sorted a, finding where each entry of
// b goes by binary search: a few compares per new entry, and copying.
func mergeCodes(a, b []codeEntry) []codeEntry {
	if len(b) <= 16 {
		for _, e := range b {
			i, _ := slices.BinarySearchFunc(a, e, compareCode)
			a = slices.Insert(a, i, e)
		}
		return a
	}
	out := make([]codeEntry, 0, len(a)+len(b))
	for _, e := range b {
		i, _ := slices.BinarySearchFunc(a, e, compareCode)
		out = append(append(out, a[:i]...), e)
		a = a[i:]
	}
	return append(out, a...)
}

// compact removes dead slots from every posting and frees them.
func (m *mem) compact() {
	if m.dead.IsEmpty() {
		return
	}
	for i := range m.post {
		for _, bm := range m.post[i] {
			if bm != nil && bm.Intersects(m.dead) {
				bm.AndNot(m.dead)
			}
		}
	}
	for _, sets := range m.sets {
		for _, bm := range sets {
			if bm.Intersects(m.dead) {
				bm.AndNot(m.dead)
			}
		}
	}
	m.codes = slices.DeleteFunc(m.codes, func(e codeEntry) bool { return m.dead.Contains(e.slot) })
	m.newCodes = slices.DeleteFunc(m.newCodes, func(e codeEntry) bool { return m.dead.Contains(e.slot) })
	it := m.dead.Iterator()
	for it.HasNext() {
		m.free = append(m.free, it.Next())
	}
	m.dead.Clear()
}

// codeMatches returns the live slots whose code is w, or starts with w
// if prefix.
func (m *mem) codeMatches(w string, prefix bool) *roaring.Bitmap {
	out := roaring.New()
	i, _ := slices.BinarySearchFunc(m.codes, w, func(e codeEntry, w string) int { return strings.Compare(e.code, w) })
	for ; i < len(m.codes); i++ {
		e := m.codes[i]
		if e.code != w && !(prefix && strings.HasPrefix(e.code, w)) {
			break
		}
		out.Add(e.slot)
	}
	out.And(m.live)
	return out
}

package quality

import (
	"hash/maphash"
	"runtime"
	"strings"
	"unsafe"
)

// Unique finds rows that repeat the key of an earlier row, in bounded
// memory: it keeps a 64-bit hash and the row number of each distinct key
// (12 bytes a slot in an open-addressing table kept at most 3/4 full, so
// 16 to 32 bytes a key), never the keys themselves.
//
// Two different keys may share a hash. With n keys the chance that any
// two do is about n²/2⁶⁵: 3·10⁻⁶ for ten million keys. So Add reports a
// repeated hash as a duplicate at once, which is what a streaming load
// needs, and the caller that wants certainty makes a second pass:
//
//  1. Add every row (in the load pipeline: every row that passed
//     Program.Check). Add returns dup = true for a row whose key hash was
//     seen before, and the row number of the first row with that hash.
//  2. If Suspects() > 0, call Verify for every row, in the same order with
//     the same numbers. Verify keeps the exact keys of the rows whose hash
//     was repeated (only those) and compares them.
//  3. Duplicates returns the confirmed duplicates; Collisions counts the
//     rows Add flagged that turned out to have a different key.
//
// The second pass holds only the keys of rows whose hash repeated, so its
// memory grows with the number of duplicates, not of rows.
//
// Keys are the trimmed values of the key columns, compared exactly (an ID
// number ending in x and the same number ending in X are different keys:
// normalise first if that matters). A row whose key columns are all blank
// has no key and is ignored (the required rule reports it). Row numbers
// are kept as 32 bits. A Unique is not safe for concurrent use.
type Unique struct {
	cols  []int
	seed  maphash.Seed
	h     maphash.Hash
	slots []uint64 // hash with the top bit set, 0 for an empty slot
	rows  []uint32 // row number of the first row with the slot's hash
	n     int      // slots in use

	suspects map[uint64]struct{} // hashes Add saw more than once
	flagged  int                 // rows Add reported

	exact      map[string]int // pass 2: key -> first row, for suspect hashes
	dups       []Duplicate
	collisions int
	verified   bool

	// Spilling (see unique_spill.go): the table's largest size, where
	// runs go, the runs, and the first error.
	maxSlots     int
	spillDir     string
	filterBudget int // bytes for the runs' Bloom filters; 0: no bound
	runs         []*run
	merges       int
	err          error

	// mem is the mapping that holds slots and rows when the table is
	// large enough to live off the Go heap (see alloc); nil otherwise.
	mem []byte

	touched uint64 // what Prefetch read, kept so the reads are not dropped
}

// offHeapSlots is the table size from which slots and rows live off the
// Go heap.
const offHeapSlots = 1 << 16

// alloc gives the table n empty slots: on the heap while small, in an
// anonymous mapping when large (freed by grow and Close).
func (u *Unique) alloc(n int) {
	u.mem = nil
	if n >= offHeapSlots {
		if b := mapBytes(n * 12); b != nil {
			u.mem = b
			u.slots = unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n)
			u.rows = unsafe.Slice((*uint32)(unsafe.Pointer(&b[n*8])), n)
			return
		}
	}
	u.slots = make([]uint64, n)
	u.rows = make([]uint32, n)
}

// Duplicate is a row whose key an earlier row already has.
type Duplicate struct {
	Row   int // the later row
	First int // the first row with that key
}

// NewUnique returns a checker for the key made of the given columns.
func NewUnique(cols []int) *Unique {
	u := &Unique{cols: cols, seed: maphash.MakeSeed(), suspects: map[uint64]struct{}{}}
	u.h.SetSeed(u.seed)
	// An off-heap table is freed by Close; this frees it if Close is not
	// called.
	runtime.SetFinalizer(u, func(u *Unique) {
		if u.mem != nil {
			unmapBytes(u.mem)
		}
		for _, r := range u.runs {
			r.free()
		}
	})
	u.slots = make([]uint64, 1024)
	u.rows = make([]uint32, 1024)
	return u
}

// hash returns the key hash of row (top bit set so it is never 0) and
// whether the row has a key.
func (u *Unique) hash(row []string) (uint64, bool) {
	if len(u.cols) == 1 {
		v := cell(row, u.cols[0])
		if v == "" {
			return 0, false
		}
		return maphash.String(u.seed, v) | 1<<63, true
	}
	u.h.Reset()
	blank := true
	for _, c := range u.cols {
		v := cell(row, c)
		blank = blank && v == ""
		u.h.WriteString(v)
		u.h.WriteByte(0)
	}
	return u.h.Sum64() | 1<<63, !blank
}

// Add records the key of row number num (1-based or any increasing
// numbering) and reports whether its hash was seen before, with the number
// of the first row that had it.
func (u *Unique) Add(row []string, num int) (first int, dup bool) {
	h, ok := u.hash(row)
	if !ok {
		return 0, false
	}
	return u.add(h, num)
}

// Lookup reports, as Add would, whether row's key hash was seen before and
// the first row that had it, but records nothing (and a repeat it finds
// does not count toward Suspects): for a caller that records a row only
// after other checks pass.
func (u *Unique) Lookup(row []string) (first int, dup bool) {
	h, ok := u.hash(row)
	if !ok {
		return 0, false
	}
	_, first, dup = u.find(h)
	return first, dup
}

// find looks h up in the table and the runs: the row of the first key
// with it, or else the empty slot where it goes.
func (u *Unique) find(h uint64) (slot uint64, first int, found bool) {
	mask := uint64(len(u.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch u.slots[i] {
		case 0:
			if len(u.runs) > 0 {
				if row, ok := u.inRuns(h); ok {
					return i, int(row), true
				}
			}
			return i, 0, false
		case h:
			return i, int(u.rows[i]), true
		}
	}
}

func (u *Unique) add(h uint64, num int) (first int, dup bool) {
	i, first, dup := u.find(h)
	if dup {
		u.suspects[h] = struct{}{}
		u.flagged++
		return first, true
	}
	u.slots[i], u.rows[i] = h, uint32(num)
	u.n++
	if u.n*4 > len(u.slots)*3 {
		if u.maxSlots > 0 && len(u.slots) >= u.maxSlots {
			if err := u.spill(); err != nil && u.err == nil {
				u.err = err
			}
		} else {
			u.grow()
		}
	}
	return 0, false
}

func (u *Unique) grow() {
	old, oldRows := u.slots, u.rows
	oldMem := u.mem
	u.alloc(2 * len(old))
	mask := uint64(len(u.slots) - 1)
	for j, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for u.slots[i] != 0 {
			i = (i + 1) & mask
		}
		u.slots[i], u.rows[i] = h, oldRows[j]
	}
	if oldMem != nil {
		unmapBytes(oldMem)
	}
}

// Reserve sizes the table for n keys, so that Add does not grow it until
// there are more: a load that can estimate its rows saves the rehashing.
// At most 2²⁸ slots are reserved.
func (u *Unique) Reserve(n int) {
	want := len(u.slots)
	for want < 1<<28 && want*3/4 < n && (u.maxSlots == 0 || want < u.maxSlots) {
		want *= 2
	}
	if want == len(u.slots) {
		return
	}
	if u.n == 0 && len(u.runs) == 0 {
		// Empty: allocated at its size at once, not doubled up to it.
		old := u.mem
		u.alloc(want)
		if old != nil {
			unmapBytes(old)
		}
		return
	}
	for len(u.slots) < want {
		u.grow()
	}
}

// Hash returns the key hash of row as Add computes it, and whether the
// row has a key: with Prefetch and AddHash, a caller adds a batch of rows
// with the table's memory fetched for all of them at once.
func (u *Unique) Hash(row []string) (uint64, bool) { return u.hash(row) }

// Prefetch reads the table slots of the hashes (0s are skipped), so that
// the cache misses of a batch overlap instead of coming one Add at a
// time. It changes nothing.
func (u *Unique) Prefetch(hs []uint64) {
	mask := uint64(len(u.slots) - 1)
	var x uint64
	for _, h := range hs {
		if h != 0 {
			x += u.slots[h&mask] + uint64(u.rows[h&mask])
		}
	}
	u.touched = x
}

// AddHash is Add for a hash from Hash.
func (u *Unique) AddHash(h uint64, num int) (first int, dup bool) { return u.add(h, num) }

// Len returns the number of distinct key hashes recorded.
func (u *Unique) Len() int { return u.n }

// Suspects returns the number of hashes Add saw more than once: 0 means
// Add reported no duplicate and no second pass is needed.
func (u *Unique) Suspects() int { return len(u.suspects) }

// Verify is the second pass: call it for every row given to Add, in the
// same order and with the same numbers.
func (u *Unique) Verify(row []string, num int) {
	u.verified = true
	h, ok := u.hash(row)
	if !ok {
		return
	}
	if _, suspect := u.suspects[h]; !suspect {
		return
	}
	if u.exact == nil {
		u.exact = map[string]int{}
	}
	key := u.exactKey(row)
	if first, seen := u.exact[key]; seen {
		u.dups = append(u.dups, Duplicate{Row: num, First: first})
		return
	}
	u.exact[key] = num
}

func (u *Unique) exactKey(row []string) string {
	if len(u.cols) == 1 {
		return strings.Clone(cell(row, u.cols[0]))
	}
	var b strings.Builder
	for _, c := range u.cols {
		b.WriteString(cell(row, c))
		b.WriteByte(0)
	}
	return b.String()
}

// Duplicates returns the duplicates confirmed by Verify, in row order.
// Without a Verify pass (when Suspects was 0) it is empty.
func (u *Unique) Duplicates() []Duplicate { return u.dups }

// Collisions returns how many rows Add flagged whose key differed from
// every earlier key with the same hash: false alarms found by Verify.
func (u *Unique) Collisions() int {
	if !u.verified {
		return 0
	}
	return u.flagged - len(u.dups)
}

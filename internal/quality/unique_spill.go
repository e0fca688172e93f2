package quality

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"unsafe"
)

// Spilling keeps Unique's memory bounded whatever the number of keys.
// When the table reaches its budget, its (hash, row) pairs are sorted and
// written to a run file, and the table starts empty again. A run keeps in
// memory a Bloom filter (10 bits a key: about 1 % false positives) and the
// first hash of every block of runBlock entries; a key not in the table is
// looked for in each run whose filter may hold it, with one read of one
// block. Memory is then the table plus about 1.3 bytes a spilled key.

const (
	runEntry  = 12   // 8-byte hash, 4-byte row, little endian
	runBlock  = 1024 // entries per block read from disk
	bloomBits = 10   // bits per key
	bloomK    = 7    // probes per key
)

// SetBudget bounds the table to about maxKeys keys (rounded to the table's
// power-of-two sizes); beyond it, keys spill to run files in dir (the
// system's temporary directory when ""). Call it before Add. Close
// removes the run files.
func (u *Unique) SetBudget(maxKeys int, dir string) {
	slots := 1024
	for slots*3/4 < maxKeys && slots < 1<<28 {
		slots *= 2
	}
	u.maxSlots, u.spillDir = slots, dir
}

// Spilled returns the keys written to run files so far.
func (u *Unique) Spilled() int {
	n := 0
	for _, r := range u.runs {
		n += r.n
	}
	return n
}

// Close removes the run files and frees an off-heap table; the Unique is
// not used after it.
func (u *Unique) Close() error {
	var first error
	for _, r := range u.runs {
		if err := r.f.Close(); err != nil && first == nil {
			first = err
		}
		os.Remove(r.f.Name())
		r.free()
	}
	u.runs = nil
	if u.mem != nil {
		unmapBytes(u.mem)
		u.mem, u.slots, u.rows = nil, nil, nil
	}
	return first
}

type run struct {
	f     *os.File
	n     int
	mask  uint64   // entries are ordered by (hash & mask, hash)
	index []uint64 // first hash of each block
	bloom []uint64
	mem   []byte // the mapping that holds bloom, when off the heap
	buf   []byte
}

func (r *run) free() {
	if r.mem != nil {
		unmapBytes(r.mem)
		r.mem, r.bloom = nil, nil
	}
}

func bloomProbe(h uint64, i int, m uint64) uint64 {
	h1, h2 := h, (h>>29|h<<35)|1
	return (h1 + uint64(i)*h2) % m
}

func (r *run) mayContain(h uint64) bool {
	m := uint64(len(r.bloom) * 64)
	for i := range bloomK {
		b := bloomProbe(h, i, m)
		if r.bloom[b/64]&(1<<(b%64)) == 0 {
			return false
		}
	}
	return true
}

// find looks h up on disk and returns its row.
func (r *run) find(h uint64) (uint32, bool, error) {
	less := func(a, b uint64) bool {
		ha, hb := a&r.mask, b&r.mask
		return ha < hb || ha == hb && a < b
	}
	blk := sort.Search(len(r.index), func(i int) bool { return less(h, r.index[i]) }) - 1
	if blk < 0 {
		return 0, false, nil
	}
	lo := blk * runBlock
	n := min(runBlock, r.n-lo)
	buf := r.buf[:n*runEntry]
	if _, err := r.f.ReadAt(buf, int64(lo)*runEntry); err != nil {
		return 0, false, fmt.Errorf("quality: read key run: %w", err)
	}
	i := sort.Search(n, func(i int) bool { return !less(binary.LittleEndian.Uint64(buf[i*runEntry:]), h) })
	if i < n && binary.LittleEndian.Uint64(buf[i*runEntry:]) == h {
		return binary.LittleEndian.Uint32(buf[i*runEntry+8:]), true, nil
	}
	return 0, false, nil
}

// spill writes the table to a new run and empties it, in place: the
// entries are compacted to the front of the table in slot order, which is
// already nearly the run's order (by home slot, then hash: linear probing
// only moves an entry a few slots past its home), and an insertion sort
// finishes it, so a spill needs no memory of its own.
func (u *Unique) spill() error {
	mask := uint64(len(u.slots) - 1)
	n := 0
	for i, h := range u.slots {
		if h != 0 {
			u.slots[n], u.rows[n] = h, u.rows[i]
			n++
		}
	}
	keys, rows := u.slots[:n], u.rows[:n]
	less := func(a, b uint64) bool {
		ha, hb := a&mask, b&mask
		return ha < hb || ha == hb && a < b
	}
	for i := 1; i < n; i++ {
		k, r := keys[i], rows[i]
		j := i
		for j > 0 && less(k, keys[j-1]) {
			keys[j], rows[j] = keys[j-1], rows[j-1]
			j--
		}
		keys[j], rows[j] = k, r
	}
	f, err := os.CreateTemp(u.spillDir, "pubdata-keys-*.run")
	if err != nil {
		return fmt.Errorf("quality: key run: %w", err)
	}
	r := &run{f: f, n: n, mask: mask, buf: make([]byte, runBlock*runEntry)}
	words := (n*bloomBits+63)/64 + 1
	if r.mem = mapBytes(words * 8); r.mem != nil {
		r.bloom = unsafe.Slice((*uint64)(unsafe.Pointer(&r.mem[0])), words)
	} else {
		r.bloom = make([]uint64, words)
	}
	m := uint64(len(r.bloom) * 64)
	out := make([]byte, 0, 1<<20)
	for i, h := range keys {
		if i%runBlock == 0 {
			r.index = append(r.index, h)
		}
		for k := range bloomK {
			b := bloomProbe(h, k, m)
			r.bloom[b/64] |= 1 << (b % 64)
		}
		out = binary.LittleEndian.AppendUint64(out, h)
		out = binary.LittleEndian.AppendUint32(out, rows[i])
		if len(out) >= 1<<20-runEntry {
			if _, err := f.Write(out); err != nil {
				f.Close()
				os.Remove(f.Name())
				r.free()
				return fmt.Errorf("quality: key run: %w", err)
			}
			out = out[:0]
		}
	}
	if _, err := f.Write(out); err != nil {
		f.Close()
		os.Remove(f.Name())
		r.free()
		return fmt.Errorf("quality: key run: %w", err)
	}
	u.runs = append(u.runs, r)
	clear(u.slots)
	clear(u.rows)
	u.n = 0
	return nil
}

// inRuns looks h up in the spilled runs.
func (u *Unique) inRuns(h uint64) (uint32, bool) {
	for _, r := range u.runs {
		if !r.mayContain(h) {
			continue
		}
		row, ok, err := r.find(h)
		if err != nil {
			u.err = err
			return 0, false
		}
		if ok {
			return row, true
		}
	}
	return 0, false
}

// Err returns the first error of a spill or a run read: the checker's
// answers after it are not to be trusted.
func (u *Unique) Err() error { return u.err }

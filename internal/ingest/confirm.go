package ingest

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/records"
)

// confirm makes the duplicate checks exact. A checker keeps a 64-bit hash
// of each value, not the value, and only accepted rows' values, so a
// flagged row is a true duplicate exactly when an accepted row has its
// value in the rule's columns. The only accepted row with the flag's
// hash is its first row, so the key log answers by comparing the two
// rows' values; without the log, or for a first row not in it, the store
// answers (HasKeys). A row none of whose flags is confirmed (hash
// collisions) is taken out of the quarantine and loaded, if it still
// passes every unique rule.
func (l *loader) confirm(ctx context.Context) error {
	if l.flags.n == 0 {
		return nil
	}
	lost := map[int64][]int{}
	err := l.flags.each(confirmBatch, func(batch []flag) error {
		found := make([]bool, len(batch))
		ask := make([]bool, len(batch)) // the store answers these
		if l.klog == nil {
			for i := range ask {
				ask[i] = true
			}
		} else if err := l.fromLog(batch, found, ask); err != nil {
			return err
		}
		for k, u := range l.uniqs {
			var idx []int
			var keys [][]string
			for i, f := range batch {
				if f.rule == k && ask[i] {
					idx = append(idx, i)
					keys = append(keys, f.key)
				}
			}
			if err := l.stored(ctx, u, keys, idx, func(i int) { found[i] = true }); err != nil {
				return err
			}
		}
		// The flags of a row are adjacent and never split between
		// batches.
		for i := 0; i < len(batch); {
			j, confirmed := i, false
			for ; j < len(batch) && batch[j].row == batch[i].row; j++ {
				confirmed = confirmed || found[j]
			}
			if !confirmed {
				for _, f := range batch[i:j] {
					lost[f.row] = append(lost[f.row], f.rule)
				}
			}
			i = j
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.flags.close()
	l.klog.close()
	if len(lost) == 0 {
		return nil
	}
	return l.restore(ctx, lost)
}

// fromLog confirms the flags of batch whose first row is in the key log:
// found when the first row's values are the flag's. The others (a first
// row that is not in the log: a deletion, or a row number past 2³² that
// the checker kept truncated) are marked in ask.
func (l *loader) fromLog(batch []flag, found, ask []bool) error {
	want := make([]wanted, len(batch))
	for i, f := range batch {
		want[i] = wanted{row: f.first, rule: f.rule}
	}
	slices.SortFunc(want, compareWanted)
	want = slices.Compact(want)
	cols := make([]int, len(l.uniqs))
	for k, u := range l.uniqs {
		cols[k] = len(u.cols)
	}
	got, err := l.klog.lookup(want, cols)
	if err != nil {
		return err
	}
	for i, f := range batch {
		j, _ := slices.BinarySearchFunc(want, wanted{row: f.first, rule: f.rule}, compareWanted)
		if got[j] == nil {
			ask[i] = true
			continue
		}
		found[i] = slices.Equal(got[j], f.key)
	}
	return nil
}

// stored asks the version which of keys it has in u's columns and calls
// hit with idx[j] for each key j it has.
func (l *loader) stored(ctx context.Context, u *uniqRule, keys [][]string, idx []int, hit func(int)) error {
	if len(keys) == 0 {
		return nil
	}
	found, err := l.vw.HasKeys(ctx, u.cols, keys)
	if err != nil {
		return err
	}
	for j, i := range idx {
		if found[j] {
			hit(i)
		}
	}
	return nil
}

// confirmBatch is about the number of flags confirmed at once: given to
// HasKeys, or looked up in one read of the key log (a variable for
// tests).
var confirmBatch = 1 << 20

// flag is a row a duplicate checker reported, to be confirmed: the row,
// the index of the rule in loader.uniqs, the row's values in the rule's
// columns, as keyText gives them, and the first row with the same hash.
type flag struct {
	row   int64
	rule  int
	key   []string
	first int64
}

// flagFile keeps the flagged rows until they are confirmed: the newest
// in memory, the rest in a file next to the quarantine, so that a file
// with many duplicates does not hold their values in memory while it
// loads.
type flagFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
	mem  []flag
	n    int64
}

// flagsInMemory is the number of flags kept in memory before they are
// written to the file (a variable for tests).
var flagsInMemory = 4096

func (ff *flagFile) add(f flag) error {
	ff.mem = append(ff.mem, f)
	ff.n++
	if len(ff.mem) < flagsInMemory {
		return nil
	}
	if ff.f == nil {
		f, err := os.Create(ff.path)
		if err != nil {
			return fmt.Errorf("ingest: flagged rows: %w", err)
		}
		ff.f, ff.w = f, bufio.NewWriterSize(f, 256<<10)
	}
	var b []byte
	for _, f := range ff.mem {
		b = binary.AppendUvarint(b[:0], uint64(f.row))
		b = binary.AppendUvarint(b, uint64(f.rule))
		b = binary.AppendUvarint(b, uint64(f.first))
		b = binary.AppendUvarint(b, uint64(len(f.key)))
		for _, k := range f.key {
			b = appendSized(b, k)
		}
		if _, err := ff.w.Write(b); err != nil {
			return fmt.Errorf("ingest: flagged rows: %w", err)
		}
	}
	ff.mem = ff.mem[:0]
	return nil
}

// each calls fn with the flags in order, in batches of about batch flags;
// the flags of one row are never split between two batches.
func (ff *flagFile) each(batch int, fn func([]flag) error) error {
	var buf []flag
	put := func(f flag) error {
		if len(buf) >= batch && buf[len(buf)-1].row != f.row {
			if err := fn(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
		buf = append(buf, f)
		return nil
	}
	if ff.f != nil {
		if err := ff.w.Flush(); err != nil {
			return fmt.Errorf("ingest: flagged rows: %w", err)
		}
		if _, err := ff.f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("ingest: flagged rows: %w", err)
		}
		r := bufio.NewReaderSize(ff.f, 256<<10)
		for {
			f, err := readFlag(r)
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("ingest: flagged rows: %w", err)
			}
			if err := put(f); err != nil {
				return err
			}
		}
	}
	for _, f := range ff.mem {
		if err := put(f); err != nil {
			return err
		}
	}
	if len(buf) > 0 {
		return fn(buf)
	}
	return nil
}

// readFlag reads a flag written by add; io.EOF at the end of the file.
func readFlag(r *bufio.Reader) (flag, error) {
	row, err := binary.ReadUvarint(r)
	if err != nil {
		return flag{}, err
	}
	var n [3]uint64
	for i := range n {
		if n[i], err = binary.ReadUvarint(r); err != nil {
			return flag{}, io.ErrUnexpectedEOF
		}
	}
	f := flag{row: int64(row), rule: int(n[0]), first: int64(n[1]), key: make([]string, n[2])}
	for j := range f.key {
		k, err := readSized(r, nil)
		if err != nil {
			return flag{}, io.ErrUnexpectedEOF
		}
		f.key[j] = string(k)
	}
	return f, nil
}

// appendSized appends s as its length (uvarint) and its bytes, the way
// the flag file and the key log hold values.
func appendSized(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// readSized reads a value appendSized wrote, into buf (grown as needed).
func readSized(r *bufio.Reader, buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	buf = slices.Grow(buf[:0], int(n))[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// close removes the file and forgets the flags.
func (ff *flagFile) close() {
	if ff.f != nil {
		ff.f.Close()
		os.Remove(ff.path)
	}
	ff.f, ff.w, ff.mem, ff.n = nil, nil, nil, 0
}

// restore loads the rows in lost (with the rules that flagged each) from
// the quarantine and rewrites it without them. A lost row is loaded only
// if it still passes the row rules and, for every unique rule, no loaded
// row and no earlier lost row being loaded has its value; the others stay
// in quarantine.
func (l *loader) restore(ctx context.Context, lost map[int64][]int) error {
	if err := l.qw.Flush(); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	width := len(l.lay.header)
	// Pass 1: the lost rows that pass the row rules, in row order.
	type candidate struct {
		row  int64
		vals []string
	}
	var cands []candidate
	err := l.eachQuarantined(func(row int64, rec []string) error {
		if lost[row] == nil || len(rec) != width+3 {
			return nil
		}
		c := &chunk{}
		c.cells = append(c.cells, rec[1:1+width]...)
		l.newWorker().record(c, row, 0)
		if len(c.recs) == 1 {
			cands = append(cands, candidate{row: row, vals: slices.Clone(c.vals)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The unique rules, against the loaded rows and the earlier
	// candidates.
	keep := make([]bool, len(cands))
	for i := range keep {
		keep[i] = true
	}
	for _, u := range l.uniqs {
		if u.warn {
			continue
		}
		seen := map[string]bool{}
		var idx []int
		var keys [][]string
		for i, c := range cands {
			key, ok := l.valuesOf(u, c.vals)
			if !ok || !keep[i] {
				continue
			}
			j := strings.Join(key, "\x00")
			if seen[j] {
				keep[i] = false
				continue
			}
			seen[j] = true
			idx = append(idx, i)
			keys = append(keys, key)
		}
		if err := l.stored(ctx, u, keys, idx, func(i int) { keep[i] = false }); err != nil {
			return err
		}
	}
	b := records.NewBatch(l.ds, len(cands))
	loaded := map[int64]bool{}
	for i, c := range cands {
		if !keep[i] {
			continue
		}
		for j := range l.ds.Columns {
			appendValue(&b.Cols[j], l.ds.Columns[j].Type, c.vals[j])
		}
		b.SourceRow = append(b.SourceRow, c.row)
		b.Len++
		loaded[c.row] = true
	}
	if b.Len == 0 {
		return nil
	}
	// Pass 2: the quarantine without the loaded rows.
	tmp, err := os.Create(l.qpath + ".tmp")
	if err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	defer os.Remove(tmp.Name())
	tw := bufio.NewWriterSize(tmp, 1<<20)
	tw.Write(quarantineHeader(l.lay.header))
	err = l.eachQuarantined(func(row int64, rec []string) error {
		if !loaded[row] {
			_, err := tw.Write(appendQuarantineRecord(nil, rec))
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	if err := l.vw.WriteBatch(ctx, b); err != nil {
		return err
	}
	l.written.Add(int64(b.Len))
	l.rejected -= int64(b.Len)
	for row := range loaded {
		for _, k := range lost[row] {
			l.res.Rejections[l.uniqs[k].name]--
		}
	}
	l.qf.Close()
	if err := os.Rename(tmp.Name(), l.qpath); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	f, err := os.OpenFile(l.qpath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	l.qf, l.qw = f, bufio.NewWriter(f)
	return nil
}

// eachQuarantined calls fn with every record of the quarantine file (its
// row number and its fields: row, cells, reasons).
func (l *loader) eachQuarantined(fn func(row int64, rec []string) error) error {
	f, err := os.Open(l.qpath)
	if err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	cr.FieldsPerRecord = -1
	if _, err := cr.Read(); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("ingest: quarantine: %w", err)
		}
		row, _ := strconv.ParseInt(rec[0], 10, 64)
		if err := fn(row, rec); err != nil {
			return fmt.Errorf("ingest: quarantine: %w", err)
		}
	}
}

// valuesOf returns a row's values in the rule's columns as keyText gives
// them; false when the rule does not apply to the row (see
// uniqRule.applies).
func (l *loader) valuesOf(u *uniqRule, vals []string) ([]string, bool) {
	if !u.applies(vals) {
		return nil, false
	}
	return l.keyTexts(u.cols, vals), true
}

// keyOf returns a row's key as keyText gives it.
func keyOf(l *loader, vals []string) []string { return l.keyTexts(l.keyCols, vals) }

// keyTexts returns a row's values in the columns cols as keyText gives
// them.
func (l *loader) keyTexts(cols []int, vals []string) []string {
	key := make([]string, len(cols))
	for j, k := range cols {
		key[j], _ = keyText(l.ds.Columns[k].Type, vals[k])
	}
	return key
}

// appendQuarantineRecord renders a record read back from the quarantine.
func appendQuarantineRecord(b []byte, rec []string) []byte {
	for i, f := range rec {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendField(b, f)
	}
	return append(b, '\r', '\n')
}

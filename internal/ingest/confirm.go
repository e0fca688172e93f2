package ingest

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/records"
)

// confirm makes the duplicate check exact. The checker keeps a 64-bit hash
// of each key, not the key, so a repeated hash may be two different keys.
// A flagged row is a true duplicate exactly when an accepted row has its
// key: the only accepted row with its hash is the one it was flagged
// against. The store answers that (HasKeys); the rows whose key is not
// found, hash collisions, are taken out of the quarantine and loaded.
func (l *loader) confirm(ctx context.Context) error {
	if l.flags.n == 0 {
		return nil
	}
	lost := map[int64]bool{}
	err := l.flags.each(len(l.keyCols), confirmBatch, func(batch []flag) error {
		keys := make([][]string, len(batch))
		for i, f := range batch {
			keys[i] = f.key
		}
		found, err := l.vw.HasKeys(ctx, keys)
		if err != nil {
			return err
		}
		for i, f := range batch {
			if !found[i] {
				lost[f.row] = true
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.flags.close()
	if len(lost) == 0 {
		return nil
	}
	return l.restore(ctx, lost)
}

// confirmBatch is the number of flagged keys given to HasKeys at once.
const confirmBatch = 1 << 20

// flagFile keeps the flagged rows until they are confirmed: the newest
// in memory, the rest in a file next to the quarantine, so that a file
// with many duplicates does not hold their keys in memory while it loads.
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
		for _, k := range f.key {
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
		}
		if _, err := ff.w.Write(b); err != nil {
			return fmt.Errorf("ingest: flagged rows: %w", err)
		}
	}
	ff.mem = ff.mem[:0]
	return nil
}

// each calls fn with the flags in order, at most batch at a time; nkey is
// the number of key columns.
func (ff *flagFile) each(nkey, batch int, fn func([]flag) error) error {
	if ff.f != nil {
		if err := ff.w.Flush(); err != nil {
			return fmt.Errorf("ingest: flagged rows: %w", err)
		}
		if _, err := ff.f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("ingest: flagged rows: %w", err)
		}
		r := bufio.NewReaderSize(ff.f, 256<<10)
		var buf []flag
		for {
			row, err := binary.ReadUvarint(r)
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("ingest: flagged rows: %w", err)
			}
			f := flag{row: int64(row), key: make([]string, nkey)}
			for j := range nkey {
				n, err := binary.ReadUvarint(r)
				if err != nil {
					return fmt.Errorf("ingest: flagged rows: %w", err)
				}
				k := make([]byte, n)
				if _, err := io.ReadFull(r, k); err != nil {
					return fmt.Errorf("ingest: flagged rows: %w", err)
				}
				f.key[j] = string(k)
			}
			if buf = append(buf, f); len(buf) == batch {
				if err := fn(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		if len(buf) > 0 {
			if err := fn(buf); err != nil {
				return err
			}
		}
	}
	for lo := 0; lo < len(ff.mem); lo += batch {
		if err := fn(ff.mem[lo:min(lo+batch, len(ff.mem))]); err != nil {
			return err
		}
	}
	return nil
}

// close removes the file and forgets the flags.
func (ff *flagFile) close() {
	if ff.f != nil {
		ff.f.Close()
		os.Remove(ff.path)
	}
	ff.f, ff.w, ff.mem, ff.n = nil, nil, nil, 0
}

// restore loads the rows in lost from the quarantine and rewrites it
// without them. Of lost rows that share a key, the first is loaded and the
// others stay in quarantine.
func (l *loader) restore(ctx context.Context, lost map[int64]bool) error {
	if err := l.qw.Flush(); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	if _, err := l.qf.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	tmp, err := os.Create(l.qpath + ".tmp")
	if err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	defer os.Remove(tmp.Name())
	tw := bufio.NewWriterSize(tmp, 1<<20)
	tw.Write(quarantineHeader(l.lay.header))
	cr := csv.NewReader(bufio.NewReader(l.qf))
	cr.FieldsPerRecord = -1
	if _, err := cr.Read(); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	width := len(l.lay.header)
	b := records.NewBatch(l.ds, len(lost))
	seen := map[string]bool{}
	c := &chunk{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("ingest: quarantine: %w", err)
		}
		row, _ := strconv.ParseInt(rec[0], 10, 64)
		if lost[row] && len(rec) == width+3 {
			c.reset()
			c.cells = append(c.cells, rec[1:1+width]...)
			w := l.newWorker()
			w.record(c, row, 0)
			if len(c.recs) == 1 {
				key := strings.Join(keyOf(l, c.vals), "\x00")
				if !seen[key] {
					seen[key] = true
					for j := range l.ds.Columns {
						appendValue(&b.Cols[j], l.ds.Columns[j].Type, c.vals[j])
					}
					b.SourceRow = append(b.SourceRow, row)
					b.Len++
					continue
				}
			}
		}
		tw.Write(appendQuarantineRecord(nil, rec))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	if b.Len > 0 {
		if err := l.vw.WriteBatch(ctx, b); err != nil {
			return err
		}
		l.written.Add(int64(b.Len))
		l.rejected -= int64(b.Len)
		l.res.Rejections[l.uniqName] -= int64(b.Len)
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

func keyOf(l *loader, vals []string) []string {
	key := make([]string, len(l.keyCols))
	for j, k := range l.keyCols {
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

package search

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ErrClosed is returned by every method of a closed Index.
var ErrClosed = errors.New("search index closed")

// Index is the catalog's full-text index. It is safe for concurrent use.
//
// The index lives in memory (mem.go). On disk an index directory holds
// generations, g000001, g000002, ..., each a log of the writes since the
// index was last rebuilt (log.go), and a file CURRENT naming the one in
// use. Open replays the current generation; Rebuild writes the next one
// beside it and swaps CURRENT atomically.
type Index struct {
	dir string // "" for an in-memory index

	// mu guards everything below. Searches hold it shared; writes, and
	// swapping or closing the index, hold it exclusively.
	mu     sync.RWMutex
	cur    *mem
	log    *os.File // the current generation; nil in memory
	gen    int
	closed bool
	fresh  bool
	// While a Rebuild runs, journal records writes so they can be
	// replayed onto the new index before it is swapped in.
	journal *[]analysedOp

	// rebuildMu lets one Rebuild run at a time; done is closed by Close
	// to stop a running Rebuild.
	rebuildMu sync.Mutex
	done      chan struct{}
	closeOnce sync.Once
}

// op is one write: a put if doc is set, else a delete of id.
type op struct {
	id  string
	doc *Doc
}

// analysedOp is a write ready to apply: an is nil for a delete.
type analysedOp struct {
	id  string
	an  *analysed
	rec []byte // the op's log record
}

const currentFile = "CURRENT"

// Open opens the index in dir, creating it if missing. dir == "" makes an
// in-memory index. An index written by another schema version (or by
// the bleve-based index before it) is replaced by an empty one;
// NeedsRebuild then reports true.
func Open(dir string) (*Index, error) {
	if _, err := loadT2S(); err != nil {
		return nil, err
	}
	ix := &Index{dir: dir, done: make(chan struct{}), cur: newMem()}
	if dir == "" {
		ix.fresh = true
		return ix, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	gen, err := readCurrent(dir)
	if err != nil {
		return nil, err
	}
	if gen > 0 {
		m, f, err := replay(genPath(dir, gen))
		if err != nil {
			return nil, err
		}
		if f != nil {
			ix.cur, ix.log, ix.gen = m, f, gen
		}
	}
	if ix.log == nil {
		gen, err := nextGen(dir)
		if err != nil {
			return nil, err
		}
		f, err := createLog(genPath(dir, gen))
		if err != nil {
			return nil, err
		}
		if err := writeCurrent(dir, gen); err != nil {
			f.Close()
			return nil, err
		}
		ix.log, ix.gen, ix.fresh = f, gen, true
	}
	if err := removeStale(dir, ix.gen); err != nil {
		ix.log.Close()
		return nil, err
	}
	return ix, nil
}

// replay loads the generation at path. It returns a nil file if path is
// not a generation of this schema. A torn record at the end (a write cut
// short by a crash) is cut off.
func replay(path string) (*mem, *os.File, error) {
	if isDir(path) {
		return nil, nil, nil // a bleve index, from before
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open search index: %w", err)
	}
	if !bytes.HasPrefix(b, []byte(logHeader)) {
		return nil, nil, nil
	}
	m := newMem()
	end := len(logHeader)
	rest := b[end:]
	records := 0
	last := map[string][2]int{} // ID -> start and end of its last put
	err = pipeline(context.Background(), func(yield func(op) error) error {
		for len(rest) > 0 {
			o, n, err := nextRecord(rest)
			if err != nil {
				break
			}
			if err := yield(o); err != nil {
				return err
			}
			if o.doc != nil {
				last[o.id] = [2]int{end, end + n}
			} else {
				delete(last, o.id)
			}
			rest, end, records = rest[n:], end+n, records+1
		}
		return nil
	}, func(o op, a *analysed) error { return m.apply(analysedOp{id: o.id, an: a}) })
	if err != nil {
		return nil, nil, fmt.Errorf("open search index: %w", err)
	}
	m.settle()
	if records > 2*len(last)+logSlack {
		if f, err := compactLog(path, b, last); err == nil {
			return m, f, nil
		}
		// Keep the log as it is: it is still right, only long.
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil && end < len(b) {
		err = f.Truncate(int64(end))
	}
	if err == nil {
		_, err = f.Seek(int64(end), 0)
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, nil, fmt.Errorf("open search index: %w", err)
	}
	return m, f, nil
}

// logSlack is how many records a log may hold beyond twice its
// documents before Open rewrites it.
const logSlack = 10_000

// compactLog rewrites the log at path, read into b, to hold only the last
// put of each document (last), in their order, and reopens it.
func compactLog(path string, b []byte, last map[string][2]int) (*os.File, error) {
	spans := make([][2]int, 0, len(last))
	for _, sp := range last {
		spans = append(spans, sp)
	}
	slices.SortFunc(spans, func(x, y [2]int) int { return x[0] - y[0] })
	tmp := path + ".tmp"
	f, err := createLog(tmp)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for _, sp := range spans {
		if _, err = w.Write(b[sp[0]:sp[1]]); err != nil {
			break
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("compact search index: %w", err)
	}
	return f, nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// createLog creates an empty generation at path.
func createLog(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err == nil {
		_, err = f.WriteString(logHeader)
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create search index: %w", err)
	}
	return f, nil
}

// apply makes one write.
func (m *mem) apply(o analysedOp) error {
	if o.an == nil {
		m.delete(o.id)
		return nil
	}
	return m.put(o.an)
}

// NeedsRebuild reports whether Open started an empty index (a new
// directory, an in-memory index, or one of an older schema) that no
// Rebuild has filled since.
func (ix *Index) NeedsRebuild() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.fresh
}

// Count returns the number of documents in the index.
func (ix *Index) Count() (int, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return 0, ErrClosed
	}
	return ix.cur.count(), nil
}

// Close stops a running Rebuild, waits for operations in flight and
// closes the index. Closing twice is not an error.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() { close(ix.done) })
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	ix.cur = newMem()
	if ix.log == nil {
		return nil
	}
	err := ix.log.Sync()
	if cerr := ix.log.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close search index: %w", err)
	}
	return nil
}

func genName(gen int) string { return fmt.Sprintf("g%06d", gen) }

func genPath(dir string, gen int) string { return filepath.Join(dir, genName(gen)) }

// parseGen returns the generation a directory entry name stands for.
func parseGen(name string) (int, bool) {
	if len(name) != 7 || name[0] != 'g' {
		return 0, false
	}
	n, err := strconv.Atoi(name[1:])
	return n, err == nil && n > 0
}

// readCurrent returns the generation CURRENT names, 0 if there is none.
func readCurrent(dir string) (int, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read search index generation: %w", err)
	}
	gen, ok := parseGen(strings.TrimSpace(string(b)))
	if !ok {
		return 0, fmt.Errorf("read search index generation: bad %s %q", currentFile, b)
	}
	if _, err := os.Stat(genPath(dir, gen)); err != nil {
		return 0, nil
	}
	return gen, nil
}

// writeCurrent points CURRENT at gen, atomically.
func writeCurrent(dir string, gen int) error {
	tmp := filepath.Join(dir, currentFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write search index generation: %w", err)
	}
	_, err = f.WriteString(genName(gen) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, currentFile))
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("write search index generation: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// nextGen returns a generation number above every one in dir.
func nextGen(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("list search index: %w", err)
	}
	max := 0
	for _, e := range entries {
		if n, ok := parseGen(e.Name()); ok && n > max {
			max = n
		}
	}
	return max + 1, nil
}

// removeStale deletes generations other than keep and leftovers of
// interrupted rebuilds (and of the bleve-based index).
func removeStale(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list search index: %w", err)
	}
	for _, e := range entries {
		n, isGen := parseGen(e.Name())
		stale := (isGen && n != keep) ||
			strings.HasPrefix(e.Name(), "build") ||
			strings.HasSuffix(e.Name(), ".tmp")
		if !stale {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("remove stale search index: %w", err)
		}
	}
	return nil
}

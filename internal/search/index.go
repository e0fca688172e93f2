package search

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// ErrClosed is returned by every method of a closed Index.
var ErrClosed = errors.New("search index closed")

// Index is the catalog's full-text index. It is safe for concurrent use.
//
// On disk an index directory holds generations, g000001, g000002, ..., each
// a complete bleve (scorch) index, and a file CURRENT naming the one in
// use. Rebuild writes the next generation beside the current one and swaps
// CURRENT atomically.
type Index struct {
	dir string // "" for an in-memory index

	// mu guards cur, gen and closed. Every operation on cur holds it
	// shared for its whole length; swapping or closing cur holds it
	// exclusively, so it waits for operations in flight.
	mu     sync.RWMutex
	cur    bleve.Index
	gen    int
	closed bool
	fresh  bool

	// rebuildMu lets one Rebuild run at a time; done is closed by Close
	// to stop a running Rebuild.
	rebuildMu sync.Mutex
	done      chan struct{}
	closeOnce sync.Once

	// colMu guards cols, the columns of the last snapshot searched.
	colMu sync.Mutex
	cols  *columns

	// jmu orders writes. While a Rebuild runs, journal records them so
	// they can be replayed onto the new generation before it is swapped in.
	jmu     sync.Mutex
	journal *[]op
}

// op is one journalled write: a put if doc is set, else a delete of id.
type op struct {
	id  string
	doc *Doc
}

const currentFile = "CURRENT"

// Open opens the index in dir, creating it if missing. dir == "" makes an
// in-memory index. An index written by another schema version is replaced
// by an empty one; NeedsRebuild then reports true.
func Open(dir string) (*Index, error) {
	if _, err := loadT2S(); err != nil {
		return nil, err
	}
	ix := &Index{dir: dir, done: make(chan struct{})}
	if dir == "" {
		idx, err := newBleve("")
		if err != nil {
			return nil, err
		}
		ix.cur, ix.fresh = idx, true
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
		idx, err := openBleve(genPath(dir, gen))
		if err != nil {
			return nil, err
		}
		v, err := idx.GetInternal([]byte(schemaKey))
		if err == nil && string(v) == schemaVersion {
			ix.cur, ix.gen = idx, gen
		} else if err := idx.Close(); err != nil {
			return nil, fmt.Errorf("close outdated search index: %w", err)
		}
	}
	if ix.cur == nil {
		gen, err := nextGen(dir)
		if err != nil {
			return nil, err
		}
		idx, err := newBleve(genPath(dir, gen))
		if err != nil {
			return nil, err
		}
		if err := writeCurrent(dir, gen); err != nil {
			idx.Close()
			return nil, err
		}
		ix.cur, ix.gen, ix.fresh = idx, gen, true
	}
	if err := removeStale(dir, ix.gen); err != nil {
		ix.cur.Close()
		return nil, err
	}
	if err := ix.warm(); err != nil {
		ix.cur.Close()
		return nil, err
	}
	return ix, nil
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
	n, err := ix.cur.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count search index: %w", err)
	}
	return int(n), nil
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
	if err := ix.cur.Close(); err != nil {
		return fmt.Errorf("close search index: %w", err)
	}
	return nil
}

const schemaKey = "pubdata_schema"

// newBleve creates an empty scorch index at path ("" for memory).
func newBleve(path string) (bleve.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create search index: %w", err)
	}
	if err := idx.SetInternal([]byte(schemaKey), []byte(schemaVersion)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("create search index: %w", err)
	}
	return idx, nil
}

func openBleve(path string) (bleve.Index, error) {
	// A bounded wait for the file lock: another process holding this
	// index is an error, not a hang.
	idx, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": "5s"})
	if err != nil {
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	return idx, nil
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
// interrupted rebuilds.
func removeStale(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list search index: %w", err)
	}
	for _, e := range entries {
		n, isGen := parseGen(e.Name())
		stale := (isGen && n != keep) ||
			strings.HasPrefix(e.Name(), buildPrefix) ||
			e.Name() == currentFile+".tmp"
		if !stale {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("remove stale search index: %w", err)
		}
	}
	return nil
}

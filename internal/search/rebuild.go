package search

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/blevesearch/bleve/v2"
)

// buildPrefix names the scratch directory of a disk rebuild.
const buildPrefix = "build"

// rebuildBatch is the number of documents per segment while rebuilding.
const rebuildBatch = 5000

// Rebuild replaces the index with one built from the documents each
// yields, and returns the number of documents in it.
//
// The new index is written beside the current one (an offline scorch
// build on disk: one segment, no merging afterwards). Searches and writes
// keep using the current index meanwhile; writes are also recorded and
// replayed onto the new index, which is then swapped in atomically. If
// each fails, ctx ends or the index is closed, the current index stays.
// A document yielded twice is indexed as last yielded.
func (ix *Index) Rebuild(ctx context.Context, each func(yield func(Doc) error) error) (int, error) {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	ix.mu.RLock()
	closed := ix.closed
	ix.mu.RUnlock()
	if closed {
		return 0, ErrClosed
	}

	ix.jmu.Lock()
	ix.journal = new([]op)
	ix.jmu.Unlock()
	stopJournal := func() {
		ix.jmu.Lock()
		ix.journal = nil
		ix.jmu.Unlock()
	}

	var gen int
	var err error
	if ix.dir != "" {
		if gen, err = nextGen(ix.dir); err != nil {
			stopJournal()
			return 0, err
		}
	}
	next, err := ix.build(ctx, gen, each)
	if err != nil {
		stopJournal()
		ix.discard(gen)
		return 0, err
	}
	old, oldGen, err := ix.swap(next, gen)
	if err != nil {
		stopJournal()
		next.Close()
		ix.discard(gen)
		return 0, err
	}
	n, cerr := next.DocCount() // next is current now; rebuildMu keeps Close away
	if err := old.Close(); err != nil {
		return int(n), fmt.Errorf("close replaced search index: %w", err)
	}
	ix.discard(oldGen)
	ix.mu.RLock()
	if !ix.closed {
		_ = ix.warm() // a failure here shows again in Search
	}
	ix.mu.RUnlock()
	if cerr != nil {
		return 0, fmt.Errorf("count search index: %w", cerr)
	}
	return int(n), nil
}

// build makes generation gen (in memory if ix.dir is "") from each.
func (ix *Index) build(ctx context.Context, gen int, each func(yield func(Doc) error) error) (bleve.Index, error) {
	check := func(d *Doc) error {
		select {
		case <-ix.done:
			return ErrClosed
		default:
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.ID == "" {
			return errors.New("rebuild search index: document without ID")
		}
		return nil
	}
	if ix.dir == "" {
		return buildMemory(check, each)
	}
	idx, again, err := ix.buildDisk(ctx, gen, check, each)
	if err != nil {
		return nil, err
	}
	if err := apply(idx, again); err != nil {
		idx.Close()
		return nil, err
	}
	return idx, nil
}

func buildMemory(check func(*Doc) error, each func(yield func(Doc) error) error) (bleve.Index, error) {
	idx, err := newBleve("")
	if err != nil {
		return nil, err
	}
	var ops []op
	err = each(func(d Doc) error {
		if err := check(&d); err != nil {
			return err
		}
		ops = append(ops, op{id: d.ID, doc: &d})
		if len(ops) < rebuildBatch {
			return nil
		}
		err := apply(idx, ops)
		ops = ops[:0]
		return err
	})
	if err == nil {
		err = apply(idx, ops)
	}
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("rebuild search index: %w", err)
	}
	return idx, nil
}

// swap replays the journal onto next and makes it current, returning the
// index it replaced. Most of the journal is replayed while searches go on;
// only the last few writes hold them up.
func (ix *Index) swap(next bleve.Index, gen int) (bleve.Index, int, error) {
	take := func() []op {
		ix.jmu.Lock()
		defer ix.jmu.Unlock()
		ops := *ix.journal
		*ix.journal = nil
		return ops
	}
	for range 3 {
		ops := take()
		if len(ops) == 0 {
			break
		}
		if err := apply(next, ops); err != nil {
			return nil, 0, err
		}
	}

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil, 0, ErrClosed
	}
	// Writers hold mu shared, so none is running: the journal is complete.
	ops := take()
	ix.jmu.Lock()
	ix.journal = nil
	ix.jmu.Unlock()
	if err := apply(next, ops); err != nil {
		return nil, 0, err
	}
	if ix.dir != "" {
		if err := writeCurrent(ix.dir, gen); err != nil {
			return nil, 0, err
		}
	}
	old, oldGen := ix.cur, ix.gen
	ix.cur, ix.gen, ix.fresh = next, gen, false
	return old, oldGen, nil
}

// discard removes generation gen's directory, if on disk.
func (ix *Index) discard(gen int) {
	if ix.dir != "" && gen > 0 {
		os.RemoveAll(genPath(ix.dir, gen))
	}
}

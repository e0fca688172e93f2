package search

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
)

// Rebuild replaces the index with one built from the documents each
// yields, and returns the number of documents in it.
//
// The new index is built in memory beside the current one (documents are
// analysed on every core) and its generation written to disk. Searches
// and writes keep using the current index meanwhile; writes are also
// recorded and replayed onto the new index, which is then swapped in
// atomically. If each fails, ctx ends or the index is closed, the current
// index stays. A document yielded twice is indexed as last yielded.
func (ix *Index) Rebuild(ctx context.Context, each func(yield func(Doc) error) error) (int, error) {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return 0, ErrClosed
	}
	ix.journal = new([]analysedOp)
	ix.mu.Unlock()

	var gen int
	var f *os.File
	var err error
	if ix.dir != "" {
		if gen, err = nextGen(ix.dir); err == nil {
			f, err = createLog(genPath(ix.dir, gen))
		}
	}
	var next *mem
	if err == nil {
		next, err = ix.build(ctx, f, each)
	}
	if err == nil {
		err = ix.swap(next, f, gen)
	}
	if err != nil {
		ix.mu.Lock()
		ix.journal = nil
		ix.mu.Unlock()
		if f != nil {
			f.Close()
			os.Remove(f.Name())
		}
		return 0, err
	}
	return next.count(), nil
}

// build makes a new index from each, writing its records to f if set.
func (ix *Index) build(ctx context.Context, f *os.File, each func(yield func(Doc) error) error) (*mem, error) {
	var w *bufio.Writer
	if f != nil {
		w = bufio.NewWriterSize(f, 1<<20)
	}
	next := newMem()
	var rec []byte
	err := pipeline(ctx, func(yield func(op) error) error {
		return each(func(d Doc) error {
			select {
			case <-ix.done:
				return ErrClosed
			default:
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if d.ID == "" {
				return errors.New("document without ID")
			}
			return yield(op{id: d.ID, doc: &d})
		})
	}, func(o op, a *analysed) error {
		if w != nil {
			rec = appendRecord(rec[:0], o)
			if _, err := w.Write(rec); err != nil {
				return err
			}
		}
		return next.put(a)
	})
	if err == nil && w != nil {
		err = w.Flush()
	}
	if err != nil {
		return nil, fmt.Errorf("rebuild search index: %w", err)
	}
	next.settle()
	return next, nil
}

// swap replays the journal onto next and makes it current. Most of the
// journal is replayed while searches go on; only the last few writes hold
// them up.
func (ix *Index) swap(next *mem, f *os.File, gen int) error {
	replay := func(ops []analysedOp) error {
		if f != nil && len(ops) > 0 {
			if err := writeRecords(f, ops); err != nil {
				return err
			}
		}
		for _, o := range ops {
			if err := next.apply(o); err != nil {
				return err
			}
		}
		next.settle()
		return nil
	}
	take := func() []analysedOp {
		ops := *ix.journal
		*ix.journal = nil
		return ops
	}
	for range 3 {
		ix.mu.Lock()
		ops := take()
		ix.mu.Unlock()
		if len(ops) == 0 {
			break
		}
		if err := replay(ops); err != nil {
			return err
		}
	}

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return ErrClosed
	}
	// Writers hold mu, so none is running: the journal is complete.
	ops := take()
	ix.journal = nil
	if err := replay(ops); err != nil {
		return err
	}
	if f != nil {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("rebuild search index: %w", err)
		}
		if err := writeCurrent(ix.dir, gen); err != nil {
			return err
		}
		ix.log.Close()
		os.Remove(genPath(ix.dir, ix.gen))
	}
	ix.cur, ix.log, ix.gen, ix.fresh = next, f, gen, false
	return nil
}

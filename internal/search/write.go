package search

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// writeChunk is the number of documents applied per hold of the write
// lock, so that a large Put lets searches in between.
const writeChunk = 1024

// Put adds or replaces docs.
func (ix *Index) Put(docs ...Doc) error {
	for i := range docs {
		if docs[i].ID == "" {
			return errors.New("search put: document without ID")
		}
	}
	ops := make([]analysedOp, len(docs))
	prepare := func(i int) {
		d := docs[i]
		ops[i] = analysedOp{id: d.ID, an: analyse(&d), rec: appendRecord(nil, op{id: d.ID, doc: &d})}
	}
	if len(docs) < 2*writeChunk {
		for i := range docs {
			prepare(i)
		}
	} else {
		var wg sync.WaitGroup
		workers := max(1, runtime.GOMAXPROCS(0))
		for w := range workers {
			wg.Go(func() {
				for i := w; i < len(docs); i += workers {
					prepare(i)
				}
			})
		}
		wg.Wait()
	}
	return ix.write(ops)
}

// Delete removes the documents with ids; unknown ids are ignored.
func (ix *Index) Delete(ids ...string) error {
	ops := make([]analysedOp, len(ids))
	for i, id := range ids {
		ops[i] = analysedOp{id: id, rec: appendRecord(nil, op{id: id})}
	}
	return ix.write(ops)
}

func (ix *Index) write(ops []analysedOp) error {
	for len(ops) > 0 {
		n := min(len(ops), writeChunk)
		if err := ix.writeLocked(ops[:n]); err != nil {
			return err
		}
		ops = ops[n:]
	}
	return nil
}

// writeLocked logs ops, applies them and, while a Rebuild runs, records
// them for it.
func (ix *Index) writeLocked(ops []analysedOp) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return ErrClosed
	}
	if ix.log != nil {
		if err := writeRecords(ix.log, ops); err != nil {
			return err
		}
	}
	defer ix.cur.settle()
	for _, o := range ops {
		if err := ix.cur.apply(o); err != nil {
			return err
		}
	}
	if ix.journal != nil {
		*ix.journal = append(*ix.journal, ops...)
	}
	return nil
}

// writeRecords writes the records of ops to w in one write.
func writeRecords(w io.Writer, ops []analysedOp) error {
	n := 0
	for _, o := range ops {
		n += len(o.rec)
	}
	buf := make([]byte, 0, n)
	for _, o := range ops {
		buf = append(buf, o.rec...)
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("write search index: %w", err)
	}
	return nil
}

package search

import (
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// batchSize is the number of documents per bleve batch.
const batchSize = 1000

// Put adds or replaces docs, in batches.
func (ix *Index) Put(docs ...Doc) error {
	for i := range docs {
		if docs[i].ID == "" {
			return errors.New("search put: document without ID")
		}
	}
	ops := make([]op, len(docs))
	for i := range docs {
		ops[i] = op{id: docs[i].ID, doc: &docs[i]}
	}
	return ix.write(ops)
}

// Delete removes the documents with ids; unknown ids are ignored.
func (ix *Index) Delete(ids ...string) error {
	ops := make([]op, len(ids))
	for i, id := range ids {
		ops[i] = op{id: id}
	}
	return ix.write(ops)
}

func (ix *Index) write(ops []op) error {
	if len(ops) == 0 {
		return nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return ErrClosed
	}
	ix.jmu.Lock()
	defer ix.jmu.Unlock()
	if err := apply(ix.cur, ops); err != nil {
		return err
	}
	if ix.journal != nil {
		*ix.journal = append(*ix.journal, ops...)
	}
	return nil
}

// apply runs ops on idx in batches of batchSize.
func apply(idx bleve.Index, ops []op) error {
	for len(ops) > 0 {
		n := min(len(ops), batchSize)
		b := idx.NewBatch()
		for _, o := range ops[:n] {
			if o.doc == nil {
				b.Delete(o.id)
				continue
			}
			if err := b.Index(o.id, fields(o.doc)); err != nil {
				return fmt.Errorf("index resource %s: %w", o.id, err)
			}
		}
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("write search index: %w", err)
		}
		ops = ops[n:]
	}
	return nil
}

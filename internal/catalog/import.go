package catalog

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// An Import stores prepared entries (PrepareImport) as drafts, each with
// its first version, in one transaction: all or none. The caller hands
// them over chunk by chunk with Add while it is still reading and checking
// the rest of its file, then ends with Commit or Abort. An Import is used
// from one goroutine.
//
// It is the bulk import's hot path, laid out so that the store is never
// kept waiting: one goroutine owns the transaction and only executes
// statements; the rows of the next chunk (documents marshalled once, for
// their version) are built while the current chunk is written; a third
// goroutine feeds the search index and takes the entries out again if
// the transaction fails. Codes are allocated a range per classification
// and chunk in one statement.
type Import struct {
	s      *Service
	ctx    context.Context
	p      *authz.Principal
	reason string
	now    time.Time

	chunks  chan []Resource
	done    chan struct{} // closed when the writer has ended
	err     error         // the writer's result, set before done is closed
	aborted atomic.Bool   // roll back rather than commit, without storing what is queued
	stored  atomic.Int64
	closed  bool
}

// errAborted rolls back an import the caller gave up.
var errAborted = errors.New("import aborted")

// BeginImport starts an import for the caller in ctx; reason is recorded
// with every version. The transaction begins with the first Add, whose
// time the entries get.
func (s *Service) BeginImport(ctx context.Context, reason string) (*Import, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	return &Import{s: s, ctx: ctx, p: p, reason: reason}, nil
}

// Add queues prepared entries for storing and gives each its ID, status,
// first version and times (its code follows when it is stored). rs
// belongs to the import until Commit or Abort returns. An error means the
// import has failed: Abort it.
func (im *Import) Add(rs []Resource) error {
	if im.closed {
		return errors.New("add to an ended import")
	}
	for i := range rs {
		if !im.p.Can(authz.CatalogWrite, rs[i].OrgID) {
			return authz.Denied()
		}
	}
	if im.now.IsZero() {
		im.now = im.s.now() // every entry of an import has the same time
	}
	for i := range rs {
		r := &rs[i]
		r.ID = uuid.Must(uuid.NewV7()).String()
		r.Status, r.Version, r.PublishedVersion = Draft, 1, 0
		r.CreatedBy, r.CreatedAt, r.UpdatedAt = im.p.Username, im.now, im.now
	}
	if len(rs) == 0 {
		return nil
	}
	if im.chunks == nil {
		// The entries are in memory already: queue them without waiting
		// (only the rows being built and written take memory of their own).
		im.chunks = make(chan []Resource, 1024)
		im.done = make(chan struct{})
		go im.run()
	}
	select {
	case im.chunks <- rs:
		return nil
	case <-im.done:
		return im.err
	}
}

// Stored is the number of entries written so far (not yet committed).
func (im *Import) Stored() int { return int(im.stored.Load()) }

// Commit stores what is still queued and commits. progress, if set, is
// called from the calling goroutine with the number stored while it
// waits.
func (im *Import) Commit(progress func(stored int)) error {
	return im.end(true, progress)
}

// Abort rolls back everything added.
func (im *Import) Abort() {
	_ = im.end(false, nil)
}

func (im *Import) end(commit bool, progress func(int)) error {
	if im.closed {
		return errors.New("import already ended")
	}
	im.closed = true
	if im.chunks == nil {
		return nil // nothing was added
	}
	im.aborted.Store(!commit)
	close(im.chunks)
	if progress != nil {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for waiting := true; waiting; {
			select {
			case <-im.done:
				waiting = false
			case <-tick.C:
				progress(im.Stored())
			}
		}
	}
	<-im.done
	if !commit {
		return nil
	}
	if im.err == nil && progress != nil {
		progress(im.Stored())
	}
	return im.err
}

// run owns the transaction: it stores the chunks as they come and, when
// they end, commits or rolls back.
func (im *Import) run() {
	defer close(im.done)
	ctx := im.ctx
	ix := newImportIndexer(im.s)
	err := im.s.db.InTx(ctx, func(tx *store.Tx) (err error) {
		restore, err := tuneForImport(ctx, tx)
		if err != nil {
			return err
		}
		defer func() {
			if rerr := restore(); err == nil {
				err = rerr
			}
		}()
		// A chunk's rows are built while the one before is written.
		var pending *importRows
		flush := func() error {
			if pending == nil {
				return nil
			}
			if err := pending.insert(ctx, tx); err != nil {
				return err
			}
			im.stored.Add(int64(len(pending.rs)))
			ix.put(pending.rs)
			pending = nil
			return nil
		}
		for rs := range im.chunks {
			if im.aborted.Load() {
				return errAborted
			}
			if err := allocateCodes(ctx, tx, rs); err != nil {
				return err
			}
			built := make(chan *importRows, 1)
			go func() { built <- buildRows(rs, im.p, im.reason) }()
			err := flush()
			pending = <-built // waited for even when flush failed
			if err != nil {
				return err
			}
			if pending.err != nil {
				return pending.err
			}
		}
		if im.aborted.Load() {
			return errAborted
		}
		if err := flush(); err != nil {
			return err
		}
		n := int(im.stored.Load())
		return actionlog.Append(ctx, tx, im.now, "resource.import", "resource", fmt.Sprintf("%d entries", n), im.p.OrgID, nil,
			map[string]any{"count": n, "reason": im.reason})
	})
	ix.finish(err != nil)
	if errors.Is(err, errAborted) {
		err = nil
	}
	im.err = err
}

// importIndexer puts stored chunks into the search index beside the
// transaction, and removes them again when it fails. The store is the
// truth: an index failure is logged and repaired by Reindex.
type importIndexer struct {
	s   *Service
	in  chan []Resource
	wg  sync.WaitGroup
	ids []string
}

func newImportIndexer(s *Service) *importIndexer {
	ix := &importIndexer{s: s, in: make(chan []Resource, 64)}
	ix.wg.Go(func() {
		var failed error
		for rs := range ix.in {
			for i := range rs {
				ix.ids = append(ix.ids, rs[i].ID)
			}
			if failed == nil {
				failed = s.index.Put(searchDocs(rs)...)
			}
		}
		if failed != nil {
			s.log.Error("index imported resources", "error", failed, "count", len(ix.ids))
		}
	})
	return ix
}

func (ix *importIndexer) put(rs []Resource) { ix.in <- rs }

// finish waits for the index to catch up; after a failed transaction it
// takes the entries out again.
func (ix *importIndexer) finish(failed bool) {
	close(ix.in)
	ix.wg.Wait()
	if failed && len(ix.ids) > 0 {
		if err := ix.s.index.Delete(ix.ids...); err != nil {
			ix.s.log.Error("unindex failed import", "error", err, "count", len(ix.ids))
		}
	}
}

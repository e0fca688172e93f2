package catalogio

import (
	"context"
	"io"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"github.com/pubdata/pubdata/internal/catalog"
)

// Streaming: while the reader goes on through a file, the entries it is
// done with are checked and handed to the import's transaction
// (catalog.Import), so that reading the file and writing the store
// overlap instead of taking turns. Nothing changes for the user: the
// transaction commits only when the whole file has been read and no entry
// refuses it, and every error is reported as before.
//
// An entry is done ("sealed") when the reader has moved past it: a JSON
// record once decoded; in a workbook or CSV file, when the rows of a later
// entry begin (its item rows, or its group of rows). Files where rows of
// one entry are scattered break that assumption: the reader then notices
// that it changes a sealed entry, the streamed transaction is rolled back
// and the import runs the classic way (read all, check all, store all).

// sealChunk is how many sealed entries go to the streamer at a time
// (a variable for tests).
var sealChunk = 1000

// atHand reports whether all of r can be read without waiting on anyone:
// a regular file or data in memory. Only then does an import stream: a
// transaction must not wait on a slow upload (on SQLite it holds the write
// lock).
func atHand(r io.Reader) bool {
	if f, ok := r.(*os.File); ok {
		st, err := f.Stat()
		return err == nil && st.Mode().IsRegular()
	}
	_, ok := r.(io.ReaderAt)
	return ok
}

// streamer checks sealed entries and stores the valid ones, in a goroutine
// of its own, beside the reader.
type streamer struct {
	t       *Transfer
	ctx     context.Context
	partial bool

	in       chan *sealed // sealed chunks; nil wakes it after broken or hopeless changed
	done     chan struct{}
	broken   atomic.Bool  // the reader changed a sealed entry: results void, classic import
	hopeless atomic.Bool  // all or nothing, and an entry has failed: store no more
	checked  atomic.Int64 // entries checked, for progress

	// Owned by the streamer goroutine until done is closed, then by the
	// reader's.
	im      *catalog.Import // nil once rolled back
	results []*sealed
	err     error
}

// sealed is a chunk of sealed entries, copied so that the reader and the
// streamer never share memory.
type sealed struct {
	first  int                // batch index of rs[0]
	rs     []catalog.Resource // the entries; prepared and, once stored, with ID and code
	failed []bool             // had reading errors, or are orphan item rows
	orphan []bool
	finds  [][]catalog.Finding // the error findings of each entry's check
	stored []catalog.Resource  // the valid entries, when not all of rs are
}

func (t *Transfer) newStreamer(ctx context.Context, opts catalog.ImportOptions) (*streamer, error) {
	im, err := t.cat.BeginImport(ctx, opts.Reason)
	if err != nil {
		return nil, err
	}
	st := &streamer{t: t, ctx: ctx, partial: opts.Partial, im: im,
		in: make(chan *sealed, 16), done: make(chan struct{})}
	go st.run()
	return st, nil
}

// seal marks the entries below n as done; full chunks go to the streamer.
func (b *batch) seal(n int) {
	st := b.stream
	if st == nil || st.broken.Load() || n <= b.sealed {
		return
	}
	b.sealed = n
	if b.sealed-b.sent >= sealChunk {
		b.send()
	}
}

// touch notes that the reader changes entry i.
func (b *batch) touch(i int) {
	st := b.stream
	if st == nil || i >= b.sealed || st.broken.Load() {
		return
	}
	st.broken.Store(true)
	st.in <- nil
}

// noteFailure notes, in an all-or-nothing import, that the file will be
// refused: the streamer stores no more.
func (b *batch) noteFailure() {
	st := b.stream
	if st == nil || st.partial || st.hopeless.Load() {
		return
	}
	st.hopeless.Store(true)
	st.in <- nil
}

// send hands the sealed entries not sent yet to the streamer.
func (b *batch) send() {
	lo, hi := b.sent, b.sealed
	if hi <= lo {
		return
	}
	b.sent = hi
	ch := &sealed{first: lo, rs: make([]catalog.Resource, hi-lo), failed: make([]bool, hi-lo), orphan: make([]bool, hi-lo)}
	n := 0
	for i := lo; i < hi; i++ {
		n += len(b.rs[i].Items)
	}
	items := make([]catalog.DataItem, n) // one exactly sized array per chunk
	for k := range ch.rs {
		src, r := &b.rs[lo+k], &ch.rs[k]
		*r = *src
		m := copy(items, src.Items)
		r.Items, items = items[:m:m], items[m:]
		r.Keywords, r.Related = slices.Clone(src.Keywords), slices.Clone(src.Related)
		e := &b.ents[lo+k]
		ch.failed[k] = len(e.errs) > 0 || e.orphan
		ch.orphan[k] = e.orphan
	}
	b.stream.in <- ch
}

func (st *streamer) run() {
	defer close(st.done)
	for ch := range st.in {
		if st.broken.Load() || st.err != nil {
			st.rollback()
			continue
		}
		if st.hopeless.Load() {
			st.rollback()
		}
		if ch == nil {
			continue
		}
		ok := st.check(ch)
		st.results = append(st.results, ch)
		switch {
		case st.err != nil:
		case !ok && !st.partial:
			st.rollback()
		case st.im != nil:
			st.err = st.store(ch)
		}
	}
}

// check prepares the entries of ch as an import does and reports whether
// all of them may be stored.
func (st *streamer) check(ch *sealed) bool {
	ok := true
	ch.finds = make([][]catalog.Finding, len(ch.rs))
	for k := range ch.rs {
		if ch.orphan[k] {
			ok = false
			continue
		}
		r := &ch.rs[k]
		org, provider := r.OrgID, r.ProviderCode
		fs, err := st.t.cat.PrepareImport(st.ctx, r)
		if err != nil {
			st.err = err
			return false
		}
		for _, f := range fs {
			if f.Severity == catalog.SevError {
				ch.finds[k] = append(ch.finds[k], f)
			}
		}
		if ch.failed[k] || len(ch.finds[k]) > 0 {
			ch.failed[k] = true
			ok = false
			// The rejects file shows the provider as the user gave it.
			r.OrgID, r.ProviderCode = org, provider
		}
	}
	st.checked.Add(int64(len(ch.rs)))
	return ok
}

// store adds the valid entries of ch to the import, which sets their IDs
// and codes in place: a chunk with rejected entries (partial import) hands
// over a slice of the valid ones.
func (st *streamer) store(ch *sealed) error {
	if !slices.Contains(ch.failed, true) {
		return st.im.Add(ch.rs)
	}
	var valid []catalog.Resource
	for k := range ch.rs {
		if !ch.failed[k] {
			valid = append(valid, ch.rs[k])
		}
	}
	if len(valid) == 0 {
		return nil
	}
	ch.stored = valid
	return st.im.Add(valid)
}

// rollback gives up the streamed transaction.
func (st *streamer) rollback() {
	if st.im != nil {
		st.im.Abort()
		st.im = nil
	}
}

// finish sends what is left, waits for the streamer, reporting the
// checking stage meanwhile, and reports whether its results stand.
func (st *streamer) finish(b *batch, progress progressFunc) bool {
	if !st.broken.Load() {
		b.seal(len(b.rs))
		b.send()
	}
	close(st.in)
	n := len(b.rs)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case <-st.done:
			waiting = false
		case <-tick.C:
			if progress != nil {
				progress(stageCheck, int(st.checked.Load()), n)
			}
		}
	}
	if st.broken.Load() {
		st.rollback()
		return false
	}
	return true
}

// stop ends a streamer whose import failed.
func (st *streamer) stop() {
	st.broken.Store(true)
	close(st.in)
	<-st.done
	st.rollback()
}

// storeStreamed ends a streamed import: it reports every error as the
// classic import does and commits or rolls back.
func (t *Transfer) storeStreamed(ctx context.Context, b *batch, st *streamer, opts catalog.ImportOptions,
	progress progressFunc) (*catalog.ImportReport, error) {
	if st.err != nil {
		st.rollback()
		return nil, st.err
	}
	st.merge(b)
	if progress != nil {
		progress(stageCheck, len(b.rs), len(b.rs))
	}
	return t.store(ctx, b, opts, progress, st)
}

// merge records the findings in b as prepare does and puts the rejected
// entries back as checked, for the report and the rejects file. The
// stored entries stay with the import until it ends.
func (st *streamer) merge(b *batch) {
	for _, ch := range st.results {
		for k := range ch.rs {
			if !ch.failed[k] {
				continue
			}
			i := ch.first + k
			b.rs[i] = ch.rs[k]
			e := &b.ents[i]
			for _, f := range ch.finds[k] {
				if !e.reported(f.Field) {
					e.errs = append(e.errs, b.locate(i, f))
				}
			}
		}
	}
}

// storedIDs are the IDs of the stored entries in file order (after the
// import has ended).
func (st *streamer) storedIDs() []string {
	var ids []string
	for _, ch := range st.results {
		if ch.stored != nil {
			for i := range ch.stored {
				ids = append(ids, ch.stored[i].ID)
			}
			continue
		}
		for k := range ch.rs {
			if !ch.failed[k] {
				ids = append(ids, ch.rs[k].ID)
			}
		}
	}
	return ids
}

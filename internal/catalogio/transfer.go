// Package catalogio moves catalog entries in and out of the files people
// keep them in (CAT-1, TOP-4): the XLSX template with its instructions and
// code tables, CSV in the encodings Chinese offices use, and the API's JSON.
// Import checks every row and reports every problem by sheet, row and
// column; it stores all entries or none unless asked to keep the valid ones,
// in which case the rejected rows go to a file their owner can fix.
package catalogio

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/store"
)

// Transfer imports and exports catalog files.
type Transfer struct {
	cat     *catalog.Service
	db      *store.DB
	dataDir string
	log     *slog.Logger
	now     func() time.Time
}

// New returns the catalog's file transfer. Rejected rows of partial
// imports are kept under dataDir/rejects.
func New(cat *catalog.Service, db *store.DB, dataDir string, log *slog.Logger) *Transfer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Transfer{cat: cat, db: db, dataDir: dataDir, log: log, now: time.Now}
}

// Import reads a catalog file ("xlsx", "csv" or "json") and registers its
// entries as drafts for the caller in ctx. With opts.Partial unset, one
// invalid entry refuses the whole file: the report then has Imported 0 and
// every error. A file that cannot be read at all is an Invalid error.
func (t *Transfer) Import(ctx context.Context, r io.Reader, format string, opts catalog.ImportOptions) (*catalog.ImportReport, error) {
	return t.ImportWithProgress(ctx, r, format, opts, nil)
}

// ImportWithProgress is Import reporting its stages ("reading", "checking",
// "storing") to progress, which is called from the calling goroutine; total
// is -1 while unknown.
func (t *Transfer) ImportWithProgress(ctx context.Context, r io.Reader, format string, opts catalog.ImportOptions,
	progress func(stage string, done, total int)) (*catalog.ImportReport, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !p.CanSome(authz.CatalogWrite) {
		return nil, apperr.New(apperr.Forbidden, "you may not register catalog entries", "无权编制目录")
	}
	lk, err := t.lookups(ctx)
	if err != nil {
		return nil, err
	}
	b := &batch{format: format, byKey: map[string]int{}, lk: lk}
	// A workbook is at hand once opened (it is read into memory, or used in
	// place when it is a file).
	if format == "xlsx" || atHand(r) {
		if b.stream, err = t.newStreamer(ctx, opts); err != nil {
			return nil, err
		}
	}
	if err := t.read(ctx, b, r, format, opts, progress); err != nil {
		if b.stream != nil {
			b.stream.stop()
		}
		return nil, err
	}
	if st := b.stream; st != nil {
		streamed := st.finish(b, progress)
		b.stream = nil
		if streamed {
			return t.storeStreamed(ctx, b, st, opts, progress)
		}
		// The file's rows were not in order: import it the classic way.
	}
	b.compact()
	if err := t.prepare(ctx, b, progress); err != nil {
		return nil, err
	}
	return t.store(ctx, b, opts, progress, nil)
}

// read reads the file into b; an error refuses the file as a whole.
func (t *Transfer) read(ctx context.Context, b *batch, r io.Reader, format string, opts catalog.ImportOptions,
	progress progressFunc) error {
	var err error
	rd := &reader{ctx: ctx, progress: progress}
	if progress != nil {
		progress(stageRead, 0, -1)
	}
	switch format {
	case "xlsx":
		err = b.readXLSX(rd, r, opts.Sheet)
	case "csv":
		var src *csvSource
		if src, err = newCSVSource(r, opts.Encoding); err == nil {
			err = b.readFlat(rd, src, "")
		}
	case "json":
		err = b.readJSON(rd, r)
	default:
		return apperr.New(apperr.Invalid, "unknown file format "+format, "无法识别的文件格式"+format).
			With("format", "must be xlsx, csv or json", "须为 xlsx、csv、json 之一")
	}
	if err != nil {
		return err
	}
	if len(b.fileErrs) > 0 {
		var f apperr.Fields
		for _, e := range b.fileErrs {
			where := strings.TrimSpace(fmt.Sprintf("%s row %d", e.Sheet, e.Row))
			if e.Column != "" {
				where += " column " + e.Column
			}
			f.Add(where, e.Message, e.ZH)
		}
		err := f.Err().(*apperr.Error)
		err.Message, err.ZH = "the header row does not match the template", "表头与模板不符"
		return err
	}
	if len(b.ents) == 0 {
		return apperr.New(apperr.Invalid, "the file holds no catalog entries", "文件中没有目录条目").
			With("file", "no rows below the header", "表头下没有数据行")
	}
	if progress != nil {
		progress(stageRead, rd.rows, rd.rows)
	}
	return nil
}

func (t *Transfer) lookups(ctx context.Context) (*lookups, error) {
	classes, err := t.cat.Classifications(ctx)
	if err != nil {
		return nil, err
	}
	elements, err := t.cat.Elements(ctx)
	if err != nil {
		return nil, err
	}
	return newLookups(classes, elements, t.cat.OrgIDByProviderCode), nil
}

// prepare checks every entry in parallel (PrepareImport is safe for
// concurrent use) and records the findings that are errors where the user
// can find them.
func (t *Transfer) prepare(ctx context.Context, b *batch, progress progressFunc) error {
	n := len(b.rs)
	workers := min(runtime.GOMAXPROCS(0), max(1, n/64))
	const chunk = 128
	var next, done atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= n {
					return
				}
				end := min(start+chunk, n)
				for i := start; i < end; i++ {
					if err := t.prepareOne(ctx, b, i); err != nil {
						errc <- err
						next.Store(int64(n))
						return
					}
				}
				done.Add(int64(end - start))
			}
		})
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case <-finished:
			waiting = false
		case <-tick.C:
			if progress != nil {
				progress(stageCheck, int(done.Load()), n)
			}
		}
	}
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	if progress != nil {
		progress(stageCheck, n, n)
	}
	return nil
}

func (t *Transfer) prepareOne(ctx context.Context, b *batch, i int) error {
	e := &b.ents[i]
	if e.orphan {
		return nil
	}
	r := &b.rs[i]
	org, provider := r.OrgID, r.ProviderCode
	fs, err := t.cat.PrepareImport(ctx, r)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if f.Severity == catalog.SevError && !e.reported(f.Field) {
			e.errs = append(e.errs, b.locate(i, f))
		}
	}
	if len(e.errs) > 0 {
		// The rejects file shows the provider as the user gave it.
		r.OrgID, r.ProviderCode = org, provider
	}
	return nil
}

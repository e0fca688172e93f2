package catalogio

import (
	"context"
	"errors"
	"os"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
)

// store reports every error and, unless that refuses the file, stores the
// valid entries in one transaction: st's, which holds them already when
// the import streamed, or a new one.
func (t *Transfer) store(ctx context.Context, b *batch, opts catalog.ImportOptions, progress progressFunc, st *streamer) (*catalog.ImportReport, error) {
	rep := &catalog.ImportReport{Rows: len(b.ents), Errors: []catalog.RowError{}}
	for i := range b.ents {
		e := &b.ents[i]
		if len(e.errs) > 0 || e.orphan {
			rep.Rejected++
			rep.Errors = append(rep.Errors, e.errs...)
		}
	}
	sortErrors(rep.Errors, sheetOf(b.res), sheetOf(b.item))
	p := authz.FromContext(ctx)
	if rep.Rejected > 0 && !opts.Partial {
		if st != nil {
			st.rollback()
		}
		t.log.Info("catalog import refused", "org", p.OrgID, "format", b.format, "rows", rep.Rows, "rejected", rep.Rejected)
		return rep, nil
	}
	if rep.Rejected > 0 {
		// Set the rejected entries apart, then keep the valid ones in place.
		rej := &batch{format: b.format, res: b.res, item: b.item}
		n := 0
		for i := range b.ents {
			e := &b.ents[i]
			if len(e.errs) > 0 || e.orphan {
				rej.rs = append(rej.rs, b.rs[i])
				rej.ents = append(rej.ents, *e)
				continue
			}
			b.rs[n] = b.rs[i]
			n++
		}
		clear(b.rs[n:])
		b.rs = b.rs[:n]
		path, err := t.writeRejects(rej, opts)
		if err != nil {
			if st != nil {
				st.rollback()
			}
			return nil, err
		}
		rep.RejectsFile = path
	}
	ids, err := t.save(ctx, b, opts, progress, st)
	if err != nil {
		if rep.RejectsFile != "" {
			_ = os.Remove(rep.RejectsFile)
		}
		return nil, err
	}
	rep.Imported, rep.IDs = len(ids), ids
	t.log.Info("catalog import", "org", p.OrgID, "format", b.format, "rows", rep.Rows, "imported", rep.Imported, "rejected", rep.Rejected)
	return rep, nil
}

// save stores the valid entries, b.rs, and returns their IDs.
func (t *Transfer) save(ctx context.Context, b *batch, opts catalog.ImportOptions, progress progressFunc, st *streamer) ([]string, error) {
	if len(b.rs) == 0 {
		if st != nil {
			st.rollback()
		}
		return nil, nil
	}
	var cb func(int)
	if progress != nil {
		total := len(b.rs)
		cb = func(done int) { progress(stageStore, done, total) }
		cb(0)
	}
	if st != nil {
		if st.im == nil {
			return nil, errors.New("catalog import: the streamed transaction ended early")
		}
		err := st.im.Commit(cb)
		st.im = nil
		if err != nil {
			return nil, err
		}
		return st.storedIDs(), nil
	}
	stored, err := t.cat.BulkCreate(ctx, b.rs, opts.Reason, cb)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(stored))
	for i := range stored {
		ids[i] = stored[i].ID
	}
	return ids, nil
}

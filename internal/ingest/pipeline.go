package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
)

// loader runs one load.
type loader struct {
	spec     Spec
	ds       records.DatasetSpec
	prog     *quality.Program
	lay      layout
	opts     Options
	in       input
	vw       records.VersionWriter
	progress func(Progress)
	start    time.Time
	res      *Result
	comma    byte
	keyCols  []int
	total    int64 // Source.Size
	store    records.Store
	refs     []*refCheck // reference rules, checked on every row

	// sequencer state
	uniqs    []*uniqRule
	normRow  []string // scratch for uniqRule.norm
	hashes   []uint64 // scratch: a chunk's key hashes
	flags    flagFile
	klog     *keyLog // nil: flags are confirmed by the store alone
	read     int64
	passed   int64 // rows the sequencer passed to the writers
	rejected int64 // lines written to the quarantine
	lastProg time.Time
	qf       *os.File
	qw       *bufio.Writer
	qpath    string

	// writer state
	written atomic.Int64 // rows written to the store
	deleted atomic.Int64 // delete keys given to the store
	wmu     sync.Mutex
	warn    map[string]int64
}

// dupChecker finds repeated keys: *quality.Unique.
type dupChecker interface {
	Add(row []string, num int) (first int, dup bool)
	Lookup(row []string) (first int, dup bool)
	SetBudget(maxKeys int, dir string)
	SetFilterBudget(bytes int)
	Reserve(n int)
	Err() error
	Close() error
}

// hashChecker is a dupChecker that adds a batch of rows in two steps:
// hashes first, then the table's memory fetched for all of them, then the
// adds (*quality.Unique).
type hashChecker interface {
	Hash(row []string) (uint64, bool)
	Prefetch(hs []uint64)
	AddHash(h uint64, num int) (first int, dup bool)
}

// uniqRule is a unique rule checked on every row as the source streams.
type uniqRule struct {
	dup  dupChecker
	cols []int // dataset columns
	name string
	key  bool // the rule on the key columns
	// norm: some column is not text, so values are compared as keyText
	// gives them (19900101 and 1990-01-01 are one date).
	norm bool
	// warn: the rule's severity is warning: a repeated value is counted
	// and the row kept.
	warn bool
}

// applies reports whether the rule checks a row: the key's rule every
// row with a key (some key column not blank); another rule the rows with
// a value in every one of its columns (as SQL's UNIQUE, blanks never
// repeat).
func (u *uniqRule) applies(vals []string) bool {
	blank := 0
	for _, c := range u.cols {
		if trim(vals[c]) == "" {
			blank++
		}
	}
	if u.key {
		return blank < len(u.cols)
	}
	return blank == 0
}

// checks reports whether u checks the record: the key's rule every
// record with a key, deletions included (a file deletes or writes a key
// once); other rules the rows written that apply.
func (l *loader) checks(u *uniqRule, rec *record, vals []string) bool {
	if rec.op == opDelete && !u.key {
		return false
	}
	return u.applies(vals)
}

// logKey records in the key log, if there is one, the values of a row
// that rule k's checker recorded: not of a deletion (not a row of the
// version) nor for a warning (its repeats are counted, never confirmed).
func (l *loader) logKey(rec *record, k int, row []string) {
	if l.klog == nil || rec.op == opDelete || l.uniqs[k].warn {
		return
	}
	l.klog.add(l, rec.row, k, row)
}

// keysByLog reports whether flagged duplicates are confirmed from a key
// log rather than by the store: when the store's HasKeys reads the whole
// version (replaced by tests).
var keysByLog = records.KeysByScan

// defaultKeyFilterBytes is Options.KeyFilterBytes when 0.
const defaultKeyFilterBytes = 256 << 20

// newDupChecker is replaced by tests.
var newDupChecker = func(cols []int) dupChecker { return quality.NewUnique(cols) }

func (l *loader) run(ctx context.Context, qpath string) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	l.comma = ','
	if c, ok := l.in.(*csvInput); ok {
		l.comma = c.comma
	}
	l.keyCols = l.ds.KeyColumns()
	l.warn = map[string]int64{}
	// Unique rules are checked on every row as it streams, exactly (see
	// confirm); reference rules on every row against the keys of the
	// referenced dataset; other dataset rules are reported as not checked.
	var uniq []quality.DatasetRule
	for _, d := range l.prog.Dataset() {
		switch d.Kind {
		case quality.KindUnique:
			if slices.Equal(d.Cols, l.keyCols) {
				uniq = slices.Insert(uniq, 0, d) // the key's rule first
			} else {
				uniq = append(uniq, d)
			}
		case quality.KindReference:
			rc, err := loadRef(ctx, l.store, d, l.spec)
			if err != nil {
				return err
			}
			l.refs = append(l.refs, rc)
		default:
			name := d.Rule.Name
			if name == "" {
				name = string(d.Kind)
			}
			l.res.Unchecked = append(l.res.Unchecked, name)
		}
	}
	// The checkers share the memory budgets.
	filters := l.opts.KeyFilterBytes
	if filters <= 0 {
		filters = defaultKeyFilterBytes
	}
	// The same columns twice: one check.
	for i := len(uniq) - 1; i > 0; i-- {
		if slices.ContainsFunc(uniq[:i], func(d quality.DatasetRule) bool { return slices.Equal(d.Cols, uniq[i].Cols) }) {
			uniq = slices.Delete(uniq, i, i+1)
		}
	}
	for _, d := range uniq {
		u := &uniqRule{dup: newDupChecker(d.Cols), cols: d.Cols, name: d.Rule.Name, key: slices.Equal(d.Cols, l.keyCols)}
		for _, c := range d.Cols {
			u.norm = u.norm || l.ds.Columns[c].Type != records.Text
		}
		// A repeated key is always an error: the key identifies the row.
		u.warn = d.Rule.Severity == quality.Warning && !u.key
		if u.name == "" {
			u.name = string(quality.KindUnique)
			if !u.key {
				var names []string
				for _, c := range d.Cols {
					names = append(names, l.spec.Columns[c].Name)
				}
				u.name += ":" + strings.Join(names, "+")
			}
		}
		u.dup.SetBudget(l.opts.MaxKeysInMemory/len(uniq), l.opts.QuarantineDir)
		u.dup.SetFilterBudget(filters / len(uniq))
		defer u.dup.Close()
		l.uniqs = append(l.uniqs, u)
	}

	qf, err := os.Create(qpath)
	if err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	l.qf, l.qpath = qf, qpath
	defer func() { l.qf.Close() }()
	l.qw = bufio.NewWriterSize(qf, 1<<20)
	l.qw.Write(quarantineHeader(l.lay.header))
	l.flags.path = qpath + ".flags"
	defer l.flags.close()
	if len(l.uniqs) > 0 && keysByLog(l.vw) {
		if l.klog, err = newKeyLog(qpath + ".keys"); err != nil {
			return err
		}
		defer l.klog.close()
	}

	if err := l.deleteList(ctx); err != nil {
		return err
	}

	workers, writers := l.opts.Workers, l.opts.Writers
	inflight := 3*workers + 2*writers + 2
	free := make(chan *chunk, inflight)
	for range inflight {
		free <- &chunk{}
	}
	toWork := make(chan *chunk, inflight)
	done := make(chan *chunk, inflight)
	toWrite := make(chan *chunk, inflight)

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // reader
		defer wg.Done()
		defer close(toWork)
		for seq := 0; ; seq++ {
			var c *chunk
			select {
			case c = <-free:
			case <-ctx.Done():
				return
			}
			c.reset()
			more, err := l.in.next(c)
			if err != nil {
				cancel(err)
				return
			}
			if !more {
				return
			}
			c.seq, c.read = seq, l.in.bytes()
			toWork <- c
		}
	}()
	var wwg sync.WaitGroup
	for range workers {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			w := l.newWorker()
			for c := range toWork {
				if ctx.Err() == nil {
					w.work(c)
				}
				done <- c
			}
		}()
	}
	go func() {
		wwg.Wait()
		close(done)
	}()
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := records.NewBatch(l.ds, 4096)
			for c := range toWrite {
				if ctx.Err() == nil {
					if err := l.write(ctx, c, b); err != nil {
						cancel(err)
					}
				}
				free <- c
			}
		}()
	}

	// The sequencer: chunks in source order.
	pending := map[int]*chunk{}
	next := 0
	for c := range done {
		pending[c.seq] = c
		for {
			c, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if ctx.Err() == nil {
				if err := l.sequence(c, l.qw); err != nil {
					cancel(err)
				}
			}
			toWrite <- c
		}
	}
	close(toWrite)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if len(pending) > 0 {
		return errors.New("ingest: internal error: chunks lost in sequencing")
	}
	for _, u := range l.uniqs {
		if err := u.dup.Err(); err != nil {
			return fmt.Errorf("ingest: duplicate check %s: %w", u.name, err)
		}
		// The checker's table and filters are not needed past the last
		// row: freed before the store confirms the duplicates and commits.
		u.dup.Close()
	}
	if err := l.confirm(ctx); err != nil {
		return err
	}
	if err := l.qw.Flush(); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	if err := l.qf.Sync(); err != nil {
		return fmt.Errorf("ingest: quarantine: %w", err)
	}
	r := l.res
	r.RowsRead = l.read
	r.RowsAccepted = l.written.Load() + l.deleted.Load()
	r.RowsRejected = l.rejected
	r.RowsDeleted = l.deleted.Load()
	r.Bytes = l.in.bytes()
	for k, v := range l.warn {
		r.Warnings[k] += v
	}
	l.report(true)
	if r.RowsRead != r.RowsAccepted+r.RowsRejected {
		return fmt.Errorf("ingest: %w: %d read, %d accepted, %d rejected", errCount, r.RowsRead, r.RowsAccepted, r.RowsRejected)
	}
	return nil
}

// sequence handles a chunk in source order: duplicate keys, quarantine,
// counts and progress.
func (l *loader) sequence(c *chunk, qw *bufio.Writer) error {
	if c.err != nil {
		return c.err
	}
	width, ncols := len(l.lay.header), len(l.ds.Columns)
	q := c.q
	flush := func(upTo int64) error { // quarantine lines of rows before upTo
		for len(q) > 0 && q[0].row < upTo {
			if _, err := qw.Write(c.qbuf[q[0].start:q[0].end]); err != nil {
				return fmt.Errorf("ingest: quarantine: %w", err)
			}
			l.rejected++
			q = q[1:]
		}
		return nil
	}
	l.read += int64(len(c.recs) + len(c.q))
	if c.seq == 0 && l.total > 0 && c.read > 0 {
		// Size the duplicate checkers from the first chunk's rows per byte.
		for _, u := range l.uniqs {
			u.dup.Reserve(int(min(l.total/c.read*int64(c.nrec)*11/10, 1<<27)))
		}
	}
	// of gives a checker a row, with the values of a rule on typed
	// columns as keyText gives them.
	of := func(u *uniqRule, row []string) []string {
		if !u.norm {
			return row
		}
		if len(l.normRow) != ncols {
			l.normRow = make([]string, ncols)
		}
		for _, c := range u.cols {
			l.normRow[c], _ = keyText(l.ds.Columns[c].Type, row[c])
		}
		return l.normRow
	}
	// One rule (the usual case): the chunk's hashes first, and the
	// table's memory fetched for all of them at once.
	var hashed hashChecker
	if len(l.uniqs) == 1 {
		hashed, _ = l.uniqs[0].dup.(hashChecker)
	}
	if hashed != nil {
		u := l.uniqs[0]
		l.hashes = l.hashes[:0]
		for i := range c.recs {
			row := c.vals[i*ncols : (i+1)*ncols]
			var h uint64
			if l.checks(u, &c.recs[i], row) {
				if hh, ok := hashed.Hash(of(u, row)); ok {
					h = hh
				}
			}
			l.hashes = append(l.hashes, h)
		}
		hashed.Prefetch(l.hashes)
	}
	var reasons []reason
	var flags []flag
	for i := range c.recs {
		if len(l.uniqs) == 0 {
			break
		}
		rec := &c.recs[i]
		row := c.vals[i*ncols : (i+1)*ncols]
		reasons, flags = reasons[:0], flags[:0]
		var warned []string
		hit := func(k int, first int) {
			u := l.uniqs[k]
			if u.warn {
				warned = append(warned, u.name)
				return
			}
			key, _ := l.valuesOf(u, row)
			for j := range key {
				key[j] = strings.Clone(key[j])
			}
			flags = append(flags, flag{row: rec.row, rule: k, key: key, first: int64(first)})
			reasons = append(reasons, l.reasonDuplicate(u, int64(first)))
		}
		if hashed != nil {
			if h := l.hashes[i]; h != 0 {
				if first, dup := hashed.AddHash(h, int(rec.row)); dup {
					hit(0, first)
				} else {
					l.logKey(rec, 0, row)
				}
			}
		} else if len(l.uniqs) == 1 {
			// One rule: look up and record in one step.
			if u := l.uniqs[0]; l.checks(u, rec, row) {
				if first, dup := u.dup.Add(of(u, row), int(rec.row)); dup {
					hit(0, first)
				} else {
					l.logKey(rec, 0, row)
				}
			}
		} else {
			// Several: a row's values are recorded only if it is
			// accepted, so that every value a checker holds is an
			// accepted row's.
			for k, u := range l.uniqs {
				if l.checks(u, rec, row) {
					if first, dup := u.dup.Lookup(of(u, row)); dup {
						hit(k, first)
					}
				}
			}
			if len(reasons) == 0 {
				for k, u := range l.uniqs {
					if l.checks(u, rec, row) {
						u.dup.Add(of(u, row), int(rec.row))
						l.logKey(rec, k, row)
					}
				}
			}
		}
		if len(reasons) == 0 {
			if len(warned) > 0 {
				l.wmu.Lock()
				for _, w := range warned {
					l.warn[w]++
				}
				l.wmu.Unlock()
			}
			continue
		}
		if err := flush(rec.row); err != nil {
			return err
		}
		start := len(c.qbuf)
		c.qbuf = appendQuarantine(c.qbuf, rec.row, c.cells[i*width:(i+1)*width], width, reasons)
		if _, err := qw.Write(c.qbuf[start:]); err != nil {
			return fmt.Errorf("ingest: quarantine: %w", err)
		}
		l.rejected++
		for _, r := range reasons {
			l.res.Rejections[r.rule]++
		}
		for _, f := range flags {
			if err := l.flags.add(f); err != nil {
				return err
			}
		}
		rec.op = opReject
	}
	if err := flush(1 << 62); err != nil {
		return err
	}
	for k, v := range c.rej {
		l.res.Rejections[k] += v
	}
	if l.res.Filled == nil {
		l.res.Filled = make([]int64, len(l.spec.Columns))
	}
	for i, v := range c.filled {
		l.res.Filled[i] += v
	}
	l.res.Parsed += c.parsed
	for _, rec := range c.recs {
		if rec.op != opReject {
			l.passed++
		}
	}
	l.res.Bytes = c.read
	if time.Since(l.lastProg) >= l.opts.ProgressInterval {
		l.report(false)
	}
	return nil
}

// report calls the progress function.
func (l *loader) report(done bool) {
	if l.progress == nil {
		return
	}
	l.lastProg = time.Now()
	el := time.Since(l.start)
	p := Progress{RowsRead: l.read, RowsAccepted: l.passed, RowsRejected: l.rejected, Bytes: l.res.Bytes, Elapsed: el, Done: done}
	if done {
		p.RowsAccepted = l.res.RowsAccepted
	}
	p.TotalBytes = l.total
	if s := el.Seconds(); s > 0 {
		p.RowsPerSec = float64(l.read) / s
	}
	l.progress(p)
}

// write converts the accepted rows of c and writes them to the store.
// Conversion runs column by column, which keeps each loop on one type.
func (l *loader) write(ctx context.Context, c *chunk, b *records.Batch) error {
	b.Reset()
	ncols := len(l.ds.Columns)
	var keys [][]string
	rows := c.sel[:0]
	for i, rec := range c.recs {
		switch rec.op {
		case opUpsert:
			rows = append(rows, int32(i))
			b.SourceRow = append(b.SourceRow, rec.row)
		case opDelete:
			keys = append(keys, keyOf(l, c.vals[i*ncols:(i+1)*ncols]))
		}
	}
	c.sel = rows
	b.Len = len(rows)
	var bad map[string]int64
	// Row by row: a row's cells are next to each other in the chunk's
	// text, so each is read from cache lines its neighbours brought in;
	// column by column, every cell was a cache miss.
	cols := l.ds.Columns
	for _, i := range rows {
		row := c.vals[int(i)*ncols : int(i)*ncols+ncols]
		for j := range cols {
			v, s := &b.Cols[j], row[j]
			if cols[j].Type == records.Text {
				if s != "" {
					v.AppendString(s)
				} else {
					v.AppendNull(records.Text)
				}
				continue
			}
			if !appendValue(v, cols[j].Type, s) {
				if bad == nil {
					bad = map[string]int64{}
				}
				bad["convert:"+l.spec.Columns[j].Name]++
			}
		}
	}
	if b.Len > 0 {
		if err := l.vw.WriteBatch(ctx, b); err != nil {
			return err
		}
		l.written.Add(int64(b.Len))
	}
	if len(keys) > 0 {
		if err := l.vw.Delete(ctx, keys); err != nil {
			return err
		}
		l.deleted.Add(int64(len(keys)))
	}
	if len(c.warn) > 0 || len(bad) > 0 {
		l.wmu.Lock()
		for k, v := range c.warn {
			l.warn[k] += v
		}
		for k, v := range bad {
			l.warn[k] += v
		}
		l.wmu.Unlock()
	}
	return nil
}

// deleteList gives Options.Deletes to the store.
func (l *loader) deleteList(ctx context.Context) error {
	if len(l.opts.Deletes) == 0 {
		return nil
	}
	keys := make([][]string, len(l.opts.Deletes))
	for i, d := range l.opts.Deletes {
		if len(d) != len(l.keyCols) {
			return fmt.Errorf("ingest: delete list entry %d has %d values, want %d", i+1, len(d), len(l.keyCols))
		}
		keys[i] = make([]string, len(d))
		for j, k := range l.keyCols {
			t, ok := keyText(l.ds.Columns[k].Type, d[j])
			if !ok {
				return fmt.Errorf("ingest: delete list entry %d: %q is not a valid %s", i+1, d[j], l.spec.Columns[k].Name)
			}
			keys[i][j] = t
		}
	}
	return l.vw.Delete(ctx, keys)
}

package ingest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/tabular"
)

// Options control a load.
type Options struct {
	// Mode is records.Full (the default) or records.Incremental.
	Mode records.Mode
	// LoadID identifies the load; a random one is made when empty.
	LoadID string
	// QuarantineDir is where the quarantine file is written (the system's
	// temporary directory when empty).
	QuarantineDir string
	// Workers is the number of goroutines that parse and check rows
	// (GOMAXPROCS when 0); Writers the number that convert rows and write
	// them to the store (2 when 0).
	Workers, Writers int
	// Deletes lists keys to delete (incremental loads): the values of the
	// key items, in the order of the spec's columns.
	Deletes [][]string
	// ProgressInterval is how often progress is reported (250 ms when 0).
	ProgressInterval time.Duration
	// Now gives "today" to the rules (time.Now when nil).
	Now func() time.Time
	// MaxKeysInMemory bounds the duplicate checker's table (12,000,000
	// keys, about 200 MB, when 0); beyond it keys spill to sorted run
	// files in QuarantineDir.
	MaxKeysInMemory int
	// KeyFilterBytes bounds the Bloom filters of the spilled runs (256 MiB
	// when 0): 10 bits a key up to about 200 million spilled keys, fewer
	// past it, with more lookups on disk (quality.Unique.SetFilterBudget).
	KeyFilterBytes int
}

// Progress is a snapshot of a running load.
type Progress struct {
	RowsRead, RowsAccepted, RowsRejected int64
	Bytes                                int64 // bytes of the source read
	TotalBytes                           int64 // Source.Size: 0 when unknown
	Elapsed                              time.Duration
	RowsPerSec                           float64
	Done                                 bool // the last report: rows are counted, the version is being published
}

// Result describes a finished load.
type Result struct {
	LoadID       string
	Dataset      string
	Mode         records.Mode
	RowsRead     int64 // data rows of the source (blank rows are skipped)
	RowsAccepted int64 // rows written or deleted
	RowsRejected int64 // rows in quarantine
	RowsDeleted  int64 // of RowsAccepted, rows whose operation was a delete
	// Rejections counts rejected rows by rule name (a row may break
	// several rules); Warnings counts accepted rows by the warning rules
	// they broke.
	Rejections map[string]int64
	Warnings   map[string]int64
	// Parsed counts the rows that were split into cells (rows read less
	// malformed ones); Filled counts, per spec column, those of them with a
	// value in it: completeness.
	Parsed int64
	Filled []int64
	// Unchecked names the dataset rules the load did not evaluate: those
	// of kinds other than unique and reference (none today).
	Unchecked []string
	// Version is the published version.
	Version records.Version
	// QuarantinePath is the quarantine file: CSV in UTF-8 with a BOM, with
	// the columns 行号 (the 1-based data row), the source's columns, 错误原因
	// and reasons (every broken rule in Chinese and in English).
	QuarantinePath string
	Format         tabular.Format
	Encoding       tabular.Encoding
	Header         []string // the source header
	Ignored        []string // source columns mapped to no item
	Bytes          int64
	Elapsed        time.Duration
}

// Load reads src, checks every row against the rules of spec, writes the
// accepted rows to a new version of the dataset and publishes it, and
// keeps the rejected rows in the quarantine file. See the package
// documentation. progress, if not nil, is called from one goroutine at
// Options.ProgressInterval and once more when the rows are counted.
//
// Load fails, publishing nothing, when the source cannot be read, ctx is
// cancelled, the store fails, or rows read differ from rows accepted plus
// rows rejected. The quarantine file of a failed load is removed.
func Load(ctx context.Context, store records.Store, spec Spec, src Source, opts Options, progress func(Progress)) (*Result, error) {
	start := time.Now()
	if opts.Mode == "" {
		opts.Mode = records.Full
	}
	if opts.Mode != records.Full && opts.Mode != records.Incremental {
		return nil, apperr.New(apperr.Invalid, "unknown load mode "+string(opts.Mode), "未知的加载方式"+string(opts.Mode))
	}
	if opts.LoadID == "" {
		var b [8]byte
		rand.Read(b[:])
		opts.LoadID = "load-" + hex.EncodeToString(b[:])
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Writers <= 0 {
		opts.Writers = 2
	}
	if opts.ProgressInterval <= 0 {
		opts.ProgressInterval = 250 * time.Millisecond
	}
	if opts.QuarantineDir == "" {
		opts.QuarantineDir = os.TempDir()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxKeysInMemory <= 0 {
		opts.MaxKeysInMemory = 12_000_000
	}
	if len(opts.Deletes) > 0 && opts.Mode != records.Incremental {
		return nil, apperr.New(apperr.Invalid, "a delete list needs an incremental load", "删除清单仅适用于增量加载")
	}
	prog, err := quality.CompileAt(spec.Columns, spec.Rules, opts.Now())
	if err != nil {
		return nil, err
	}
	ds := spec.DatasetSpec()
	if len(ds.KeyColumns()) == 0 && (opts.Mode == records.Incremental) {
		return nil, apperr.New(apperr.Invalid, "an incremental load needs primary-key items", "增量加载需要主键数据项")
	}
	if err := store.EnsureDataset(ctx, ds); err != nil {
		return nil, err
	}
	in, err := openInput(src, spec)
	if err != nil {
		return nil, err
	}
	defer in.close()
	lay, err := mapHeader(spec, in.header())
	if err != nil {
		return nil, err
	}
	if t, ok := in.(*tableInput); ok {
		t.excelDates(lay, ds)
	}
	qpath := filepath.Join(opts.QuarantineDir, safeName(opts.LoadID)+".rejects.csv")
	l := &loader{
		store: store, spec: spec, ds: ds, prog: prog, lay: lay, opts: opts, in: in, progress: progress, start: start, total: src.Size,
		res: &Result{LoadID: opts.LoadID, Dataset: spec.Dataset, Mode: opts.Mode, QuarantinePath: qpath,
			Format: in.format(), Encoding: in.encoding(), Header: lay.header, Ignored: lay.ignored,
			Rejections: map[string]int64{}, Warnings: map[string]int64{}},
	}
	w, err := store.BeginVersion(ctx, spec.Dataset, opts.Mode, records.Load{ID: opts.LoadID, Source: src.Name})
	if err != nil {
		return nil, err
	}
	l.vw = w
	if err := l.run(ctx, qpath); err != nil {
		w.Abort()
		os.Remove(qpath)
		return nil, fmt.Errorf("load %s into %s: %w", opts.LoadID, spec.Dataset, err)
	}
	v, err := w.Commit(ctx)
	if err != nil {
		os.Remove(qpath)
		return nil, fmt.Errorf("load %s into %s: %w", opts.LoadID, spec.Dataset, err)
	}
	l.res.Version = v
	l.res.Elapsed = time.Since(start)
	return l.res, nil
}

// safeName keeps a load id usable as a file name.
func safeName(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || r == ':' {
			return '_'
		}
		return r
	}, id)
}

// errCount is the error of a load whose counts disagree.
var errCount = errors.New("rows read differ from rows accepted plus rows rejected")

package records

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Mode says how a load changes a dataset.
type Mode string

const (
	// Full replaces the dataset's rows with the load's rows.
	Full Mode = "full"
	// Incremental upserts the load's rows by the key columns and deletes
	// the keys given to VersionWriter.Delete.
	Incremental Mode = "incremental"
)

// Load identifies where a version's rows come from.
type Load struct {
	ID     string // the load (job) id
	Source string // the source: a file name, a table, an API
}

// Version is a published version of a dataset.
type Version struct {
	Dataset string
	Number  int64 // 1, 2, ... in publication order
	Mode    Mode
	LoadID  string
	Source  string
	Rows    int64 // rows in this version
	Added   int64 // rows the load wrote
	Removed int64 // rows of the previous version replaced or deleted
	Deleted int64 // of Removed, rows deleted by the load's delete list
	// Generation is the version of the last full load this version builds
	// on: versions of one generation share storage.
	Generation int64
	CreatedAt  time.Time
}

// Row is a stored row: its values in the order of the dataset's columns
// (string, int64, float64, bool, time.Time in UTC for dates and wall-clock
// timestamps, or nil), with its provenance.
type Row struct {
	Values    []any
	Version   int64 // the version whose load wrote the row
	SourceRow int64 // its 1-based data row in that load's source
}

// Provenance is where one stored row of a key came from.
type Provenance struct {
	Version   int64     `json:"version"` // the version whose load wrote it
	LoadID    string    `json:"load_id"`
	Source    string    `json:"source"`
	LoadedAt  time.Time `json:"loaded_at"`
	SourceRow int64     `json:"source_row"`
	// Until is the version that replaced or deleted the row; 0 while it is
	// current.
	Until int64 `json:"until,omitempty"`
}

// Store is the record store: versioned datasets of structured records.
// Implementations: DuckDB (OpenDuckDB) and PostgreSQL (OpenPostgres).
type Store interface {
	// EnsureDataset creates the dataset or updates its columns. A change of
	// columns takes effect with the next full load.
	EnsureDataset(ctx context.Context, spec DatasetSpec) error
	// Dataset returns the dataset's spec.
	Dataset(ctx context.Context, name string) (DatasetSpec, error)
	// BeginVersion starts writing the next version. One version of a
	// dataset is written at a time: a second BeginVersion fails with a
	// Conflict error until the first commits or aborts.
	BeginVersion(ctx context.Context, dataset string, mode Mode, load Load) (VersionWriter, error)
	// Current returns the published version readers see: NotFound before
	// the first load.
	Current(ctx context.Context, dataset string) (Version, error)
	// Versions lists the retained versions, newest first.
	Versions(ctx context.Context, dataset string) ([]Version, error)
	// Scan calls fn for every row of a retained version (0: the current
	// one), in no particular order, until fn returns an error.
	Scan(ctx context.Context, dataset string, version int64, fn func(Row) error) error
	// Count returns the rows of a retained version (0: the current one).
	Count(ctx context.Context, dataset string, version int64) (int64, error)
	// Provenance returns every retained row stored for a key (the key
	// columns' values as text), oldest first.
	Provenance(ctx context.Context, dataset string, key []string) ([]Provenance, error)
	// Retain keeps the keep newest versions and frees the storage only
	// older versions used.
	Retain(ctx context.Context, dataset string, keep int) error
	Close() error
}

// VersionWriter writes one version. Nothing it writes is visible until
// Commit publishes the version in one step; Abort, a failed Commit, or a
// crash of the process publish nothing, and what was written is removed
// (at the latest when the store is next opened).
type VersionWriter interface {
	// Number is the version number Commit will publish.
	Number() int64
	// WriteBatch writes rows. It may be called from several goroutines at
	// once. The batch is not retained.
	WriteBatch(ctx context.Context, b *Batch) error
	// Delete records keys (values of the key columns as text) to delete:
	// Incremental mode only.
	Delete(ctx context.Context, keys [][]string) error
	// HasKeys reports, for each key, whether a row written to this version
	// so far has it in the columns cols (nil: the key columns). Call it
	// after the last WriteBatch.
	HasKeys(ctx context.Context, cols []int, keys [][]string) ([]bool, error)
	// Commit publishes the version.
	Commit(ctx context.Context) (Version, error)
	// Abort discards the version. It is safe to call after Commit (it does
	// nothing then) and more than once.
	Abort() error
}

// KeysByScan reports whether w's HasKeys reads every row of the version
// on each call, whatever the number of keys asked (PostgreSQL: the
// version's table has no index to look values up in; on a freshly
// copied table that first read also sets every row's hint bits). A
// caller that can answer from its own records should then do so and
// keep HasKeys for what is left.
func KeysByScan(w VersionWriter) bool {
	_, ok := w.(*pgWriter)
	return ok
}

// checkColumns checks that cols are columns of spec and that every key
// has a value for each.
func checkColumns(spec DatasetSpec, cols []int, keys [][]string) error {
	if len(cols) == 0 {
		return fmt.Errorf("records: no columns to look keys up in")
	}
	for _, c := range cols {
		if c < 0 || c >= len(spec.Columns) {
			return fmt.Errorf("records: column %d is not a column of %s", c, spec.Name)
		}
	}
	for i, k := range keys {
		if len(k) != len(cols) {
			return fmt.Errorf("records: key %d has %d values, want %d", i+1, len(k), len(cols))
		}
	}
	return nil
}

// loadLocks marks the datasets with a version being written by this
// process: one writer a dataset (BeginVersion's Conflict).
type loadLocks struct {
	mu      sync.Mutex
	loading map[string]bool
}

func (l *loadLocks) lock(dataset string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.loading[dataset] {
		return loadInProgress(dataset)
	}
	if l.loading == nil {
		l.loading = map[string]bool{}
	}
	l.loading[dataset] = true
	return nil
}

func (l *loadLocks) unlock(dataset string) {
	l.mu.Lock()
	delete(l.loading, dataset)
	l.mu.Unlock()
}

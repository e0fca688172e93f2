package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/records"
)

// failingStore fails the n-th WriteBatch (counting from 1) of its
// versions, or their Commit when n is 0.
type failingStore struct {
	records.Store
	n int
}

var errInjected = errors.New("injected write error")

func (s failingStore) BeginVersion(ctx context.Context, dataset string, mode records.Mode, load records.Load) (records.VersionWriter, error) {
	w, err := s.Store.BeginVersion(ctx, dataset, mode, load)
	if err != nil {
		return nil, err
	}
	return &failingWriter{VersionWriter: w, n: s.n}, nil
}

type failingWriter struct {
	records.VersionWriter
	n, calls int
}

func (w *failingWriter) WriteBatch(ctx context.Context, b *records.Batch) error {
	w.calls++ // Load's writers are serialised here by the test's Writers: 1
	if w.calls == w.n {
		return errInjected
	}
	return w.VersionWriter.WriteBatch(ctx, b)
}

func (w *failingWriter) Commit(ctx context.Context) (records.Version, error) {
	if w.n == 0 {
		w.Abort()
		return records.Version{}, errInjected
	}
	return w.VersionWriter.Commit(ctx)
}

func TestFailedLoadPublishesNothing(t *testing.T) {
	data, _ := generate(t, 30_000, 0.02, "utf-8")
	src := func() Source { return Source{Name: "p.csv", R: bytes.NewReader(data), Size: int64(len(data))} }
	eachStore(t, func(t *testing.T, s records.Store) {
		ctx := context.Background()
		spec := populationSpec()
		first, err := Load(ctx, s, spec, src(), Options{QuarantineDir: t.TempDir(), LoadID: "good"}, nil)
		if err != nil {
			t.Fatalf("first Load: %v", err)
		}
		before := rowsOf(t, s, spec.Dataset)
		cancelled, cancel := context.WithCancel(ctx)
		defer cancel()
		cases := []struct {
			name  string
			store records.Store
			ctx   context.Context
			prog  func(Progress)
			want  error
		}{
			{"write error", failingStore{Store: s, n: 3}, ctx, nil, errInjected},
			{"commit error", failingStore{Store: s, n: 0}, ctx, nil, errInjected},
			{"cancelled", s, cancelled, func(p Progress) {
				if p.RowsRead > 0 {
					cancel()
				}
			}, context.Canceled},
		}
		for _, tc := range cases {
			for _, mode := range []records.Mode{records.Full, records.Incremental} {
				qdir := t.TempDir()
				_, err := Load(tc.ctx, tc.store, spec, src(), Options{QuarantineDir: qdir, Mode: mode, Writers: 1, Workers: 1,
					ProgressInterval: 1}, tc.prog)
				if !errors.Is(err, tc.want) {
					t.Errorf("%s, %s: Load = %v, want %v", tc.name, mode, err, tc.want)
				}
				cur, err := s.Current(ctx, spec.Dataset)
				if err != nil || cur.Number != first.Version.Number {
					t.Errorf("%s, %s: Current = %+v, %v; want version %d", tc.name, mode, cur, err, first.Version.Number)
				}
				if diff := cmp.Diff(before, rowsOf(t, s, spec.Dataset)); diff != "" {
					t.Errorf("%s, %s: rows changed (-before +after):\n%s", tc.name, mode, diff)
				}
				if l := leftovers(t, s); len(l) > 0 {
					t.Errorf("%s, %s: leftovers %v", tc.name, mode, l)
				}
				if files, _ := os.ReadDir(qdir); len(files) > 0 {
					t.Errorf("%s, %s: quarantine of a failed load kept: %v", tc.name, mode, files)
				}
			}
		}
		// The store still takes loads.
		if _, err := Load(ctx, s, spec, src(), Options{QuarantineDir: t.TempDir()}, nil); err != nil {
			t.Errorf("Load after failures: %v", err)
		}
	})
}

var _ = filepath.Join

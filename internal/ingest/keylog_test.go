package ingest

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/records"
)

// countingStore counts the HasKeys calls of the versions it begins.
type countingStore struct {
	records.Store
	hasKeys *int
}

func (s countingStore) BeginVersion(ctx context.Context, dataset string, mode records.Mode, load records.Load) (records.VersionWriter, error) {
	vw, err := s.Store.BeginVersion(ctx, dataset, mode, load)
	if err != nil {
		return nil, err
	}
	return countingWriter{VersionWriter: vw, n: s.hasKeys}, nil
}

type countingWriter struct {
	records.VersionWriter
	n *int
}

func (w countingWriter) HasKeys(ctx context.Context, cols []int, keys [][]string) ([]bool, error) {
	*w.n++
	return w.VersionWriter.HasKeys(ctx, cols, keys)
}

// TestKeyLogConfirmsWithoutTheStore: with the key log, true duplicates
// are confirmed without asking the store, in batches and from a log read
// once per batch, and the log is removed with the load; a repeat of a
// deleted key (not in the log) is still asked of the store, and is loaded
// as the store says.
func TestKeyLogConfirmsWithoutTheStore(t *testing.T) {
	old, oldBatch := keysByLog, confirmBatch
	keysByLog = func(records.VersionWriter) bool { return true }
	defer func() { keysByLog, confirmBatch = old, oldBatch }()
	const n = 20_000
	data, bad := generate(t, n, 0.02, "utf-8")
	for _, batch := range []int{1 << 20, 7} {
		confirmBatch = batch
		var calls int
		qdir := t.TempDir()
		res, err := Load(context.Background(), countingStore{openDuck(t), &calls}, populationSpec(),
			Source{Name: "population.csv", R: bytes.NewReader(data), Size: int64(len(data))},
			Options{QuarantineDir: qdir}, nil)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		_, q := quarantined(t, res.QuarantinePath)
		if got := rowNumbers(q); !slices.Equal(got, bad) || res.Rejections["unique"] == 0 {
			t.Errorf("batch %d: quarantined %d rows (%d duplicates), want the truth's %d", batch, len(got), res.Rejections["unique"], len(bad))
		}
		if calls != 0 {
			t.Errorf("batch %d: HasKeys called %d times, want 0: the log answers for true duplicates", batch, calls)
		}
		entries, _ := os.ReadDir(qdir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".keys") || strings.HasSuffix(e.Name(), ".flags") {
				t.Errorf("%s left behind", e.Name())
			}
		}
	}

	// A deletion is not in the log: a later write of its key is asked of
	// the store, which does not have it (deletions are not rows), so the
	// write is loaded, as it is without the log.
	var calls int
	s := countingStore{openDuck(t), &calls}
	ctx := context.Background()
	if _, err := Load(ctx, s, small, csvSource("full.csv", "编号,姓名\n0001,张三\n0002,李四\n"), Options{QuarantineDir: t.TempDir()}, nil); err != nil {
		t.Fatal(err)
	}
	res, err := Load(ctx, s, small, csvSource("inc.csv", "编号,姓名,_op\n0001,,D\n0001,张三三,U\n0002,李四四,U\n0002,李四五,U\n"),
		Options{QuarantineDir: t.TempDir(), Mode: records.Incremental}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsRejected != 1 || res.RowsDeleted != 1 || calls == 0 {
		t.Errorf("rejected %d, deleted %d, HasKeys calls %d; want 1, 1, some", res.RowsRejected, res.RowsDeleted, calls)
	}
	if want := []string{"0001|张三三|NULL|NULL", "0002|李四四|NULL|NULL"}; !slices.Equal(rowsOf(t, s, small.Dataset), want) {
		t.Errorf("rows = %q, want %q", rowsOf(t, s, small.Dataset), want)
	}
}

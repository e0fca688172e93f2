package search

import (
	"context"
	"errors"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// yieldAll returns a Rebuild callback yielding docs.
func yieldAll(docs []Doc) func(yield func(Doc) error) error {
	return func(yield func(Doc) error) error {
		for _, d := range docs {
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	}
}

func allIDs(t *testing.T, ix *Index) []string {
	t.Helper()
	return sortedIDs(search(t, ix, Query{Limit: MaxLimit}))
}

func TestRebuild(t *testing.T) {
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		docs := fixture()[2:]
		renamed := docs[0] // r03, yielded twice: the last one counts
		renamed.Name = "养老保险待遇发放信息"
		docs = append(docs, Doc{ID: "r09", Name: "婚姻登记信息", UpdatedAt: t0}, renamed)

		n, err := ix.Rebuild(context.Background(), yieldAll(docs))
		if err != nil {
			t.Fatalf("Rebuild error: %v", err)
		}
		if n != 7 {
			t.Errorf("Rebuild() = %d, want 7", n)
		}
		want := []string{"r03", "r04", "r05", "r06", "r07", "r08", "r09"}
		if diff := cmp.Diff(want, allIDs(t, ix)); diff != "" {
			t.Errorf("IDs after Rebuild (-want +got):\n%s", diff)
		}
		if got := sortedIDs(search(t, ix, Query{Text: "待遇发放"})); !slices.Equal(got, []string{"r03"}) {
			t.Errorf("Search(待遇发放) after Rebuild = %v, want [r03]", got)
		}
		if got := sortedIDs(search(t, ix, Query{Text: "營業執照"})); len(got) != 0 {
			t.Errorf("Search(營業執照) after Rebuild = %v, want none", got)
		}
		// The rebuilt index takes writes.
		if err := ix.Put(fixture()[0]); err != nil {
			t.Fatalf("Put after Rebuild error: %v", err)
		}
		if got := sortedIDs(search(t, ix, Query{Text: "居民身份证"})); !slices.Equal(got, []string{"r01"}) {
			t.Errorf("Search(居民身份证) after Put = %v, want [r01]", got)
		}
	})
}

func TestRebuildEmpty(t *testing.T) {
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		n, err := ix.Rebuild(context.Background(), yieldAll(nil))
		if err != nil || n != 0 {
			t.Fatalf("Rebuild(nothing) = %d, %v, want 0, nil", n, err)
		}
		if c, _ := ix.Count(); c != 0 {
			t.Errorf("Count() = %d, want 0", c)
		}
	})
}

func TestRebuildFailureKeepsIndex(t *testing.T) {
	boom := errors.New("store unavailable")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		each func(yield func(Doc) error) error
		want error
	}{
		{"callback fails", context.Background(), func(yield func(Doc) error) error {
			yield(Doc{ID: "x1", Name: "临时"})
			return boom
		}, boom},
		{"context ended", ctx, yieldAll(fixture()), context.Canceled},
		{"document without ID", context.Background(), yieldAll([]Doc{{Name: "无编号"}}), nil},
	}
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		before := allIDs(t, ix)
		for _, tt := range tests {
			_, err := ix.Rebuild(tt.ctx, tt.each)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("%s: Rebuild error = %v, want %v", tt.name, err, tt.want)
			}
			if diff := cmp.Diff(before, allIDs(t, ix)); diff != "" {
				t.Errorf("%s: IDs after failed Rebuild (-want +got):\n%s", tt.name, diff)
			}
		}
		if dir != "" {
			if diff := cmp.Diff([]string{"CURRENT", "g000001"}, dirNames(t, dir)); diff != "" {
				t.Errorf("files after failed rebuilds (-want +got):\n%s", diff)
			}
		}
	})
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestRebuildPersists(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Rebuild(context.Background(), yieldAll(fixture())); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Rebuild(context.Background(), yieldAll(fixture()[:4])); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"CURRENT", "g000003"}, dirNames(t, dir)); diff != "" {
		t.Errorf("files after two rebuilds (-want +got):\n%s", diff)
	}
	ix = openT(t, dir)
	if ix.NeedsRebuild() {
		t.Errorf("NeedsRebuild() = true after a rebuilt index reopened, want false")
	}
	if diff := cmp.Diff([]string{"r01", "r02", "r03", "r04"}, allIDs(t, ix)); diff != "" {
		t.Errorf("IDs after reopen (-want +got):\n%s", diff)
	}
	if got := sortedIDs(search(t, ix, Query{Text: "營業執照"})); !slices.Equal(got, []string{"r02"}) {
		t.Errorf("Search(營業執照) after reopen = %v, want [r02]", got)
	}
}

// Searches go on while a rebuild runs, see the old index until the swap
// and the new one after; writes made during the rebuild survive it.
func TestRebuildWhileSearching(t *testing.T) {
	modes(t, func(t *testing.T, dir string) {
		old := fixture()
		ix := openT(t, dir, old...)
		before := search(t, ix, Query{Text: "信息"}).Total
		fresh := make([]Doc, 0, 300)
		for i := range 300 {
			d := old[i%len(old)]
			d.ID = "n" + string(rune('a'+i/26%26)) + string(rune('a'+i%26)) + string(rune('a'+i/676))
			fresh = append(fresh, d)
		}

		stop := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		totals := map[int]int{}
		var searchErr error
		for range 2 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					res, err := ix.Search(context.Background(), Query{Text: "信息", Limit: 5})
					mu.Lock()
					if err != nil {
						searchErr = err
					}
					totals[res.Total]++
					mu.Unlock()
				}
			})
		}

		late := Doc{ID: "late", Name: "婚姻登记信息", UpdatedAt: t0}
		n, err := ix.Rebuild(context.Background(), func(yield func(Doc) error) error {
			for i, d := range fresh {
				if i == 150 {
					// Writes while rebuilding, as the catalog makes them.
					if err := ix.Put(late); err != nil {
						return err
					}
					if err := ix.Delete(fresh[0].ID); err != nil {
						return err
					}
				}
				if err := yield(d); err != nil {
					return err
				}
			}
			return nil
		})
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatalf("Rebuild error: %v", err)
		}
		if searchErr != nil {
			t.Errorf("Search during Rebuild error: %v", searchErr)
		}
		if n != 300 { // 300 fresh, one deleted, late added
			t.Errorf("Rebuild() = %d, want 300", n)
		}
		after := search(t, ix, Query{Text: "信息", Limit: 5}).Total
		for total := range totals {
			// Before the swap: the old docs with 信息, plus late once
			// it was put. After: the new ones.
			if total != before && total != before+1 && total != after {
				t.Errorf("a search during Rebuild saw Total %d, want %d, %d or %d", total, before, before+1, after)
			}
		}
		if got := ids(search(t, ix, Query{Text: "婚姻登记"})); !slices.Equal(got, []string{"late"}) {
			t.Errorf("Search(婚姻登记) after Rebuild = %v, want [late]", got)
		}
		if got := search(t, ix, Query{Text: fresh[0].Code}); slices.Contains(ids(got), fresh[0].ID) {
			t.Errorf("Search(%s) after Rebuild found %s, deleted during it", fresh[0].Code, fresh[0].ID)
		}
	})
}

// Close stops a running Rebuild and waits for it.
func TestCloseDuringRebuild(t *testing.T) {
	modes(t, func(t *testing.T, dir string) {
		ix, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		closed := make(chan error)
		_, err = ix.Rebuild(context.Background(), func(yield func(Doc) error) error {
			for i := 0; ; i++ {
				if i == 10 {
					go func() { closed <- ix.Close() }()
				}
				d := fixture()[i%8]
				d.ID = string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26))
				if err := yield(d); err != nil {
					return err
				}
			}
		})
		if !errors.Is(err, ErrClosed) {
			t.Errorf("Rebuild error = %v, want ErrClosed", err)
		}
		if err := <-closed; err != nil {
			t.Errorf("Close error: %v", err)
		}
		if _, err := ix.Count(); !errors.Is(err, ErrClosed) {
			t.Errorf("Count after Close error = %v, want ErrClosed", err)
		}
	})
}

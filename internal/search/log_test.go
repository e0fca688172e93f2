package search

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A write cut short by a crash leaves a torn record at the end of the
// log: Open drops it and keeps the rest.
func TestOpenTornLog(t *testing.T) {
	dir := t.TempDir()
	ix := openT(t, dir, fixture()...)
	want := ids(search(t, ix, Query{Text: "证照"}))
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	rec := appendRecord(nil, op{id: "r09", doc: &Doc{ID: "r09", Name: "婚姻登记信息"}})
	f, err := os.OpenFile(genPath(dir, 1), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(rec[:len(rec)-3]); err != nil {
		t.Fatal(err)
	}
	f.Close()

	ix = openT(t, dir)
	if n, _ := ix.Count(); n != len(fixture()) {
		t.Errorf("Count() after a torn write = %d, want %d", n, len(fixture()))
	}
	if diff := cmp.Diff(want, ids(search(t, ix, Query{Text: "证照"}))); diff != "" {
		t.Errorf("Search(证照) after a torn write (-want +got):\n%s", diff)
	}
	// The log takes writes again, and keeps them.
	if err := ix.Put(Doc{ID: "r09", Name: "婚姻登记信息"}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = openT(t, dir)
	if got := ids(search(t, ix, Query{Text: "婚姻"})); !cmp.Equal(got, []string{"r09"}) {
		t.Errorf("Search(婚姻) after reopen = %v, want [r09]", got)
	}
}

// Open rewrites a log of mostly replaced documents.
func TestOpenCompactsLog(t *testing.T) {
	dir := t.TempDir()
	ix := openT(t, dir, fixture()...)
	d := fixture()[0]
	for i := range logSlack + 100 {
		d.Name = "居民身份证信息" + string(rune('a'+i%26))
		if err := ix.Put(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Delete("r02"); err != nil {
		t.Fatal(err)
	}
	// The replaced versions' slots were compacted away and reused.
	if got := ids(search(t, ix, Query{Text: "居民身份证"})); !cmp.Equal(got, []string{"r01"}) {
		t.Errorf("Search(居民身份证) after %d replacements = %v, want [r01]", logSlack+100, got)
	}
	if got := search(t, ix, Query{}).Facets["org"]; !cmp.Equal(got[0], FacetCount{"dsj", 2}) || len(got) != 5 {
		t.Errorf("Facets[org] after replacements = %v, want dsj 2 first, 5 orgs", got)
	}
	if n := len(ix.cur.ids); n > 4096+2*len(fixture()) {
		t.Errorf("%d slots after replacements, want dead ones reused", n)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileSize(t, genPath(dir, 1))

	ix = openT(t, dir)
	if after := fileSize(t, genPath(dir, 1)); after >= before/100 {
		t.Errorf("log size after Open = %d, want well under %d", after, before/100)
	}
	want := []string{"r01", "r03", "r04", "r05", "r06", "r07", "r08"}
	if diff := cmp.Diff(want, allIDs(t, ix)); diff != "" {
		t.Errorf("IDs after compaction (-want +got):\n%s", diff)
	}
	if got := ids(search(t, ix, Query{Text: "居民身份证"})); !cmp.Equal(got, []string{"r01"}) {
		t.Errorf("Search(居民身份证) = %v, want [r01]", got)
	}
	if diff := cmp.Diff([]string{"CURRENT", "g000001"}, dirNames(t, dir)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

package search

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// fixture is a small catalog; UpdatedAt rises with the position.
func fixture() []Doc {
	docs := []Doc{
		{ID: "r01", Code: "101001/000123", Name: "居民身份证信息", Summary: "全省常住人口的居民身份证签发信息",
			Items: []string{"公民身份号码", "姓名", "性别"}, Keywords: []string{"身份证", "户籍"},
			OrgID: "gaj", OrgName: "福州市公安局", Region: "350100", Classification: "101", Library: "base",
			Level: "core", Sensitivity: "L3", ShareType: "2", OpenType: "3", UpdateCycle: "daily", Status: "published"},
		{ID: "r02", Code: "102001/000001", Name: "企业营业执照信息", Summary: "市场主体登记的营业执照信息",
			Items: []string{"统一社会信用代码", "企业名称"}, Keywords: []string{"工商", "市场主体"},
			OrgID: "scj", OrgName: "福建省市场监督管理局", Region: "350000", Classification: "102", Library: "base",
			Level: "important", ShareType: "1", OpenType: "1", UpdateCycle: "daily", Status: "published"},
		{ID: "r03", Code: "201001/000001", Name: "社会保险参保信息", Summary: "职工基本养老保险和医疗保险参保登记",
			Items: []string{"公民身份号码", "参保状态"}, Keywords: []string{"养老"},
			OrgID: "rsj", OrgName: "福州市人力资源和社会保障局", Region: "350100", Classification: "201", Library: "theme",
			Level: "important", ShareType: "2", OpenType: "2", UpdateCycle: "monthly", Status: "published"},
		{ID: "r04", Code: "301001/000001", Name: "不动产登记信息", Summary: "不动产权属登记与抵押登记",
			Items: []string{"不动产单元号", "权利人"},
			OrgID: "zrj", OrgName: "厦门市自然资源和规划局", Region: "350200", Classification: "301", Library: "department",
			Level: "general", ShareType: "2", OpenType: "3", UpdateCycle: "daily", Status: "approved"},
		{ID: "r05", Code: "101002/000007", Name: "電子證照目錄", Summary: "全省電子證照的目錄與歸集狀態",
			Keywords: []string{"證照"}, Items: []string{"證照編號", "持證主體"},
			OrgID: "dsj", OrgName: "福建省大数据管理局", Region: "350000", Classification: "101", Library: "base",
			Level: "important", ShareType: "1", OpenType: "2", UpdateCycle: "weekly", Status: "published"},
		{ID: "r06", Code: "202001/000003", Name: "人口基础信息", Summary: "户籍人口与流动人口汇总",
			Items: []string{"公民身份号码", "姓名"},
			OrgID: "gaj", OrgName: "福州市公安局", Region: "350100", Classification: "202", Library: "theme",
			Level: "core", ShareType: "2", OpenType: "3", UpdateCycle: "monthly", Status: "published"},
		{ID: "r07", Code: "303001/000002", Name: "税务登记信息", Summary: "纳税人税务登记状态",
			Items: []string{"纳税人识别号"},
			OrgID: "swj", OrgName: "厦门市税务局", Region: "350200", Classification: "303", Library: "department",
			Level: "general", ShareType: "3", OpenType: "3", UpdateCycle: "daily", Status: "draft"},
		{ID: "r08", Code: "101003/000011", Name: "电子证照共享服务日志", Summary: "证照调用记录",
			OrgID: "dsj", OrgName: "福建省大数据管理局", Region: "350000", Classification: "101", Library: "base",
			Level: "general", ShareType: "1", OpenType: "3", UpdateCycle: "daily", Status: "published"},
	}
	for i := range docs {
		docs[i].UpdatedAt = t0.Add(time.Duration(i) * time.Hour)
		docs[i].Visibility = []string{"org:" + docs[i].OrgID}
		if docs[i].Status == "published" {
			docs[i].Visibility = append(docs[i].Visibility, "public")
		}
	}
	return docs
}

// modes runs a test on an on-disk and on an in-memory index.
func modes(t *testing.T, run func(t *testing.T, dir string)) {
	t.Run("disk", func(t *testing.T) { run(t, t.TempDir()) })
	t.Run("memory", func(t *testing.T) { run(t, "") })
}

func openT(t *testing.T, dir string, docs ...Doc) *Index {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(%q) error: %v", dir, err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(docs...); err != nil {
		t.Fatalf("Put error: %v", err)
	}
	return ix
}

func search(t *testing.T, ix *Index, q Query) Result {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v) error: %v", q, err)
	}
	return res
}

func ids(res Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

func sortedIDs(res Result) []string {
	out := ids(res)
	slices.Sort(out)
	return out
}

func TestCount(t *testing.T) {
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		if n, err := ix.Count(); err != nil || n != len(fixture()) {
			t.Errorf("Count() = %d, %v, want %d", n, err, len(fixture()))
		}
		// Put replaces.
		if err := ix.Put(fixture()[:3]...); err != nil {
			t.Fatal(err)
		}
		if n, _ := ix.Count(); n != len(fixture()) {
			t.Errorf("Count() after re-put = %d, want %d", n, len(fixture()))
		}
	})
}

func TestDelete(t *testing.T) {
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		if err := ix.Delete("r01", "r06", "no-such-id"); err != nil {
			t.Fatalf("Delete error: %v", err)
		}
		if n, _ := ix.Count(); n != len(fixture())-2 {
			t.Errorf("Count() = %d, want %d", n, len(fixture())-2)
		}
		got := sortedIDs(search(t, ix, Query{Text: "公民身份号码"}))
		if diff := cmp.Diff([]string{"r03"}, got); diff != "" {
			t.Errorf("Search(公民身份号码) after delete (-want +got):\n%s", diff)
		}
	})
}

func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !ix.NeedsRebuild() {
		t.Errorf("NeedsRebuild() of a new index = false, want true")
	}
	if err := ix.Put(fixture()...); err != nil {
		t.Fatal(err)
	}
	want := ids(search(t, ix, Query{Text: "证照"}))
	if err := ix.Close(); err != nil {
		t.Fatalf("Close error: %v", err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second Close error: %v", err)
	}
	if _, err := ix.Search(context.Background(), Query{}); err != ErrClosed {
		t.Errorf("Search after Close error = %v, want ErrClosed", err)
	}

	ix = openT(t, dir)
	if ix.NeedsRebuild() {
		t.Errorf("NeedsRebuild() of a reopened index = true, want false")
	}
	if n, _ := ix.Count(); n != len(fixture()) {
		t.Errorf("Count() after reopen = %d, want %d", n, len(fixture()))
	}
	if diff := cmp.Diff(want, ids(search(t, ix, Query{Text: "证照"}))); diff != "" {
		t.Errorf("Search(证照) after reopen (-want +got):\n%s", diff)
	}
}

func TestOpenOtherSchema(t *testing.T) {
	tests := []struct {
		name string
		old  func(path string) error // writes generation 1 of another schema
	}{
		{"older log", func(path string) error {
			return os.WriteFile(path, []byte("pubdata-search-0\n"), 0o644)
		}},
		{"bleve directory", func(path string) error {
			if err := os.Remove(path); err != nil {
				return err
			}
			return os.MkdirAll(filepath.Join(path, "store"), 0o755)
		}},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		ix, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Put(fixture()...); err != nil {
			t.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		if err := tt.old(genPath(dir, 1)); err != nil {
			t.Fatal(err)
		}

		ix = openT(t, dir)
		if !ix.NeedsRebuild() {
			t.Errorf("%s: NeedsRebuild() of an index of another schema = false, want true", tt.name)
		}
		if n, _ := ix.Count(); n != 0 {
			t.Errorf("%s: Count() of an index of another schema = %d, want 0", tt.name, n)
		}
		if diff := cmp.Diff([]string{"CURRENT", "g000002"}, dirNames(t, dir)); diff != "" {
			t.Errorf("%s: files (-want +got):\n%s", tt.name, diff)
		}
	}
}

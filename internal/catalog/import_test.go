package catalog_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
)

// prepared returns n valid entries named <prefix> 1..n, prepared for an
// import by the user in ctx.
func prepared(t *testing.T, a *app.App, ctx context.Context, prefix string, n int) []catalog.Resource {
	t.Helper()
	rs := make([]catalog.Resource, n)
	for i := range rs {
		rs[i] = apptest.Resource()
		rs[i].Name = fmt.Sprintf("%s %d", prefix, i+1)
		if i%2 == 1 {
			rs[i].ClassCode = "101001"
		}
		fs, err := a.Catalog.PrepareImport(ctx, &rs[i])
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Severity == catalog.SevError {
				t.Fatalf("entry %d: %+v", i, f)
			}
		}
	}
	return rs
}

func count(t *testing.T, a *app.App, table string) int {
	t.Helper()
	var n int
	if err := a.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCommitsChunks(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		apptest.Seed(t, a)
		editor := apptest.As(t, a, "a.editor")
		im, err := a.Catalog.BeginImport(editor, "年度编目")
		if err != nil {
			t.Fatal(err)
		}
		rs := prepared(t, a, editor, "导入测试资源", 25)
		for _, chunk := range [][]catalog.Resource{rs[:10], rs[10:11], rs[11:]} {
			if err := im.Add(chunk); err != nil {
				t.Fatalf("Add: %v", err)
			}
		}
		var last int
		if err := im.Commit(func(n int) { last = n }); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if last != 25 || count(t, a, "resources") != 25 || count(t, a, "data_items") != 100 {
			t.Errorf("after Commit: progress %d, %d resources, %d items, want 25, 25, 100",
				last, count(t, a, "resources"), count(t, a, "data_items"))
		}
		codes := map[string]bool{}
		for i := range rs {
			codes[rs[i].Code] = true
		}
		if len(codes) != 25 || !strings.HasPrefix(rs[0].Code, "105001/") || !strings.HasPrefix(rs[1].Code, "101001/") {
			t.Errorf("codes = %d distinct, first %s and %s, want 25, 105001/... and 101001/...", len(codes), rs[0].Code, rs[1].Code)
		}
		hist, err := a.Catalog.History(editor, rs[24].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 1 || hist[0].Version != 1 || hist[0].Action != "import" || hist[0].Reason != "年度编目" ||
			hist[0].AuthorName != "a.editor" || hist[0].Status != catalog.Draft {
			t.Errorf("History = %+v, want one version: 1, import, 年度编目, a.editor, draft", hist)
		}
		got, err := a.Catalog.Get(editor, rs[24].ID)
		if err != nil || got.Code != rs[24].Code || len(got.Items) != 4 {
			t.Errorf("Get = %+v, %v, want code %s with 4 items", got, err, rs[24].Code)
		}
		res, err := a.Catalog.List(editor, catalog.ListQuery{Text: "导入测试资源", Limit: 50})
		if err != nil || res.Total != 25 {
			t.Errorf("List(导入测试资源) = %v, %v, want 25 hits", res, err)
		}
		log, err := actionlog.List(context.Background(), a.DB, actionlog.Filter{EntityType: "resource"})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 1 || log[0].Action != "resource.import" || !strings.Contains(string(log[0].After), `"count":25`) {
			t.Errorf("action log = %+v, want one resource.import of 25", log)
		}
	})
}

func TestImportAbortLeavesNothing(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		apptest.Seed(t, a)
		editor := apptest.As(t, a, "a.editor")
		im, err := a.Catalog.BeginImport(editor, "")
		if err != nil {
			t.Fatal(err)
		}
		rs := prepared(t, a, editor, "撤销的导入", 30)
		for _, chunk := range [][]catalog.Resource{rs[:20], rs[20:]} {
			if err := im.Add(chunk); err != nil {
				t.Fatalf("Add: %v", err)
			}
		}
		// Let some reach the store and the index first.
		for deadline := time.Now().Add(10 * time.Second); im.Stored() < 20 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		im.Abort()
		if n := count(t, a, "resources"); n != 0 {
			t.Errorf("resources after Abort = %d, want 0", n)
		}
		if n := count(t, a, "resource_sequences"); n != 0 {
			t.Errorf("sequences after Abort = %d, want 0", n)
		}
		res, err := a.Catalog.List(editor, catalog.ListQuery{Text: "撤销的导入", Limit: 50})
		if err != nil || res.Total != 0 {
			t.Errorf("List(撤销的导入) = %v, %v, want no hits", res, err)
		}
		// An import nothing was added to ends without a transaction.
		im, err = a.Catalog.BeginImport(editor, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := im.Commit(nil); err != nil {
			t.Errorf("Commit of an empty import = %v", err)
		}
	})
}

func TestImportRefusesOtherOrganisations(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		f := apptest.Seed(t, a)
		editor := apptest.As(t, a, "a.editor")
		im, err := a.Catalog.BeginImport(editor, "")
		if err != nil {
			t.Fatal(err)
		}
		rs := prepared(t, a, editor, "越权", 2)
		rs[1].OrgID = f.OrgB.ID
		if err := im.Add(rs); err == nil {
			t.Errorf("Add(entry of another organisation) = nil, want forbidden")
		}
		im.Abort()
		if n := count(t, a, "resources"); n != 0 {
			t.Errorf("resources = %d, want 0", n)
		}
	})
}

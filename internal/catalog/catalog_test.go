package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
)

func TestCatalogLifecycle(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		apptest.Seed(t, a)
		editor := apptest.As(t, a, "a.editor")
		reviewer := apptest.As(t, a, "a.reviewer")
		consumer := apptest.As(t, a, "b.consumer")
		otherEditor := apptest.As(t, a, "b.editor")

		r, err := a.Catalog.Create(editor, apptest.Resource())
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if !strings.HasPrefix(r.Code, "105001/") || r.Status != catalog.Draft || r.Version != 1 {
			t.Fatalf("Create = code %s status %s version %d, want 105001/..., draft, 1", r.Code, r.Status, r.Version)
		}
		if r.Level != "important" || !r.Flagged || r.Sensitivity != "L4" {
			t.Errorf("grading = %s %s flagged=%v, want important L4 flagged", r.Level, r.Sensitivity, r.Flagged)
		}
		// A draft is invisible outside its organisation.
		if _, err := a.Catalog.Get(consumer, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("consumer Get(draft) = %v, want not_found", err)
		}
		if _, err := a.Catalog.Update(otherEditor, r.ID, apptest.Resource(), "x"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("other org's editor Update = %v, want not_found", err)
		}
		// The editor cannot approve; the reviewer cannot approve for the platform.
		if _, err := a.Catalog.Transition(editor, r.ID, catalog.ActSubmit, ""); err != nil {
			t.Fatalf("submit: %v", err)
		}
		if _, err := a.Catalog.Transition(editor, r.ID, catalog.ActOrgApprove, ""); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("editor org_approve = %v, want forbidden", err)
		}
		if _, err := a.Catalog.Transition(reviewer, r.ID, catalog.ActReturn, ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("return without reason = %v, want invalid", err)
		}
		if _, err := a.Catalog.Transition(reviewer, r.ID, catalog.ActReturn, "摘要需说明更新频率"); err != nil {
			t.Fatalf("return: %v", err)
		}
		fixed := apptest.Resource()
		fixed.Summary += "每日更新。"
		if _, err := a.Catalog.Update(editor, r.ID, fixed, "按审核意见补充"); err != nil {
			t.Fatalf("Update after return: %v", err)
		}
		if _, err := a.Catalog.Transition(reviewer, r.ID, catalog.ActApprove, ""); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("org reviewer platform approve = %v, want forbidden", err)
		}
		steps := []struct {
			who    string
			action string
		}{{"a.editor", catalog.ActSubmit}, {"a.reviewer", catalog.ActOrgApprove}, {"admin", catalog.ActApprove}, {"admin", catalog.ActPublish}}
		for _, s := range steps {
			if _, err := a.Catalog.Transition(apptest.As(t, a, s.who), r.ID, s.action, ""); err != nil {
				t.Fatalf("%s %s: %v", s.who, s.action, err)
			}
		}
		pub, err := a.Catalog.Get(consumer, r.ID)
		if err != nil {
			t.Fatalf("consumer Get(published) = %v", err)
		}
		if pub.Status != catalog.Published || pub.Version != pub.PublishedVersion {
			t.Errorf("published = status %s version %d/%d", pub.Status, pub.Version, pub.PublishedVersion)
		}
		// Editing the published entry makes a draft revision; consumers keep seeing the published version.
		rev := fixed
		rev.Name = "居民身份证电子证照"
		if _, err := a.Catalog.Update(editor, r.ID, rev, "更名"); err != nil {
			t.Fatalf("revise published: %v", err)
		}
		seen, err := a.Catalog.Get(consumer, r.ID)
		if err != nil || seen.Name != "居民身份证电子证照信息" {
			t.Errorf("consumer sees %q (%v), want the published name", seen.Name, err)
		}
		hist, err := a.Catalog.History(editor, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 9 {
			t.Errorf("history has %d versions, want 9", len(hist))
		}
		var nameChange *catalog.Change
		for _, c := range hist[0].Diff {
			if c.Field == "name" {
				nameChange = &c
			}
		}
		if nameChange == nil || nameChange.Before != "居民身份证电子证照信息" || nameChange.After != "居民身份证电子证照" {
			t.Errorf("latest diff = %+v, want the name change", hist[0].Diff)
		}
		if h, _ := a.Catalog.History(consumer, r.ID); len(h) != 1 {
			t.Errorf("consumer history has %d versions, want only the 1 published", len(h))
		}
		// Search finds it by Chinese text, simplified and traditional, for the consumer.
		for _, q := range []string{"电子证照", "電子證照", "身份证"} {
			res, err := a.Catalog.List(consumer, catalog.ListQuery{Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != 1 || len(res.Items) != 1 || res.Items[0].ID != r.ID {
				t.Errorf("List(%q) as consumer = %d hits, want the resource", q, res.Total)
			}
		}
	})
}

func TestCreateRefusesInvalidEntries(t *testing.T) {
	a := apptest.Open(t, "", nil)
	apptest.Seed(t, a)
	editor := apptest.As(t, a, "a.editor")
	tests := []struct {
		name      string
		edit      func(r *catalog.Resource)
		wantField string
	}{
		{"conditional share without conditions", func(r *catalog.Resource) { r.Share.Conditions = "" }, "share.conditions"},
		{"not shared without legal basis", func(r *catalog.Resource) { r.Share = catalog.Share{Type: "3"} }, "share.legal_basis"},
		{"classified", func(r *catalog.Resource) { r.Confidential = true }, "confidential"},
		{"unknown classification", func(r *catalog.Resource) { r.ClassCode = "199999" }, "class_code"},
		{"bad class code", func(r *catalog.Resource) { r.ClassCode = "5x" }, "class_code"},
		{"no name", func(r *catalog.Resource) { r.Name = " " }, "name"},
		{"bad update cycle", func(r *catalog.Resource) { r.UpdateCycle = "hourly" }, "update_cycle"},
		{"character item without length", func(r *catalog.Resource) { r.Items[1].Length = 0 }, "items[1].length"},
		{"duplicate item code", func(r *catalog.Resource) { r.Items[1].Code = "ZZBH" }, "items[1].code"},
		{"unknown element", func(r *catalog.Resource) { r.Items[0].Element = "DE99999" }, "items[0].element"},
		{"important data opened unconditionally", func(r *catalog.Resource) { r.Open = catalog.Open{Type: "1"} }, "open.type"},
		{"core data opened", func(r *catalog.Resource) {
			r.Items[0].Category = "core"
			r.Open = catalog.Open{Type: "2", Conditions: "x"}
		}, "open.type"},
		{"structured without items", func(r *catalog.Resource) { r.Items = nil }, "items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := apptest.Resource()
			tt.edit(&r)
			_, err := a.Catalog.Create(editor, r)
			e := apperr.As(err)
			if e.Kind != apperr.Invalid {
				t.Fatalf("Create = %v, want invalid", err)
			}
			found := false
			for _, f := range e.Fields {
				if f.Field == tt.wantField && f.Message != "" && f.ZH != "" {
					found = true
				}
			}
			if !found {
				t.Errorf("Create fields = %+v, want one for %s with en and zh messages", e.Fields, tt.wantField)
			}
		})
	}
}

func TestOneDataOneSource(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		apptest.Seed(t, a)
		aEd, bEd := apptest.As(t, a, "a.editor"), apptest.As(t, a, "b.editor")
		r1, err := a.Catalog.Create(aEd, apptest.Resource())
		if err != nil {
			t.Fatal(err)
		}
		r2src := apptest.Resource()
		r2src.Name = "社会保障卡持卡人信息"
		r2, err := a.Catalog.Create(bEd, r2src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Catalog.DeclareSource(aEd, catalog.SourceClaim{ResourceID: r1.ID, ItemCode: "GMSFHM"}); err != nil {
			t.Fatalf("first claim: %v", err)
		}
		_, err = a.Catalog.DeclareSource(bEd, catalog.SourceClaim{ResourceID: r2.ID, ItemCode: "GMSFHM"})
		if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "福建省公安厅") {
			t.Fatalf("second claim = %v, want conflict naming 福建省公安厅", err)
		}
		if _, err := a.Catalog.DeclareSource(aEd, catalog.SourceClaim{ResourceID: r2.ID, ItemCode: "GMSFHM"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("claim for another org's resource = %v, want forbidden", err)
		}
		if _, err := a.Catalog.TransferSource(bEd, catalog.SourceClaim{ResourceID: r2.ID, ItemCode: "GMSFHM"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("editor transfer = %v, want forbidden", err)
		}
		src, err := a.Catalog.TransferSource(apptest.As(t, a, "admin"), catalog.SourceClaim{ResourceID: r2.ID, ItemCode: "GMSFHM"})
		if err != nil || src.ResourceID != r2.ID {
			t.Fatalf("admin transfer = %+v, %v", src, err)
		}
	})
}

// A published entry being revised is found by others only as published:
// not by a word of the draft, and with the published status.
func TestSearchShowsOthersThePublishedVersion(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		apptest.Seed(t, a)
		editor, consumer, auditor := apptest.As(t, a, "a.editor"), apptest.As(t, a, "b.consumer"), apptest.As(t, a, "auditor")
		r, err := a.Catalog.Create(editor, apptest.Resource())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct{ who, action string }{{"a.editor", "submit"}, {"a.reviewer", "org_approve"}, {"admin", "approve"}, {"admin", "publish"}} {
			if _, err := a.Catalog.Transition(apptest.As(t, a, s.who), r.ID, s.action, ""); err != nil {
				t.Fatal(err)
			}
		}
		rev := apptest.Resource()
		rev.Keywords = append(rev.Keywords, "草稿专用词汇")
		if _, err := a.Catalog.Update(editor, r.ID, rev, "补充关键词"); err != nil {
			t.Fatal(err)
		}
		count := func(ctx context.Context, q string, f map[string][]string) (int, []catalog.Resource) {
			res, err := a.Catalog.List(ctx, catalog.ListQuery{Text: q, Filters: f})
			if err != nil {
				t.Fatal(err)
			}
			return res.Total, res.Items
		}
		if n, _ := count(consumer, "草稿专用词汇", nil); n != 0 {
			t.Errorf("consumer finds the draft's word: %d hits, want 0", n)
		}
		if n, items := count(consumer, "电子证照", map[string][]string{"status": {"published"}}); n != 1 || items[0].Status != catalog.Published {
			t.Errorf("consumer status=published search = %d hits, want the published version", n)
		}
		for name, ctx := range map[string]context.Context{"owner": editor, "auditor": auditor} {
			if n, items := count(ctx, "草稿专用词汇", nil); n != 1 || items[0].Status != catalog.Draft {
				t.Errorf("%s finds the draft's word: %d hits, want the working copy once", name, n)
			}
			if n, _ := count(ctx, "电子证照", nil); n != 1 {
				t.Errorf("%s search = %d hits, want 1 (no duplicate)", name, n)
			}
		}
		// After a reindex the same holds, and republishing drops the extra document.
		if _, err := a.Catalog.Reindex(auditor); err != nil {
			t.Fatal(err)
		}
		if n, _ := count(consumer, "草稿专用词汇", nil); n != 0 {
			t.Errorf("after reindex consumer finds the draft's word: %d", n)
		}
		for _, s := range []struct{ who, action string }{{"a.editor", "submit"}, {"a.reviewer", "org_approve"}, {"admin", "approve"}, {"admin", "publish"}} {
			if _, err := a.Catalog.Transition(apptest.As(t, a, s.who), r.ID, s.action, ""); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := count(consumer, "草稿专用词汇", nil); n != 1 {
			t.Errorf("after republishing consumer finds the new word %d times, want 1", n)
		}
		if n, _ := count(auditor, "", nil); n != 1 {
			t.Errorf("after republishing auditor lists %d entries, want 1", n)
		}
	})
}

package catalog_test

import (
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
)

func TestUpdateClock(t *testing.T) {
	now := time.Date(2025, 10, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	a := apptest.Open(t, "", func() time.Time { return now })
	f := apptest.Seed(t, a)
	editor := apptest.As(t, a, "a.editor")
	r, err := a.Catalog.Create(editor, apptest.Resource())
	if err != nil {
		t.Fatal(err)
	}
	// 10 working days after 2025-09-26 cross the National Day holiday (Oct 1-8)
	// and the make-up workdays Sep 28 and Oct 11.
	late, err := a.Catalog.RecordEvent(editor, catalog.Event{ResourceID: r.ID, Kind: "law", Title: "《福建省公共数据资源管理办法》修订", OccurredOn: "2025-09-26"})
	if err != nil {
		t.Fatal(err)
	}
	if late.Deadline != "2025-10-16" {
		t.Errorf("deadline = %s, want 2025-10-16", late.Deadline)
	}
	onTime, err := a.Catalog.RecordEvent(editor, catalog.Event{Kind: "duty", Title: "职能调整", OccurredOn: "2025-10-17"})
	if err != nil {
		t.Fatal(err)
	}
	if onTime.OrgID != f.OrgA.ID {
		t.Errorf("org-level event org = %s, want %s", onTime.OrgID, f.OrgA.ID)
	}
	overdue, err := a.Catalog.Events(editor, catalog.EventFilter{OverdueOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(overdue) != 1 || overdue[0].ID != late.ID || overdue[0].DaysLate != 2 {
		t.Fatalf("overdue = %+v, want only the law change, 2 working days late", overdue)
	}
	if _, err := a.Catalog.RecordEvent(apptest.As(t, a, "b.editor"), catalog.Event{ResourceID: r.ID, Kind: "law", Title: "x", OccurredOn: "2025-10-01"}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("other org records event on our resource = %v, want forbidden", err)
	}
	if _, err := a.Catalog.RecordEvent(editor, catalog.Event{Kind: "law", Title: "x", OccurredOn: "2025-12-01"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("future event = %v, want invalid", err)
	}
	// Publishing the resource resolves its event.
	for _, s := range []struct{ who, action string }{{"a.editor", "submit"}, {"a.reviewer", "org_approve"}, {"admin", "approve"}, {"admin", "publish"}} {
		if _, err := a.Catalog.Transition(apptest.As(t, a, s.who), r.ID, s.action, ""); err != nil {
			t.Fatalf("%s: %v", s.action, err)
		}
	}
	overdue, _ = a.Catalog.Events(editor, catalog.EventFilter{OverdueOnly: true})
	if len(overdue) != 0 {
		t.Errorf("overdue after publish = %+v, want none", overdue)
	}
	all, _ := a.Catalog.Events(editor, catalog.EventFilter{})
	for _, e := range all {
		if e.ID == late.ID && (e.ResolvedAt == "" || e.DaysLate != 2) {
			t.Errorf("resolved event = %+v, want resolved, 2 days late", e)
		}
	}
}

func TestConformanceReport(t *testing.T) {
	a := apptest.Open(t, "", nil)
	f := apptest.Seed(t, a)
	editor := apptest.As(t, a, "a.editor")
	r := apptest.Resource()
	r.Keywords = nil
	if _, err := a.Catalog.Create(editor, r); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Catalog.Conformance(editor, "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.OrgID != f.OrgA.ID || rep.Total != 1 || rep.WithErrors != 0 || rep.WithWarnings != 1 || rep.Conformance != 1 {
		t.Errorf("report = %+v, want org A, 1 entry with a warning", rep)
	}
	if len(rep.Rules) == 0 || rep.Rules[0].Field != "keywords" {
		t.Errorf("rules = %+v, want the missing-keywords warning", rep.Rules)
	}
	if _, err := a.Catalog.Conformance(editor, f.OrgB.ID); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("editor reading another org's report = %v, want forbidden", err)
	}
}

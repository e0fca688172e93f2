package rectify_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/verify"
)

var cst = time.FixedZone("CST", 8*3600)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// env is a seeded node with a resource of org A (省公安厅) and one of org B.
type env struct {
	a          *app.App
	f          *apptest.Fixture
	clock      *clock
	resA, resB *catalog.Resource
}

func setup(t *testing.T, a *app.App) *env {
	t.Helper()
	e := &env{a: a, f: apptest.Seed(t, a), clock: &clock{t: time.Date(2026, 9, 28, 10, 0, 0, 0, cst)}}
	var err error
	if e.resA, err = a.Catalog.Create(apptest.As(t, a, "a.editor"), apptest.Resource()); err != nil {
		t.Fatal(err)
	}
	rb := apptest.Resource()
	rb.Name = "社会保障卡持卡人信息"
	if e.resB, err = a.Catalog.Create(apptest.As(t, a, "b.editor"), rb); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) service(v rectify.Verifier) *rectify.Service {
	return rectify.New(e.a.DB, rectify.Config{Now: e.clock.now, Calendar: e.a.Catalog.Calendar, Verifier: v})
}

func (e *env) as(t *testing.T, user string) context.Context { return apptest.As(t, e.a, user) }

func TestTicketLifecycle(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		e := setup(t, a)
		svc := e.service(nil)
		tk, err := svc.Raise(e.as(t, "b.consumer"), rectify.Issue{ResourceID: e.resA.ID, RecordKey: "350102199001011234",
			Item: "姓名", Title: "姓名与户籍登记不一致", Description: "证照上的姓名为旧名"})
		if err != nil {
			t.Fatalf("Raise: %v", err)
		}
		wantDeadline := time.Date(2026, 10, 16, 23, 59, 59, 999999000, cst)
		if tk.OrgID != e.f.OrgA.ID || tk.OrgName != "福建省公安厅" || tk.RaisedOrgID != e.f.OrgB.ID || tk.Status != rectify.Open ||
			!tk.Deadline.Equal(wantDeadline) || tk.Source != rectify.SourceConsumer || len(tk.History) != 1 {
			t.Fatalf("Raise = %+v, want org A, raised by org B, open, deadline %v", tk, wantDeadline)
		}
		steps := []struct {
			who, action, note string
			wantErr           apperr.Kind
			want              rectify.Status
		}{
			{"b.consumer", rectify.ActAcknowledge, "", apperr.Forbidden, rectify.Open},
			{"a.security", rectify.ActAcknowledge, "", apperr.Forbidden, rectify.Open},
			{"a.editor", rectify.ActVerify, "", apperr.Forbidden, rectify.Open},
			{"a.editor", rectify.ActFix, "", apperr.Conflict, rectify.Open},
			{"a.editor", "approve", "", apperr.Invalid, rectify.Open},
			{"a.editor", rectify.ActAcknowledge, "已签收", "", rectify.Acknowledged},
			{"a.editor", rectify.ActReject, " ", apperr.Invalid, rectify.Acknowledged},
			{"a.editor", rectify.ActFix, "已按户籍更正", "", rectify.Fixed},
			{"b.consumer", rectify.ActReopen, "", apperr.Invalid, rectify.Fixed},
			{"b.consumer", rectify.ActReopen, "证照库仍是旧名", "", rectify.Acknowledged},
			{"a.admin", rectify.ActFix, "证照库已同步", "", rectify.Fixed},
			{"b.consumer", rectify.ActVerify, "", "", rectify.Verified},
			{"a.editor", rectify.ActClose, "", apperr.Forbidden, rectify.Verified},
			{"b.consumer", rectify.ActClose, "", "", rectify.Closed},
			{"admin", rectify.ActClose, "", apperr.Conflict, rectify.Closed},
		}
		for i, s := range steps {
			got, err := svc.Transition(e.as(t, s.who), tk.ID, s.action, s.note)
			if apperr.KindOf(err) != s.wantErr && !(s.wantErr == "" && err == nil) {
				t.Fatalf("step %d: %s %s = %v, want %q", i, s.who, s.action, err, s.wantErr)
			}
			if err == nil && got.Status != s.want {
				t.Fatalf("step %d: %s %s = status %s, want %s", i, s.who, s.action, got.Status, s.want)
			}
		}
		got, err := svc.Get(e.as(t, "a.reviewer"), tk.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		var trail []string
		for _, ev := range got.History {
			trail = append(trail, ev.Action+":"+ev.ActorName+":"+string(ev.To))
		}
		want := []string{"raise:b.consumer:open", "acknowledge:a.editor:acknowledged", "fix:a.editor:fixed",
			"reopen:b.consumer:acknowledged", "fix:a.admin:fixed", "verify:b.consumer:verified", "close:b.consumer:closed"}
		if diff := cmp.Diff(want, trail); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		if got.ClosedAt == nil || got.History[3].Note != "证照库仍是旧名" {
			t.Errorf("closed at %v, reopen note %q", got.ClosedAt, got.History[3].Note)
		}
		if acts := rectify.AllowedActions(authz.FromContext(e.as(t, "admin")), got); len(acts) != 0 {
			t.Errorf("AllowedActions(closed) = %+v, want none", acts)
		}
		log, err := actionlog.List(context.Background(), a.DB, actionlog.Filter{EntityType: "rectification_ticket", EntityID: tk.ID})
		if err != nil || len(log) != len(want) {
			t.Errorf("action log has %d entries (%v), want %d", len(log), err, len(want))
		}
	})
}

func TestWhoSeesAndMayDoWhat(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		e := setup(t, a)
		svc := e.service(nil)
		// The platform raises an issue to org A: org B has nothing to do with it.
		tk, err := svc.Raise(e.as(t, "admin"), rectify.Issue{OrgID: e.f.OrgA.ID, Title: "户籍地址缺少门牌号"})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			user        string
			wantGet     apperr.Kind
			wantList    int
			wantActions []string
		}{
			// The platform may handle any provider's ticket (rectify:handle Any).
			{"admin", "", 1, []string{rectify.ActAcknowledge, rectify.ActReject}},
			{"auditor", "", 1, []string{}},
			{"a.editor", "", 1, []string{rectify.ActAcknowledge, rectify.ActReject}},
			{"a.admin", "", 1, []string{rectify.ActAcknowledge, rectify.ActReject}},
			{"a.security", "", 1, []string{}},
			{"b.editor", apperr.NotFound, 0, nil},
			{"b.consumer", apperr.NotFound, 0, nil},
		}
		for _, tt := range tests {
			t.Run(tt.user, func(t *testing.T) {
				ctx := e.as(t, tt.user)
				got, err := svc.Get(ctx, tk.ID)
				if apperr.KindOf(err) != tt.wantGet && !(tt.wantGet == "" && err == nil) {
					t.Fatalf("Get = %v, want %q", err, tt.wantGet)
				}
				list, err := svc.List(ctx, rectify.Filter{})
				if err != nil || len(list) != tt.wantList {
					t.Errorf("List = %d tickets (%v), want %d", len(list), err, tt.wantList)
				}
				if got == nil {
					return
				}
				var acts []string
				for _, x := range rectify.AllowedActions(authz.FromContext(ctx), got) {
					acts = append(acts, x.Action)
				}
				if acts == nil {
					acts = []string{}
				}
				if diff := cmp.Diff(tt.wantActions, acts); diff != "" {
					t.Errorf("AllowedActions (-want +got):\n%s", diff)
				}
			})
		}
		if _, err := svc.Raise(e.as(t, "auditor"), rectify.Issue{OrgID: e.f.OrgA.ID, Title: "x"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("auditor Raise = %v, want forbidden", err)
		}
		if _, err := svc.Raise(context.Background(), rectify.Issue{OrgID: e.f.OrgA.ID, Title: "x"}); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("anonymous Raise = %v, want unauthenticated", err)
		}
		// Rejection needs a reason and is final.
		rej, err := svc.Transition(e.as(t, "a.editor"), tk.ID, rectify.ActReject, "门牌号不属于本单位登记事项")
		if err != nil || rej.Status != rectify.Rejected || rej.RejectReason != "门牌号不属于本单位登记事项" {
			t.Fatalf("reject = %+v, %v", rej, err)
		}
		if acts := rectify.AllowedActions(authz.FromContext(e.as(t, "admin")), rej); len(acts) != 0 {
			t.Errorf("AllowedActions(rejected) = %+v, want none", acts)
		}
	})
}

func TestRaiseRefusesBadIssues(t *testing.T) {
	a := apptest.Open(t, "", nil)
	e := setup(t, a)
	svc := e.service(nil)
	tests := []struct {
		name      string
		give      rectify.Issue
		wantField string
	}{
		{"no title", rectify.Issue{ResourceID: e.resA.ID, Title: "  "}, "title"},
		{"long title", rectify.Issue{ResourceID: e.resA.ID, Title: strings.Repeat("错", 201)}, "title"},
		{"no provider", rectify.Issue{Title: "x"}, "resource_id"},
		{"unknown resource", rectify.Issue{ResourceID: "nope", Title: "x"}, "resource_id"},
		{"unknown organisation", rectify.Issue{OrgID: "nope", Title: "x"}, "org_id"},
		{"wrong provider", rectify.Issue{ResourceID: e.resA.ID, OrgID: e.f.OrgB.ID, Title: "x"}, "org_id"},
		{"long deadline", rectify.Issue{ResourceID: e.resA.ID, Title: "x", DeadlineDays: 61}, "deadline_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Raise(e.as(t, "b.consumer"), tt.give)
			ae := apperr.As(err)
			if ae.Kind != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].Field != tt.wantField || ae.Fields[0].ZH == "" {
				t.Errorf("Raise = %v, want invalid %s with a Chinese message", err, tt.wantField)
			}
		})
	}
}

func TestEscalation(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		e := setup(t, a)
		svc := e.service(nil)
		consumer := e.as(t, "b.consumer")
		late, err := svc.Raise(consumer, rectify.Issue{ResourceID: e.resA.ID, Title: "出生日期错误"})
		if err != nil {
			t.Fatal(err)
		}
		done, err := svc.Raise(consumer, rectify.Issue{ResourceID: e.resA.ID, Title: "性别错误"})
		if err != nil {
			t.Fatal(err)
		}
		for _, act := range []struct{ who, action string }{{"a.editor", rectify.ActAcknowledge}, {"a.editor", rectify.ActFix},
			{"b.consumer", rectify.ActVerify}, {"b.consumer", rectify.ActClose}} {
			if _, err := svc.Transition(e.as(t, act.who), done.ID, act.action, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.Raise(consumer, rectify.Issue{ResourceID: e.resB.ID, Title: "地址错误", DeadlineDays: 20}); err != nil {
			t.Fatal(err)
		}
		// On the deadline nothing is overdue; the next working day the
		// 10-day ticket is, the 20-day one not.
		escalate := func(at time.Time) []string {
			t.Helper()
			e.clock.set(at)
			got, err := svc.Escalate(context.Background(), at)
			if err != nil {
				t.Fatalf("Escalate(%v): %v", at, err)
			}
			var ids []string
			for _, tk := range got {
				ids = append(ids, tk.ID)
			}
			return ids
		}
		if ids := escalate(late.Deadline); len(ids) != 0 {
			t.Errorf("Escalate(on the deadline) = %v, want none", ids)
		}
		after := time.Date(2026, 10, 19, 9, 0, 0, 0, cst)
		if diff := cmp.Diff([]string{late.ID}, escalate(after)); diff != "" {
			t.Errorf("Escalate(after the deadline) (-want +got):\n%s", diff)
		}
		if ids := escalate(after.Add(time.Hour)); len(ids) != 0 {
			t.Errorf("second Escalate = %v, want none", ids)
		}
		if _, err := svc.Escalate(e.as(t, "a.admin"), after); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("org admin Escalate = %v, want forbidden", err)
		}
		got, err := svc.Get(consumer, late.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := got.History[len(got.History)-1]
		if !got.Escalated || !got.Overdue || got.Status != rectify.Open || last.Action != rectify.ActEscalate || last.ActorName != "system" ||
			!strings.Contains(last.Note, "逾期 1 个工作日") {
			t.Errorf("escalated ticket = %+v, last event %+v", got, last)
		}
		list, err := svc.List(e.as(t, "admin"), rectify.Filter{Escalated: true})
		if err != nil || len(list) != 1 || list[0].ID != late.ID {
			t.Errorf("List(escalated) = %d tickets, %v", len(list), err)
		}
		if list, _ := svc.List(e.as(t, "admin"), rectify.Filter{Overdue: true}); len(list) != 1 {
			t.Errorf("List(overdue) = %d tickets, want 1", len(list))
		}
		want := []rectify.OrgSummary{
			{OrgID: e.f.OrgA.ID, OrgName: "福建省公安厅", Active: 1, Overdue: 1, Escalated: 1, Closed: 1},
			{OrgID: e.f.OrgB.ID, OrgName: "福建省人力资源和社会保障厅", Active: 1},
		}
		sums, err := svc.OrgSummaries(e.as(t, "auditor"))
		if diff := cmp.Diff(want, sums); err != nil || diff != "" {
			t.Errorf("OrgSummaries (-want +got):\n%s%v", diff, err)
		}
		sums, err = svc.OrgSummaries(e.as(t, "b.editor"))
		if diff := cmp.Diff(want[1:], sums); err != nil || diff != "" {
			t.Errorf("OrgSummaries as org B (-want +got):\n%s%v", diff, err)
		}
	})
}

func TestTicketsFromLoadsAndVerification(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		e := setup(t, a)
		svc := e.service(nil)
		admin := e.as(t, "admin")
		res := &ingest.Result{LoadID: "load-1", Dataset: "105001-000001", RowsRead: 100, RowsRejected: 3,
			Rejections: map[string]int64{"idcard": 2, "required": 1}, QuarantinePath: "/tmp/q/load-1.rejects.csv"}
		if _, err := svc.FromLoad(e.as(t, "a.editor"), e.resA.ID, res); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("editor FromLoad = %v, want forbidden", err)
		}
		if _, err := svc.FromLoad(admin, e.resA.ID, &ingest.Result{}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("FromLoad(no rejections) = %v, want invalid", err)
		}
		tk, err := svc.FromLoad(admin, e.resA.ID, res)
		if err != nil {
			t.Fatalf("FromLoad: %v", err)
		}
		if tk.OrgID != e.f.OrgA.ID || tk.Source != rectify.SourceRule || tk.Affected != 3 || tk.LoadID != "load-1" ||
			!strings.Contains(tk.Title, "3 行") || !strings.Contains(tk.TitleEN, "3 rows") || !strings.Contains(string(tk.Detail), `"idcard":2`) {
			t.Errorf("FromLoad = %+v (detail %s)", tk, tk.Detail)
		}

		name := "张三"
		run := &verify.Run{ID: "run-1", OrgA: e.f.OrgA.ID, OrgB: e.f.OrgB.ID, ResourceA: e.resA.ID, ResourceB: e.resB.ID,
			DatasetA: "population_a", DatasetB: "population_b", Key: "公民身份号码", ConflictingKeys: 2,
			Report: &verify.Report{Key: "公民身份号码", ConflictingKeys: 2,
				Attributes: []verify.AttributeReport{{Name: "姓名", Matches: 8, Conflicts: 2}, {Name: "出生日期", Matches: 10}},
				Sample:     []verify.Conflict{{Key: "350102199001011234", Attribute: "姓名", A: &name, B: nil}}}}
		tests := []struct {
			authoritative string
			wantOrgs      []string
		}{
			{verify.SideA, []string{e.f.OrgB.ID}},
			{verify.SideB, []string{e.f.OrgA.ID}},
			{"", []string{e.f.OrgA.ID, e.f.OrgB.ID}},
		}
		for _, tt := range tests {
			run.Authoritative = tt.authoritative
			got, err := svc.FromVerification(admin, run)
			if err != nil {
				t.Fatalf("FromVerification(%q): %v", tt.authoritative, err)
			}
			var orgs []string
			for _, tk := range got {
				orgs = append(orgs, tk.OrgID)
				if tk.Source != rectify.SourceVerification || tk.RunID != "run-1" || tk.Item != "姓名" || tk.Affected != 2 ||
					!strings.Contains(string(tk.Detail), "350102199001011234") {
					t.Errorf("FromVerification(%q) ticket = %+v", tt.authoritative, tk)
				}
			}
			if diff := cmp.Diff(tt.wantOrgs, orgs); diff != "" {
				t.Errorf("FromVerification(%q) orgs (-want +got):\n%s", tt.authoritative, diff)
			}
		}
		noOrg := *run
		noOrg.OrgB, noOrg.Authoritative = "", verify.SideA
		if _, err := svc.FromVerification(admin, &noOrg); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("FromVerification(side without org) = %v, want invalid", err)
		}
		clean := *run
		clean.ConflictingKeys = 0
		if _, err := svc.FromVerification(admin, &clean); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("FromVerification(no conflicts) = %v, want invalid", err)
		}
	})
}

func TestRecheckOnFix(t *testing.T) {
	tests := []struct {
		name       string
		give       rectify.Verifier
		want       rectify.Status
		wantAction string
		wantNote   string
	}{
		{"resolved", func(context.Context, *rectify.Ticket) (bool, string, error) { return true, "", nil },
			rectify.Verified, rectify.ActVerify, "re-check passed"},
		{"still there", func(context.Context, *rectify.Ticket) (bool, string, error) { return false, "2 conflicts remain", nil },
			rectify.Acknowledged, rectify.ActReopen, "2 conflicts remain"},
		{"failed", func(context.Context, *rectify.Ticket) (bool, string, error) {
			return false, "", errors.New("store down")
		},
			rectify.Fixed, rectify.ActFix, ""},
	}
	a := apptest.Open(t, "", nil)
	e := setup(t, a)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := e.service(tt.give)
			tk, err := svc.Raise(e.as(t, "b.consumer"), rectify.Issue{ResourceID: e.resA.ID, Title: "姓名错误"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Transition(e.as(t, "a.editor"), tk.ID, rectify.ActAcknowledge, ""); err != nil {
				t.Fatal(err)
			}
			got, err := svc.Transition(e.as(t, "a.editor"), tk.ID, rectify.ActFix, "已更正")
			if err != nil {
				t.Fatalf("fix: %v", err)
			}
			last := got.History[len(got.History)-1]
			if got.Status != tt.want || last.Action != tt.wantAction || !strings.Contains(last.Note, tt.wantNote) {
				t.Errorf("after fix: status %s, last event %+v; want %s by %s noting %q", got.Status, last, tt.want, tt.wantAction, tt.wantNote)
			}
			if tt.want != rectify.Fixed && last.ActorID != "system" {
				t.Errorf("re-check actor = %s, want system", last.ActorID)
			}
		})
	}
}

// From generated data to a closed loop: verification finds the injected
// conflicts, the provider of the non-authoritative side gets a ticket,
// reloads correct data, marks the ticket fixed, and the re-check verifies
// it.
func TestVerificationTicketIsRecheckedOnFix(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		e := setup(t, a)
		ctx := context.Background()
		rs, err := records.OpenDuckDB(ctx, filepath.Join(t.TempDir(), "records.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		pf := verify.PopulationFiles{Dir: t.TempDir(), Rows: 2000, ConflictRate: 0.05, Seed: 9}
		if err := pf.Generate(); err != nil {
			t.Fatal(err)
		}
		if err := pf.Load(ctx, rs, "pop_a", "pop_b"); err != nil {
			t.Fatal(err)
		}
		vs := verify.New(a.DB, rs, e.clock.now)
		req := verify.BenchRequest("")
		req.A = verify.Side{Dataset: "pop_a", ResourceID: e.resA.ID}
		req.B = verify.Side{Dataset: "pop_b", ResourceID: e.resB.ID}
		run, err := vs.Run(e.as(t, "admin"), req)
		if err != nil || run.ConflictingKeys == 0 {
			t.Fatalf("Run = %+v, %v; want conflicts", run, err)
		}
		svc := e.service(rectify.RecheckVerification(vs))
		tks, err := svc.FromVerification(e.as(t, "admin"), run)
		if err != nil || len(tks) != 1 || tks[0].OrgID != e.f.OrgB.ID {
			t.Fatalf("FromVerification = %+v, %v; want one ticket to org B", tks, err)
		}
		id := tks[0].ID
		editor := e.as(t, "b.editor")
		if _, err := svc.Transition(editor, id, rectify.ActAcknowledge, ""); err != nil {
			t.Fatal(err)
		}
		// Marked fixed too early: the re-check sends it back.
		got, err := svc.Transition(editor, id, rectify.ActFix, "")
		if err != nil || got.Status != rectify.Acknowledged || !strings.Contains(got.History[len(got.History)-1].Note, "still disagree") {
			t.Fatalf("early fix = %+v, %v; want acknowledged again", got, err)
		}
		if _, err := pf.LoadSource(ctx, rs, 0, "pop_b"); err != nil {
			t.Fatal(err)
		}
		got, err = svc.Transition(editor, id, rectify.ActFix, "已按公安数据更正")
		if err != nil || got.Status != rectify.Verified {
			t.Fatalf("fix after reload = %+v, %v; want verified", got, err)
		}
		if _, err := svc.Transition(e.as(t, "admin"), id, rectify.ActClose, ""); err != nil {
			t.Errorf("close: %v", err)
		}
		// A consumer's ticket is not re-checked automatically.
		tk, err := svc.Raise(e.as(t, "b.consumer"), rectify.Issue{ResourceID: e.resA.ID, Title: "姓名错误"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Transition(e.as(t, "a.editor"), tk.ID, rectify.ActAcknowledge, ""); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.Transition(e.as(t, "a.editor"), tk.ID, rectify.ActFix, ""); err != nil || got.Status != rectify.Fixed {
			t.Errorf("consumer ticket fix = %+v, %v; want fixed", got, err)
		}
	})
}

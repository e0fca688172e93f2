package demo_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/demo"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

// now is the demo's present: a Friday in a year the working-day calendar covers.
var now = time.Date(2026, 11, 20, 15, 30, 0, 0, time.FixedZone("CST", 8*3600))

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func seed(t *testing.T, a *app.App) *demo.Summary {
	t.Helper()
	sum, err := demo.Seed(context.Background(), a.Identity, a.Catalog, a.DB, demo.Options{Seed: 7, Now: now, Log: quiet})
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return sum
}

func TestSeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		a := apptest.Open(t, dsn, func() time.Time { return now })
		sum := seed(t, a)
		t.Logf("seeded in %v (cheap password hashing): %+v", sum.Elapsed, *sum)
		t.Run("counts", func(t *testing.T) { testCounts(t, sum) })
		t.Run("data", func(t *testing.T) {
			for range 2 { // the second call finds the data and does nothing
				if err := demo.SeedData(context.Background(), a.Identity, a.Aggregate, a.DB); err != nil {
					t.Fatalf("SeedData: %v", err)
				}
			}
			items, total, err := a.Aggregate.List(apptest.As(t, a, "admin"), aggregate.LoadFilter{})
			if err != nil || total != 1 || items[0].State != aggregate.Succeeded || items[0].RowsRead != demo.PopulationRows ||
				items[0].RowsRejected == 0 {
				t.Errorf("demo loads = %d %+v, %v; want one load of %d rows with some rejected", total, items, err, demo.PopulationRows)
			}
		})
		t.Run("idempotent", func(t *testing.T) {
			again := seed(t, a)
			if !again.AlreadySeeded {
				t.Errorf("second Seed: AlreadySeeded = false, want true")
			}
			if diff := cmp.Diff(sum, again, cmpopts.IgnoreFields(demo.Summary{}, "AlreadySeeded", "Elapsed")); diff != "" {
				t.Errorf("second Seed changed the counts (-first +second):\n%s", diff)
			}
		})
		t.Run("population", func(t *testing.T) { testPopulation(t, a) })
		t.Run("conformance", func(t *testing.T) { testConformance(t, a) })
		t.Run("search", func(t *testing.T) { testSearch(t, a) })
		t.Run("history", func(t *testing.T) { testHistory(t, a) })
		t.Run("events", func(t *testing.T) { testEvents(t, a) })
		t.Run("sources", func(t *testing.T) { testSources(t, a) })
		t.Run("topology", func(t *testing.T) { testTopology(t, a) })
		t.Run("login", func(t *testing.T) {
			for _, u := range []string{"sgat.editor", "sgat.reviewer", "sgat.admin", "xmdsjj.editor", "auditor", "security", "consumer", "reviewer"} {
				if _, err := a.Identity.Login(context.Background(), u, demo.DefaultPassword, identity.KindAPI); err != nil {
					t.Errorf("Login(%s) = %v, want a session", u, err)
				}
			}
		})
	})
}

func testCounts(t *testing.T, sum *demo.Summary) {
	if sum.Organisations < 40 {
		t.Errorf("Organisations = %d, want >= 40", sum.Organisations)
	}
	if sum.Resources < demo.DefaultResources {
		t.Errorf("Resources = %d, want >= %d", sum.Resources, demo.DefaultResources)
	}
	for _, st := range catalog.Statuses {
		if sum.ByStatus[st] == 0 {
			t.Errorf("ByStatus[%s] = 0, want some", st)
		}
	}
	if sum.PendingRevisions == 0 {
		t.Errorf("PendingRevisions = 0, want some published entries with a newer revision")
	}
	if sum.EventsOverdue == 0 || sum.EventsOpen == 0 || sum.EventsResolved == 0 {
		t.Errorf("events overdue/open/resolved = %d/%d/%d, want some of each", sum.EventsOverdue, sum.EventsOpen, sum.EventsResolved)
	}
	if sum.Users < sum.Organisations+2*15+4 {
		t.Errorf("Users = %d, want an editor per organisation, full teams in 15 or more and the platform-wide users", sum.Users)
	}
}

func testPopulation(t *testing.T, a *app.App) {
	admin := apptest.As(t, a, "admin")
	var id string
	if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM resources WHERE name = ?`, demo.PopulationName).Scan(&id); err != nil {
		t.Fatalf("find %s: %v", demo.PopulationName, err)
	}
	r, err := a.Catalog.Get(admin, id)
	if err != nil {
		t.Fatalf("Get(%s): %v", demo.PopulationName, err)
	}
	if r.ProviderCode != "SGAT" || r.ClassCode != "101001" || r.FormatClass != "3" || r.Status != catalog.Published {
		t.Errorf("%s = provider %s class %s format %s status %s, want SGAT 101001 3 published",
			r.Name, r.ProviderCode, r.ClassCode, r.FormatClass, r.Status)
	}
	want := []struct {
		name, code, typ string
		length          int
		element         string
	}{
		{"公民身份号码", "GMSFHM", "C", 18, "DE00001"}, {"姓名", "XM", "C", 50, "DE00002"}, {"性别", "XB", "C", 1, "DE00003"},
		{"出生日期", "CSRQ", "D", 8, "DE00004"}, {"民族", "MZ", "C", 2, "DE00005"}, {"户籍地址", "HJDZ", "C", 200, "DE00006"},
		{"现住址", "XZZ", "C", 200, ""}, {"手机号码", "SJHM", "C", 11, "DE00007"}, {"户籍地区划代码", "HJDQHDM", "C", 6, "DE00011"},
		{"婚姻状况", "HYZK", "C", 2, ""}, {"文化程度", "WHCD", "C", 2, ""}, {"登记日期", "DJRQ", "D", 8, ""},
	}
	if len(r.Items) != len(want) {
		t.Fatalf("%s has %d items, want %d", r.Name, len(r.Items), len(want))
	}
	for i, w := range want {
		it := r.Items[i]
		if it.Name != w.name || it.Code != w.code || it.DataType != w.typ || it.Length != w.length || it.Element != w.element {
			t.Errorf("item %d = %s %s %s(%d) %s, want %s %s %s(%d) %s", i, it.Name, it.Code, it.DataType, it.Length, it.Element,
				w.name, w.code, w.typ, w.length, w.element)
		}
	}
	if !r.Items[0].PrimaryKey || r.Items[0].Category != "important" {
		t.Errorf("公民身份号码: primary key %v category %s, want true important", r.Items[0].PrimaryKey, r.Items[0].Category)
	}
	if diff := cmp.Diff(demo.PopulationItems, r.Items); diff != "" {
		t.Errorf("stored items differ from PopulationItems (-want +got):\n%s", diff)
	}
}

// testConformance checks every seeded entry, working copies and every
// version kept, against the standard.
func testConformance(t *testing.T, a *app.App) {
	ctx := context.Background()
	ref := catalog.Reference{Classifications: map[string]catalog.Classification{}, Elements: map[string]catalog.Element{}}
	cs, err := a.Catalog.Classifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		ref.Classifications[c.Code] = c
	}
	els, err := a.Catalog.Elements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range els {
		ref.Elements[e.Code] = e
	}
	for _, q := range []string{`SELECT doc FROM resource_versions`} {
		rows, err := a.DB.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var doc string
			if err := rows.Scan(&doc); err != nil {
				t.Fatal(err)
			}
			var r catalog.Resource
			if err := json.Unmarshal([]byte(doc), &r); err != nil {
				t.Fatal(err)
			}
			catalog.Normalize(&r)
			catalog.Grade(&r)
			if err := catalog.Errors(catalog.Check(&r, ref)); err != nil {
				t.Errorf("%s (%s): %v", r.Name, r.Code, err)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		t.Logf("%s: %d checked", q, n)
	}
	rep, err := a.Catalog.Conformance(apptest.As(t, a, "admin"), "")
	if err != nil {
		t.Fatalf("Conformance: %v", err)
	}
	if rep.WithErrors != 0 {
		t.Errorf("Conformance: %d entries with errors, want 0", rep.WithErrors)
	}
}

func testSearch(t *testing.T, a *app.App) {
	admin := apptest.As(t, a, "admin")
	consumer := apptest.As(t, a, "consumer")
	for _, q := range []string{"电子证照", "電子證照", "社保", "营业执照", "人口", "不动产", "公积金", "医保", "学籍"} {
		res, err := a.Catalog.List(admin, catalog.ListQuery{Text: q, Limit: 5})
		if err != nil {
			t.Fatalf("List(%s): %v", q, err)
		}
		if res.Total == 0 {
			t.Errorf("List(%q) as admin: no hits, want some", q)
		}
		res, err = a.Catalog.List(consumer, catalog.ListQuery{Text: q, Limit: 5})
		if err != nil {
			t.Fatalf("List(%s) as consumer: %v", q, err)
		}
		if res.Total == 0 {
			t.Errorf("List(%q) as consumer: no hits, want some published ones", q)
		}
	}
}

func testHistory(t *testing.T, a *app.App) {
	admin := apptest.As(t, a, "admin")
	ctx := context.Background()
	var id string
	if err := a.DB.QueryRowContext(ctx, `SELECT id FROM resources WHERE name = ?`, "法人单位基本信息").Scan(&id); err != nil {
		t.Fatal(err)
	}
	hist, err := a.Catalog.History(admin, id)
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	var actions []string
	for _, v := range slices.Backward(hist) {
		actions = append(actions, v.Action)
	}
	want := []string{"create", "submit", "org_approve", "approve", "publish"}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Errorf("history of 法人单位基本信息 (-want +got):\n%s", diff)
	}
	if len(hist) > 0 && (hist[0].Version != 5 || len(hist[0].Diff) == 0 || hist[0].AuthorName != "admin") {
		t.Errorf("latest version = %d by %s with %d changes, want 5 by admin with some", hist[0].Version, hist[0].AuthorName, len(hist[0].Diff))
	}
	// A returned entry carries the reviewer's reason.
	if err := a.DB.QueryRowContext(ctx, `SELECT id FROM resources WHERE status = 'returned' LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	hist, err = a.Catalog.History(admin, id)
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	if hist[0].Action != catalog.ActReturn || hist[0].Reason == "" {
		t.Errorf("returned entry's last version: %s with reason %q, want return with a reason", hist[0].Action, hist[0].Reason)
	}
	// A published entry with a pending revision shows its published version to others.
	if err := a.DB.QueryRowContext(ctx, `SELECT id FROM resources WHERE published_version IS NOT NULL AND version > published_version LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	r, err := a.Catalog.Get(apptest.As(t, a, "consumer"), id)
	if err != nil {
		t.Fatalf("consumer Get(pending revision): %v", err)
	}
	if r.Status != catalog.Published || r.Version != r.PublishedVersion {
		t.Errorf("consumer sees status %s version %d (published %d), want the published version", r.Status, r.Version, r.PublishedVersion)
	}
}

func testEvents(t *testing.T, a *app.App) {
	evs, err := a.Catalog.Events(apptest.As(t, a, "admin"), catalog.EventFilter{OverdueOnly: true})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	orgs := map[string]bool{}
	for _, e := range evs {
		orgs[e.OrgID] = true
		if e.DaysLate <= 0 {
			t.Errorf("overdue event %q: %d working days late, want > 0", e.Title, e.DaysLate)
		}
	}
	if len(orgs) < 3 {
		t.Errorf("overdue events in %d organisations, want several", len(orgs))
	}
}

func testSources(t *testing.T, a *app.App) {
	srcs, err := a.Catalog.Sources(apptest.As(t, a, "admin"))
	if err != nil {
		t.Fatalf("Sources: %v", err)
	}
	got := map[string]string{}
	for _, s := range srcs {
		got[s.Element+"@"+s.RegionCode] = s.OrgName + "/" + s.ResourceName + "/" + s.ItemCode
	}
	for key, want := range map[string]string{
		"DE00001@350000": "福建省公安厅/人口基本信息/GMSFHM",
		"DE00008@350000": "福建省市场监督管理局/法人单位基本信息/TYSHXYDM",
		"DE00012@350000": "福建省自然资源厅/不动产登记信息/BDCDYH",
		"DE00001@350200": "厦门市公安局/厦门市人口基本信息/GMSFHM",
	} {
		if got[key] != want {
			t.Errorf("source %s = %q, want %q", key, got[key], want)
		}
	}
}

func testTopology(t *testing.T, a *app.App) {
	nodes, err := a.Identity.Nodes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]int{}
	for _, n := range nodes {
		roles[n.Role]++
	}
	if roles[identity.RoleCity] != 10 || roles[identity.RoleDepartment] < 1 || roles[identity.RoleExchange] != 1 || roles[identity.RoleProvince] != 1 {
		t.Errorf("node roles = %v, want 1 province, 10 cities, departments and 1 exchange", roles)
	}
	orgs, err := a.Identity.Orgs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.ProviderCode == "XMGAJ" && (o.NodeID != "node-350200" || o.RegionCode != "350200" || o.Kind != "bureau") {
			t.Errorf("厦门市公安局 = node %s region %s kind %s, want node-350200 350200 bureau", o.NodeID, o.RegionCode, o.Kind)
		}
		if o.ProviderCode == "SGAT" && o.NodeID != "node-350000" {
			t.Errorf("省公安厅 node = %s, want node-350000", o.NodeID)
		}
	}
}

// TestSeedRefusesCityNode: the demo is a province; a city node is left alone.
func TestSeedRefusesCityNode(t *testing.T) {
	dir := t.TempDir()
	a, err := app.Open(context.Background(), app.Config{DataDir: dir, Role: identity.RoleCity, Region: "350200",
		AdminPassword: apptest.AdminPassword, Log: quiet, Argon2: &apptest.CheapArgon2})
	if err != nil {
		t.Fatalf("app.Open: %v", err)
	}
	defer a.Close()
	if _, err := demo.Seed(context.Background(), a.Identity, a.Catalog, a.DB, demo.Options{Log: quiet}); err == nil {
		t.Errorf("Seed on a city node = nil error, want a refusal")
	}
}

// BenchmarkSeed measures seeding with production password hashing, as
// `pubdata demo` does it.
func BenchmarkSeed(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		a, err := app.Open(context.Background(), app.Config{DataDir: dir, AdminPassword: apptest.AdminPassword, Log: quiet})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := demo.Seed(context.Background(), a.Identity, a.Catalog, a.DB, demo.Options{Log: quiet})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric(float64(sum.Resources), "resources")
		a.Close()
		b.StartTimer()
	}
}

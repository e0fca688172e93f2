package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/demo"
	"github.com/pubdata/pubdata/internal/gen"
	"github.com/pubdata/pubdata/internal/lineage"
	"github.com/pubdata/pubdata/internal/tabular"
	"github.com/pubdata/pubdata/internal/verify"
)

// TestGovernanceScenarios walks data governance through the API on every
// control-store backend: two organisations load generated population
// data (sources 0 and 1, 2% conflicts), org A is declared the
// authoritative source of 公民身份号码, a verification finds exactly the
// generator's conflicts and opens a ticket to org B, which is walked to
// closed; a consumer's ticket to org A is walked by hand; the lineage
// graph links the two resources by the shared key; a load with rejected
// rows raises a rule ticket by itself.
func TestGovernanceScenarios(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		n := startNode(t, a)
		resA := publishPopulation(t, a, "a", demo.PopulationName)
		resB := publishPopulation(t, a, "b", "社会保险参保人员基本信息")
		pf := verify.PopulationFiles{Dir: t.TempDir(), Rows: 2000, ConflictRate: 0.02, Seed: 5}
		if err := pf.Generate(); err != nil {
			t.Fatal(err)
		}
		truth, err := pf.TruthConflicts()
		if err != nil || len(truth) == 0 {
			t.Fatalf("TruthConflicts = %d, %v; want some", len(truth), err)
		}
		// The files PopulationFiles writes: source 0 (authoritative) and 1.
		src0, src1 := filepath.Join(pf.Dir, "population-src0.csv"), filepath.Join(pf.Dir, "population-src1.csv")
		for _, l := range []struct{ user, res, file string }{{"a.editor", resA.ID, src0}, {"b.editor", resB.ID, src1}} {
			if got := loadFile(t, a, l.user, l.res, l.file); got.RowsRejected != 0 || got.RowsAccepted != 2000 {
				t.Fatalf("load of %s: %d accepted, %d rejected; want all 2000", l.file, got.RowsAccepted, got.RowsRejected)
			}
		}
		vars := map[string]string{"orgA": n.fix.OrgA.ID, "orgB": n.fix.OrgB.ID, "resA": resA.ID, "resB": resB.ID,
			"codeA": resA.Code, "truth": strconv.Itoa(len(truth))}
		t.Run("verification", func(t *testing.T) { n.run(t, vars, verificationScenarios(len(truth))) })
		t.Run("verification ticket", func(t *testing.T) {
			n.run(t, vars, verificationTicketScenarios())
			// Org B corrects its data from the authoritative source; the
			// next fix is verified by the re-check.
			loadFile(t, a, "b.editor", resB.ID, src0)
			n.run(t, vars, verificationTicketFixedScenarios())
		})
		t.Run("consumer ticket", func(t *testing.T) { n.run(t, vars, consumerTicketScenarios()) })
		t.Run("lineage", func(t *testing.T) { n.run(t, vars, lineageScenarios()) })
		t.Run("manual lineage", func(t *testing.T) {
			auto, err := a.Lineage.Edges(apptest.As(t, a, "admin"), lineage.EdgeFilter{Node: "dataset:" + resA.ID, Kind: lineage.EdgeLoad})
			if err != nil || len(auto) == 0 {
				t.Fatalf("edges recorded by the load of A = %v, %v", auto, err)
			}
			vars["autoEdge"] = strconv.FormatInt(auto[0].ID, 10)
			n.run(t, vars, manualLineageScenarios())
		})
		t.Run("rule ticket", func(t *testing.T) {
			var data, bad bytes.Buffer
			if _, err := gen.Population(&data, &bad, gen.PopulationOptions{Rows: 500, ErrorRate: 0.1, Seed: 11}); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "bad.csv")
			if err := os.WriteFile(file, data.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			l := loadFile(t, a, "a.editor", resA.ID, file)
			if l.RowsRejected == 0 {
				t.Fatal("the load rejected nothing")
			}
			vars["ruleLoad"], vars["rejected"] = l.ID, strconv.FormatInt(l.RowsRejected, 10)
			// The ticket is raised after the load is recorded succeeded.
			waitFor(t, func() bool {
				_, body := n.call(t, "GET", "/api/v1/tickets?source=rule", n.token(t, "a.editor"), nil, nil)
				var out struct{ Items []any }
				return json.Unmarshal(body, &out) == nil && len(out.Items) > 0
			})
			n.run(t, vars, ruleTicketScenarios(l.RowsRejected))
		})
		t.Run("odd bodies", func(t *testing.T) { n.run(t, vars, oddGovernanceBodies()) })
	})
}

// publishPopulation publishes 人口基本信息's data items as a resource of
// org ("a" or "b").
func publishPopulation(t *testing.T, a *app.App, org, name string) *catalog.Resource {
	t.Helper()
	r := apptest.Resource()
	r.Name = name
	r.FormatClass, r.FormatType = "3", "数据库表"
	r.Items = slices.Clone(demo.PopulationItems)
	created, err := a.Catalog.Create(apptest.As(t, a, org+".editor"), r)
	if err != nil {
		t.Fatalf("Create(%s): %v", name, err)
	}
	for _, s := range []struct{ who, action string }{{org + ".editor", "submit"}, {org + ".reviewer", "org_approve"},
		{"admin", "approve"}, {"admin", "publish"}} {
		if _, err := a.Catalog.Transition(apptest.As(t, a, s.who), created.ID, s.action, ""); err != nil {
			t.Fatalf("%s %s: %v", s.who, s.action, err)
		}
	}
	return created
}

// loadFile loads a CSV file into a resource as user and waits for the
// load to succeed.
func loadFile(t *testing.T, a *app.App, user, resourceID, path string) *aggregate.Load {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := apptest.As(t, a, user)
	l, err := a.Aggregate.Submit(ctx, resourceID, aggregate.Upload{Body: io.Reader(f), Name: filepath.Base(path), Format: tabular.CSV})
	if err != nil {
		t.Fatalf("Submit(%s): %v", path, err)
	}
	var done *aggregate.Load
	waitFor(t, func() bool {
		if done, err = a.Aggregate.Get(ctx, l.ID); err != nil {
			t.Fatalf("Get(%s): %v", l.ID, err)
		}
		return done.State == aggregate.Succeeded || done.State == aggregate.Failed
	})
	if done.State != aggregate.Succeeded {
		t.Fatalf("load of %s = %s: %+v", path, done.State, done.Error)
	}
	return done
}

// waitFor polls cond for up to two minutes.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}

// hasItem wants an array holding an object whose field is value ({var}s
// filled).
func hasItem(field, value string) check {
	return func(got any, fill func(string) string) error {
		arr, _ := got.([]any)
		var seen []any
		for _, e := range arr {
			v, _ := lookup(e, field)
			if v == fill(value) {
				return nil
			}
			seen = append(seen, v)
		}
		return fmt.Errorf("has %s %v, want %q among them", field, seen, fill(value))
	}
}

// hasEdgeWith wants a graph's edges to hold from -> to of kind whose
// field has value want.
func hasEdgeWith(from, to, kind, field string, want any) check {
	return func(got any, fill func(string) string) error {
		arr, _ := got.([]any)
		for _, e := range arr {
			m, _ := e.(map[string]any)
			if m["from"] == fill(from) && m["to"] == fill(to) && m["kind"] == kind {
				if m[field] != want {
					return fmt.Errorf("edge %s -> %s (%s) has %s %v, want %v", fill(from), fill(to), kind, field, m[field], want)
				}
				return nil
			}
		}
		return fmt.Errorf("has no edge %s -> %s (%s): %v", fill(from), fill(to), kind, got)
	}
}

// hasEdge wants a graph's edges to hold from -> to of kind.
func hasEdge(from, to, kind string) check {
	return func(got any, fill func(string) string) error {
		arr, _ := got.([]any)
		for _, e := range arr {
			m, _ := e.(map[string]any)
			if m["from"] == fill(from) && m["to"] == fill(to) && m["kind"] == kind {
				return nil
			}
		}
		return fmt.Errorf("has no edge %s -> %s (%s): %v", fill(from), fill(to), kind, got)
	}
}

func verificationScenarios(truth int) []scenario {
	run := map[string]any{"a": map[string]string{"resource": "{resA}"}, "b": map[string]string{"resource": "{resB}"},
		"key": "DE00001", "attributes": []string{"姓名", "CSRQ", "DE00006"}, "open_tickets": true}
	with := func(kv ...any) map[string]any {
		out := map[string]any{}
		for key, val := range run {
			out[key] = val
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	return []scenario{
		{name: "org A declares itself the source of 公民身份号码", method: "POST", path: "/api/v1/sources", user: "a.editor",
			body: map[string]string{"resource_id": "{resA}", "item_code": "GMSFHM"}, want: 201,
			wantJSON: map[string]check{"element": is("DE00001"), "org_id": is("{orgA}")}},
		{name: "only the platform runs verifications", method: "POST", path: "/api/v1/verifications", user: "a.admin",
			body: run, want: 403, wantJSON: refusedAtRoute()},
		{name: "an item neither side has", method: "POST", path: "/api/v1/verifications", user: "admin",
			body: with("attributes", []string{"姓名", "血型"}), want: 400, wantJSON: invalidField("attributes[1]")},
		{name: "an unknown resource", method: "POST", path: "/api/v1/verifications", user: "admin",
			body: with("a", map[string]string{"resource": "nope"}), want: 400, wantJSON: invalidField("a.resource")},
		{name: "no attributes", method: "POST", path: "/api/v1/verifications", user: "admin",
			body: with("attributes", []string{}), want: 400, wantJSON: invalidField("attributes")},
		{name: "run, with tickets", method: "POST", path: "/api/v1/verifications", user: "admin", body: run, want: 201,
			wantJSON: map[string]check{"authoritative": is("a"), "org_a": is("{orgA}"), "org_b": is("{orgB}"),
				"conflicting_keys": is(truth), "report.conflicting_keys": is(truth), "report.matched_keys": is(2000),
				"report.attributes.1.name": is("出生日期"), "report.attributes.2.name": is("户籍地址"),
				"report.attributes.1.conflicts": is(0), "report.sample": atLeast(1),
				"tickets":               all(atLeast(1), every("org_id", is("{orgB}")), every("source", is("verification"))),
				"tickets.0.resource_id": is("{resB}"), "tickets.0.affected": is(truth)},
			save: map[string]string{"run": "id", "vt": "tickets.0.id"}},
		{name: "the run by code, without tickets", method: "POST", path: "/api/v1/verifications", user: "admin",
			body: with("a", map[string]string{"resource": "{codeA}"}, "open_tickets", false), want: 201,
			wantJSON: map[string]check{"resource_a": is("{resA}"), "conflicting_keys": is(truth)}},
		{name: "the platform sees the sample", method: "GET", path: "/api/v1/verifications/{run}", user: "admin", want: 200,
			wantJSON: map[string]check{"report.sample": atLeast(1), "report.sample.0.key": nonEmpty}},
		{name: "a provider sees the counts, not the personal data", method: "GET", path: "/api/v1/verifications/{run}", user: "b.editor",
			want: 200, wantJSON: map[string]check{"sample_withheld": is(true), "report.sample": is([]any{}),
				"report.conflicting_keys": is(truth), "report.attributes.0.conflicts": atLeast(1)}},
		{name: "so does the other provider's security officer", method: "GET", path: "/api/v1/verifications/{run}", user: "a.security",
			want: 200, wantJSON: map[string]check{"sample_withheld": is(true), "report.sample": is([]any{})}},
		{name: "a consumer reads no runs", method: "GET", path: "/api/v1/verifications/{run}", user: "b.consumer",
			want: 403, wantJSON: refusedAtRoute()},
		{name: "runs about org B", method: "GET", path: "/api/v1/verifications?resource={resB}", user: "b.reviewer", want: 200,
			wantJSON: map[string]check{"items": all(atLeast(2), hasItem("id", "{run}"))}},
		{name: "no such run", method: "GET", path: "/api/v1/verifications/nope", user: "admin", want: 404, wantJSON: notFound()},
	}
}

func verificationTicketScenarios() []scenario {
	path := "/api/v1/tickets/{vt}/transitions"
	act := func(a, note string) map[string]string { return map[string]string{"action": a, "note": note} }
	return []scenario{
		{name: "org B's tickets", method: "GET", path: "/api/v1/tickets?org={orgB}&source=verification", user: "b.editor", want: 200,
			wantJSON: map[string]check{"items": all(atLeast(1), hasItem("id", "{vt}"), every("status", is("open")))}},
		{name: "the provider sees the sample it must fix", method: "GET", path: "/api/v1/tickets/{vt}", user: "b.editor", want: 200,
			wantJSON: map[string]check{"detail.sample": atLeast(1), "allowed_actions": all(hasItem("action", "acknowledge"), hasItem("action", "reject")),
				"history.0.action": is("raise"), "raised_by_name": is("admin")}},
		{name: "its consumer sees the ticket without it", method: "GET", path: "/api/v1/tickets/{vt}", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"sample_withheld": is(true), "detail.sample": is([]any{}), "allowed_actions": is([]any{})}},
		{name: "a reviewer may not acknowledge", method: "POST", path: path, user: "b.reviewer", body: act("acknowledge", ""),
			want: 403, wantJSON: forbidden()},
		{name: "another organisation does not see it", method: "POST", path: path, user: "a.editor", body: act("acknowledge", ""),
			want: 404, wantJSON: notFound()},
		{name: "an unknown action", method: "POST", path: path, user: "b.editor", body: act("approve", ""),
			want: 400, wantJSON: invalidField("action")},
		{name: "acknowledge", method: "POST", path: path, user: "b.editor", body: act("acknowledge", "已签收"), want: 200,
			wantJSON: map[string]check{"status": is("acknowledged")}},
		{name: "fixed too early: the re-check sends it back", method: "POST", path: path, user: "b.editor", body: act("fix", ""), want: 200,
			wantJSON: map[string]check{"status": is("acknowledged"), "history.3.action": is("reopen"),
				"history.3.actor_name": is("system"), "history.3.note": contains("still disagree")}},
	}
}

func verificationTicketFixedScenarios() []scenario {
	path := "/api/v1/tickets/{vt}/transitions"
	act := func(a, note string) map[string]string { return map[string]string{"action": a, "note": note} }
	return []scenario{
		{name: "fixed after reloading: verified by the re-check", method: "POST", path: path, user: "b.editor",
			body: act("fix", "已按公安数据更正"), want: 200,
			wantJSON: map[string]check{"status": is("verified"), "history.5.action": is("verify"), "history.5.actor_name": is("system")}},
		{name: "the provider may not close it", method: "POST", path: path, user: "b.editor", body: act("close", ""),
			want: 403, wantJSON: forbidden()},
		{name: "the raiser closes it", method: "POST", path: path, user: "admin", body: act("close", ""), want: 200,
			wantJSON: map[string]check{"status": is("closed"), "closed_at": nonEmpty}},
		{name: "closed is final", method: "POST", path: path, user: "admin", body: act("close", ""), want: 409, wantJSON: conflict()},
	}
}

func consumerTicketScenarios() []scenario {
	path := "/api/v1/tickets/{ct}/transitions"
	act := func(a string) map[string]string { return map[string]string{"action": a} }
	issue := map[string]any{"resource_id": "{codeA}", "record_key": "350102199001011234", "item": "姓名",
		"title": "姓名与户籍登记不一致", "description": "证照上的姓名为旧名"}
	return []scenario{
		{name: "the auditor raises nothing", method: "POST", path: "/api/v1/tickets", user: "auditor", body: issue,
			want: 403, wantJSON: refusedAtRoute()},
		{name: "a ticket needs a title", method: "POST", path: "/api/v1/tickets", user: "b.consumer",
			body: map[string]string{"resource_id": "{resA}"}, want: 400, wantJSON: invalidField("title")},
		{name: "an unknown resource", method: "POST", path: "/api/v1/tickets", user: "b.consumer",
			body: map[string]string{"resource_id": "nope", "title": "x"}, want: 400, wantJSON: invalidField("resource_id")},
		{name: "a consumer raises an issue with org A's record", method: "POST", path: "/api/v1/tickets", user: "b.consumer",
			body: issue, want: 201,
			wantJSON: map[string]check{"org_id": is("{orgA}"), "raised_org_id": is("{orgB}"), "resource_id": is("{resA}"),
				"status": is("open"), "source": is("consumer"), "deadline": nonEmpty, "overdue": is(false)},
			save: map[string]string{"ct": "id"}},
		{name: "the raiser may not acknowledge", method: "POST", path: path, user: "b.consumer", body: act("acknowledge"),
			want: 403, wantJSON: forbidden()},
		{name: "acknowledge", method: "POST", path: path, user: "a.editor", body: act("acknowledge"), want: 200,
			wantJSON: map[string]check{"status": is("acknowledged")}},
		{name: "fix", method: "POST", path: path, user: "a.editor", body: act("fix"), want: 200,
			wantJSON: map[string]check{"status": is("fixed")}},
		{name: "the provider may not verify its own fix", method: "POST", path: path, user: "a.editor", body: act("verify"),
			want: 403, wantJSON: forbidden()},
		{name: "the raiser verifies", method: "POST", path: path, user: "b.consumer", body: act("verify"), want: 200,
			wantJSON: map[string]check{"status": is("verified"), "allowed_actions": hasItem("action", "close")}},
		{name: "and closes", method: "POST", path: path, user: "b.consumer", body: act("close"), want: 200,
			wantJSON: map[string]check{"status": is("closed"), "history.4.actor_name": is("b.consumer")}},
		{name: "bad filters", method: "GET", path: "/api/v1/tickets?status=done", user: "a.editor", want: 400, wantJSON: invalidField("status")},
		{name: "bad overdue", method: "GET", path: "/api/v1/tickets?overdue=maybe", user: "a.editor", want: 400, wantJSON: invalidField("overdue")},
		{name: "nothing overdue", method: "GET", path: "/api/v1/tickets?overdue=true", user: "admin", want: 200,
			wantJSON: map[string]check{"items": is([]any{})}},
		{name: "closed tickets", method: "GET", path: "/api/v1/tickets?status=closed,rejected", user: "auditor", want: 200,
			wantJSON: map[string]check{"items": all(atLeast(2), every("status", is("closed")))}},
		{name: "the rectification report", method: "GET", path: "/api/v1/reports/rectification", user: "auditor", want: 200,
			wantJSON: map[string]check{"items": all(hasItem("org_id", "{orgA}"), hasItem("org_id", "{orgB}")),
				"totals.closed": atLeast(2), "totals.overdue": is(0)}},
		{name: "an organisation's own report", method: "GET", path: "/api/v1/reports/rectification", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"items": all(atLeast(1), every("org_id", is("{orgB}")))}},
	}
}

func lineageScenarios() []scenario {
	return []scenario{
		{name: "the two resources linked by 公民身份号码", method: "GET", path: "/api/v1/lineage/graph?resource={resA}&depth=1",
			user: "b.consumer", want: 200,
			wantJSON: map[string]check{
				"nodes": all(hasItem("id", "resource:{resA}"), hasItem("id", "resource:{resB}"), hasItem("id", "element:DE00001")),
				"edges": all(hasEdge("resource:{resA}", "element:DE00001", "shares_key"), hasEdge("resource:{resB}", "element:DE00001", "shares_key"))}},
		{name: "where the data came from", method: "GET", path: "/api/v1/lineage/graph?resource={codeA}&depth=2", user: "a.editor", want: 200,
			wantJSON: map[string]check{
				"nodes": all(hasItem("id", "dataset:{resA}"), hasItem("id", "source:upload:{resA}")),
				"edges": all(hasEdge("resource:{resA}", "dataset:{resA}", "load"), hasEdge("source:upload:{resA}", "dataset:{resA}", "load"))}},
		{name: "lineage only", method: "GET", path: "/api/v1/lineage/graph?no_links=true", user: "auditor", want: 200,
			wantJSON: map[string]check{"edges": all(atLeast(4), every("kind", is("load")))}},
		{name: "too deep", method: "GET", path: "/api/v1/lineage/graph?depth=9", user: "a.editor", want: 400, wantJSON: invalidField("depth")},
		{name: "an unknown centre", method: "GET", path: "/api/v1/lineage/graph?resource=nope", user: "a.editor", want: 404, wantJSON: notFound()},
		{name: "links", method: "GET", path: "/api/v1/resources/{resA}/links", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"items.0.resource_id": is("{resB}"), "items.0.element": is("DE00001"), "items.0.org_id": is("{orgB}")}},
	}
}

// manualLineageScenarios: org A declares where its resource's data comes
// from; the graph marks the edge manual; only manual edges are deleted,
// by their organisation; both are in the action log.
func manualLineageScenarios() []scenario {
	declare := func(source string) string {
		return `{"from":{"kind":"source","ref":"` + source + `","label":"户籍管理系统"},"to":{"kind":"resource","ref":"{codeA}"},` +
			`"kind":"pull_source","note":"依据《数据共享协议》第3条"}`
	}
	return []scenario{
		{name: "org A declares a source of A", method: "POST", path: "/api/v1/lineage/edges", user: "a.editor", body: declare("hj-sys"),
			want: 201, save: map[string]string{"manualEdge": "id"},
			wantJSON: map[string]check{"manual": is(true), "to.ref": is("{resA}"), "org_id": is("{orgA}"), "note": is("依据《数据共享协议》第3条"),
				"created_by": is("a.editor")}},
		{name: "org B may not", method: "POST", path: "/api/v1/lineage/edges", user: "b.editor", body: declare("other"),
			want: 403, wantJSON: forbidden()},
		{name: "a reviewer is refused at the route", method: "POST", path: "/api/v1/lineage/edges", user: "a.reviewer", body: declare("other"),
			want: 403, wantJSON: refusedAtRoute()},
		{name: "declared twice", method: "POST", path: "/api/v1/lineage/edges", user: "admin", body: declare("hj-sys"),
			want: 409, wantJSON: conflict()},
		{name: "over an edge a load recorded", method: "POST", path: "/api/v1/lineage/edges", user: "a.editor",
			body: `{"from":{"kind":"resource","ref":"{resA}"},"to":{"kind":"dataset","ref":"{resA}"},"kind":"load"}`,
			want: 409, wantJSON: map[string]check{"error.code": is("conflict"), "error.message_zh": contains("自动记录")}},
		{name: "every field checked", method: "POST", path: "/api/v1/lineage/edges", user: "a.editor",
			body: `{"from":{"kind":"table","ref":""},"to":{"kind":"resource","ref":"{resA}"},"kind":"copies"}`,
			want: 400, wantJSON: map[string]check{"error.code": is("invalid"),
				"error.fields": all(hasField("kind"), hasField("from.kind"), hasField("from.ref"))}},
		{name: "an unknown member", method: "POST", path: "/api/v1/lineage/edges", user: "a.editor",
			body: `{"from":{"kind":"source","ref":"x"},"to":{"kind":"resource","ref":"{resA}"},"kind":"load","reason":"x"}`,
			want: 400, wantJSON: invalidField("reason")},
		{name: "the graph marks it manual", method: "GET", path: "/api/v1/lineage/graph?resource={resA}&depth=1&no_links=true",
			user: "b.consumer", want: 200, wantJSON: map[string]check{"edges": all(
				hasEdgeWith("source:hj-sys", "resource:{resA}", "pull_source", "manual", true),
				hasEdgeWith("source:hj-sys", "resource:{resA}", "pull_source", "note", "依据《数据共享协议》第3条"),
				hasEdgeWith("resource:{resA}", "dataset:{resA}", "load", "manual", nil))}},
		{name: "an edge a load recorded is not deleted", method: "DELETE", path: "/api/v1/lineage/edges/{autoEdge}", user: "a.editor",
			want: 409, wantJSON: map[string]check{"error.code": is("conflict"), "error.message_zh": contains("不能删除")}},
		{name: "org B may not delete", method: "DELETE", path: "/api/v1/lineage/edges/{manualEdge}", user: "b.editor",
			want: 403, wantJSON: forbidden()},
		{name: "org A deletes its declaration", method: "DELETE", path: "/api/v1/lineage/edges/{manualEdge}", user: "a.admin", want: 204},
		{name: "deleted", method: "DELETE", path: "/api/v1/lineage/edges/{manualEdge}", user: "a.editor", want: 404, wantJSON: notFound()},
		{name: "not an edge id", method: "DELETE", path: "/api/v1/lineage/edges/abc", user: "admin", want: 404, wantJSON: notFound()},
		{name: "both in the action log", method: "GET", path: "/api/v1/actions?entity_type=lineage_edge&entity_id={manualEdge}", user: "admin",
			want: 200, wantJSON: map[string]check{"items.0.action": is("lineage.delete"), "items.0.actor_name": is("a.admin"),
				"items.1.action": is("lineage.declare"), "items.1.actor_name": is("a.editor")}},
	}
}

func ruleTicketScenarios(rejected int64) []scenario {
	return []scenario{
		{name: "a load's rejected rows raise a rule ticket", method: "GET", path: "/api/v1/tickets?source=rule&org={orgA}", user: "a.editor",
			want: 200, wantJSON: map[string]check{"items.0.affected": is(rejected), "items.0.load_id": is("{ruleLoad}"),
				"items.0.resource_id": is("{resA}"), "items.0.raised_by_name": is("system"), "items.0.status": is("open"),
				"items.0.detail.rows_rejected": is(rejected), "items.0.allowed_actions": hasItem("action", "acknowledge")}},
		{name: "the report counts it", method: "GET", path: "/api/v1/reports/rectification?org={orgA}", user: "a.admin", want: 200,
			wantJSON: map[string]check{"items.0.org_id": is("{orgA}"), "items.0.active": is(1), "totals.active": is(1)}},
	}
}

// oddGovernanceBodies: wrong shapes are refused naming the problem, never
// a server error.
func oddGovernanceBodies() []scenario {
	var out []scenario
	for _, tt := range []struct {
		path, body, field string
	}{
		{"/api/v1/verifications", `{}`, "a.resource"},
		{"/api/v1/verifications", `[]`, "body"},
		{"/api/v1/verifications", `{"a":{"resource":"{resA}"},"b":{"resource":"{resB}"},"key":5,"attributes":["姓名"]}`, "key"},
		{"/api/v1/verifications", `{"a":{"resource":"{resA}"},"b":{"resource":"{resB}"},"key":{"nmae":"x"},"attributes":["姓名"]}`, "nmae"},
		{"/api/v1/verifications", `{"a":{"resource":"{resA}"},"b":{"resource":"{resB}"},"key":null,"attributes":[null]}`, "key"},
		{"/api/v1/verifications", `{"a":{"resource":"{resA}","version":99},"b":{"resource":"{resB}"},"key":"DE00001","attributes":["姓名"],"method":"fast"}`, "method"},
		{"/api/v1/tickets", `{"title":5}`, "title"},
		{"/api/v1/tickets", `{"title":"x","deadline_days":100,"org_id":"{orgA}"}`, "deadline_days"},
		{"/api/v1/tickets/{vt}/transitions", `{"action":"fix","note":5}`, "note"},
		{"/api/v1/tickets/{vt}/transitions", `{}`, "action"},
	} {
		out = append(out, scenario{name: tt.path + " " + tt.body, method: "POST", path: tt.path, user: "admin", body: tt.body,
			want: 400, wantJSON: invalidField(tt.field)})
	}
	return out
}

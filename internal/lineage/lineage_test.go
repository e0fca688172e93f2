package lineage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/lineage"
)

// world: org A (公安) publishes 人口 (R1, 公民身份号码) and 企业登记 (R4,
// 统一社会信用代码); org B (人社) publishes 社保卡 (R2, 公民身份号码) and keeps
// 法人 (R3, 统一社会信用代码) as a draft. Lineage: 公安人口库 -> R1 ->
// dataset pop_a -> dataset pop_stats.
type world struct {
	a              *app.App
	svc            *lineage.Service
	r1, r2, r3, r4 *catalog.Resource
}

func legalPerson(name string) catalog.Resource {
	r := apptest.Resource()
	r.Name = name
	r.Items = []catalog.DataItem{
		{Name: "统一社会信用代码", Code: "TYSHXYDM", DataType: "C", Length: 18, Required: true, PrimaryKey: true, Element: "DE00008", Category: "general", Sensitivity: "L1"},
		{Name: "单位名称", Code: "DWMC", DataType: "C", Length: 200, Required: true, Element: "DE00009", Category: "general", Sensitivity: "L1"},
	}
	return r
}

func build(t *testing.T, a *app.App) *world {
	t.Helper()
	apptest.Seed(t, a)
	w := &world{a: a, svc: lineage.New(a.DB, func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) })}
	create := func(user string, r catalog.Resource, publish bool, org string) *catalog.Resource {
		t.Helper()
		out, err := a.Catalog.Create(apptest.As(t, a, user), r)
		if err != nil {
			t.Fatalf("Create(%s): %v", r.Name, err)
		}
		if !publish {
			return out
		}
		for _, s := range []struct{ who, action string }{{org + ".editor", catalog.ActSubmit}, {org + ".reviewer", catalog.ActOrgApprove},
			{"admin", catalog.ActApprove}, {"admin", catalog.ActPublish}} {
			if out, err = a.Catalog.Transition(apptest.As(t, a, s.who), out.ID, s.action, ""); err != nil {
				t.Fatalf("%s %s: %v", s.who, s.action, err)
			}
		}
		return out
	}
	r2 := apptest.Resource()
	r2.Name = "社会保障卡持卡人信息"
	w.r1 = create("a.editor", apptest.Resource(), true, "a")
	w.r2 = create("b.editor", r2, true, "b")
	w.r3 = create("b.editor", legalPerson("法人基本信息"), false, "b")
	w.r4 = create("a.editor", legalPerson("企业登记信息"), true, "a")
	editor := apptest.As(t, a, "a.editor")
	for _, e := range []lineage.Edge{
		{From: lineage.Ref{Kind: lineage.KindSource, Ref: "gat-rk", Label: "公安人口库"}, To: lineage.Ref{Kind: lineage.KindResource, Ref: w.r1.ID}, Kind: lineage.EdgePullSource},
		{From: lineage.Ref{Kind: lineage.KindResource, Ref: w.r1.ID}, To: lineage.Ref{Kind: lineage.KindDataset, Ref: "pop_a"}, Kind: lineage.EdgeLoad, Label: "每日全量"},
		{From: lineage.Ref{Kind: lineage.KindDataset, Ref: "pop_a"}, To: lineage.Ref{Kind: lineage.KindDataset, Ref: "pop_stats", Label: "人口统计"}, Kind: lineage.EdgeDerivedFrom},
	} {
		if _, err := w.svc.Record(editor, e); err != nil {
			t.Fatalf("Record(%v): %v", e, err)
		}
	}
	return w
}

func ids(g *lineage.Graph) (nodes, edges []string) {
	for _, n := range g.Nodes {
		nodes = append(nodes, n.ID)
	}
	for _, e := range g.Edges {
		edges = append(edges, e.From+">"+e.To+":"+e.Kind)
	}
	slices.Sort(nodes)
	slices.Sort(edges)
	return nodes, edges
}

func TestGraph(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		w := build(t, a)
		r := func(x *catalog.Resource) string { return "resource:" + x.ID }
		src, popA, stats, id, uscc := "source:gat-rk", "dataset:pop_a", "dataset:pop_stats", "element:DE00001", "element:DE00008"
		lineageEdges := []string{src + ">" + r(w.r1) + ":pull_source", r(w.r1) + ">" + popA + ":load", popA + ">" + stats + ":derived_from"}
		idLinks := []string{r(w.r1) + ">" + id + ":shares_key", r(w.r2) + ">" + id + ":shares_key"}
		usccLinks := []string{r(w.r3) + ">" + uscc + ":shares_key", r(w.r4) + ">" + uscc + ":shares_key"}
		tests := []struct {
			name          string
			user          string
			give          lineage.Filter
			wantNodes     []string
			wantEdges     [][]string
			wantTruncated bool
		}{
			{"whole graph", "admin", lineage.Filter{},
				[]string{r(w.r1), r(w.r2), r(w.r3), r(w.r4), id, uscc, popA, stats, src}, [][]string{lineageEdges, idLinks, usccLinks}, false},
			{"drafts of others unseen", "a.editor", lineage.Filter{},
				[]string{r(w.r1), r(w.r2), id, popA, stats, src}, [][]string{lineageEdges, idLinks}, false},
			{"lineage only", "admin", lineage.Filter{NoLinks: true},
				[]string{r(w.r1), popA, stats, src}, [][]string{lineageEdges}, false},
			{"one hop from 社保卡", "admin", lineage.Filter{Center: w.r2.ID, Depth: 1},
				[]string{r(w.r1), r(w.r2), id}, [][]string{idLinks}, false},
			{"two hops from 社保卡", "admin", lineage.Filter{Center: w.r2.ID, Depth: 2},
				[]string{r(w.r1), r(w.r2), id, popA, src}, [][]string{idLinks, lineageEdges[:2]}, false},
			{"from a dataset", "b.consumer", lineage.Filter{Center: stats, Depth: 1},
				[]string{popA, stats}, [][]string{lineageEdges[2:]}, false},
			{"an organisation's resources", "admin", lineage.Filter{OrgID: w.r3.OrgID, Depth: 1},
				[]string{r(w.r1), r(w.r2), r(w.r3), r(w.r4), id, uscc}, [][]string{idLinks, usccLinks}, false},
			{"capped", "admin", lineage.Filter{Center: w.r2.ID, Depth: 3, MaxNodes: 3},
				[]string{r(w.r1), r(w.r2), id}, [][]string{idLinks}, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				g, err := w.svc.Graph(apptest.As(t, a, tt.user), tt.give)
				if err != nil {
					t.Fatalf("Graph: %v", err)
				}
				var wantEdges []string
				for _, es := range tt.wantEdges {
					wantEdges = append(wantEdges, es...)
				}
				slices.Sort(wantEdges)
				wantNodes := slices.Clone(tt.wantNodes)
				slices.Sort(wantNodes)
				nodes, edges := ids(g)
				if diff := cmp.Diff(wantNodes, nodes); diff != "" {
					t.Errorf("nodes (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(wantEdges, edges); diff != "" {
					t.Errorf("edges (-want +got):\n%s", diff)
				}
				if g.Truncated != tt.wantTruncated {
					t.Errorf("truncated = %v, want %v", g.Truncated, tt.wantTruncated)
				}
			})
		}
		g, err := w.svc.Graph(apptest.As(t, a, "admin"), lineage.Filter{Center: w.r2.ID, Depth: 3})
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]lineage.Node{}
		for _, n := range g.Nodes {
			byID[n.ID] = n
		}
		if n := byID[r(w.r1)]; n.Label != "居民身份证电子证照信息" || n.OrgName != "福建省公安厅" || n.Depth != 1 {
			t.Errorf("node R1 = %+v, want its name, organisation and depth 1", n)
		}
		if n := byID[src]; n.Label != "公安人口库" || n.Depth != 2 || n.Org != w.r1.OrgID {
			t.Errorf("source node = %+v", n)
		}
		if n := byID[id]; n.Label != "公民身份号码" || n.Depth != 0 {
			t.Errorf("element node = %+v", n)
		}
		for _, c := range []struct{ user, center string }{{"admin", "nope"}, {"a.editor", w.r3.ID}, {"admin", "dataset:nope"}} {
			if _, err := w.svc.Graph(apptest.As(t, a, c.user), lineage.Filter{Center: c.center}); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("Graph(%s centred on %s) = %v, want not_found", c.user, c.center, err)
			}
		}
		if _, err := w.svc.Graph(apptest.As(t, a, "admin"), lineage.Filter{Depth: 9}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("Graph(depth 9) = %v, want invalid", err)
		}
		if _, err := w.svc.Graph(context.Background(), lineage.Filter{}); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("anonymous Graph = %v, want unauthenticated", err)
		}
	})
}

func TestLinks(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		w := build(t, a)
		tests := []struct {
			user, resource string
			want           []string
			wantErr        apperr.Kind
		}{
			{"admin", w.r1.ID, []string{w.r2.ID}, ""},
			{"b.consumer", w.r2.ID, []string{w.r1.ID}, ""},
			{"admin", w.r4.ID, []string{w.r3.ID}, ""},
			{"a.editor", w.r4.ID, []string{}, ""},
			{"a.editor", w.r3.ID, nil, apperr.NotFound},
		}
		for _, tt := range tests {
			links, err := w.svc.Links(apptest.As(t, a, tt.user), tt.resource)
			if tt.wantErr != "" {
				if !apperr.Is(err, tt.wantErr) {
					t.Errorf("Links(%s) as %s = %v, want %s", tt.resource, tt.user, err, tt.wantErr)
				}
				continue
			}
			got := []string{}
			for _, l := range links {
				got = append(got, l.ResourceID)
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Links(%s) as %s = %v, %v; want %v", tt.resource, tt.user, got, err, tt.want)
			}
		}
	})
}

func TestRecordEdges(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		w := build(t, a)
		editor, other := apptest.As(t, a, "a.editor"), apptest.As(t, a, "b.editor")
		toR1 := lineage.Edge{From: lineage.Ref{Kind: lineage.KindSource, Ref: "gat-rk", Label: "公安人口库(新)"},
			To: lineage.Ref{Kind: lineage.KindResource, Ref: w.r1.ID}, Kind: lineage.EdgePullSource, Label: "前置机"}
		if _, err := w.svc.Record(other, toR1); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("other org's editor Record = %v, want forbidden", err)
		}
		first, err := w.svc.Edges(editor, lineage.EdgeFilter{Node: "resource:" + w.r1.ID, Kind: lineage.EdgePullSource})
		if err != nil || len(first) != 1 {
			t.Fatalf("Edges = %+v, %v", first, err)
		}
		again, err := w.svc.Record(editor, toR1)
		if err != nil || again.ID != first[0].ID || again.From.Label != "公安人口库(新)" || again.Label != "前置机" || again.OrgID != w.r1.OrgID {
			t.Errorf("Record(same edge) = %+v, %v; want edge %d relabelled", again, err, first[0].ID)
		}
		// Org B's editor may draw lineage into org B's draft.
		if _, err := w.svc.Record(other, lineage.Edge{From: lineage.Ref{Kind: lineage.KindResource, Ref: w.r4.ID},
			To: lineage.Ref{Kind: lineage.KindResource, Ref: w.r3.ID}, Kind: lineage.EdgeDerivedFrom}); err != nil {
			t.Errorf("Record into own draft: %v", err)
		}
		bad := []struct {
			name      string
			give      lineage.Edge
			wantField string
		}{
			{"unknown kind", lineage.Edge{From: toR1.From, To: toR1.To, Kind: "copies"}, "kind"},
			{"same ends", lineage.Edge{From: toR1.To, To: toR1.To, Kind: lineage.EdgeLoad}, "to"},
			{"bad end kind", lineage.Edge{From: lineage.Ref{Kind: "table", Ref: "x"}, To: toR1.To, Kind: lineage.EdgeLoad}, "from.kind"},
			{"no ref", lineage.Edge{From: lineage.Ref{Kind: lineage.KindSource}, To: toR1.To, Kind: lineage.EdgeLoad}, "from.ref"},
			{"unseen resource", lineage.Edge{From: toR1.From, To: lineage.Ref{Kind: lineage.KindResource, Ref: w.r3.ID}, Kind: lineage.EdgeLoad}, "to.ref"},
		}
		for _, tt := range bad {
			_, err := w.svc.Record(editor, tt.give)
			ae := apperr.As(err)
			if ae.Kind != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].Field != tt.wantField {
				t.Errorf("Record(%s) = %v, want invalid %s", tt.name, err, tt.wantField)
			}
		}
		if err := w.svc.Delete(other, again.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("other org's Delete = %v, want forbidden", err)
		}
		// Edges recorded as data moved are not deleted by hand (see
		// TestDeclare for those that are).
		if err := w.svc.Delete(editor, again.ID); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("Delete(an edge recorded as data moved) = %v, want conflict", err)
		}
		if err := w.svc.Delete(editor, 9999); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Delete(no such edge) = %v, want not_found", err)
		}
		log, err := actionlog.List(context.Background(), a.DB, actionlog.Filter{EntityType: "lineage_edge"})
		if err != nil || len(log) != 5 {
			t.Errorf("action log has %d lineage entries (%v), want 5 (4 records, 1 relabel)", len(log), err)
		}
	})
}

package lineage_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/lineage"
)

// source names an outside system as the upstream end of an edge.
func source(ref, label string) lineage.Ref {
	return lineage.Ref{Kind: lineage.KindSource, Ref: ref, Label: label}
}

// graphEdge finds the edge from -> to of kind in the whole graph as admin.
func graphEdge(t *testing.T, w *world, from, to, kind string) (lineage.GraphEdge, bool) {
	t.Helper()
	g, err := w.svc.Graph(apptest.As(t, w.a, "admin"), lineage.Filter{NoLinks: true})
	if err != nil {
		t.Fatalf("Graph: %v", err)
	}
	i := slices.IndexFunc(g.Edges, func(e lineage.GraphEdge) bool { return e.From == from && e.To == to && e.Kind == kind })
	if i < 0 {
		return lineage.GraphEdge{}, false
	}
	return g.Edges[i], true
}

// TestDeclareWho: the staff of the organisation owning the downstream
// resource (or dataset) and platform administrators declare lineage by
// hand; others are refused.
func TestDeclareWho(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		w := build(t, a)
		r1 := lineage.Ref{Kind: lineage.KindResource, Ref: w.r1.ID}
		r2 := lineage.Ref{Kind: lineage.KindResource, Ref: w.r2.ID}
		tests := []struct {
			user    string
			give    lineage.Edge
			wantErr apperr.Kind
		}{
			{"a.editor", lineage.Edge{From: source("hj", "户籍管理系统"), To: r1, Kind: lineage.EdgePullSource}, ""},
			{"a.admin", lineage.Edge{From: source("crj", "出入境系统"), To: r1, Kind: lineage.EdgePullSource}, ""},
			{"admin", lineage.Edge{From: source("mz", "民政系统"), To: r1, Kind: lineage.EdgePullSource}, ""},
			{"b.editor", lineage.Edge{From: r1, To: r2, Kind: lineage.EdgeDerivedFrom}, ""},
			{"b.editor", lineage.Edge{From: source("x", "X"), To: r1, Kind: lineage.EdgePullSource}, apperr.Forbidden},
			{"a.editor", lineage.Edge{From: r1, To: lineage.Ref{Kind: lineage.KindDataset, Ref: w.r2.ID}, Kind: lineage.EdgeDerivedFrom}, apperr.Forbidden},
			{"a.reviewer", lineage.Edge{From: source("y", "Y"), To: r1, Kind: lineage.EdgePullSource}, apperr.Forbidden},
			{"b.consumer", lineage.Edge{From: source("z", "Z"), To: r2, Kind: lineage.EdgePullSource}, apperr.Forbidden},
			{"auditor", lineage.Edge{From: source("z", "Z"), To: r2, Kind: lineage.EdgePullSource}, apperr.Forbidden},
		}
		for _, tt := range tests {
			got, err := w.svc.Declare(apptest.As(t, a, tt.user), tt.give)
			if tt.wantErr != "" {
				if !apperr.Is(err, tt.wantErr) {
					t.Errorf("Declare(%s -> %s) as %s = %v, want %s", tt.give.From.ID(), tt.give.To.ID(), tt.user, err, tt.wantErr)
				}
				continue
			}
			if err != nil || !got.Manual || got.ID == 0 || got.CreatedBy != tt.user {
				t.Errorf("Declare(%s -> %s) as %s = %+v, %v; want a manual edge by %s", tt.give.From.ID(), tt.give.To.ID(), tt.user, got, err, tt.user)
			}
		}
	})
}

// TestDeclareInvalid: every input is checked, naming its field.
func TestDeclareInvalid(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		w := build(t, a)
		r1 := lineage.Ref{Kind: lineage.KindResource, Ref: w.r1.ID}
		tests := []struct {
			name      string
			give      lineage.Edge
			wantField string
		}{
			{"unknown kind", lineage.Edge{From: source("hj", ""), To: r1, Kind: "copies"}, "kind"},
			{"no kind", lineage.Edge{From: source("hj", ""), To: r1}, "kind"},
			{"unknown end kind", lineage.Edge{From: lineage.Ref{Kind: "table", Ref: "t"}, To: r1, Kind: lineage.EdgeLoad}, "from.kind"},
			{"no upstream ref", lineage.Edge{From: source(" ", ""), To: r1, Kind: lineage.EdgeLoad}, "from.ref"},
			{"long label", lineage.Edge{From: source("hj", strings.Repeat("名", 201)), To: r1, Kind: lineage.EdgeLoad}, "from.label"},
			{"long note", lineage.Edge{From: source("hj", ""), To: r1, Kind: lineage.EdgeLoad, Note: strings.Repeat("注", 501)}, "note"},
			{"no such resource", lineage.Edge{From: source("hj", ""), To: lineage.Ref{Kind: lineage.KindResource, Ref: "nope"}, Kind: lineage.EdgeLoad}, "to.ref"},
			{"another organisation's draft", lineage.Edge{From: source("hj", ""), To: lineage.Ref{Kind: lineage.KindResource, Ref: w.r3.ID}, Kind: lineage.EdgeLoad}, "to.ref"},
			{"one end twice, by id and code", lineage.Edge{From: r1, To: lineage.Ref{Kind: lineage.KindResource, Ref: w.r1.Code}, Kind: lineage.EdgeDerivedFrom}, "to"},
		}
		for _, tt := range tests {
			_, err := w.svc.Declare(apptest.As(t, a, "a.editor"), tt.give)
			ae := apperr.As(err)
			if ae.Kind != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].Field != tt.wantField || ae.Fields[0].ZH == "" {
				t.Errorf("Declare(%s) = %v, want invalid %s with a Chinese message", tt.name, err, tt.wantField)
			}
		}
	})
}

// TestDeclareAndDelete: a declared edge is marked manual in the graph,
// keeps its note, is not declared twice nor over an edge recorded as data
// moved, is left alone by Record, and is deleted again by its
// organisation; both are in the action log.
func TestDeclareAndDelete(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		w := build(t, a)
		editor := apptest.As(t, a, "a.editor")
		hj := source("hj", "户籍管理系统")
		give := lineage.Edge{From: hj, To: lineage.Ref{Kind: lineage.KindResource, Ref: w.r1.Code}, Kind: lineage.EdgePullSource,
			Label: "前置库", Note: "  依据《数据共享协议》第3条  "}
		e, err := w.svc.Declare(editor, give)
		if err != nil {
			t.Fatalf("Declare: %v", err)
		}
		if !e.Manual || e.To.Ref != w.r1.ID || e.OrgID != w.r1.OrgID || e.Note != "依据《数据共享协议》第3条" || e.Label != "前置库" {
			t.Errorf("Declare = %+v; want manual, to R1 by id, in R1's organisation, the note trimmed", e)
		}
		ge, ok := graphEdge(t, w, "source:hj", "resource:"+w.r1.ID, lineage.EdgePullSource)
		if !ok || !ge.Manual || ge.ID != e.ID || ge.Note != e.Note {
			t.Errorf("graph edge = %+v, %v; want edge %d, manual, with its note", ge, ok, e.ID)
		}
		if ge, _ := graphEdge(t, w, "source:gat-rk", "resource:"+w.r1.ID, lineage.EdgePullSource); ge.Manual {
			t.Errorf("an edge recorded as data moved shows as manual: %+v", ge)
		}

		auto := lineage.Edge{From: source("gat-rk", "公安人口库"), To: lineage.Ref{Kind: lineage.KindResource, Ref: w.r1.ID}, Kind: lineage.EdgePullSource}
		for _, c := range []struct {
			name string
			give lineage.Edge
			want string
		}{
			{"declared twice", give, "已手工登记"},
			{"over an edge recorded as data moved", auto, "自动记录"},
		} {
			_, err := w.svc.Declare(editor, c.give)
			if ae := apperr.As(err); ae.Kind != apperr.Conflict || !strings.Contains(ae.ZH, c.want) {
				t.Errorf("Declare(%s) = %v, want a conflict saying %q", c.name, err, c.want)
			}
		}
		// A load along a declared edge leaves the declaration as it is.
		again, err := w.svc.Record(editor, lineage.Edge{From: source("hj", "户籍系统(新)"), To: give.To, Kind: lineage.EdgePullSource})
		if err != nil || again.ID != e.ID || !again.Manual || again.From.Label != "户籍管理系统" || again.Note != e.Note {
			t.Errorf("Record(a declared edge) = %+v, %v; want the declaration unchanged", again, err)
		}

		if err := w.svc.Delete(apptest.As(t, a, "b.editor"), e.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("Delete by another organisation = %v, want forbidden", err)
		}
		if err := w.svc.Delete(editor, e.ID); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if err := w.svc.Delete(editor, e.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("second Delete = %v, want not_found", err)
		}
		if ge, ok := graphEdge(t, w, "source:hj", "resource:"+w.r1.ID, lineage.EdgePullSource); ok {
			t.Errorf("after Delete the graph still has %+v", ge)
		}
		log, err := actionlog.List(context.Background(), a.DB, actionlog.Filter{EntityType: "lineage_edge", EntityID: strconv.FormatInt(e.ID, 10)})
		var actions []string
		for _, x := range log {
			actions = append(actions, x.Action+" by "+x.ActorName)
		}
		if want := []string{"lineage.delete by a.editor", "lineage.declare by a.editor"}; err != nil || !slices.Equal(actions, want) {
			t.Errorf("action log of edge %d = %v (%v), want %v", e.ID, actions, err, want)
		}
	})
}

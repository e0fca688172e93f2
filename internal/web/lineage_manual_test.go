package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/demo"
	"github.com/pubdata/pubdata/internal/lineage"
)

// TestLineageGraphManualEdge: lineage recorded by hand reaches the chart
// marked manual (drawn dashed by static/lineage.js), with its note and a
// label saying so in the caller's language; lineage recorded as data moved
// is not marked.
func TestLineageGraphManualEdge(t *testing.T) {
	p := newPortal(t)
	resA := p.publishAs("a", demo.PopulationName)
	resB := p.publishAs("b", "社会保险参保人员基本信息")
	editor := apptest.As(t, p.app, "b.editor")
	if _, err := p.app.Lineage.Declare(editor, lineage.Edge{From: lineage.Ref{Kind: lineage.KindResource, Ref: resA.ID},
		To: lineage.Ref{Kind: lineage.KindResource, Ref: resB.ID}, Kind: lineage.EdgeDerivedFrom, Note: "每月比对后生成"}); err != nil {
		t.Fatalf("Declare: %v", err)
	}
	if _, err := p.app.Lineage.Record(editor, lineage.Edge{From: lineage.Ref{Kind: lineage.KindSource, Ref: "sb", Label: "社保系统"},
		To: lineage.Ref{Kind: lineage.KindResource, Ref: resB.ID}, Kind: lineage.EdgePullSource}); err != nil {
		t.Fatalf("Record: %v", err)
	}
	type link struct {
		Source, Target, Kind, Label, Note string
		Manual                            bool
	}
	c := p.login("b.consumer", apptest.UserPassword)
	tests := []struct {
		lang string
		want []link
	}{
		{"zh-CN", []link{
			{Source: "resource:" + resA.ID, Target: "resource:" + resB.ID, Kind: "derived_from", Label: "派生（手工登记）", Note: "每月比对后生成", Manual: true},
			{Source: "source:sb", Target: "resource:" + resB.ID, Kind: "pull_source", Label: "抽取"}}},
		{"en", []link{
			{Source: "resource:" + resA.ID, Target: "resource:" + resB.ID, Kind: "derived_from", Label: "Derived (recorded by hand)", Note: "每月比对后生成", Manual: true},
			{Source: "source:sb", Target: "resource:" + resB.ID, Kind: "pull_source", Label: "Pulled"}}},
	}
	for _, tt := range tests {
		c.get("/lang/" + tt.lang)
		res, body := c.get("/lineage/graph.json?resource=" + resB.ID + "&depth=1")
		var g struct{ Links []link }
		if err := json.Unmarshal([]byte(body), &g); res.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("GET graph.json = %d (%v)", res.StatusCode, err)
		}
		for _, want := range tt.want {
			found := false
			for _, l := range g.Links {
				if l.Source == want.Source && l.Target == want.Target && l.Kind == want.Kind {
					found = true
					if l != want {
						t.Errorf("%s: link = %+v, want %+v", tt.lang, l, want)
					}
				}
			}
			if !found {
				t.Errorf("%s: no link %s -> %s in %+v", tt.lang, want.Source, want.Target, g.Links)
			}
		}
	}
	if _, page := c.get("/lineage"); !strings.Contains(page, "Dashed lines are lineage recorded by hand") {
		t.Errorf("the lineage page does not explain the dashed lines")
	}
}

package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/lineage"
)

// The relationship graph (关系图谱): the page holds a chart container that
// static/lineage.js fills with ECharts' graph series from the same-origin
// JSON route (the content security policy admits no inline script).

// graphKinds are the node kinds, in the legend's order: each is an
// ECharts category, by index.
var graphKinds = []string{lineage.KindSource, lineage.KindResource, lineage.KindDataset, lineage.KindElement}

// maxGraphDepth is the deepest graph the page offers (the service's
// limit).
const maxGraphDepth = 5

type lineageView struct {
	R      *catalog.Resource // the centre, nil for the whole graph
	Depth  int
	Depths []int
	Src    string // the graph's JSON
}

// graphQuery is a graph request as the page and the JSON route read it:
// ?resource=ID-or-code&depth=N.
func (p *portal) graphQuery(ctx context.Context, q url.Values) (lineage.Filter, *catalog.Resource, error) {
	var f lineage.Filter
	if d := q.Get("depth"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > maxGraphDepth {
			return f, nil, appErr(apperr.Invalid, "lineage.baddepth", maxGraphDepth)
		}
		f.Depth = n
	}
	ref := q.Get("resource")
	if ref == "" {
		return f, nil, nil
	}
	get := p.Catalog.Get
	if strings.Contains(ref, "/") {
		get = p.Catalog.GetByCode
	}
	res, err := get(ctx, ref)
	if err != nil {
		return f, nil, err
	}
	f.Center = res.ID
	return f, res, nil
}

// lineagePage is the graph, centred on a resource when one is named.
func (p *portal) lineagePage(w http.ResponseWriter, r *http.Request) error {
	if p.Lineage == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	f, res, err := p.graphQuery(r.Context(), r.URL.Query())
	if err != nil {
		return err
	}
	v := lineageView{R: res, Depth: f.Depth}
	if v.Depth == 0 {
		v.Depth = 2 // the service's default
	}
	for d := 1; d <= maxGraphDepth; d++ {
		v.Depths = append(v.Depths, d)
	}
	q := url.Values{}
	if res != nil {
		q.Set("resource", res.ID)
		q.Set("depth", strconv.Itoa(v.Depth))
	}
	v.Src = "/lineage/graph.json"
	if len(q) > 0 {
		v.Src += "?" + q.Encode()
	}
	return p.render(w, r, http.StatusOK, "lineage", "lineage.title", v)
}

// graphJSON is a graph in the shape ECharts' graph series takes, with
// the names in the caller's language.
type graphJSON struct {
	Center     string          `json:"center,omitempty"` // the centre's node id
	Truncated  bool            `json:"truncated"`
	Categories []graphCategory `json:"categories"`
	Nodes      []graphNode     `json:"nodes"`
	Links      []graphLink     `json:"links"`
}

type graphCategory struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

type graphNode struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Category int    `json:"category"` // index into categories
	Org      string `json:"org,omitempty"`
	Depth    int    `json:"depth"`
	Href     string `json:"href,omitempty"` // a resource's page
}

type graphLink struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	// Manual links (lineage recorded by hand) are drawn dashed, with
	// their note.
	Manual bool   `json:"manual,omitempty"`
	Note   string `json:"note,omitempty"`
}

// lineageGraph returns the graph as JSON, for static/lineage.js.
func (p *portal) lineageGraph(w http.ResponseWriter, r *http.Request) error {
	if p.Lineage == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ctx, lang := r.Context(), state(r).lang
	f, res, err := p.graphQuery(ctx, r.URL.Query())
	if err != nil {
		return err
	}
	g, err := p.Lineage.Graph(ctx, f)
	if err != nil {
		return err
	}
	orgs, err := p.orgNames(ctx, lang)
	if err != nil {
		return err
	}
	out := graphJSON{Truncated: g.Truncated, Nodes: []graphNode{}, Links: []graphLink{}}
	if res != nil {
		out.Center = lineage.KindResource + ":" + res.ID
	}
	index := map[string]int{}
	for i, k := range graphKinds {
		index[k] = i
		out.Categories = append(out.Categories, graphCategory{Kind: k, Name: p.t(r, "lineage.kind."+k)})
	}
	for _, n := range g.Nodes {
		gn := graphNode{ID: n.ID, Name: n.Label, Kind: n.Kind, Category: index[n.Kind], Org: orgs[n.Org], Depth: n.Depth}
		if gn.Org == "" {
			gn.Org = n.OrgName
		}
		if n.Kind == lineage.KindResource {
			gn.Href = "/catalog/" + strings.TrimPrefix(n.ID, lineage.KindResource+":")
		}
		out.Nodes = append(out.Nodes, gn)
	}
	for _, e := range g.Edges {
		l := graphLink{Source: e.From, Target: e.To, Kind: e.Kind, Label: p.t(r, "lineage.edge."+e.Kind)}
		if e.Label != "" {
			l.Label += p.t(r, "common.colon") + e.Label
		}
		if e.Manual {
			l.Manual, l.Note = true, e.Note
			l.Label += p.t(r, "lineage.manualtag")
		}
		out.Links = append(out.Links, l)
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie")
	_, err = w.Write(body)
	return err
}

package lineage

import (
	"context"
	"slices"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
)

// builder assembles the whole graph before it is cut.
type builder struct {
	nodes map[string]*Node
	order []string // node ids in the order added
	edges []GraphEdge
	adj   map[string][]step
}

// step is a way out of a node: to a neighbour, costing 0 or 1 hop.
type step struct {
	to   string
	cost int
}

func (b *builder) node(n Node) {
	if _, ok := b.nodes[n.ID]; ok {
		return
	}
	b.nodes[n.ID] = &n
	b.order = append(b.order, n.ID)
}

func (b *builder) edge(e GraphEdge, costFrom, costTo int) {
	b.edges = append(b.edges, e)
	b.adj[e.From] = append(b.adj[e.From], step{e.To, costFrom})
	b.adj[e.To] = append(b.adj[e.To], step{e.From, costTo})
}

func resourceNode(r *resource) Node {
	return Node{ID: KindResource + ":" + r.id, Kind: KindResource, Label: r.name, Org: r.org, OrgName: r.orgName}
}

// Graph returns the relationship graph: recorded lineage and computed
// entity links, among what the caller may see, shaped by f.
func (s *Service) Graph(ctx context.Context, f Filter) (*Graph, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !canRead(p) {
		return nil, authz.Denied()
	}
	if err := f.normalize(); err != nil {
		return nil, err
	}
	res, err := visibleResources(ctx, s.db, p)
	if err != nil {
		return nil, err
	}
	b := &builder{nodes: map[string]*Node{}, adj: map[string][]step{}}

	edges, err := queryEdges(ctx, s.db, edgeSelect+` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	refNode := func(r Ref) (Node, bool) {
		if r.Kind == KindResource {
			x, ok := res[r.Ref]
			if !ok {
				return Node{}, false
			}
			return resourceNode(x), true
		}
		label := r.Label
		if label == "" {
			label = r.Ref
		}
		return Node{ID: r.ID(), Kind: r.Kind, Label: label}, true
	}
	for _, e := range edges {
		from, ok1 := refNode(e.From)
		to, ok2 := refNode(e.To)
		if !ok1 || !ok2 {
			continue
		}
		if from.Kind != KindResource && from.Org == "" {
			from.Org = e.OrgID
		}
		if to.Kind != KindResource && to.Org == "" {
			to.Org = e.OrgID
		}
		b.node(from)
		b.node(to)
		b.edge(GraphEdge{ID: e.ID, From: from.ID, To: to.ID, Kind: e.Kind, Label: e.Label, Manual: e.Manual, Note: e.Note}, 1, 1)
	}
	if !f.NoLinks {
		if err := s.links(ctx, b, res, f.Elements); err != nil {
			return nil, err
		}
	}

	// Seeds: the centre, or the organisation's resources.
	var seeds []string
	switch {
	case f.Center != "":
		id := f.Center
		if !strings.Contains(id, ":") {
			id = KindResource + ":" + id
		}
		if _, ok := b.nodes[id]; !ok {
			kind, ref, _ := strings.Cut(id, ":")
			r, ok := res[ref]
			if kind != KindResource || !ok {
				return nil, apperr.New(apperr.NotFound, "no node "+f.Center+" in the graph", "关系图谱中没有节点 "+f.Center)
			}
			b.node(resourceNode(r))
		}
		seeds = []string{id}
	case f.OrgID != "":
		for _, r := range sortedResources(res) {
			if r.org == f.OrgID {
				b.node(resourceNode(r))
				seeds = append(seeds, KindResource+":"+r.id)
			}
		}
	}
	return b.cut(seeds, f), nil
}

// links adds a hub per key element held by two or more visible resources,
// with an edge from each such resource.
func (s *Service) links(ctx context.Context, b *builder, res map[string]*resource, elements []string) error {
	items, err := keyItems(ctx, s.db, elements)
	if err != nil {
		return err
	}
	type holder struct {
		r     *resource
		items []string
	}
	byElement := map[string][]*holder{}
	names := map[string]string{}
	var order []string
	for _, k := range items {
		r, ok := res[k.resource]
		if !ok {
			continue
		}
		hs := byElement[k.element]
		if hs == nil {
			order = append(order, k.element)
			names[k.element] = k.elementName
		}
		if n := len(hs); n > 0 && hs[n-1].r == r {
			hs[n-1].items = append(hs[n-1].items, k.name)
			continue
		}
		byElement[k.element] = append(hs, &holder{r: r, items: []string{k.name}})
	}
	for _, el := range order {
		hs := byElement[el]
		if len(hs) < 2 {
			continue
		}
		hub := Node{ID: KindElement + ":" + el, Kind: KindElement, Label: names[el]}
		b.node(hub)
		for _, h := range hs {
			n := resourceNode(h.r)
			b.node(n)
			// Into a hub is free, out of it a hop: resource to resource
			// through a shared key is one hop.
			b.edge(GraphEdge{From: n.ID, To: hub.ID, Kind: EdgeSharesKey, Label: strings.Join(h.items, "、")}, 0, 1)
		}
	}
	return nil
}

// cut keeps the nodes within f.Depth of the seeds (every node when there
// are none), at most f.MaxNodes of them, nearest first, and the edges
// between them.
func (b *builder) cut(seeds []string, f Filter) *Graph {
	dist := map[string]int{}
	var reached []string
	if len(seeds) == 0 {
		reached = b.order
		for _, id := range reached {
			dist[id] = 0
		}
	} else {
		// 0-1 breadth-first search.
		deque := []string{}
		for _, s := range seeds {
			if _, ok := dist[s]; !ok {
				dist[s] = 0
				deque = append(deque, s)
			}
		}
		done := map[string]bool{}
		for len(deque) > 0 {
			id := deque[0]
			deque = deque[1:]
			if done[id] {
				continue
			}
			done[id] = true
			reached = append(reached, id)
			for _, st := range b.adj[id] {
				d := dist[id] + st.cost
				if old, ok := dist[st.to]; (ok && old <= d) || d > f.Depth {
					continue
				}
				dist[st.to] = d
				if st.cost == 0 {
					deque = append([]string{st.to}, deque...)
				} else {
					deque = append(deque, st.to)
				}
			}
		}
	}
	rank := map[string]int{KindResource: 0, KindElement: 1, KindDataset: 2, KindSource: 3}
	slices.SortStableFunc(reached, func(x, y string) int {
		if d := dist[x] - dist[y]; d != 0 {
			return d
		}
		if d := rank[b.nodes[x].Kind] - rank[b.nodes[y].Kind]; d != 0 {
			return d
		}
		return strings.Compare(x, y)
	})
	g := &Graph{Nodes: []Node{}, Edges: []GraphEdge{}}
	if len(reached) > f.MaxNodes {
		reached, g.Truncated = reached[:f.MaxNodes], true
	}
	kept := map[string]bool{}
	for _, id := range reached {
		kept[id] = true
	}
	// A hub left with fewer than two of its resources links nothing.
	degree := map[string]int{}
	for _, e := range b.edges {
		if kept[e.From] && kept[e.To] && e.Kind == EdgeSharesKey {
			degree[e.To]++
		}
	}
	for _, id := range reached {
		n := b.nodes[id]
		if n.Kind == KindElement && degree[id] < 2 && !slices.Contains(seeds, id) {
			kept[id] = false
			continue
		}
		n.Depth = dist[id]
		g.Nodes = append(g.Nodes, *n)
	}
	for _, e := range b.edges {
		if kept[e.From] && kept[e.To] {
			g.Edges = append(g.Edges, e)
		}
	}
	return g
}

func (f *Filter) normalize() error {
	var errs apperr.Fields
	switch {
	case f.Depth < 0 || f.Depth > 5:
		errs.Add("depth", "must be between 0 and 5", "须在0到5之间")
	case f.Depth == 0:
		f.Depth = 2
	}
	switch {
	case f.MaxNodes < 0 || f.MaxNodes > 5000:
		errs.Add("max_nodes", "must be between 0 and 5000", "须在0到5000之间")
	case f.MaxNodes == 0:
		f.MaxNodes = 500
	}
	if f.Elements == nil {
		f.Elements = KeyElements
	}
	return errs.Err()
}

func sortedResources(res map[string]*resource) []*resource {
	out := make([]*resource, 0, len(res))
	for _, r := range res {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *resource) int { return strings.Compare(a.code, b.code) })
	return out
}

// Links lists the resources the caller may see that share a key element
// with the resource id, by element, then resource code.
func (s *Service) Links(ctx context.Context, id string) ([]Link, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !canRead(p) {
		return nil, authz.Denied()
	}
	res, err := visibleResources(ctx, s.db, p)
	if err != nil {
		return nil, err
	}
	self, ok := res[id]
	if !ok {
		return nil, apperr.NotFoundf("resource", id)
	}
	items, err := keyItems(ctx, s.db, KeyElements)
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, k := range items {
		if k.resource == self.id {
			mine[k.element] = true
		}
	}
	out := []Link{}
	for _, k := range items {
		r, ok := res[k.resource]
		if !ok || r == self || !mine[k.element] {
			continue
		}
		out = append(out, Link{Element: k.element, ElementName: k.elementName, ResourceID: r.id, ResourceCode: r.code,
			ResourceName: r.name, OrgID: r.org, OrgName: r.orgName, ItemCode: k.code, ItemName: k.name})
	}
	return out, nil
}

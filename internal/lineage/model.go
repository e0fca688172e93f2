package lineage

import "time"

// Node kinds.
const (
	KindSource   = "source"   // a source system, file or interface
	KindResource = "resource" // a catalog resource, by id
	KindDataset  = "dataset"  // a record-store dataset, by name
	KindElement  = "element"  // a key standard element (computed hubs)
)

// Edge kinds.
const (
	EdgePullSource  = "pull_source"  // source -> resource or dataset
	EdgeLoad        = "load"         // source or resource -> dataset
	EdgeDerivedFrom = "derived_from" // resource or dataset -> the derived one
	EdgeSharesKey   = "shares_key"   // resource -> element hub (computed)
)

// KeyElements are the standard elements that link datasets by default:
// 公民身份号码 and 统一社会信用代码.
var KeyElements = []string{"DE00001", "DE00008"}

// Ref names one end of a lineage edge.
type Ref struct {
	Kind  string `json:"kind"`            // KindSource, KindResource or KindDataset
	Ref   string `json:"ref"`             // the source's name, the resource's id or the dataset's name
	Label string `json:"label,omitempty"` // shown instead of Ref (resources show their name)
}

// ID is the graph node id of the reference: kind:ref.
func (r Ref) ID() string { return r.Kind + ":" + r.Ref }

// Edge is a recorded lineage edge.
type Edge struct {
	ID     int64  `json:"id"`
	NodeID string `json:"node_id"`
	OrgID  string `json:"org_id"`
	From   Ref    `json:"from"`
	To     Ref    `json:"to"`
	Kind   string `json:"kind"`
	Label  string `json:"label,omitempty"`
	// Manual says the edge was recorded by hand (Declare), not as data
	// moved; Note is why, as declared.
	Manual    bool      `json:"manual"`
	Note      string    `json:"note,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// EdgeFilter selects edges for Edges.
type EdgeFilter struct {
	// Node selects edges with this node id (kind:ref) at either end.
	Node   string `json:"node,omitempty"`
	Kind   string `json:"kind,omitempty"`
	OrgID  string `json:"org_id,omitempty"`
	Limit  int    `json:"limit,omitempty"` // 100 when 0, at most 1000
	Offset int    `json:"offset,omitempty"`
}

// Link is a resource that shares a key element with another.
type Link struct {
	Element      string `json:"element"`
	ElementName  string `json:"element_name"`
	ResourceID   string `json:"resource_id"`
	ResourceCode string `json:"resource_code"`
	ResourceName string `json:"resource_name"`
	OrgID        string `json:"org_id"`
	OrgName      string `json:"org_name"`
	ItemCode     string `json:"item_code"`
	ItemName     string `json:"item_name"`
}

// Filter shapes a graph.
type Filter struct {
	// Center is a resource id or a node id (kind:ref); "" for the whole
	// graph.
	Center string `json:"center,omitempty"`
	// Depth is how many hops from the centre (or from OrgID's resources)
	// to include: 2 when 0, at most 5.
	Depth int `json:"depth,omitempty"`
	// OrgID, without Center, centres the graph on the organisation's
	// resources.
	OrgID string `json:"org_id,omitempty"`
	// Elements are the key elements that link resources (KeyElements when
	// nil); NoLinks leaves links out.
	Elements []string `json:"elements,omitempty"`
	NoLinks  bool     `json:"no_links,omitempty"`
	// MaxNodes caps the nodes (500 when 0, at most 5000), the nearest to
	// the centre kept.
	MaxNodes int `json:"max_nodes,omitempty"`
}

// Graph is what a graph view draws.
type Graph struct {
	Nodes []Node      `json:"nodes"`
	Edges []GraphEdge `json:"edges"`
	// Truncated says nodes were left out to keep MaxNodes.
	Truncated bool `json:"truncated"`
}

// Node is a node of the graph.
type Node struct {
	ID      string `json:"id"` // kind:ref
	Kind    string `json:"kind"`
	Label   string `json:"label"`
	Org     string `json:"org,omitempty"` // organisation id
	OrgName string `json:"org_name,omitempty"`
	// Depth is the node's distance from the centre (0 without one).
	Depth int `json:"depth"`
}

// GraphEdge is an edge of the graph, between node ids. Recorded edges
// carry their id; manual ones (recorded by hand) say so, with their note,
// so that a view can draw them apart.
type GraphEdge struct {
	ID     int64  `json:"id,omitempty"`
	From   string `json:"from"`
	To     string `json:"to"`
	Kind   string `json:"kind"`
	Label  string `json:"label,omitempty"`
	Manual bool   `json:"manual,omitempty"`
	Note   string `json:"note,omitempty"`
}

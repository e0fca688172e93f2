// Package lineage is the relationship graph of public data (关系图谱,
// GOV-4): lineage between sources, resources and datasets, and links
// between the datasets that describe the same entities.
//
// # Lineage
//
// A lineage edge points downstream, from where data comes from to where it
// goes: a source system's data pulled into a resource (pull_source), a
// load into a dataset (load), a dataset derived from another
// (derived_from). Edges are recorded (Record) by whoever moves the data and
// kept in lineage_edges; their ends are sources (named systems, files or
// interfaces), catalog resources (by id) and record-store datasets (by
// name).
//
// # Entity links
//
// Links are computed from the catalog, not stored: resources whose data
// items carry the same key standard element (公民身份号码 DE00001,
// 统一社会信用代码 DE00008 by default) hold facts about the same people or
// legal persons, so each such element is a hub node linked to every
// resource that has it. A hub linking fewer than two resources is left out.
//
// # Graph
//
// Graph returns nodes and edges in the shape a force-directed graph (such
// as ECharts' graph series) draws: every node has an id, a kind, a label
// and its organisation; every edge a from, a to, a kind and a label. It can
// be centred on a resource (or any node) and cut at a depth, where going
// through an element hub from one resource to another counts as one hop.
// Resources the caller may not read (other organisations' unpublished
// entries) are left out, with their edges.
package lineage

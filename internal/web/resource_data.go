package web

import (
	"context"
	"slices"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/records"
)

// Limits of the data section of a resource's page.
const (
	previewRows  = 20 // rows of the current version shown
	dataVersions = 10 // newest dataset versions listed
	dataLoads    = 5  // newest loads listed
)

// dataView is the data section of a structured resource's page: its
// dataset, its latest loads, the upload form and a preview of the rows.
type dataView struct {
	ResourceID string
	Dataset    *aggregate.Dataset
	Versions   []aggregate.DatasetVersion // newest first, at most dataVersions
	Loads      []aggregate.Load
	LoadsTotal int
	CanSubmit  bool
	MaxUpload  int64 // bytes a file may have
	Form       uploadValues
	Error      *errorView // a refused upload
	Preview    *previewView
}

// uploadValues are the upload form's choices, kept after a refusal.
type uploadValues struct {
	Mode, Encoding, Sheet string
}

// Modes and Encodings are the upload form's options.
func (uploadValues) Modes() []records.Mode { return []records.Mode{records.Full, records.Incremental} }
func (uploadValues) Encodings() []option {
	return []option{{Value: "utf-8", Label: "UTF-8"}, {Value: "gbk", Label: "GBK"}, {Value: "gb18030", Label: "GB18030"}}
}

// previewView is the first rows of the current version.
type previewView struct {
	Version int64
	Total   int64
	Labels  []string
	Rows    [][]any
}

// dataSection builds the data section for pr, or nil when the resource
// holds no structured data or pr may not see its loads.
func (p *portal) dataSection(ctx context.Context, pr *authz.Principal, res *catalog.Resource) (*dataView, error) {
	if p.Aggregate == nil || res.PublishedVersion == 0 || !aggregate.Structured(res) || !pr.Can(authz.LoadRead, res.OrgID) {
		return nil, nil
	}
	ds, err := p.Aggregate.Dataset(ctx, res.ID)
	if err != nil {
		return nil, err
	}
	v := &dataView{ResourceID: res.ID, Dataset: ds, Form: uploadValues{Mode: string(records.Full)}, MaxUpload: p.Aggregate.MaxUpload(),
		CanSubmit: res.Status != catalog.Retired && pr.Can(authz.LoadSubmit, res.OrgID)}
	v.Versions = slices.Clone(ds.Versions)
	slices.SortFunc(v.Versions, func(a, b aggregate.DatasetVersion) int { return int(b.Number - a.Number) })
	v.Versions = v.Versions[:min(len(v.Versions), dataVersions)]
	if v.Loads, v.LoadsTotal, err = p.Aggregate.List(ctx, aggregate.LoadFilter{ResourceID: res.ID, Limit: dataLoads}); err != nil {
		return nil, err
	}
	if ds.Current != nil && pr.Can(authz.RecordsRead, res.OrgID) {
		page, err := p.Aggregate.Rows(ctx, res.ID, aggregate.RowQuery{Limit: previewRows})
		if err != nil && !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Forbidden) {
			return nil, err
		}
		if page != nil {
			v.Preview = previewOf(page)
		}
	}
	return v, nil
}

func previewOf(page *aggregate.RowPage) *previewView {
	pv := &previewView{Version: page.Version, Total: page.Total}
	for _, c := range page.Columns {
		label := c.Label
		if label == "" {
			label = c.Name
		}
		pv.Labels = append(pv.Labels, label)
	}
	for _, r := range page.Rows {
		pv.Rows = append(pv.Rows, r.Values)
	}
	return pv
}

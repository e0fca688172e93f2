package aggregate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/records"
)

// DatasetVersion is a published version of a dataset, as the API shows it.
type DatasetVersion struct {
	Number     int64        `json:"number"`
	Mode       records.Mode `json:"mode"`
	LoadID     string       `json:"load_id"`
	Source     string       `json:"source"`
	Rows       int64        `json:"rows"`
	Added      int64        `json:"added"`
	Removed    int64        `json:"removed"`
	Deleted    int64        `json:"deleted"`
	Generation int64        `json:"generation"`
	CreatedAt  time.Time    `json:"created_at"`
}

func versionOf(v records.Version) DatasetVersion {
	return DatasetVersion{Number: v.Number, Mode: v.Mode, LoadID: v.LoadID, Source: v.Source, Rows: v.Rows, Added: v.Added,
		Removed: v.Removed, Deleted: v.Deleted, Generation: v.Generation, CreatedAt: v.CreatedAt}
}

// Dataset is a resource's dataset: its columns and retained versions.
type Dataset struct {
	ResourceID   string           `json:"resource_id"`
	ResourceCode string           `json:"resource_code"`
	Name         string           `json:"dataset"`
	Columns      []records.Column `json:"columns"`
	Current      *DatasetVersion  `json:"current"` // null before the first load
	Versions     []DatasetVersion `json:"versions"`
}

// resourceFor returns the resource when the caller may do a on its data.
func (s *Service) resourceFor(ctx context.Context, resourceID string, a authz.Action) (*catalog.Resource, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if resourceID, err = s.resolve(ctx, resourceID); err != nil {
		return nil, err
	}
	res, err := s.cat.Get(ctx, resourceID)
	if err != nil {
		return nil, err
	}
	if !p.Can(a, res.OrgID) {
		return nil, apperr.New(apperr.Forbidden, "your roles do not allow this on the data of "+res.Code,
			"您的角色无权对资源"+res.Code+"的数据执行此操作")
	}
	return res, nil
}

// Dataset describes a resource's dataset.
func (s *Service) Dataset(ctx context.Context, resourceID string) (*Dataset, error) {
	res, err := s.resourceFor(ctx, resourceID, authz.LoadRead)
	if err != nil {
		return nil, err
	}
	d := &Dataset{ResourceID: res.ID, ResourceCode: res.Code, Name: DatasetName(res.ID), Versions: []DatasetVersion{}}
	spec, err := s.rec.Dataset(ctx, d.Name)
	if apperr.Is(err, apperr.NotFound) {
		d.Columns = SpecFor(res, nil).DatasetSpec().Columns
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	d.Columns = spec.Columns
	vs, err := s.rec.Versions(ctx, d.Name)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		d.Versions = append(d.Versions, versionOf(v))
	}
	if cur, err := s.rec.Current(ctx, d.Name); err == nil {
		c := versionOf(cur)
		d.Current = &c
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	return d, nil
}

// RowQuery pages through a dataset version's rows.
type RowQuery struct {
	Version int64 // 0: the current version
	Limit   int   // 20 when 0, at most 1,000
	Offset  int   // at most 100,000
}

// RowPage is a page of rows with their provenance.
type RowPage struct {
	Dataset string           `json:"dataset"`
	Version int64            `json:"version"`
	Columns []records.Column `json:"columns"`
	Total   int64            `json:"total"`
	Rows    []RowOut         `json:"rows"`
}

// RowOut is a row: values in column order, and where it came from.
type RowOut struct {
	Values    []any `json:"values"`
	Version   int64 `json:"loaded_in_version"`
	SourceRow int64 `json:"source_row"`
}

var errPageFull = errors.New("page full")

// Rows reads a page of a dataset's rows. It is the one way record data
// leaves the record store through the API: it checks the caller may read
// the providing organisation's data and records the read in the action
// log. (Sharing grants, purposes and masking extend this gate.)
func (s *Service) Rows(ctx context.Context, resourceID string, q RowQuery) (*RowPage, error) {
	res, err := s.resourceFor(ctx, resourceID, authz.RecordsRead)
	if err != nil {
		return nil, err
	}
	var errs apperr.Fields
	if q.Limit < 0 || q.Limit > 1000 {
		errs.Add("limit", "limit must be between 1 and 1000", "limit 须在1到1000之间")
	}
	if q.Offset < 0 || q.Offset > 100_000 {
		errs.Add("offset", "offset must be between 0 and 100000", "offset 须在0到100000之间")
	}
	if q.Version < 0 {
		errs.Add("version", "version must not be negative", "版本号不能为负数")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if q.Limit == 0 {
		q.Limit = 20
	}
	name := DatasetName(res.ID)
	spec, err := s.rec.Dataset(ctx, name)
	if err != nil {
		return nil, err
	}
	version := q.Version
	if version == 0 {
		cur, err := s.rec.Current(ctx, name)
		if err != nil {
			return nil, err
		}
		version = cur.Number
	}
	total, err := s.rec.Count(ctx, name, version)
	if err != nil {
		return nil, err
	}
	page := &RowPage{Dataset: name, Version: version, Columns: spec.Columns, Total: total, Rows: []RowOut{}}
	skip := q.Offset
	err = s.rec.Scan(ctx, name, version, func(r records.Row) error {
		if skip > 0 {
			skip--
			return nil
		}
		for i, v := range r.Values {
			if t, ok := v.(time.Time); ok {
				if spec.Columns[i].Type == records.Date {
					r.Values[i] = t.Format(time.DateOnly)
				} else {
					r.Values[i] = t.Format(time.DateTime)
				}
			}
		}
		page.Rows = append(page.Rows, RowOut{Values: append([]any(nil), r.Values...), Version: r.Version, SourceRow: r.SourceRow})
		if len(page.Rows) >= q.Limit {
			return errPageFull
		}
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		return nil, fmt.Errorf("rows of %s: %w", name, err)
	}
	if err := appendAction(ctx, s.db, s.now(), "records.read", "dataset", name, res.OrgID, nil,
		map[string]any{"resource": res.Code, "version": version, "offset": q.Offset, "rows": len(page.Rows)}); err != nil {
		return nil, err
	}
	return page, nil
}

// Provenance returns where every retained row of a key came from.
func (s *Service) Provenance(ctx context.Context, resourceID string, key []string) ([]records.Provenance, error) {
	res, err := s.resourceFor(ctx, resourceID, authz.RecordsRead)
	if err != nil {
		return nil, err
	}
	if len(key) == 0 {
		return nil, fieldErr("key", "give the key's values", "请提供主键值")
	}
	out, err := s.rec.Provenance(ctx, DatasetName(res.ID), key)
	if err != nil {
		return nil, err
	}
	if err := appendAction(ctx, s.db, s.now(), "records.provenance", "dataset", DatasetName(res.ID), res.OrgID, nil,
		map[string]any{"resource": res.Code, "key": key}); err != nil {
		return nil, err
	}
	if out == nil {
		out = []records.Provenance{}
	}
	return out, nil
}

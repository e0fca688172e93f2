package catalog

import (
	"context"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
)

// Published returns the published version of a resource, which is what
// aggregation loads data against: its data items are the dataset's
// columns. It fails with NotFound when the caller may not read the
// resource or it has never been published, and with Conflict when it is
// retired.
func (s *Service) Published(ctx context.Context, id string) (*Resource, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	r, err := loadResource(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !p.CanSome(authz.CatalogRead) && !p.Can(authz.CatalogReadDraft, r.OrgID) {
		return nil, apperr.NotFoundf("resource", id)
	}
	if r.PublishedVersion == 0 {
		return nil, apperr.New(apperr.Conflict, "resource "+r.Code+" has not been published: data is loaded against its published version",
			"资源"+r.Code+"尚未发布，数据须按已发布版本汇聚")
	}
	if r.Status == Retired {
		return nil, apperr.New(apperr.Conflict, "resource "+r.Code+" is retired", "资源"+r.Code+"已下线")
	}
	pub, err := s.versionDoc(ctx, id, r.PublishedVersion)
	if err != nil {
		return nil, err
	}
	pub.Status, pub.PublishedVersion = r.Status, r.PublishedVersion
	return pub, nil
}

// Item finds a data item by name, then by code, then by standard data
// element; nil when none matches.
func (r *Resource) Item(name string) *DataItem {
	for _, match := range []func(*DataItem) bool{
		func(it *DataItem) bool { return it.Name == name },
		func(it *DataItem) bool { return it.Code == name },
		func(it *DataItem) bool { return it.Element == name },
	} {
		for i := range r.Items {
			if match(&r.Items[i]) {
				return &r.Items[i]
			}
		}
	}
	return nil
}

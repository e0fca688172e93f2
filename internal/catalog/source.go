package catalog

import (
	"context"
	"fmt"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// Source is a declared authoritative source of a standard data element in
// a region: "one data, one source" (CAT-3).
type Source struct {
	Element      string `json:"element"`
	ElementName  string `json:"element_name"`
	RegionCode   string `json:"region_code"`
	ResourceID   string `json:"resource_id"`
	ResourceCode string `json:"resource_code"`
	ResourceName string `json:"resource_name"`
	ItemCode     string `json:"item_code"`
	OrgID        string `json:"org_id"`
	OrgName      string `json:"org_name"`
	DeclaredBy   string `json:"declared_by"`
	DeclaredAt   string `json:"declared_at"`
}

// SourceClaim is the input to DeclareSource and TransferSource.
type SourceClaim struct {
	ResourceID string `json:"resource_id"`
	ItemCode   string `json:"item_code"`
	RegionCode string `json:"region_code"` // default: the provider's region
}

// claimItem resolves a claim to the resource and its item, and checks the
// item is linked to a standard element.
func (s *Service) claimItem(ctx context.Context, q store.Querier, c *SourceClaim) (*Resource, *DataItem, error) {
	r, err := loadResource(ctx, q, c.ResourceID)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, nil, apperr.New(apperr.Invalid, "unknown resource", "资源不存在").With("resource_id", "no such resource", "资源不存在")
		}
		return nil, nil, err
	}
	if c.RegionCode == "" {
		c.RegionCode = r.RegionCode
	}
	for i := range r.Items {
		if r.Items[i].Code == c.ItemCode {
			if r.Items[i].Element == "" {
				return nil, nil, apperr.New(apperr.Invalid, "the item is not linked to a standard data element", "该信息项未关联标准数据元").
					With("item_code", "link the item to a standard data element first", "请先关联标准数据元")
			}
			return r, &r.Items[i], nil
		}
	}
	return nil, nil, apperr.New(apperr.Invalid, "unknown data item", "信息项不存在").With("item_code", "no such item in the resource", "资源中无此信息项")
}

// DeclareSource records the caller's organisation as the authoritative
// source of an item's standard element in a region. A second claim for the
// same element and region is a conflict naming the existing source.
func (s *Service) DeclareSource(ctx context.Context, c SourceClaim) (*Source, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	var out *Source
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		r, it, err := s.claimItem(ctx, tx, &c)
		if err != nil {
			return err
		}
		if !p.Can(authz.SourceDeclare, r.OrgID) {
			return authz.Denied()
		}
		existing, err := s.source(ctx, tx, it.Element, c.RegionCode)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if existing != nil {
			return &apperr.Error{Kind: apperr.Conflict,
				Message: fmt.Sprintf("%s in region %s already has an authoritative source: %s, resource %s (%s) item %s",
					existing.ElementName, c.RegionCode, existing.OrgName, existing.ResourceName, existing.ResourceCode, existing.ItemCode),
				ZH: fmt.Sprintf("%s在区划%s已有权威来源:%s 的资源「%s」(%s)信息项 %s;如需变更请由平台管理员转移",
					existing.ElementName, c.RegionCode, existing.OrgName, existing.ResourceName, existing.ResourceCode, existing.ItemCode),
				Fields: []apperr.FieldError{{Field: "item_code", Message: "the element already has an authoritative source: " + existing.OrgName,
					ZH: "该数据元已有权威来源:" + existing.OrgName}}}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO authoritative_sources (element_code, region_code, resource_id, item_code, org_id, node_id, declared_by, declared_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, it.Element, c.RegionCode, r.ID, it.Code, r.OrgID, r.NodeID, p.Username, store.FormatTime(s.now()))
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "the element already has an authoritative source", "该数据元已有权威来源")
		}
		if err != nil {
			return fmt.Errorf("declare source: %w", err)
		}
		if out, err = s.source(ctx, tx, it.Element, c.RegionCode); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, s.now(), "source.declare", "source", it.Element+"@"+c.RegionCode, r.OrgID, nil, out)
	})
	return out, err
}

// TransferSource moves an element's authoritative source to another
// resource item (platform administrators).
func (s *Service) TransferSource(ctx context.Context, c SourceClaim) (*Source, error) {
	p, err := need(ctx, authz.SourceTransfer, "")
	if err != nil {
		return nil, err
	}
	var out *Source
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		r, it, err := s.claimItem(ctx, tx, &c)
		if err != nil {
			return err
		}
		before, err := s.source(ctx, tx, it.Element, c.RegionCode)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE authoritative_sources SET resource_id = ?, item_code = ?, org_id = ?, node_id = ?, declared_by = ?, declared_at = ?
			WHERE element_code = ? AND region_code = ?`, r.ID, it.Code, r.OrgID, r.NodeID, p.Username, store.FormatTime(s.now()), it.Element, c.RegionCode); err != nil {
			return fmt.Errorf("transfer source: %w", err)
		}
		if out, err = s.source(ctx, tx, it.Element, c.RegionCode); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, s.now(), "source.transfer", "source", it.Element+"@"+c.RegionCode, r.OrgID, before, out)
	})
	return out, err
}

const sourceSelect = `SELECT a.element_code, e.name, a.region_code, a.resource_id, r.code, r.name, a.item_code, a.org_id, o.name, a.declared_by, a.declared_at
	FROM authoritative_sources a JOIN standard_elements e ON e.code = a.element_code
	JOIN resources r ON r.id = a.resource_id JOIN organisations o ON o.id = a.org_id`

func (s *Service) source(ctx context.Context, q store.Querier, element, region string) (*Source, error) {
	var x Source
	err := q.QueryRowContext(ctx, sourceSelect+` WHERE a.element_code = ? AND a.region_code = ?`, element, region).
		Scan(&x.Element, &x.ElementName, &x.RegionCode, &x.ResourceID, &x.ResourceCode, &x.ResourceName, &x.ItemCode, &x.OrgID, &x.OrgName, &x.DeclaredBy, &x.DeclaredAt)
	if store.IsNoRows(err) {
		return nil, apperr.NotFoundf("source", element+"@"+region)
	}
	if err != nil {
		return nil, fmt.Errorf("get source: %w", err)
	}
	return &x, nil
}

// Sources lists the authoritative sources.
func (s *Service) Sources(ctx context.Context) ([]Source, error) {
	if _, err := need(ctx, authz.CatalogRead, p0(ctx)); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, sourceSelect+` ORDER BY a.element_code, a.region_code`)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var x Source
		if err := rows.Scan(&x.Element, &x.ElementName, &x.RegionCode, &x.ResourceID, &x.ResourceCode, &x.ResourceName, &x.ItemCode, &x.OrgID, &x.OrgName, &x.DeclaredBy, &x.DeclaredAt); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

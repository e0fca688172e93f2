package identity

import (
	"context"
	"fmt"
	"regexp"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/store"
)

// Region is a GB/T 2260 administrative region.
type Region struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	NameEN     string `json:"name_en"`
	ParentCode string `json:"parent_code,omitempty"`
	Level      string `json:"level"`
}

// Node roles (TOP-1).
const (
	RoleProvince   = "province"
	RoleCity       = "city"
	RoleDepartment = "department"
	RoleExchange   = "exchange"
)

// Node is one deployment of the platform, serving a region.
type Node struct {
	ID         string `json:"id"`
	Role       string `json:"role"`
	RegionCode string `json:"region_code"`
	Name       string `json:"name"`
	ParentID   string `json:"parent_id,omitempty"`
	Local      bool   `json:"local"`
}

var regionCodeRE = regexp.MustCompile(`^[1-8][0-9]{5}$`)

// PutRegion inserts or updates a region (reference data; seeding only).
func (s *Service) PutRegion(ctx context.Context, r Region) error {
	if !regionCodeRE.MatchString(r.Code) {
		return apperr.New(apperr.Invalid, "invalid region code", "行政区划代码无效").
			With("code", "must be 6 digits (GB/T 2260)", "须为6位数字(GB/T 2260)")
	}
	var parent any
	if r.ParentCode != "" {
		parent = r.ParentCode
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO regions (code, name, name_en, parent_code, level) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, parent_code = excluded.parent_code, level = excluded.level`,
		r.Code, r.Name, r.NameEN, parent, r.Level)
	if err != nil {
		return fmt.Errorf("put region %s: %w", r.Code, err)
	}
	return nil
}

// Regions lists every region by code.
func (s *Service) Regions(ctx context.Context) ([]Region, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, name_en, COALESCE(parent_code, ''), level FROM regions ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list regions: %w", err)
	}
	defer rows.Close()
	var out []Region
	for rows.Next() {
		var r Region
		if err := rows.Scan(&r.Code, &r.Name, &r.NameEN, &r.ParentCode, &r.Level); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutNode inserts or updates a node.
func (s *Service) PutNode(ctx context.Context, n Node) error {
	switch n.Role {
	case RoleProvince, RoleCity, RoleDepartment, RoleExchange:
	default:
		return apperr.New(apperr.Invalid, "invalid node", "节点无效").
			With("role", "must be province, city, department or exchange", "须为 province、city、department 或 exchange")
	}
	var parent any
	if n.ParentID != "" {
		parent = n.ParentID
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO nodes (id, role, region_code, name, parent_id, is_local, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET role = excluded.role, region_code = excluded.region_code, name = excluded.name, parent_id = excluded.parent_id, is_local = excluded.is_local`,
			n.ID, n.Role, n.RegionCode, n.Name, parent, store.Int(n.Local), store.FormatTime(s.now()))
		if err != nil {
			return fmt.Errorf("put node %s: %w", n.ID, err)
		}
		return actionlog.Append(ctx, tx, s.now(), "node.put", "node", n.ID, "", nil, n)
	})
}

// Nodes lists the nodes.
func (s *Service) Nodes(ctx context.Context) ([]Node, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, role, region_code, name, COALESCE(parent_id, ''), is_local FROM nodes ORDER BY region_code, id`)
	if err != nil {
		return nil, fmt.Errorf("list nodes: %w", err)
	}
	defer rows.Close()
	var out []Node
	for rows.Next() {
		var n Node
		var local int64
		if err := rows.Scan(&n.ID, &n.Role, &n.RegionCode, &n.Name, &n.ParentID, &local); err != nil {
			return nil, err
		}
		n.Local = store.Bool(local)
		out = append(out, n)
	}
	return out, rows.Err()
}

// LocalNode returns the node this deployment is.
func (s *Service) LocalNode(ctx context.Context) (*Node, error) {
	var n Node
	err := s.db.QueryRowContext(ctx, `SELECT id, role, region_code, name, COALESCE(parent_id, '') FROM nodes WHERE is_local = 1`).
		Scan(&n.ID, &n.Role, &n.RegionCode, &n.Name, &n.ParentID)
	if store.IsNoRows(err) {
		return nil, apperr.NotFoundf("node", "local")
	}
	if err != nil {
		return nil, fmt.Errorf("local node: %w", err)
	}
	n.Local = true
	return &n, nil
}

package identity

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/uscc"
)

// Organisation kinds (MGT-1).
var OrgKinds = map[string][2]string{
	"authority":   {"数据主管部门", "Data authority"},
	"department":  {"省直部门", "Provincial department"},
	"bureau":      {"市县部门", "City or county bureau"},
	"institution": {"事业单位", "Public institution"},
	"utility":     {"公共企事业单位", "Public utility"},
}

// Organisation is a body that owns data and users.
type Organisation struct {
	ID           string `json:"id"`
	NodeID       string `json:"node_id"`
	Name         string `json:"name"`
	NameEN       string `json:"name_en"`
	ProviderCode string `json:"provider_code"`
	USCC         string `json:"uscc"`
	Kind         string `json:"kind"`
	RegionCode   string `json:"region_code"`
	ParentID     string `json:"parent_id,omitempty"`
	Duties       string `json:"duties"`
}

var providerCodeRE = regexp.MustCompile(`^[A-Z0-9]{2,20}$`)

// Validate returns every field error of o.
func (o *Organisation) Validate() error {
	var f apperr.Fields
	o.Name = strings.TrimSpace(o.Name)
	o.USCC = strings.ToUpper(strings.TrimSpace(o.USCC))
	if o.Name == "" {
		f.Add("name", "is required", "不能为空")
	}
	if !providerCodeRE.MatchString(o.ProviderCode) {
		f.Add("provider_code", "must be 2-20 upper-case letters or digits", "须为2至20位大写字母或数字")
	}
	if err := uscc.Validate(o.USCC); err != nil {
		e := apperr.As(err)
		en, zh := e.Message, e.ZH
		if len(e.Fields) > 0 {
			en, zh = e.Fields[0].Message, e.Fields[0].ZH
		}
		f.Add("uscc", en, zh)
	}
	if _, ok := OrgKinds[o.Kind]; !ok {
		f.Add("kind", "must be one of authority, department, bureau, institution, utility", "须为 authority、department、bureau、institution、utility 之一")
	}
	if !regionCodeRE.MatchString(o.RegionCode) {
		f.Add("region_code", "must be a 6-digit GB/T 2260 code", "须为6位行政区划代码")
	}
	if o.NodeID == "" {
		f.Add("node_id", "is required", "不能为空")
	}
	return f.Err()
}

const orgColumns = `id, node_id, name, name_en, provider_code, uscc, kind, region_code, COALESCE(parent_id, ''), duties`

func scanOrg(row interface{ Scan(...any) error }) (*Organisation, error) {
	var o Organisation
	err := row.Scan(&o.ID, &o.NodeID, &o.Name, &o.NameEN, &o.ProviderCode, &o.USCC, &o.Kind, &o.RegionCode, &o.ParentID, &o.Duties)
	return &o, err
}

// CreateOrg registers an organisation. Platform administrators only.
func (s *Service) CreateOrg(ctx context.Context, o Organisation) (*Organisation, error) {
	if _, err := need(ctx, authz.OrgManage, ""); err != nil {
		return nil, err
	}
	return s.createOrg(ctx, o)
}

// SeedOrg registers an organisation without a principal (bootstrap, demo).
func (s *Service) SeedOrg(ctx context.Context, o Organisation) (*Organisation, error) {
	return s.createOrg(ctx, o)
}

func (s *Service) createOrg(ctx context.Context, o Organisation) (*Organisation, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.ID == "" {
		o.ID = uuid.Must(uuid.NewV7()).String()
	}
	now := store.FormatTime(s.now())
	var parent any
	if o.ParentID != "" {
		parent = o.ParentID
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM nodes WHERE id = ?`, o.NodeID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.Invalid, "unknown node", "节点不存在").With("node_id", "no such node", "节点不存在")
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE code = ?`, o.RegionCode).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.Invalid, "unknown region", "行政区划不存在").With("region_code", "no such region", "行政区划不存在")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO organisations (`+strings.ReplaceAll(orgColumns, "COALESCE(parent_id, '')", "parent_id")+`, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.ID, o.NodeID, o.Name, o.NameEN, o.ProviderCode, o.USCC, o.Kind, o.RegionCode, parent, o.Duties, now, now)
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "an organisation with this USCC or provider code exists", "已存在相同统一社会信用代码或提供方代码的单位").
				With("uscc", "must be unique", "不能重复")
		}
		if err != nil {
			return fmt.Errorf("insert organisation: %w", err)
		}
		return actionlog.Append(ctx, tx, s.now(), "org.create", "organisation", o.ID, o.ID, nil, o)
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// Org returns one organisation.
func (s *Service) Org(ctx context.Context, id string) (*Organisation, error) {
	o, err := scanOrg(s.db.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = ?`, id))
	if store.IsNoRows(err) {
		return nil, apperr.NotFoundf("organisation", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get organisation %s: %w", id, err)
	}
	return o, nil
}

// Orgs lists all organisations by region and name. Every authenticated user
// may see who the organisations are (the catalog names them).
func (s *Service) Orgs(ctx context.Context) ([]Organisation, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+orgColumns+` FROM organisations ORDER BY region_code, provider_code`)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	var out []Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

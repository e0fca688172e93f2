package catalog

import (
	"context"
	"fmt"
	"regexp"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

var classTreeRE = regexp.MustCompile(`^[1-3]([0-9]{2}([0-9]{3}([0-9]{3})?)?)?$`)

// PutClassification adds or renames a node of the classification tree
// (platform administrators; seeding passes a nil principal through Seed*).
func (s *Service) PutClassification(ctx context.Context, c Classification) error {
	if _, err := need(ctx, authz.CatalogReviewPlat, ""); err != nil {
		return err
	}
	return s.SeedClassifications(ctx, c)
}

// SeedClassifications writes classification nodes without a principal.
func (s *Service) SeedClassifications(ctx context.Context, cs ...Classification) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, c := range cs {
			var f apperr.Fields
			if !classTreeRE.MatchString(c.Code) {
				f.Add("code", "must be 1, 3, 6 or 9 digits starting with 1, 2 or 3", "须为以1、2、3开头的1、3、6或9位数字")
			}
			if c.Name == "" {
				f.Add("name", "is required", "不能为空")
			}
			if !Libraries.Has(c.Library) {
				f.Add("library", "must be base, theme or department", "须为 base、theme、department 之一")
			}
			if err := f.Err(); err != nil {
				return err
			}
			var parent any
			if len(c.Code) > 1 {
				parent = c.Code[:map[int]int{3: 1, 6: 3, 9: 6}[len(c.Code)]]
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO classifications (code, name, name_en, parent_code, library) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, library = excluded.library`,
				c.Code, c.Name, c.NameEN, parent, c.Library); err != nil {
				return fmt.Errorf("put classification %s: %w", c.Code, err)
			}
		}
		return actionlog.Append(ctx, tx, s.now(), "classification.put", "classification", fmt.Sprint(len(cs)), "", nil, cs)
	})
	if err != nil {
		return err
	}
	return s.LoadReference(ctx)
}

// Classifications lists the tree in code order.
func (s *Service) Classifications(ctx context.Context) ([]Classification, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, name_en, COALESCE(parent_code, ''), library FROM classifications ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list classifications: %w", err)
	}
	defer rows.Close()
	var out []Classification
	for rows.Next() {
		var c Classification
		if err := rows.Scan(&c.Code, &c.Name, &c.NameEN, &c.ParentCode, &c.Library); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SeedElements writes standard data elements without a principal.
func (s *Service) SeedElements(ctx context.Context, els ...Element) error {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, e := range els {
			if e.Code == "" || e.Name == "" || !DataTypes.Has(e.DataType) {
				return apperr.New(apperr.Invalid, "invalid standard element "+e.Code, "标准数据元无效:"+e.Code)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO standard_elements (code, name, name_en, data_type, length, description) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, data_type = excluded.data_type,
				length = excluded.length, description = excluded.description`,
				e.Code, e.Name, e.NameEN, e.DataType, e.Length, e.Description); err != nil {
				return fmt.Errorf("put element %s: %w", e.Code, err)
			}
		}
		return actionlog.Append(ctx, tx, s.now(), "element.put", "element", fmt.Sprint(len(els)), "", nil, els)
	})
	if err != nil {
		return err
	}
	return s.LoadReference(ctx)
}

// PutElement adds or changes a standard data element (platform administrators).
func (s *Service) PutElement(ctx context.Context, e Element) error {
	if _, err := need(ctx, authz.CatalogReviewPlat, ""); err != nil {
		return err
	}
	return s.SeedElements(ctx, e)
}

// Elements lists the standard data elements.
func (s *Service) Elements(ctx context.Context) ([]Element, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, name_en, data_type, length, description FROM standard_elements ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list elements: %w", err)
	}
	defer rows.Close()
	var out []Element
	for rows.Next() {
		var e Element
		if err := rows.Scan(&e.Code, &e.Name, &e.NameEN, &e.DataType, &e.Length, &e.Description); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DefaultElements are the standard data elements every deployment starts
// with (names from GB/T 19488.2 and the population/legal-person base
// library element sets); admins extend the list.
var DefaultElements = []Element{
	{Code: "DE00001", Name: "公民身份号码", NameEN: "Citizen ID number", DataType: "C", Length: 18, Description: "GB 11643"},
	{Code: "DE00002", Name: "姓名", NameEN: "Name", DataType: "C", Length: 50},
	{Code: "DE00003", Name: "性别", NameEN: "Sex", DataType: "C", Length: 1, Description: "GB/T 2261.1"},
	{Code: "DE00004", Name: "出生日期", NameEN: "Date of birth", DataType: "D", Length: 8},
	{Code: "DE00005", Name: "民族", NameEN: "Ethnic group", DataType: "C", Length: 2, Description: "GB/T 3304"},
	{Code: "DE00006", Name: "住址", NameEN: "Address", DataType: "C", Length: 200},
	{Code: "DE00007", Name: "手机号码", NameEN: "Mobile number", DataType: "C", Length: 11},
	{Code: "DE00008", Name: "统一社会信用代码", NameEN: "Unified social credit code", DataType: "C", Length: 18, Description: "GB 32100"},
	{Code: "DE00009", Name: "单位名称", NameEN: "Organisation name", DataType: "C", Length: 200},
	{Code: "DE00010", Name: "法定代表人", NameEN: "Legal representative", DataType: "C", Length: 50},
	{Code: "DE00011", Name: "行政区划代码", NameEN: "Region code", DataType: "C", Length: 6, Description: "GB/T 2260"},
	{Code: "DE00012", Name: "不动产单元号", NameEN: "Real estate unit number", DataType: "C", Length: 28},
	{Code: "DE00013", Name: "证照编号", NameEN: "Licence number", DataType: "C", Length: 64},
	{Code: "DE00014", Name: "电子邮箱", NameEN: "Email", DataType: "C", Length: 100},
	{Code: "DE00015", Name: "社会保障号码", NameEN: "Social security number", DataType: "C", Length: 18},
}

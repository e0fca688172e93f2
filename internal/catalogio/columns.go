package catalogio

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/pubdata/pubdata/internal/catalog"
)

// Sheet and column names of the import format. The headers are what the
// template shows; import also accepts the English JSON field names.
const (
	sheetResources = "资源目录"
	sheetItems     = "信息项"
	sheetGuide     = "填写说明"
	colKey         = "资源序号"
	colErrors      = "错误说明"
)

// column is one column of the resources or the items table: how it is
// named, which catalog field it fills, and how a cell is read and written.
// R is catalog.Resource or catalog.DataItem.
type column[R any] struct {
	zh    string   // header in the template
	en    string   // English label, in the instructions
	names []string // other accepted headers: JSON field names
	field string   // the catalog field a Finding names (relative to the item for items)
	need  bool     // the column must be in the file
	info  bool     // exported for reading; ignored on import
	note  string   // how to fill it, in the instructions
	table []catalog.CodeEntry
	get   func(r *R) string
	set   func(r *R, v string, lk *lookups) *cellErr
}

// cellErr is what is wrong with one cell.
type cellErr struct{ en, zh string }

func text(f func(r *catalog.Resource) *string) (func(*catalog.Resource) string, func(*catalog.Resource, string, *lookups) *cellErr) {
	return func(r *catalog.Resource) string { return *f(r) },
		func(r *catalog.Resource, v string, _ *lookups) *cellErr { *f(r) = strings.TrimSpace(v); return nil }
}

func coded(t []catalog.CodeEntry, f func(r *catalog.Resource) *string) (func(*catalog.Resource) string, func(*catalog.Resource, string, *lookups) *cellErr) {
	return func(r *catalog.Resource) string { return label(t, *f(r)) },
		func(r *catalog.Resource, v string, _ *lookups) *cellErr {
			c, err := parseCode(t, v)
			*f(r) = c
			return err
		}
}

// resourceColumns are the columns of sheet 资源目录 (and the resource part of
// a CSV row), in template order. The key column 资源序号 comes first and is
// handled apart.
var resourceColumns = buildResourceColumns()

func buildResourceColumns() []column[catalog.Resource] {
	cols := []column[catalog.Resource]{
		{zh: "资源代码", en: "Resource code", names: []string{"code"}, field: "code", info: true,
			note: "导出时填写的已登记资源代码;导入时忽略", get: func(r *catalog.Resource) string { return r.Code }},
		{zh: "资源名称", en: "Resource name", names: []string{"name"}, field: "name", need: true,
			note: "必填,不超过200字"},
		{zh: "分类代码", en: "Classification code", names: []string{"class_code"}, field: "class_code", need: true,
			note: "必填,类(1位)+项(2位)+目(3位)[+细目(3位)],见下方分类代码表;可填“101001”或“101001 人口基本信息”"},
		{zh: "提供方代码", en: "Provider code", names: []string{"provider_code"}, field: "provider_code",
			note: "资源提供单位的提供方代码;留空则为本单位"},
		{zh: "提供方名称", en: "Provider", names: []string{"org_name"}, field: "org_name", info: true,
			note: "导出时填写;导入时忽略", get: func(r *catalog.Resource) string { return r.OrgName }},
		{zh: "摘要", en: "Summary", names: []string{"summary"}, field: "summary", need: true,
			note: "必填,说明资源的内容、范围和用途(建议不少于20字)"},
		{zh: "格式分类", en: "Format class", names: []string{"format_class"}, field: "format_class", need: true,
			table: catalog.FormatClasses, note: "必填,代码或名称"},
		{zh: "格式类型", en: "Format type", names: []string{"format_type"}, field: "format_type", need: true,
			note: "必填,如 xlsx、MySQL 库表、REST 接口"},
		{zh: "共享类型", en: "Share type", names: []string{"share.type", "share_type"}, field: "share.type", need: true,
			table: catalog.ShareTypes, note: "必填,代码或名称"},
		{zh: "共享条件", en: "Share conditions", names: []string{"share.conditions", "share_conditions"}, field: "share.conditions",
			note: "有条件共享时必填"},
		{zh: "不予共享依据", en: "Legal basis for not sharing", names: []string{"share.legal_basis", "share_legal_basis", "legal_basis"},
			field: "share.legal_basis", note: "不予共享时必填,写明法律法规或政策依据"},
		{zh: "共享方式", en: "Share method", names: []string{"share.method", "share_method"}, field: "share.method",
			table: catalog.ShareMethods, note: "共享时必填,代码或名称"},
		{zh: "开放类型", en: "Open type", names: []string{"open.type", "open_type"}, field: "open.type", need: true,
			table: catalog.OpenTypes, note: "必填,代码或名称"},
		{zh: "开放条件", en: "Open conditions", names: []string{"open.conditions", "open_conditions"}, field: "open.conditions",
			note: "有条件开放时必填"},
		{zh: "更新周期", en: "Update cycle", names: []string{"update_cycle"}, field: "update_cycle", need: true,
			table: catalog.UpdateCycles, note: "必填,代码或名称"},
		{zh: "发布日期", en: "Release date", names: []string{"release_date"}, field: "release_date",
			note: "日期,如 2024-03-01"},
		{zh: "关联信息系统", en: "Information system", names: []string{"system"}, field: "system",
			note: "产生或管理该资源的信息系统名称"},
		{zh: "关联资源代码", en: "Related resources", names: []string{"related"}, field: "related",
			note: "已登记资源的代码,多个用“;”分隔"},
		{zh: "关键词", en: "Keywords", names: []string{"keywords"}, field: "keywords",
			note: "多个用“;”“、”或“,”分隔"},
		{zh: "状态", en: "Status", names: []string{"status"}, field: "status", info: true,
			note: "导出时填写;导入时忽略(导入的资源均为草稿)",
			get:  func(r *catalog.Resource) string { return label(catalog.StatusNames, string(r.Status)) }},
		{zh: "分级", en: "Level", names: []string{"level"}, field: "level", info: true,
			note: "导出时填写,由信息项分类得出;导入时忽略",
			get: func(r *catalog.Resource) string {
				if r.Level == "" {
					return ""
				}
				return label(catalog.Categories, r.Level) + "/" + r.Sensitivity
			}},
	}
	fields := map[string]func(r *catalog.Resource) *string{
		"name":              func(r *catalog.Resource) *string { return &r.Name },
		"class_code":        func(r *catalog.Resource) *string { return &r.ClassCode },
		"summary":           func(r *catalog.Resource) *string { return &r.Summary },
		"format_class":      func(r *catalog.Resource) *string { return &r.FormatClass },
		"format_type":       func(r *catalog.Resource) *string { return &r.FormatType },
		"share.type":        func(r *catalog.Resource) *string { return &r.Share.Type },
		"share.conditions":  func(r *catalog.Resource) *string { return &r.Share.Conditions },
		"share.legal_basis": func(r *catalog.Resource) *string { return &r.Share.LegalBasis },
		"share.method":      func(r *catalog.Resource) *string { return &r.Share.Method },
		"open.type":         func(r *catalog.Resource) *string { return &r.Open.Type },
		"open.conditions":   func(r *catalog.Resource) *string { return &r.Open.Conditions },
		"update_cycle":      func(r *catalog.Resource) *string { return &r.UpdateCycle },
		"system":            func(r *catalog.Resource) *string { return &r.System },
	}
	for i := range cols {
		c := &cols[i]
		if c.get != nil {
			continue
		}
		if f, ok := fields[c.field]; ok {
			if c.table != nil {
				c.get, c.set = coded(c.table, f)
			} else {
				c.get, c.set = text(f)
			}
		}
		switch c.field {
		case "class_code":
			c.set = func(r *catalog.Resource, v string, lk *lookups) *cellErr {
				r.ClassCode = lk.classCode(v)
				return nil
			}
		case "provider_code":
			c.get = func(r *catalog.Resource) string { return r.ProviderCode }
			c.set = func(r *catalog.Resource, v string, lk *lookups) *cellErr {
				r.ProviderCode = strings.ToUpper(strings.TrimSpace(width.Fold.String(v)))
				return nil
			}
		case "release_date":
			c.get = func(r *catalog.Resource) string { return r.ReleaseDate }
			c.set = func(r *catalog.Resource, v string, lk *lookups) *cellErr {
				d, err := parseDate(v, lk != nil && lk.date1904)
				r.ReleaseDate = d
				return err
			}
		case "related":
			c.get = func(r *catalog.Resource) string { return strings.Join(r.Related, ";") }
			c.set = func(r *catalog.Resource, v string, _ *lookups) *cellErr {
				r.Related = splitList(v)
				return nil
			}
		case "keywords":
			c.get = func(r *catalog.Resource) string { return strings.Join(r.Keywords, ";") }
			c.set = func(r *catalog.Resource, v string, _ *lookups) *cellErr {
				r.Keywords = splitList(v)
				return nil
			}
		}
	}
	return cols
}

// itemColumns are the columns of sheet 信息项 (and the item part of a CSV
// row) after 资源序号.
var itemColumns = []column[catalog.DataItem]{
	{zh: "信息项名称", en: "Item name", names: []string{"name"}, field: "name", need: true, note: "必填,同一资源内不重复",
		get: func(it *catalog.DataItem) string { return it.Name },
		set: func(it *catalog.DataItem, v string, _ *lookups) *cellErr { it.Name = strings.TrimSpace(v); return nil }},
	{zh: "信息项代码", en: "Item code", names: []string{"code"}, field: "code", need: true,
		note: "必填,字母开头,仅含字母、数字、下划线,最长64位,同一资源内不重复",
		get:  func(it *catalog.DataItem) string { return it.Code },
		set: func(it *catalog.DataItem, v string, _ *lookups) *cellErr {
			it.Code = strings.TrimSpace(width.Fold.String(v))
			return nil
		}},
	{zh: "数据类型", en: "Data type", names: []string{"data_type"}, field: "data_type", need: true, table: catalog.DataTypes,
		note: "必填,代码或名称",
		get:  func(it *catalog.DataItem) string { return label(catalog.DataTypes, it.DataType) },
		set: func(it *catalog.DataItem, v string, _ *lookups) *cellErr {
			c, err := parseCode(catalog.DataTypes, v)
			it.DataType = c
			return err
		}},
	{zh: "长度", en: "Length", names: []string{"length"}, field: "length", note: "整数;字符型必填",
		get: func(it *catalog.DataItem) string {
			if it.Length == 0 {
				return ""
			}
			return strconv.Itoa(it.Length)
		},
		set: func(it *catalog.DataItem, v string, _ *lookups) *cellErr {
			n, err := parseInt(v)
			it.Length = n
			return err
		}},
	{zh: "是否必填", en: "Required", names: []string{"required"}, field: "required", note: "是/否",
		get: func(it *catalog.DataItem) string { return yesNo(it.Required) },
		set: func(it *catalog.DataItem, v string, _ *lookups) *cellErr {
			b, err := parseBool(v)
			it.Required = b
			return err
		}},
	{zh: "是否主键", en: "Primary key", names: []string{"primary_key"}, field: "primary_key", note: "是/否;结构化资源应至少有一个主键",
		get: func(it *catalog.DataItem) string { return yesNo(it.PrimaryKey) },
		set: func(it *catalog.DataItem, v string, _ *lookups) *cellErr {
			b, err := parseBool(v)
			it.PrimaryKey = b
			return err
		}},
	{zh: "标准数据元", en: "Standard element", names: []string{"element"}, field: "element",
		note: "标准数据元代码或名称,见下方标准数据元表",
		get:  func(it *catalog.DataItem) string { return it.Element },
		set: func(it *catalog.DataItem, v string, lk *lookups) *cellErr {
			it.Element = lk.elementCode(v)
			return nil
		}},
	{zh: "分类", en: "Category", names: []string{"category"}, field: "category", table: catalog.Categories,
		note: "核心数据/重要数据/一般数据;留空为一般数据",
		get:  func(it *catalog.DataItem) string { return label(catalog.Categories, it.Category) },
		set: func(it *catalog.DataItem, v string, _ *lookups) *cellErr {
			c, err := parseCode(catalog.Categories, v)
			it.Category = c
			return err
		}},
	{zh: "敏感级别", en: "Sensitivity", names: []string{"sensitivity"}, field: "sensitivity", table: catalog.Sensitivities,
		note: "一般数据填L1至L4(留空为L2);核心、重要数据自动为L4",
		get:  func(it *catalog.DataItem) string { return it.Sensitivity },
		set: func(it *catalog.DataItem, v string, _ *lookups) *cellErr {
			c, err := parseCode(catalog.Sensitivities, v)
			it.Sensitivity = c
			return err
		}},
	{zh: "说明", en: "Description", names: []string{"description"}, field: "description", note: "信息项的含义、取值说明",
		get: func(it *catalog.DataItem) string { return it.Description },
		set: func(it *catalog.DataItem, v string, _ *lookups) *cellErr {
			it.Description = strings.TrimSpace(v)
			return nil
		}},
}

// normHeader folds a header for matching: full-width to half-width, case,
// white space, a trailing "*" or "(必填)" required mark.
func normHeader(s string) string {
	s = width.Fold.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\ufeff' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	s = strings.TrimSuffix(s, "(必填)")
	return strings.TrimRight(s, "*")
}

// layout is where the columns of a table are in one file: for every
// column of the format, its 0-based position in the file, or -1.
type layout struct {
	sheet  string   // XLSX sheet name, "" for CSV
	row    int      // the header's row number
	header []string // the file's header row as read
	key    int
	res    []int // by resourceColumns index
	items  []int // by itemColumns index
	width  int   // number of header cells
}

// headerNames maps folded header names to a column: -1 is the key column,
// 0.. resource columns, 1000.. item columns.
type headerNames map[string]int

const itemBase = 1000

func namesFor(resources, items, itemsPrefixedOnly bool) headerNames {
	m := headerNames{normHeader(colKey): -1, "key": -1, "row_key": -1}
	if resources {
		for i, c := range resourceColumns {
			m[normHeader(c.zh)] = i
			m[normHeader(c.en)] = i
			for _, n := range c.names {
				m[normHeader(n)] = i
			}
		}
	}
	if items {
		for i, c := range itemColumns {
			m[normHeader(c.zh)] = itemBase + i
			for _, n := range c.names {
				for _, p := range []string{"items.", "item.", "item_"} {
					m[normHeader(p+n)] = itemBase + i
				}
				if !itemsPrefixedOnly {
					m[normHeader(n)] = itemBase + i
				}
			}
			if !itemsPrefixedOnly {
				m[normHeader(c.en)] = itemBase + i
			} else if _, taken := m[normHeader(c.en)]; !taken {
				m[normHeader(c.en)] = itemBase + i
			}
		}
	}
	return m
}

var (
	resourceSheetNames = namesFor(true, false, false)
	itemSheetNames     = namesFor(false, true, false)
	csvNames           = namesFor(true, true, true)
)

// bind finds the format's columns in a header row. A column named twice is
// an error; unknown columns are ignored (and kept in a rejects file).
func bind(sheet string, row int, header []string, names headerNames) (*layout, []catalog.RowError) {
	l := &layout{sheet: sheet, row: row, header: header, key: -1, width: len(header)}
	l.res = make([]int, len(resourceColumns))
	l.items = make([]int, len(itemColumns))
	for i := range l.res {
		l.res[i] = -1
	}
	for i := range l.items {
		l.items[i] = -1
	}
	var errs []catalog.RowError
	seen := map[int]int{}
	for pos, h := range header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		c, ok := names[n]
		if !ok {
			continue
		}
		if first, dup := seen[c]; dup {
			errs = append(errs, catalog.RowError{Sheet: sheet, Row: row, Column: h,
				Message: "the column appears twice (also column " + colName(first) + ")",
				ZH:      "列重复(与第" + colName(first) + "列相同)"})
			continue
		}
		seen[c] = pos
		switch {
		case c == -1:
			l.key = pos
		case c >= itemBase:
			l.items[c-itemBase] = pos
		default:
			l.res[c] = pos
		}
	}
	return l, errs
}

// missing reports the required columns absent from l, as header errors.
func (l *layout) missing(key, resources, items bool) []catalog.RowError {
	var out []string
	if key && l.key < 0 {
		out = append(out, colKey)
	}
	if resources {
		for i, c := range resourceColumns {
			if c.need && l.res[i] < 0 {
				out = append(out, c.zh)
			}
		}
	}
	if items {
		for i, c := range itemColumns {
			if c.need && l.items[i] < 0 {
				out = append(out, c.zh)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return []catalog.RowError{{Sheet: l.sheet, Row: l.row, Field: "header",
		Message: "required columns are missing: " + strings.Join(out, ", "),
		ZH:      "缺少必需的列:" + strings.Join(out, "、")}}
}

// hasItemCells reports whether a CSV row holds anything in the item columns.
func (l *layout) hasItemCells(cells []string) bool {
	for _, p := range l.items {
		if p >= 0 && p < len(cells) && strings.TrimSpace(cells[p]) != "" {
			return true
		}
	}
	return false
}

// colName is the spreadsheet letter name of a 0-based column.
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

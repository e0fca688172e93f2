package catalog

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pubdata/pubdata/internal/apperr"
)

// Severity of a conformance finding: errors block saving, warnings are
// reported in the conformance report.
type Severity string

const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Finding is one result of checking an entry against the standard (CAT-5).
type Finding struct {
	Field    string   `json:"field"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
	ZH       string   `json:"message_zh"`
}

// Reference is the configurable reference data a check needs.
type Reference struct {
	Classifications map[string]Classification
	Elements        map[string]Element // by code
	ElementByName   map[string]Element
}

var (
	classCodeRE = regexp.MustCompile(`^[1-3][0-9]{5}([0-9]{3})?$`)
	itemCodeRE  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)
	resCodeRE   = regexp.MustCompile(`^[1-3][0-9]{5}([0-9]{3})?/[0-9]{6}$`)
)

type checker struct{ out []Finding }

func (c *checker) err(field, rule, en, zh string) {
	c.out = append(c.out, Finding{Field: field, Severity: SevError, Rule: rule, Message: en, ZH: zh})
}

func (c *checker) warn(field, rule, en, zh string) {
	c.out = append(c.out, Finding{Field: field, Severity: SevWarning, Rule: rule, Message: en, ZH: zh})
}

func (c *checker) oneOf(field, value string, t codeTable) bool {
	if value == "" {
		c.err(field, "required", "is required", "不能为空")
		return false
	}
	if !t.Has(value) {
		c.err(field, "domain", fmt.Sprintf("must be one of %s", strings.Join(t.Codes(), ", ")),
			fmt.Sprintf("取值须为 %s 之一", strings.Join(t.Codes(), "、")))
		return false
	}
	return true
}

// Check checks r against the metadata standard and the consistency rules.
// It does not modify r; call Normalize and Grade first.
func Check(r *Resource, ref Reference) []Finding {
	c := &checker{}
	if r.Confidential {
		c.err("confidential", "classified", "classified (涉密) resources do not belong on this platform and are refused",
			"涉密数据资源不得在本平台编目,已拒绝")
	}
	switch n := utf8.RuneCountInString(r.Name); {
	case n == 0:
		c.err("name", "required", "is required", "不能为空")
	case n > 200:
		c.err("name", "length", "must be at most 200 characters", "不得超过200个字符")
	}
	if r.OrgID == "" {
		c.err("org_id", "required", "is required", "不能为空")
	}
	switch {
	case r.ClassCode == "":
		c.err("class_code", "required", "is required", "不能为空")
	case !classCodeRE.MatchString(r.ClassCode):
		c.err("class_code", "format", "must be 类(1 digit, 1-3) + 项(2) + 目(3) [+ 细目(3)] digits, e.g. 101001",
			"须为类(1位,1-3)+项(2位)+目(3位)[+细目(3位)]数字,如 101001")
	case ref.Classifications != nil:
		if _, ok := ref.Classifications[r.ClassCode]; !ok {
			c.err("class_code", "reference", "is not a registered classification", "不是已登记的分类")
		}
	}
	if r.Code != "" && !resCodeRE.MatchString(r.Code) {
		c.err("code", "format", "must be classification code + / + 6-digit sequence", "须为分类代码+/+6位顺序码")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(r.Summary)); {
	case n == 0:
		c.err("summary", "required", "is required", "不能为空")
	case n < 20:
		c.warn("summary", "quality", "is shorter than 20 characters; describe content, scope and use", "少于20个字,请说明内容、范围和用途")
	}
	structured := false
	if c.oneOf("format_class", r.FormatClass, FormatClasses) {
		structured = strings.Contains("2367", r.FormatClass)
	}
	if strings.TrimSpace(r.FormatType) == "" {
		c.err("format_type", "required", "is required (e.g. xlsx, MySQL table, REST API)", "不能为空(如 xlsx、MySQL 库表、REST 接口)")
	}
	checkItems(c, r, ref, structured)
	checkShareOpen(c, r)
	c.oneOf("update_cycle", r.UpdateCycle, UpdateCycles)
	if r.ReleaseDate == "" {
		c.warn("release_date", "recommended", "no release date", "未填写发布日期")
	} else if _, err := time.Parse(time.DateOnly, r.ReleaseDate); err != nil {
		c.err("release_date", "format", "must be a date YYYY-MM-DD", "须为日期 YYYY-MM-DD")
	}
	if strings.TrimSpace(r.System) == "" {
		c.warn("system", "recommended", "no linked information system", "未关联信息系统")
	}
	for i, code := range r.Related {
		if !resCodeRE.MatchString(code) {
			c.err(fmt.Sprintf("related[%d]", i), "format", "is not a resource code", "不是有效的资源代码")
		}
	}
	if len(r.Keywords) == 0 {
		c.warn("keywords", "recommended", "no keywords: the entry is harder to find", "未填写关键词,不利于检索")
	}
	return c.out
}

func checkItems(c *checker, r *Resource, ref Reference, structured bool) {
	if structured && len(r.Items) == 0 {
		c.err("items", "required", "a structured resource (format class 2, 3, 6 or 7) needs at least one data item",
			"结构化资源(格式分类2、3、6、7)至少需要一个信息项")
	}
	if len(r.Items) > 2000 {
		c.err("items", "length", "at most 2,000 data items", "信息项不得超过2000个")
	}
	names, codes := map[string]int{}, map[string]int{}
	hasKey := false
	for i, it := range r.Items {
		f := func(name string) string { return fmt.Sprintf("items[%d].%s", i, name) }
		if strings.TrimSpace(it.Name) == "" {
			c.err(f("name"), "required", "is required", "不能为空")
		} else if j, dup := names[it.Name]; dup {
			c.err(f("name"), "unique", fmt.Sprintf("duplicates items[%d]", j), fmt.Sprintf("与第%d个信息项重名", j+1))
		} else {
			names[it.Name] = i
		}
		switch {
		case it.Code == "":
			c.err(f("code"), "required", "is required", "不能为空")
		case !itemCodeRE.MatchString(it.Code):
			c.err(f("code"), "format", "must start with a letter and hold only letters, digits and _ (max 64)", "须以字母开头,仅含字母、数字、下划线,最长64位")
		default:
			if j, dup := codes[strings.ToLower(it.Code)]; dup {
				c.err(f("code"), "unique", fmt.Sprintf("duplicates items[%d]", j), fmt.Sprintf("与第%d个信息项代码重复", j+1))
			}
			codes[strings.ToLower(it.Code)] = i
		}
		if c.oneOf(f("data_type"), it.DataType, DataTypes) {
			switch {
			case it.Length < 0 || it.Length > 65535:
				c.err(f("length"), "range", "must be between 0 and 65535", "须在0至65535之间")
			case it.DataType == "C" && it.Length == 0:
				c.err(f("length"), "required", "is required for character items", "字符型信息项须填写长度")
			}
		}
		c.oneOf(f("category"), it.Category, Categories)
		if it.Sensitivity != "" {
			c.oneOf(f("sensitivity"), it.Sensitivity, Sensitivities)
		}
		if it.Element != "" && ref.Elements != nil {
			el, ok := ref.Elements[it.Element]
			if !ok {
				c.err(f("element"), "reference", "is not a registered standard data element", "不是已登记的标准数据元")
			} else if el.DataType != "" && it.DataType != "" && el.DataType != it.DataType {
				c.warn(f("data_type"), "consistency", fmt.Sprintf("standard element %s is of type %s", el.Name, el.DataType),
					fmt.Sprintf("标准数据元%s的类型为%s", el.Name, el.DataType))
			}
		}
		if it.Element == "" && ref.ElementByName != nil {
			if el, ok := ref.ElementByName[it.Name]; ok {
				c.warn(f("element"), "consistency", fmt.Sprintf("item is named like standard element %s but not linked to it", el.Name),
					fmt.Sprintf("信息项与标准数据元%s同名但未关联", el.Name))
			}
		}
		if it.PrimaryKey {
			hasKey = true
		}
	}
	if structured && len(r.Items) > 0 && !hasKey {
		c.warn("items", "recommended", "no primary key item: incremental updates need one", "未指定主键信息项,无法增量更新")
	}
}

func checkShareOpen(c *checker, r *Resource) {
	if c.oneOf("share.type", r.Share.Type, ShareTypes) {
		switch r.Share.Type {
		case "2":
			if strings.TrimSpace(r.Share.Conditions) == "" {
				c.err("share.conditions", "consistency", "conditional sharing needs its conditions", "有条件共享须填写共享条件")
			}
		case "3":
			if strings.TrimSpace(r.Share.LegalBasis) == "" {
				c.err("share.legal_basis", "consistency", "not sharing needs a legal or policy basis", "不予共享须填写法律法规或政策依据")
			}
		}
		if r.Share.Type != "3" {
			if r.Share.Method == "" {
				c.err("share.method", "required", "is required when the resource is shared", "共享资源须填写共享方式")
			} else {
				c.oneOf("share.method", r.Share.Method, ShareMethods)
			}
		}
	}
	if c.oneOf("open.type", r.Open.Type, OpenTypes) {
		if r.Open.Type == "2" && strings.TrimSpace(r.Open.Conditions) == "" {
			c.err("open.conditions", "consistency", "conditional opening needs its conditions", "有条件开放须填写开放条件")
		}
		if r.Open.Type != "3" && r.Level == "core" {
			c.err("open.type", "consistency", "core data may not be opened", "核心数据不得开放")
		}
		if r.Open.Type == "1" && r.Level == "important" {
			c.err("open.type", "consistency", "important data may not be opened unconditionally", "重要数据不得无条件开放")
		}
		if r.Open.Type != "3" && r.Share.Type == "3" {
			c.warn("open.type", "consistency", "the resource is open to the public but not shared between agencies", "资源不予共享却对社会开放,请核实")
		}
	}
}

// Errors returns the error findings of fs as one Invalid error, nil if none.
func Errors(fs []Finding) error {
	var f apperr.Fields
	for _, x := range fs {
		if x.Severity == SevError {
			f.Add(x.Field, x.Message, x.ZH)
		}
	}
	return f.Err()
}

var levelRank = map[string]int{"general": 1, "important": 2, "core": 3}

// Grade derives the resource's level and sensitivity from its items: the
// highest wins (就高从严). Core and important items count as L4.
func Grade(r *Resource) {
	r.Level, r.Sensitivity = "general", "L1"
	for i := range r.Items {
		it := &r.Items[i]
		if it.Category == "core" || it.Category == "important" {
			it.Sensitivity = "L4"
		}
		if levelRank[it.Category] > levelRank[r.Level] {
			r.Level = it.Category
		}
		if it.Sensitivity > r.Sensitivity && len(it.Sensitivity) == 2 {
			r.Sensitivity = it.Sensitivity
		}
	}
	r.Flagged = r.Level == "core" || r.Level == "important"
}

// Normalize trims text and fills defaults that the standard allows.
func Normalize(r *Resource) {
	r.Name = strings.TrimSpace(r.Name)
	r.Summary = strings.TrimSpace(r.Summary)
	r.ClassCode = strings.TrimSpace(r.ClassCode)
	r.FormatType = strings.TrimSpace(r.FormatType)
	r.UpdateCycle = strings.TrimSpace(r.UpdateCycle)
	for i := range r.Items {
		it := &r.Items[i]
		it.Name = strings.TrimSpace(it.Name)
		it.Code = strings.TrimSpace(it.Code)
		it.DataType = strings.ToUpper(strings.TrimSpace(it.DataType))
		if it.Category == "" {
			it.Category = "general"
		}
		if it.Category == "general" && it.Sensitivity == "" {
			it.Sensitivity = "L2"
		}
	}
	kw := r.Keywords[:0]
	for _, k := range r.Keywords {
		if k = strings.TrimSpace(k); k != "" {
			kw = append(kw, k)
		}
	}
	r.Keywords = kw
}

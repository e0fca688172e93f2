// Package catalog is the public data catalog (CAT-1 .. CAT-5): resources
// described with the national metadata element set (GB/T 21063), their data
// items, classification and grading, the review lifecycle with every
// version kept, "one data, one source", the 10-working-day update clock and
// conformance checks.
package catalog

import "time"

// Status is a resource's place in the lifecycle.
type Status string

const (
	Draft       Status = "draft"
	Submitted   Status = "submitted"
	Returned    Status = "returned"
	OrgApproved Status = "org_approved"
	Approved    Status = "approved"
	Published   Status = "published"
	Retired     Status = "retired"
)

// Statuses in lifecycle order.
var Statuses = []Status{Draft, Submitted, Returned, OrgApproved, Approved, Published, Retired}

// Resource is one catalog entry (目录/数据资源).
type Resource struct {
	ID           string     `json:"id"`
	Code         string     `json:"code"`       // class code + "/" + 6-digit sequence, generated
	ClassCode    string     `json:"class_code"` // 类(1) 项(2) 目(3) [细目(3)] digits
	Name         string     `json:"name"`
	OrgID        string     `json:"org_id"`
	OrgName      string     `json:"org_name,omitempty"`
	ProviderCode string     `json:"provider_code,omitempty"`
	NodeID       string     `json:"node_id"`
	RegionCode   string     `json:"region_code"`
	Summary      string     `json:"summary"`
	FormatClass  string     `json:"format_class"` // 1..7
	FormatType   string     `json:"format_type"`
	Items        []DataItem `json:"items"`
	Share        Share      `json:"share"`
	Open         Open       `json:"open"`
	UpdateCycle  string     `json:"update_cycle"`
	ReleaseDate  string     `json:"release_date,omitempty"` // YYYY-MM-DD
	System       string     `json:"system,omitempty"`       // linked information system
	Related      []string   `json:"related,omitempty"`      // related resource codes
	Keywords     []string   `json:"keywords,omitempty"`
	Confidential bool       `json:"confidential,omitempty"` // 涉密: refused

	// Derived by grading; never taken from input.
	Level       string `json:"level"`       // core | important | general (highest of the items)
	Sensitivity string `json:"sensitivity"` // L1..L4 (highest of the items)
	Flagged     bool   `json:"flagged"`     // core or important data

	Status           Status    `json:"status"`
	Version          int       `json:"version"`
	PublishedVersion int       `json:"published_version,omitempty"`
	CreatedBy        string    `json:"created_by,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// DataItem is one field of a resource (信息项).
type DataItem struct {
	Name        string `json:"name"`
	Code        string `json:"code"`
	DataType    string `json:"data_type"` // C N Y D T L M G B I F
	Length      int    `json:"length,omitempty"`
	Required    bool   `json:"required,omitempty"`
	PrimaryKey  bool   `json:"primary_key,omitempty"`
	Description string `json:"description,omitempty"`
	Element     string `json:"element,omitempty"`     // standard data element code
	Category    string `json:"category"`              // core | important | general
	Sensitivity string `json:"sensitivity,omitempty"` // L1..L4 (general data); core/important imply L4
}

// Share is the share attribute (共享属性).
type Share struct {
	Type       string `json:"type"` // 1 unconditional, 2 conditional, 3 not shared
	Conditions string `json:"conditions,omitempty"`
	LegalBasis string `json:"legal_basis,omitempty"`
	Method     string `json:"method,omitempty"` // api | file | database
}

// Open is the open attribute (开放属性).
type Open struct {
	Type       string `json:"type"` // 1 unconditional, 2 conditional, 3 not open
	Conditions string `json:"conditions,omitempty"`
}

// Code tables of the metadata element set, with zh-CN and en labels.
var (
	FormatClasses = codeTable{
		{"1", "电子文件", "Electronic file"}, {"2", "电子表格", "Spreadsheet"}, {"3", "数据库", "Database"},
		{"4", "图形图像", "Graphics and images"}, {"5", "流媒体", "Streaming media"},
		{"6", "自描述格式", "Self-describing format"}, {"7", "服务接口", "Service interface"},
	}
	ShareTypes = codeTable{
		{"1", "无条件共享", "Unconditional sharing"}, {"2", "有条件共享", "Conditional sharing"}, {"3", "不予共享", "Not shared"},
	}
	OpenTypes = codeTable{
		{"1", "无条件开放", "Unconditionally open"}, {"2", "有条件开放", "Conditionally open"}, {"3", "不予开放", "Not open"},
	}
	ShareMethods = codeTable{
		{"api", "接口共享", "API"}, {"file", "文件下载", "File download"}, {"database", "库表交换", "Database exchange"},
	}
	UpdateCycles = codeTable{
		{"realtime", "实时", "Real time"}, {"daily", "每日", "Daily"}, {"weekly", "每周", "Weekly"},
		{"monthly", "每月", "Monthly"}, {"quarterly", "每季度", "Quarterly"}, {"yearly", "每年", "Yearly"},
	}
	DataTypes = codeTable{
		{"C", "字符型", "Character"}, {"N", "数值型", "Numeric"}, {"Y", "货币型", "Currency"},
		{"D", "日期型", "Date"}, {"T", "日期时间型", "Date-time"}, {"L", "逻辑型", "Logical"},
		{"M", "备注型", "Memo"}, {"G", "通用型", "General"}, {"B", "二进制", "Binary"},
		{"I", "整数型", "Integer"}, {"F", "浮点型", "Float"},
	}
	Categories = codeTable{
		{"core", "核心数据", "Core data"}, {"important", "重要数据", "Important data"}, {"general", "一般数据", "General data"},
	}
	Sensitivities = codeTable{
		{"L1", "一级(公开)", "L1 (public)"}, {"L2", "二级(内部)", "L2 (internal)"},
		{"L3", "三级(敏感)", "L3 (sensitive)"}, {"L4", "四级(高度敏感)", "L4 (highly sensitive)"},
	}
	StatusNames = codeTable{
		{"draft", "草稿", "Draft"}, {"submitted", "待单位审核", "Submitted"}, {"returned", "已退回", "Returned"},
		{"org_approved", "待平台审核", "Approved by organisation"}, {"approved", "待发布", "Approved by platform"},
		{"published", "已发布", "Published"}, {"retired", "已下线", "Retired"},
	}
	Libraries = codeTable{
		{"base", "基础库", "Base library"}, {"theme", "主题库", "Theme library"}, {"department", "部门库", "Department library"},
	}
)

// CodeEntry is one code with its labels.
type CodeEntry struct {
	Code string `json:"code"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

type codeTable []CodeEntry

// Has reports whether code is in the table.
func (t codeTable) Has(code string) bool {
	for _, e := range t {
		if e.Code == code {
			return true
		}
	}
	return false
}

// Label returns the label of code in lang ("zh" or "en").
func (t codeTable) Label(code, lang string) string {
	for _, e := range t {
		if e.Code == code {
			if lang == "en" {
				return e.EN
			}
			return e.ZH
		}
	}
	return code
}

// Codes lists the codes joined for messages.
func (t codeTable) Codes() []string {
	out := make([]string, len(t))
	for i, e := range t {
		out[i] = e.Code
	}
	return out
}

// CodeTables is every code table by name, served to clients.
func CodeTables() map[string][]CodeEntry {
	return map[string][]CodeEntry{
		"format_class": FormatClasses, "share_type": ShareTypes, "open_type": OpenTypes,
		"share_method": ShareMethods, "update_cycle": UpdateCycles, "data_type": DataTypes,
		"category": Categories, "sensitivity": Sensitivities, "status": StatusNames, "library": Libraries,
	}
}

// Classification is a node of the classification tree (类/项/目/细目).
type Classification struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	NameEN     string `json:"name_en"`
	ParentCode string `json:"parent_code,omitempty"`
	Library    string `json:"library"`
}

// Element is a standard data element (标准数据元).
type Element struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	NameEN      string `json:"name_en"`
	DataType    string `json:"data_type"`
	Length      int    `json:"length"`
	Description string `json:"description"`
}

package catalogio

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/catalog"
)

// resourceIn is a resource as an import file holds it: the fields a user
// fills, named as in the API's JSON.
type resourceIn struct {
	Name         string             `json:"name"`
	ClassCode    string             `json:"class_code"`
	ProviderCode string             `json:"provider_code,omitempty"`
	OrgID        string             `json:"org_id,omitempty"` // when the provider code is not given
	Summary      string             `json:"summary"`
	FormatClass  string             `json:"format_class"`
	FormatType   string             `json:"format_type"`
	Items        []catalog.DataItem `json:"items"`
	Share        catalog.Share      `json:"share"`
	Open         catalog.Open       `json:"open"`
	UpdateCycle  string             `json:"update_cycle"`
	ReleaseDate  string             `json:"release_date,omitempty"`
	System       string             `json:"system,omitempty"`
	Related      []string           `json:"related,omitempty"`
	Keywords     []string           `json:"keywords,omitempty"`
}

func inputOf(r *catalog.Resource) resourceIn {
	org := ""
	if r.ProviderCode == "" {
		org = r.OrgID
	}
	return resourceIn{OrgID: org, Name: r.Name, ClassCode: r.ClassCode, ProviderCode: r.ProviderCode, Summary: r.Summary,
		FormatClass: r.FormatClass, FormatType: r.FormatType, Items: r.Items, Share: r.Share, Open: r.Open,
		UpdateCycle: r.UpdateCycle, ReleaseDate: r.ReleaseDate, System: r.System, Related: r.Related, Keywords: r.Keywords}
}

// WriteSynthetic writes n realistic, valid resources with 10 data items
// each in the import format ("xlsx", "csv" or "json"), the same for the
// same seed. Providers are drawn from providerCodes (blank: the importing
// user's organisation) and classifications from classCodes (6 or 9
// digits; default 101001).
func WriteSynthetic(w io.Writer, format string, n int, seed int64, providerCodes []string, classCodes []string) error {
	cw, err := newCatalogWriter(w, format, false)
	if err != nil {
		return err
	}
	cw.asJSON = func(r *catalog.Resource) any { return inputOf(r) }
	g := synth{rnd: rand.New(rand.NewPCG(uint64(seed), 0x5eed)), providers: providerCodes, classes: classCodes}
	if len(g.classes) == 0 {
		g.classes = []string{"101001"}
	}
	var r catalog.Resource
	for i := range n {
		g.resource(&r, i)
		if err := cw.write(&r, strconv.Itoa(i+1)); err != nil {
			return err
		}
	}
	return cw.finish()
}

type synth struct {
	rnd       *rand.Rand
	providers []string
	classes   []string
}

var (
	synthPlaces   = []string{"福州市", "厦门市", "泉州市", "漳州市", "莆田市", "三明市", "南平市", "龙岩市", "宁德市", "平潭综合实验区", "全省"}
	synthSubjects = []string{"企业", "个体工商户", "社会组织", "医疗机构", "中小学校", "养老机构", "建设项目", "道路运输车辆", "食品经营者", "特种设备",
		"排污单位", "不动产", "公共场馆", "景区", "药品零售企业", "农业经营主体", "社保参保人员", "残疾人", "低保对象", "退役军人"}
	synthKinds = []string{"登记信息", "许可信息", "年度报告", "监督检查记录", "行政处罚信息", "信用评价结果", "基本信息", "变更记录", "统计数据", "服务事项办理记录"}
	synthSys   = []string{"一体化政务服务平台", "市场监管综合业务系统", "社会保障卡管理系统", "不动产登记系统", "生态环境监测平台", "公共信用信息平台", "卫生健康信息平台"}
	synthTypes = []string{"MySQL 库表", "Oracle 库表", "达梦数据库表", "REST 接口", "xlsx", "csv"}
)

// synthItems is the pool data items are drawn from: name, code, type,
// length, element.
var synthItems = []struct {
	name, code, typ string
	length          int
	element         string
}{
	{"统一社会信用代码", "USCC", "C", 18, "DE00008"}, {"单位名称", "ORG_NAME", "C", 200, "DE00009"},
	{"法定代表人", "LEGAL_REP", "C", 50, "DE00010"}, {"行政区划代码", "REGION_CODE", "C", 6, "DE00011"},
	{"住址", "ADDRESS", "C", 200, "DE00006"}, {"手机号码", "MOBILE", "C", 11, "DE00007"},
	{"电子邮箱", "EMAIL", "C", 100, "DE00014"}, {"证照编号", "LICENCE_NO", "C", 64, "DE00013"},
	{"成立日期", "FOUND_DATE", "D", 8, ""}, {"登记机关", "REG_AUTHORITY", "C", 100, ""},
	{"经营范围", "BUSINESS_SCOPE", "C", 2000, ""}, {"注册资本", "REG_CAPITAL", "Y", 18, ""},
	{"从业人数", "EMPLOYEES", "I", 10, ""}, {"经度", "LONGITUDE", "F", 12, ""}, {"纬度", "LATITUDE", "F", 12, ""},
	{"检查日期", "CHECK_DATE", "D", 8, ""}, {"检查结果", "CHECK_RESULT", "C", 500, ""},
	{"处罚决定书文号", "PENALTY_NO", "C", 64, ""}, {"处罚金额", "PENALTY_AMOUNT", "Y", 18, ""},
	{"信用等级", "CREDIT_GRADE", "C", 2, ""}, {"更新时间", "UPDATED_AT", "T", 14, ""},
	{"是否有效", "VALID", "L", 1, ""}, {"备注", "REMARK", "M", 0, ""}, {"记录编号", "RECORD_ID", "C", 32, ""},
	{"办理状态", "STATUS", "C", 10, ""}, {"许可证有效期至", "VALID_UNTIL", "D", 8, ""}, {"联系人", "CONTACT", "C", 50, ""},
}

func (g *synth) pick(s []string) string { return s[g.rnd.IntN(len(s))] }

func (g *synth) resource(r *catalog.Resource, i int) {
	place, subject, kind := g.pick(synthPlaces), g.pick(synthSubjects), g.pick(synthKinds)
	*r = catalog.Resource{Items: r.Items[:0]}
	r.Name = fmt.Sprintf("%s%s%s(%d)", place, subject, kind, i+1)
	r.ClassCode = g.pick(g.classes)
	if len(g.providers) > 0 {
		r.ProviderCode = g.pick(g.providers)
	}
	r.Summary = fmt.Sprintf("%s范围内%s的%s,包括主体标识、办理情况和结果等内容,用于跨部门业务协同、监管和公共服务。", place, subject, kind)
	r.FormatClass = "3"
	r.FormatType = g.pick(synthTypes)
	if r.FormatType == "REST 接口" {
		r.FormatClass = "7"
	} else if r.FormatType == "xlsx" || r.FormatType == "csv" {
		r.FormatClass = "2"
	}
	r.UpdateCycle = catalog.UpdateCycles[g.rnd.IntN(len(catalog.UpdateCycles))].Code
	r.ReleaseDate = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rnd.IntN(6*365)).Format(time.DateOnly)
	r.System = g.pick(synthSys)
	r.Keywords = []string{subject, strings.TrimSuffix(kind, "信息")}
	level := "general"
	switch x := g.rnd.IntN(100); {
	case x < 2:
		level = "core"
	case x < 12:
		level = "important"
	}
	// Ten distinct items; the first is the key.
	perm := g.rnd.Perm(len(synthItems))[:10]
	for k, p := range perm {
		s := synthItems[p]
		it := catalog.DataItem{Name: s.name, Code: s.code, DataType: s.typ, Length: s.length, Element: s.element,
			Required: k < 3, PrimaryKey: k == 0, Category: "general", Sensitivity: "L" + strconv.Itoa(1+g.rnd.IntN(3))}
		if k == 1 && level != "general" {
			it.Category, it.Sensitivity = level, ""
		}
		if it.DataType == "C" && it.Length == 0 {
			it.Length = 50
		}
		it.Description = s.name + "(" + s.code + ")"
		r.Items = append(r.Items, it)
	}
	switch x := g.rnd.IntN(10); {
	case x < 3:
		r.Share = catalog.Share{Type: "1", Method: "api"}
	case x < 9:
		r.Share = catalog.Share{Type: "2", Conditions: "用于履行法定职责,经提供方审核同意后使用", Method: g.pick([]string{"api", "file", "database"})}
	default:
		r.Share = catalog.Share{Type: "3", LegalBasis: "《中华人民共和国个人信息保护法》第十三条"}
	}
	switch {
	case level == "core" || r.Share.Type == "3":
		r.Open = catalog.Open{Type: "3"}
	case level == "important" || g.rnd.IntN(2) == 0:
		r.Open = catalog.Open{Type: "2", Conditions: "经授权用于公共服务和科研"}
	default:
		r.Open = catalog.Open{Type: "1"}
	}
}

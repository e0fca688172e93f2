package catalog

import "strconv"

// DefaultClassifications is the classification tree a new platform starts
// with: the base libraries and theme libraries of the provincial plan
// (AGG-2) under the national guide's three classes (政务信息资源目录编制指南:
// 1 基础信息资源, 2 主题信息资源, 3 部门信息资源). Administrators extend it.
var DefaultClassifications = buildTree([]treeNode{
	{"1", "基础信息资源", "Base information resources", "base", nil},
	{"101", "人口", "Population", "base", []string{"人口基本信息", "户籍登记", "流动人口", "婚姻登记", "出生与死亡", "残疾人"}},
	{"102", "法人单位", "Legal persons", "base", []string{"法人基本信息", "机关事业单位", "社会组织", "个体工商户"}},
	{"103", "自然资源和空间地理", "Natural resources and geography", "base", []string{"不动产登记", "国土空间规划", "基础测绘", "地名地址", "水资源"}},
	{"104", "社会信用", "Social credit", "base", []string{"公共信用信息", "行政许可", "行政处罚", "守信激励与失信惩戒"}},
	{"105", "电子证照", "E-licences", "base", []string{"个人证照", "法人证照", "证照目录"}},
	{"106", "宏观经济", "Economy", "base", []string{"国民经济核算", "财政税收", "固定资产投资", "价格统计"}},
	{"2", "主题信息资源", "Theme information resources", "theme", nil},
	{"201", "医疗健康", "Health", "theme", []string{"医疗机构", "电子病历", "公共卫生", "医保结算"}},
	{"202", "经济运行监测", "Economic monitoring", "theme", []string{"工业运行", "能源消费", "外贸进出口"}},
	{"203", "社会保障", "Social security", "theme", []string{"社会保险参保", "社会救助", "就业服务", "养老服务"}},
	{"204", "生态环境", "Ecology and environment", "theme", []string{"环境质量监测", "污染源", "排污许可"}},
	{"205", "信用体系", "Credit", "theme", []string{"企业信用评价", "信用承诺"}},
	{"206", "金融服务", "Finance", "theme", []string{"普惠金融", "企业融资"}},
	{"207", "文化旅游", "Culture and tourism", "theme", []string{"文化场馆", "旅游景区", "文物保护"}},
	{"208", "市场监管", "Market supervision", "theme", []string{"市场主体登记", "食品安全", "产品质量", "特种设备"}},
	{"209", "教育", "Education", "theme", []string{"学校信息", "学籍学历"}},
	{"210", "交通出行", "Transport", "theme", []string{"公共交通", "道路运输", "机动车驾驶人"}},
	{"211", "应急管理", "Emergency management", "theme", []string{"安全生产", "自然灾害", "应急资源"}},
	{"212", "城乡建设", "Urban and rural development", "theme", []string{"住房保障", "建设工程", "公积金"}},
	{"3", "部门信息资源", "Department information resources", "department", nil},
	{"301", "政务服务", "Government services", "department", []string{"办件信息", "事项清单", "好差评"}},
	{"302", "行政执法", "Administrative enforcement", "department", []string{"执法检查", "执法人员"}},
	{"303", "内部管理", "Internal administration", "department", []string{"资产管理", "人员编制"}},
})

type treeNode struct {
	code, name, nameEN, library string
	items                       []string // 目 under a 项, numbered 001, 002 ...
}

func buildTree(nodes []treeNode) []Classification {
	var out []Classification
	for _, n := range nodes {
		c := Classification{Code: n.code, Name: n.name, NameEN: n.nameEN, Library: n.library}
		if len(n.code) == 3 {
			c.ParentCode = n.code[:1]
		}
		out = append(out, c)
		for i, name := range n.items {
			out = append(out, Classification{Code: n.code + pad3(i+1), Name: name, ParentCode: n.code, Library: n.library})
		}
	}
	return out
}

func pad3(i int) string {
	s := "00" + strconv.Itoa(i)
	return s[len(s)-3:]
}

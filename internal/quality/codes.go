package quality

// Code is one entry of a code list.
type Code struct {
	Code string
	Name string
}

// CodeList is a national standard code list that enum rules can name in
// Rule.Standard or Column.Codes. Aliases are values accepted besides the
// codes (such as 男 and M for code 1 of GB/T 2261.1).
type CodeList struct {
	Standard string
	Title    string
	Codes    []Code
	Aliases  []string
}

// Values returns the accepted values: the codes, then the aliases.
func (l *CodeList) Values() []string {
	v := make([]string, 0, len(l.Codes)+len(l.Aliases))
	for _, c := range l.Codes {
		v = append(v, c.Code)
	}
	return append(v, l.Aliases...)
}

// Has reports whether v is a code of the list (aliases excluded).
func (l *CodeList) Has(v string) bool {
	for _, c := range l.Codes {
		if c.Code == v {
			return true
		}
	}
	return false
}

// The built-in code lists.
var (
	// Sex is GB/T 2261.1-2003 个人基本信息分类与代码 第1部分: 人的性别代码.
	// 男/女 and M/F (either case) are accepted as aliases of 1 and 2.
	Sex = &CodeList{
		Standard: "GB/T 2261.1",
		Title:    "人的性别代码",
		Codes:    []Code{{"0", "未知的性别"}, {"1", "男性"}, {"2", "女性"}, {"9", "未说明的性别"}},
		Aliases:  []string{"男", "女", "M", "F", "m", "f"},
	}

	// Marital is GB/T 2261.2-2003 婚姻状况代码.
	Marital = &CodeList{
		Standard: "GB/T 2261.2",
		Title:    "婚姻状况代码",
		Codes: []Code{{"10", "未婚"}, {"20", "已婚"}, {"21", "初婚"}, {"22", "再婚"}, {"23", "复婚"},
			{"30", "丧偶"}, {"40", "离婚"}, {"90", "未说明的婚姻状况"}},
	}

	// Ethnic is GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码.
	Ethnic = &CodeList{
		Standard: "GB/T 3304",
		Title:    "中国各民族名称代码",
		Codes: []Code{
			{"01", "汉族"}, {"02", "蒙古族"}, {"03", "回族"}, {"04", "藏族"}, {"05", "维吾尔族"},
			{"06", "苗族"}, {"07", "彝族"}, {"08", "壮族"}, {"09", "布依族"}, {"10", "朝鲜族"},
			{"11", "满族"}, {"12", "侗族"}, {"13", "瑶族"}, {"14", "白族"}, {"15", "土家族"},
			{"16", "哈尼族"}, {"17", "哈萨克族"}, {"18", "傣族"}, {"19", "黎族"}, {"20", "傈僳族"},
			{"21", "佤族"}, {"22", "畲族"}, {"23", "高山族"}, {"24", "拉祜族"}, {"25", "水族"},
			{"26", "东乡族"}, {"27", "纳西族"}, {"28", "景颇族"}, {"29", "柯尔克孜族"}, {"30", "土族"},
			{"31", "达斡尔族"}, {"32", "仫佬族"}, {"33", "羌族"}, {"34", "布朗族"}, {"35", "撒拉族"},
			{"36", "毛南族"}, {"37", "仡佬族"}, {"38", "锡伯族"}, {"39", "阿昌族"}, {"40", "普米族"},
			{"41", "塔吉克族"}, {"42", "怒族"}, {"43", "乌孜别克族"}, {"44", "俄罗斯族"}, {"45", "鄂温克族"},
			{"46", "德昂族"}, {"47", "保安族"}, {"48", "裕固族"}, {"49", "京族"}, {"50", "塔塔尔族"},
			{"51", "独龙族"}, {"52", "鄂伦春族"}, {"53", "赫哲族"}, {"54", "门巴族"}, {"55", "珞巴族"},
			{"56", "基诺族"}, {"97", "其他未识别民族"}, {"98", "外国血统中国籍人士"},
		},
	}

	// Education is GB/T 4658-2006 学历代码.
	Education = &CodeList{
		Standard: "GB/T 4658",
		Title:    "学历代码",
		Codes: []Code{
			{"10", "研究生教育"}, {"11", "博士研究生毕业"}, {"12", "博士研究生结业"}, {"13", "博士研究生肄业"},
			{"14", "硕士研究生毕业"}, {"15", "硕士研究生结业"}, {"16", "硕士研究生肄业"},
			{"17", "研究生班毕业"}, {"18", "研究生班结业"}, {"19", "研究生班肄业"},
			{"20", "大学本科教育"}, {"21", "大学本科毕业"}, {"22", "大学本科结业"}, {"23", "大学本科肄业"}, {"28", "大学普通班毕业"},
			{"30", "大学专科教育"}, {"31", "大学专科毕业"}, {"32", "大学专科结业"}, {"33", "大学专科肄业"},
			{"40", "中等职业教育"}, {"41", "中等专科毕业"}, {"42", "中等专科结业"}, {"43", "中等专科肄业"},
			{"44", "职业高中毕业"}, {"45", "职业高中结业"}, {"46", "职业高中肄业"},
			{"47", "技工学校毕业"}, {"48", "技工学校结业"}, {"49", "技工学校肄业"},
			{"60", "普通高级中学教育"}, {"61", "普通高中毕业"}, {"62", "普通高中结业"}, {"63", "普通高中肄业"},
			{"70", "初级中学教育"}, {"71", "初中毕业"}, {"73", "初中肄业"},
			{"80", "小学教育"}, {"81", "小学毕业"}, {"83", "小学肄业"},
			{"90", "其他"},
		},
	}

	// Industry is a subset of the divisions (大类, 2 digits) of
	// GB/T 4754-2017 国民经济行业分类: the ones the generators use. A
	// value outside it is not necessarily wrong; do not use it to reject
	// real data.
	Industry = &CodeList{
		Standard: "GB/T 4754",
		Title:    "国民经济行业分类(大类,部分)",
		Codes: []Code{
			{"01", "农业"}, {"02", "林业"}, {"03", "畜牧业"}, {"04", "渔业"},
			{"13", "农副食品加工业"}, {"14", "食品制造业"}, {"15", "酒、饮料和精制茶制造业"},
			{"17", "纺织业"}, {"18", "纺织服装、服饰业"}, {"19", "皮革、毛皮、羽毛及其制品和制鞋业"},
			{"20", "木材加工和木、竹、藤、棕、草制品业"}, {"26", "化学原料和化学制品制造业"},
			{"29", "橡胶和塑料制品业"}, {"30", "非金属矿物制品业"}, {"34", "通用设备制造业"},
			{"36", "汽车制造业"}, {"38", "电气机械和器材制造业"}, {"39", "计算机、通信和其他电子设备制造业"},
			{"44", "电力、热力生产和供应业"}, {"47", "房屋建筑业"}, {"48", "土木工程建筑业"},
			{"51", "批发业"}, {"52", "零售业"}, {"54", "道路运输业"}, {"61", "住宿业"}, {"62", "餐饮业"},
			{"64", "互联网和相关服务"}, {"65", "软件和信息技术服务业"}, {"66", "货币金融服务"},
			{"70", "房地产业"}, {"72", "商务服务业"}, {"73", "研究和试验发展"}, {"75", "科技推广和应用服务业"},
			{"83", "教育"}, {"84", "卫生"},
		},
	}
)

// codeLists indexes the built-in lists by standard.
var codeLists = map[string]*CodeList{
	Sex.Standard: Sex, Marital.Standard: Marital, Ethnic.Standard: Ethnic,
	Education.Standard: Education, Industry.Standard: Industry,
}

// LookupCodeList returns the built-in code list of a standard, such as
// "GB/T 3304". A year suffix ("GB/T 3304-1991") is ignored.
func LookupCodeList(standard string) (*CodeList, bool) {
	if l, ok := codeLists[standard]; ok {
		return l, true
	}
	for i := len(standard) - 1; i > 0; i-- {
		if standard[i] == '-' {
			l, ok := codeLists[standard[:i]]
			return l, ok
		}
	}
	return nil, false
}

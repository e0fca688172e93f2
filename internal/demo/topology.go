package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/uscc"
)

// provinceNode is the hub node the bootstrap of a Fujian province node
// creates; platformCode is the provider code of the organisation it
// creates to operate the platform (福建省大数据管理局).
const (
	provinceNode   = "node-350000"
	provinceRegion = "350000"
	platformCode   = "DSJ350000"
)

// city is one of Fujian's ten city-level areas with its counties.
type city struct {
	region, name, short string
	counties            []string
}

var cities = []city{
	{"350100", "福州市", "福州", []string{"鼓楼区", "台江区", "仓山区", "马尾区", "晋安区", "长乐区", "福清市", "闽侯县", "连江县", "罗源县", "闽清县", "永泰县"}},
	{"350200", "厦门市", "厦门", []string{"思明区", "海沧区", "湖里区", "集美区", "同安区", "翔安区"}},
	{"350300", "莆田市", "莆田", []string{"城厢区", "涵江区", "荔城区", "秀屿区", "仙游县"}},
	{"350400", "三明市", "三明", []string{"三元区", "沙县区", "永安市", "明溪县", "清流县", "宁化县", "大田县", "尤溪县", "将乐县", "泰宁县", "建宁县"}},
	{"350500", "泉州市", "泉州", []string{"鲤城区", "丰泽区", "洛江区", "泉港区", "石狮市", "晋江市", "南安市", "惠安县", "安溪县", "永春县", "德化县"}},
	{"350600", "漳州市", "漳州", []string{"芗城区", "龙文区", "龙海区", "长泰区", "云霄县", "漳浦县", "诏安县", "东山县", "南靖县", "平和县", "华安县"}},
	{"350700", "南平市", "南平", []string{"延平区", "建阳区", "邵武市", "武夷山市", "建瓯市", "顺昌县", "浦城县", "光泽县", "松溪县", "政和县"}},
	{"350800", "龙岩市", "龙岩", []string{"新罗区", "永定区", "漳平市", "长汀县", "上杭县", "武平县", "连城县"}},
	{"350900", "宁德市", "宁德", []string{"蕉城区", "福安市", "福鼎市", "霞浦县", "古田县", "屏南县", "寿宁县", "周宁县", "柘荣县"}},
	{"350128", "平潭综合实验区", "平潭", nil},
}

func cityNode(region string) string { return "node-" + region }

// Department and exchange nodes.
const (
	powerNode    = "node-350000-gwfjdl"
	mobileNode   = "node-350000-ydfj"
	exchangeNode = "node-350000-exchange"
)

func demoNodes() []identity.Node {
	var out []identity.Node
	for _, c := range cities {
		out = append(out, identity.Node{ID: cityNode(c.region), Role: identity.RoleCity, RegionCode: c.region,
			Name: c.name + "公共数据平台", ParentID: provinceNode})
	}
	return append(out,
		identity.Node{ID: powerNode, Role: identity.RoleDepartment, RegionCode: provinceRegion, Name: "国网福建电力公共数据节点", ParentID: provinceNode},
		identity.Node{ID: mobileNode, Role: identity.RoleDepartment, RegionCode: provinceRegion, Name: "福建移动通信公共数据节点", ParentID: provinceNode},
		identity.Node{ID: exchangeNode, Role: identity.RoleExchange, RegionCode: provinceRegion, Name: "福建大数据交易所数据交易平台", ParentID: provinceNode},
	)
}

// orgSpec describes a demo organisation. domain names its line of duty,
// so that city copies of a provincial resource go to the city body with
// the same duty (or else to the city's data authority).
type orgSpec struct {
	code, name, short, nameEN, kind, region, node, domain, duties string
}

func prov(code, name, short, en, domain, duties string) orgSpec {
	return orgSpec{code, name, short, en, "department", provinceRegion, provinceNode, domain, duties}
}

func inst(code, name, short, en, region, domain, duties string) orgSpec {
	node := provinceNode
	if region != provinceRegion {
		node = cityNode(region)
	}
	return orgSpec{code, name, short, en, "institution", region, node, domain, duties}
}

func bureau(code, name, en, region, domain, duties string) orgSpec {
	return orgSpec{code, name, name, en, "bureau", region, cityNode(region), domain, duties}
}

// orgSpecs are the demo organisations, the platform's own organisation
// (created by the bootstrap) excepted.
var orgSpecs = []orgSpec{
	prov("SGAT", "福建省公安厅", "省公安厅", "Fujian Provincial Public Security Department", "police", "户籍、居民身份证、出入境、机动车和驾驶人管理"),
	prov("SRST", "福建省人力资源和社会保障厅", "省人社厅", "Fujian Human Resources and Social Security Department", "hrss", "社会保险、就业、职业技能和社会保障卡管理"),
	prov("SSCJG", "福建省市场监督管理局", "省市场监管局", "Fujian Administration for Market Regulation", "market", "市场主体登记、食品安全、产品质量和特种设备监管"),
	prov("SZRZYT", "福建省自然资源厅", "省自然资源厅", "Fujian Department of Natural Resources", "natres", "不动产登记、国土空间规划、测绘地理信息"),
	prov("SWJW", "福建省卫生健康委员会", "省卫健委", "Fujian Health Commission", "health", "医疗机构和医师执业管理、全民健康信息"),
	prov("SMZT", "福建省民政厅", "省民政厅", "Fujian Department of Civil Affairs", "civil", "婚姻登记、社会救助、社会组织、养老服务、地名和殡葬管理"),
	prov("SJYT", "福建省教育厅", "省教育厅", "Fujian Department of Education", "edu", "学校、学籍学历和教师资格管理"),
	prov("SSTHJT", "福建省生态环境厅", "省生态环境厅", "Fujian Department of Ecology and Environment", "env", "环境质量监测、污染源监管和排污许可"),
	prov("SJTYST", "福建省交通运输厅", "省交通运输厅", "Fujian Department of Transport", "transport", "道路运输、公共交通和交通基础设施管理"),
	prov("SZJT", "福建省住房和城乡建设厅", "省住建厅", "Fujian Department of Housing and Urban-Rural Development", "housing", "住房保障、房地产市场、建设工程和建筑业管理"),
	prov("SSWJ", "国家税务总局福建省税务局", "省税务局", "Fujian Provincial Tax Service, STA", "tax", "税收征管、纳税信用和发票管理"),
	prov("SYBJ", "福建省医疗保障局", "省医保局", "Fujian Healthcare Security Administration", "medins", "医疗保险参保、医保结算和定点医药机构管理"),
	prov("SWHLYT", "福建省文化和旅游厅", "省文旅厅", "Fujian Department of Culture and Tourism", "culture", "公共文化、旅游景区、旅行社和文物保护"),
	prov("SYJGLT", "福建省应急管理厅", "省应急厅", "Fujian Department of Emergency Management", "emerg", "安全生产、危险化学品、自然灾害和应急物资管理"),
	prov("SFGW", "福建省发展和改革委员会", "省发改委", "Fujian Development and Reform Commission", "dev", "固定资产投资项目、价格监测和社会信用体系建设"),
	prov("SCZT", "福建省财政厅", "省财政厅", "Fujian Department of Finance", "finance", "预算执行、国有资产和政府性融资担保管理"),
	prov("STJJ", "福建省统计局", "省统计局", "Fujian Bureau of Statistics", "stats", "国民经济核算、统计调查和统计数据发布"),
	prov("SSFT", "福建省司法厅", "省司法厅", "Fujian Department of Justice", "justice", "律师、公证、人民调解、法律援助、社区矫正和行政执法监督"),
	prov("SNYNCT", "福建省农业农村厅", "省农业农村厅", "Fujian Department of Agriculture and Rural Affairs", "agri", "农村土地承包、新型农业经营主体和惠农补贴"),
	prov("SSLT", "福建省水利厅", "省水利厅", "Fujian Department of Water Resources", "water", "水库、水文水雨情和取水许可管理"),
	prov("SSWT", "福建省商务厅", "省商务厅", "Fujian Department of Commerce", "commerce", "对外贸易、外商投资和单用途预付卡管理"),
	prov("SLYJ", "福建省林业局", "省林业局", "Fujian Forestry Bureau", "forest", "林权、林木采伐和森林防火管理"),
	prov("STYJ", "福建省体育局", "省体育局", "Fujian Sports Bureau", "sport", "全民健身场地设施、体育赛事和社会体育指导员管理"),
	prov("SGXT", "福建省工业和信息化厅", "省工信厅", "Fujian Department of Industry and Information Technology", "industry", "工业运行监测和中小企业发展"),
	prov("STYJRT", "福建省退役军人事务厅", "省退役军人事务厅", "Fujian Department of Veterans Affairs", "veteran", "退役军人和优抚对象服务保障"),
	prov("SWBB", "中共福建省委机构编制委员会办公室", "省委编办", "Fujian Commission Office for Public Sector Reform", "staffing", "机关事业单位机构编制和事业单位登记管理"),
	inst("SDAG", "福建省档案馆", "省档案馆", "Fujian Provincial Archives", provinceRegion, "archive", "档案接收、保管和开放利用"),
	inst("SJKZX", "福建省疾病预防控制中心", "省疾控中心", "Fujian Center for Disease Control and Prevention", provinceRegion, "cdc", "传染病监测报告和预防接种管理"),
	inst("SXXZX", "福建省经济信息中心", "省经济信息中心", "Fujian Economic Information Center", provinceRegion, "info", "政务云和电子政务外网运行保障"),
	inst("SZGJJ", "福建省省直单位住房公积金中心", "省直公积金中心", "Fujian Provincial Housing Provident Fund Center", provinceRegion, "fund", "住房公积金归集、提取和贷款管理"),
	inst("SCL", "福建省残疾人联合会", "省残联", "Fujian Disabled Persons' Federation", provinceRegion, "disabled", "残疾人证发放和残疾人服务"),
	{"GWFJDL", "国网福建省电力有限公司", "国网福建电力", "State Grid Fujian Electric Power Co.", "utility", provinceRegion, powerNode, "power", "全省电网运行和电力供应服务"},
	{"YDFJ", "中国移动通信集团福建有限公司", "福建移动", "China Mobile Fujian", "utility", provinceRegion, mobileNode, "mobile", "通信服务及区域人口流动统计分析"},
	{"FJDSJJYS", "福建大数据交易所有限公司", "福建大数据交易所", "Fujian Big Data Exchange", "utility", provinceRegion, exchangeNode, "exchange", "数据产品登记、挂牌交易和结算服务"},
	// City data authorities, one per city-level area.
	{"FZDSJW", "福州市大数据发展管理委员会", "福州市大数据委", "Fuzhou Big Data Development Administration", "authority", "350100", cityNode("350100"), "data", "统筹福州市公共数据资源管理和平台运营"},
	{"XMDSJJ", "厦门市大数据管理局", "厦门市大数据局", "Xiamen Big Data Administration", "authority", "350200", cityNode("350200"), "data", "统筹厦门市公共数据资源管理和平台运营"},
	{"PTDSJJ", "莆田市大数据管理局", "莆田市大数据局", "Putian Big Data Administration", "authority", "350300", cityNode("350300"), "data", "统筹莆田市公共数据资源管理和平台运营"},
	{"SMDSJJ", "三明市大数据管理局", "三明市大数据局", "Sanming Big Data Administration", "authority", "350400", cityNode("350400"), "data", "统筹三明市公共数据资源管理和平台运营"},
	{"QZSJGLJ", "泉州市数据管理局", "泉州市数据局", "Quanzhou Data Administration", "authority", "350500", cityNode("350500"), "data", "统筹泉州市公共数据资源管理和平台运营"},
	{"ZZDSJJ", "漳州市大数据管理局", "漳州市大数据局", "Zhangzhou Big Data Administration", "authority", "350600", cityNode("350600"), "data", "统筹漳州市公共数据资源管理和平台运营"},
	{"NPDSJJ", "南平市大数据管理局", "南平市大数据局", "Nanping Big Data Administration", "authority", "350700", cityNode("350700"), "data", "统筹南平市公共数据资源管理和平台运营"},
	{"LYDSJJ", "龙岩市大数据管理局", "龙岩市大数据局", "Longyan Big Data Administration", "authority", "350800", cityNode("350800"), "data", "统筹龙岩市公共数据资源管理和平台运营"},
	{"NDDSJJ", "宁德市大数据管理局", "宁德市大数据局", "Ningde Big Data Administration", "authority", "350900", cityNode("350900"), "data", "统筹宁德市公共数据资源管理和平台运营"},
	{"PTSYQDSJ", "平潭综合实验区大数据管理中心", "平潭大数据中心", "Pingtan Big Data Center", "authority", "350128", cityNode("350128"), "data", "统筹平潭综合实验区公共数据资源管理和平台运营"},
	// City departments.
	bureau("FZGAJ", "福州市公安局", "Fuzhou Public Security Bureau", "350100", "police", "福州市户籍、居民身份证和交通管理"),
	bureau("FZRSJ", "福州市人力资源和社会保障局", "Fuzhou Human Resources and Social Security Bureau", "350100", "hrss", "福州市社会保险、就业和社保卡管理"),
	bureau("FZSCJGJ", "福州市市场监督管理局", "Fuzhou Administration for Market Regulation", "350100", "market", "福州市市场主体登记和市场监管"),
	inst("FZGJJ", "福州住房公积金中心", "福州公积金中心", "Fuzhou Housing Provident Fund Center", "350100", "fund", "福州市住房公积金归集、提取和贷款管理"),
	bureau("XMGAJ", "厦门市公安局", "Xiamen Public Security Bureau", "350200", "police", "厦门市户籍、居民身份证和交通管理"),
	bureau("XMRSJ", "厦门市人力资源和社会保障局", "Xiamen Human Resources and Social Security Bureau", "350200", "hrss", "厦门市社会保险、就业和社保卡管理"),
	bureau("XMWJW", "厦门市卫生健康委员会", "Xiamen Health Commission", "350200", "health", "厦门市医疗卫生和健康信息管理"),
	bureau("XMSCJGJ", "厦门市市场监督管理局", "Xiamen Administration for Market Regulation", "350200", "market", "厦门市市场主体登记和市场监管"),
	bureau("QZGAJ", "泉州市公安局", "Quanzhou Public Security Bureau", "350500", "police", "泉州市户籍、居民身份证和交通管理"),
	bureau("QZZRZYJ", "泉州市自然资源和规划局", "Quanzhou Natural Resources and Planning Bureau", "350500", "natres", "泉州市不动产登记和国土空间规划"),
	bureau("QZYBJ", "泉州市医疗保障局", "Quanzhou Healthcare Security Bureau", "350500", "medins", "泉州市医保参保和结算管理"),
	bureau("ZZRSJ", "漳州市人力资源和社会保障局", "Zhangzhou Human Resources and Social Security Bureau", "350600", "hrss", "漳州市社会保险、就业和社保卡管理"),
	bureau("SMYBJ", "三明市医疗保障局", "Sanming Healthcare Security Bureau", "350400", "medins", "三明市医保参保、结算和医改监测"),
	bureau("LYJYJ", "龙岩市教育局", "Longyan Education Bureau", "350800", "edu", "龙岩市学校和学籍管理"),
	// City utilities.
	{"FZSWJT", "福州水务集团有限公司", "福州水务", "Fuzhou Water Group", "utility", "350100", cityNode("350100"), "watersupply", "福州市城市供水和污水处理"},
	{"XMHRRQ", "厦门华润燃气有限公司", "厦门华润燃气", "Xiamen China Resources Gas", "utility", "350200", cityNode("350200"), "gas", "厦门市管道燃气供应和安全检查"},
}

// ensureOrgs creates the demo organisations that do not exist yet (a
// previous run may have stopped part way) and returns every organisation
// by provider code.
func ensureOrgs(ctx context.Context, ident *identity.Service, rnd *rand.Rand) (map[string]identity.Organisation, error) {
	existing, err := ident.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]identity.Organisation{}
	for _, o := range existing {
		byCode[o.ProviderCode] = o
	}
	if _, ok := byCode[platformCode]; !ok {
		return nil, fmt.Errorf("the platform organisation %s is missing: the demo seeds a Fujian province node (role province, region 350000)", platformCode)
	}
	for _, s := range orgSpecs {
		code := usccFor(rnd, s.kind, s.region) // drawn for every spec, so codes do not depend on what exists
		if _, ok := byCode[s.code]; ok {
			continue
		}
		o, err := ident.SeedOrg(ctx, identity.Organisation{NodeID: s.node, Name: s.name, NameEN: s.nameEN, ProviderCode: s.code,
			USCC: code, Kind: s.kind, RegionCode: s.region, Duties: s.duties})
		if err != nil {
			return nil, fmt.Errorf("create organisation %s: %w", s.name, err)
		}
		byCode[s.code] = *o
	}
	return byCode, nil
}

// usccFor draws a code whose registration authority and type fit the
// organisation's kind: 11 for government bodies, 12 for public
// institutions, 91 for enterprises (GB 32100).
func usccFor(rnd *rand.Rand, kind, region string) string {
	prefix := map[string]string{"institution": "12", "utility": "91"}[kind]
	if prefix == "" {
		prefix = "11"
	}
	for {
		if c := uscc.Generate(rnd, region); c[:2] == prefix {
			return c
		}
	}
}

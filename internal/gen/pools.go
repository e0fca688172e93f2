package gen

import (
	"math/rand/v2"
	"strings"

	"github.com/pubdata/pubdata/internal/region"
)

// Pools of the texts rows are made of. They are synthetic: names and
// streets are common ones, not records of real people or places.

// weighted picks an index with given weights from a 4096-entry table.
type weighted []uint16

func newWeighted(weights []int) weighted {
	total := 0
	for _, w := range weights {
		total += w
	}
	t := make(weighted, 4096)
	k, acc := 0, 0
	for i, w := range weights {
		acc += w
		for end := acc * len(t) / total; k < end; k++ {
			t[k] = uint16(i)
		}
	}
	return t
}

func (w weighted) pick(r *rand.Rand) int { return int(w[r.IntN(len(w))]) }

// surnames, most common first with weights roughly as in Fujian (陈 林 黄
// lead), then compound surnames. 𠮷 (U+20BB7, outside GBK) is rare; GBK
// files get 吉 in its place.
var surnames = strings.Fields(`陈 林 黄 张 吴 李 王 郑 刘 杨 许 蔡 洪 郭 曾 周 谢 庄 苏 叶
江 何 游 邱 罗 高 朱 徐 詹 卢 连 傅 余 肖 潘 范 戴 方 魏 柯 翁 施 钟 赖 邓 严 薛 龚 宋 汤
欧阳 上官 司马 𠮷`)

var surnameWeights = func() []int {
	w := make([]int, len(surnames))
	for i := range w {
		switch {
		case i < 3:
			w[i] = 120
		case i < 10:
			w[i] = 60
		case i < 20:
			w[i] = 25
		default:
			w[i] = 8
		}
	}
	w[len(w)-4], w[len(w)-3], w[len(w)-2] = 2, 1, 1 // 欧阳 上官 司马
	w[len(w)-1] = 1                                 // 𠮷
	return w
}()

// givenMale and givenFemale are characters of given names.
var (
	givenMale = strings.Fields(`伟 强 磊 军 勇 杰 涛 斌 超 明 华 建 国 平 辉 鑫 宇 浩 文 志
俊 峰 毅 鹏 晨 昊 睿 泽 铭 翔 坤 彬 榕 闽 旭 航 锦 荣 海 清 金 水 福 春 德 龙 生 添 财 祥
宏 嘉 博 子 一 梓 轩 堃 喆 燊`)
	givenFemale = strings.Fields(`秀 英 芳 丽 敏 静 婷 燕 玲 霞 红 梅 莉 娟 琳 雪 萍 颖 欣 怡
佳 倩 晶 妍 琪 璐 瑶 涵 诗 雅 思 钰 馨 雯 月 珠 兰 凤 桂 惠 美 玉 淑 慧 婉 可 欢 沁 琦
萱 彤 珺 玥 祎 䶮`)
)

// rare are given-name characters outside GBK (4-byte sequences in
// GB18030), with the character GBK files get in their place.
var rare = []struct{ char, gbk string }{
	{"𫖮", "颐"}, {"𬀩", "玮"}, {"𬎆", "田"}, {"㛃", "洁"}, {"𡒄", "培"},
}

// rareSurname is the GBK replacement of 𠮷, the last surname.
const rareSurname = "吉"

var (
	towns = strings.Fields(`城关镇 东街街道 西门街道 南街街道 北苑街道 凤城镇 龙山街道 梅溪镇 青口镇
江南街道 湖滨街道 新店镇 洪山镇 上街镇 南屿镇 东湖街道 华林街道 金山街道 海滨镇 石门镇`)
	roads = strings.Fields(`人民路 解放路 中山路 建设路 新华路 胜利路 和平路 东大路 五一路 八一路
江滨路 湖东路 福新路 工业路 学府路 滨海大道 龙腾路 金山大道 榕城路 鼓屏路`)
)

// Legal persons.
var (
	firmWords = strings.Fields(`鑫达 恒信 华泰 宏远 永丰 嘉禾 中闽 海峡 融达 天成 瑞丰 兴业 晟源 宏图
博雅 锦程 辉煌 福泰 安达 新锐 金桥 银河 东南 海西 闽江 武夷 泉顺 鹭岛 盛世 万象`)
	firmTrades = strings.Fields(`贸易 科技 建设工程 食品 茶业 服装 电子 网络科技 物流 房地产开发 餐饮管理
信息技术 新材料 机械设备 农业开发 文化传媒 医疗器械 水产 鞋业 家具`)
	firmForms  = strings.Fields(`有限公司 有限责任公司 股份有限公司 有限公司 有限公司`)
	registrars = []string{"市场监督管理局", "行政审批局"}
)

// Licences: type code, name, and whether the holder is a person.
var licenceTypes = []struct {
	code, name string
	person     bool
}{
	{"YYZZ", "营业执照", false},
	{"SPJY", "食品经营许可证", false},
	{"DLYS", "道路运输经营许可证", false},
	{"BDCQ", "不动产权证书", true},
	{"JSZ", "机动车驾驶证", true},
	{"JHZ", "结婚证", true},
	{"YSZY", "医师执业证书", true},
	{"CJRZ", "残疾人证", true},
}

var issuerSuffix = map[string]string{
	"YYZZ": "市场监督管理局", "SPJY": "市场监督管理局", "DLYS": "交通运输局",
	"BDCQ": "自然资源和规划局", "JSZ": "公安局交通警察支队", "JHZ": "民政局",
	"YSZY": "卫生健康委员会", "CJRZ": "残疾人联合会",
}

// pools are the encoded texts shared by the generators.
type pools struct {
	c          *codec
	counties   []region.Region // Fujian's counties but 金门县
	countyText []text          // full names: 福建省福州市鼓楼区
	cityShort  []text          // the county's prefecture without 市: 福州
	surnames   []text
	surnameW   weighted
	male       []text // common characters, then rare ones
	female     []text
	nMale      int // common male characters
	nFemale    int
	towns      []text
	roads      []text

	hao, zhuang, shi, fu text // 号 幢 室 附
}

func newPools(c *codec) *pools {
	p := &pools{c: c}
	for _, r := range region.Fujian() {
		if r.Code == "350527" { // 金门县: not administered by the province
			continue
		}
		p.counties = append(p.counties, r)
		p.countyText = append(p.countyText, c.text(region.FullName(r.Code)))
		city, _ := region.Lookup(r.Parent)
		p.cityShort = append(p.cityShort, c.text(strings.TrimSuffix(city.Name, "市")))
	}
	sn := append([]string(nil), surnames...)
	if c.gbk() {
		sn[len(sn)-1] = rareSurname
	}
	p.surnames = c.texts(sn)
	p.surnameW = newWeighted(surnameWeights)
	p.male, p.nMale = p.givenPool(givenMale)
	p.female, p.nFemale = p.givenPool(givenFemale)
	p.towns = c.texts(towns)
	p.roads = c.texts(roads)
	p.hao, p.zhuang, p.shi, p.fu = c.text("号"), c.text("幢"), c.text("室"), c.text("附")
	return p
}

// givenPool encodes common characters followed by the rare ones (or, in
// GBK, their replacements).
func (p *pools) givenPool(common []string) ([]text, int) {
	pool := p.c.texts(common)
	for _, r := range rare {
		ch := r.char
		if p.c.gbk() {
			ch = r.gbk
		}
		pool = append(pool, p.c.text(ch))
	}
	return pool, len(common)
}

// pickName draws a surname and one or two given-name characters (-1 for
// none) for sex '1' or '2'.
func (p *pools) pickName(r *rand.Rand, sex byte) (surname int, given [2]int) {
	surname = p.surnameW.pick(r)
	given = [2]int{p.givenChar(r, sex), -1}
	if r.IntN(10) < 7 {
		given[1] = p.givenChar(r, sex)
	}
	return surname, given
}

// givenChar draws a given-name character: 1 in 1,000 is a rare one, so
// about 1 name in 500 has one.
func (p *pools) givenChar(r *rand.Rand, sex byte) int {
	n, pool := p.nMale, p.male
	if sex == '2' {
		n, pool = p.nFemale, p.female
	}
	if r.IntN(1000) == 0 {
		return n + r.IntN(len(pool)-n)
	}
	return r.IntN(n)
}

func (p *pools) appendName(b []byte, surname int, given [2]int, sex byte) []byte {
	b = append(b, p.surnames[surname].b...)
	pool := p.male
	if sex == '2' {
		pool = p.female
	}
	for _, k := range given {
		if k >= 0 {
			b = append(b, pool[k].b...)
		}
	}
	return b
}

func (p *pools) address(r *rand.Rand, county int) address {
	// One random number for all the parts (the bias of the remainders is
	// below 10^-15).
	x := r.Uint64()
	a := address{county: county}
	a.town, x = int(x%uint64(len(p.towns))), x/uint64(len(p.towns))
	a.road, x = int(x%uint64(len(p.roads))), x/uint64(len(p.roads))
	a.num, x = 1+int(x%300), x/300
	if x%2 == 0 {
		x /= 2
		a.building, x = 1+int(x%20), x/20
		a.room = 100*(1+int(x%18)) + 1 + int(x/18%4)
	}
	return a
}

func (p *pools) appendAddress(b []byte, a address) []byte {
	b = append(b, p.countyText[a.county].b...)
	b = append(b, p.towns[a.town].b...)
	b = append(b, p.roads[a.road].b...)
	b = appendInt(b, a.num)
	b = append(b, p.hao.b...)
	if a.building > 0 {
		b = appendInt(b, a.building)
		b = append(b, p.zhuang.b...)
		b = appendInt(b, a.room)
		b = append(b, p.shi.b...)
	}
	return b
}

// appendLong appends 201 to 240 characters of 附 notes after prefix: an
// over-long value, as a careless form entry might make.
func (p *pools) appendLong(b []byte, r *rand.Rand, prefix text) []byte {
	b = append(b, prefix.b...)
	n, target := prefix.n, 201+r.IntN(40)
	for n < target {
		t := p.roads[r.IntN(len(p.roads))]
		b = append(b, p.fu.b...)
		b = append(b, t.b...)
		n += 1 + t.n
	}
	return b
}

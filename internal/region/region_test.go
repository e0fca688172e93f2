package region

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		give string
		want Region
	}{
		{"350000", Region{Code: "350000", Name: "福建省", Level: Province}},
		{"350100", Region{Code: "350100", Name: "福州市", Level: Prefecture, Parent: "350000"}},
		{"350102", Region{Code: "350102", Name: "鼓楼区", Level: County, Parent: "350100"}},
		{"350128", Region{Code: "350128", Name: "平潭县", Level: County, Parent: "350100"}},
		{"350982", Region{Code: "350982", Name: "福鼎市", Level: County, Parent: "350900"}},
		{"110101", Region{Code: "110101", Name: "东城区", Level: County, Parent: "110000"}},
		{"419001", Region{Code: "419001", Name: "济源市", Level: County, Parent: "410000"}},
		{"441900", Region{Code: "441900", Name: "东莞市", Level: Prefecture, Parent: "440000"}},
		{"810000", Region{Code: "810000", Name: "香港特别行政区", Level: Province}},
		{"820000", Region{Code: "820000", Name: "澳门特别行政区", Level: Province}},
		{"710000", Region{Code: "710000", Name: "台湾省", Level: Province}},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.give)
		if !ok {
			t.Errorf("Lookup(%q) not found", tt.give)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Lookup(%q) (-want +got):\n%s", tt.give, diff)
		}
	}
}

func TestLookupMissing(t *testing.T) {
	for _, give := range []string{"", "35", "350101", "110100", "419000", "130171", "359999", "abcdef", "3501021"} {
		if r, ok := Lookup(give); ok {
			t.Errorf("Lookup(%q) = %+v, want not found", give, r)
		}
	}
}

func TestValid(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		{"350102", true},
		{"350000", true},
		{"350100", true},
		{"350128", true},
		{"350101", false}, // 市辖区 grouping rows are not codes
		{"130171", false}, // statistical-only development zone
		{"352201", false}, // former 宁德地区 county
		{"35010", false},
		{"3501020", false},
		{"35010a", false},
		{"", false},
		{"999999", false},
	}
	for _, tt := range tests {
		if got := Valid(tt.give); got != tt.want {
			t.Errorf("Valid(%q) = %v, want %v", tt.give, got, tt.want)
		}
	}
}

func TestValidPrefix(t *testing.T) {
	tests := []struct {
		give string
		want bool
	}{
		{"350102", true},
		{"350199", true},  // unknown county of a known prefecture
		{"350000", true},  // a province code is a code
		{"352201", true},  // former 宁德地区
		{"352601", true},  // former 龙岩地区
		{"110228", false}, // 1102 (北京市 县) has no county any more
		{"359901", false},
		{"350001", false}, // prefix 3500 is no prefecture
		{"990101", false},
		{"35010", false},
		{"35010X", false},
	}
	for _, tt := range tests {
		if got := ValidPrefix(tt.give); got != tt.want {
			t.Errorf("ValidPrefix(%q) = %v, want %v", tt.give, got, tt.want)
		}
	}
}

func TestCounts(t *testing.T) {
	var provinces, prefectures, counties int
	for _, r := range All() {
		switch r.Level {
		case Province:
			provinces++
		case Prefecture:
			prefectures++
		case County:
			counties++
		}
	}
	// 31 mainland province-level divisions plus Hong Kong, Macao, Taiwan;
	// 333 prefecture-level divisions (the Ministry of Civil Affairs' count
	// for 2023).
	if provinces != 34 || prefectures != 333 {
		t.Errorf("provinces, prefectures = %d, %d, want 34, 333", provinces, prefectures)
	}
	if counties < 2840 || counties > 2860 {
		t.Errorf("counties = %d, want about 2,850", counties)
	}
}

// fujianCounties are the county-level divisions of Fujian in the Ministry
// of Civil Affairs' 2023 list (including 350527 金门县).
const fujianCounties = `
350102 鼓楼区 350103 台江区 350104 仓山区 350105 马尾区 350111 晋安区 350112 长乐区
350121 闽侯县 350122 连江县 350123 罗源县 350124 闽清县 350125 永泰县 350128 平潭县 350181 福清市
350203 思明区 350205 海沧区 350206 湖里区 350211 集美区 350212 同安区 350213 翔安区
350302 城厢区 350303 涵江区 350304 荔城区 350305 秀屿区 350322 仙游县
350404 三元区 350405 沙县区 350421 明溪县 350423 清流县 350424 宁化县 350425 大田县 350426 尤溪县
350428 将乐县 350429 泰宁县 350430 建宁县 350481 永安市
350502 鲤城区 350503 丰泽区 350504 洛江区 350505 泉港区 350521 惠安县 350524 安溪县 350525 永春县
350526 德化县 350527 金门县 350581 石狮市 350582 晋江市 350583 南安市
350602 芗城区 350603 龙文区 350604 龙海区 350605 长泰区 350622 云霄县 350623 漳浦县 350624 诏安县
350626 东山县 350627 南靖县 350628 平和县 350629 华安县
350702 延平区 350703 建阳区 350721 顺昌县 350722 浦城县 350723 光泽县 350724 松溪县 350725 政和县
350781 邵武市 350782 武夷山市 350783 建瓯市
350802 新罗区 350803 永定区 350821 长汀县 350823 上杭县 350824 武平县 350825 连城县 350881 漳平市
350902 蕉城区 350921 霞浦县 350922 古田县 350923 屏南县 350924 寿宁县 350925 周宁县 350926 柘荣县
350981 福安市 350982 福鼎市`

func TestFujian(t *testing.T) {
	f := strings.Fields(fujianCounties)
	var want []string
	for i := 0; i < len(f); i += 2 {
		want = append(want, f[i]+" "+f[i+1])
	}
	var got []string
	for _, r := range Fujian() {
		got = append(got, r.Code+" "+r.Name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Fujian() (-want +got):\n%s", diff)
	}
	var prefectures []string
	for _, r := range Children("350000") {
		prefectures = append(prefectures, r.Code+" "+r.Name)
	}
	wantPref := []string{"350100 福州市", "350200 厦门市", "350300 莆田市", "350400 三明市", "350500 泉州市",
		"350600 漳州市", "350700 南平市", "350800 龙岩市", "350900 宁德市"}
	if diff := cmp.Diff(wantPref, prefectures); diff != "" {
		t.Errorf("Children(350000) (-want +got):\n%s", diff)
	}
}

func TestFullName(t *testing.T) {
	tests := []struct{ give, want string }{
		{"350102", "福建省福州市鼓楼区"},
		{"350100", "福建省福州市"},
		{"350000", "福建省"},
		{"110101", "北京市东城区"},
		{"999999", ""},
	}
	for _, tt := range tests {
		if got := FullName(tt.give); got != tt.want {
			t.Errorf("FullName(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestVersion(t *testing.T) {
	if got := Version(); got != "2023-06-30" {
		t.Errorf("Version() = %q, want 2023-06-30", got)
	}
	if !strings.Contains(Source(), "2023") {
		t.Errorf("Source() = %q, want it to name the 2023 list", Source())
	}
}

func TestNoAllocs(t *testing.T) {
	Valid("350102") // load the table
	if n := testing.AllocsPerRun(100, func() { Valid("350102"); ValidPrefix("352201") }); n != 0 {
		t.Errorf("Valid and ValidPrefix allocate %v times, want 0", n)
	}
}

func FuzzValidPrefix(f *testing.F) {
	for _, s := range []string{"350102", "", "35010a", "\xff\xff\xff\xff\xff\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Valid(s) && !ValidPrefix(s) {
			t.Errorf("Valid(%q) but not ValidPrefix", s)
		}
		if _, ok := Lookup(s); ok != Valid(s) {
			t.Errorf("Lookup(%q) found = %v, Valid = %v", s, ok, Valid(s))
		}
	})
}

func BenchmarkValid(b *testing.B) {
	codes := []string{"350102", "350128", "359999", "110101"}
	for i := 0; b.Loop(); i++ {
		Valid(codes[i%len(codes)])
	}
}

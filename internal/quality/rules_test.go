package quality

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pubdata/pubdata/internal/idcard"
)

func checkChar(first17 string) byte { return idcard.CheckChar(first17) }

// withCheck completes a 17-digit ID number prefix with its check character.
func withCheck(first17 string) string { return first17 + string(checkChar(first17)) }

func f64(f float64) *float64 { return &f }

// cellCase is one value checked against a one-column rule set.
type cellCase struct {
	give string
	want Key // "" passes
}

// runCells compiles col with rules and checks each value alone.
func runCells(t *testing.T, col Column, rules []Rule, tests []cellCase) {
	t.Helper()
	p, err := CompileAt([]Column{col}, rules, testNow)
	if err != nil {
		t.Fatalf("CompileAt: %v", err)
	}
	for _, tt := range tests {
		var out []Violation
		ok := p.Check([]string{tt.give}, &out)
		var got Key
		if len(out) > 0 {
			got = out[0].Key
		}
		if got != tt.want || ok != (tt.want == "") || len(out) > 1 {
			t.Errorf("%s: Check(%q) = %v %+v, want %q", col.Name, tt.give, ok, out, tt.want)
		}
	}
}

func TestRequired(t *testing.T) {
	runCells(t, Column{Name: "姓名", Required: true}, nil, []cellCase{
		{"林", ""},
		{"", KeyRequired},
		{"  \t", KeyRequired},
		{"\u3000", KeyRequired}, // ideographic space
	})
	runCells(t, Column{Name: "备注"}, nil, []cellCase{{"", ""}})
}

func TestTypeChar(t *testing.T) {
	runCells(t, Column{Name: "姓名", DataType: "C", Length: 3}, nil, []cellCase{
		{"林秀英", ""},
		{"abc", ""},
		{"林秀英子", KeyTooLong},
		{"abcd", KeyTooLong},
		{"𠮷𠮷𠮷", ""}, // characters, not bytes
		{" 林秀英 ", ""},
	})
}

func TestTypeNumber(t *testing.T) {
	runCells(t, Column{Name: "n", DataType: "N", Length: 5}, nil, []cellCase{
		{"12345", ""}, {"-1.5", ""}, {"+3", ""}, {"123.45", ""}, {"0.001", ""},
		{"123456", KeyTooManyDigits}, {"1,000", KeyNumber}, {"1.2.3", KeyNumber},
		{"-", KeyNumber}, {".", KeyNumber}, {"1e3", KeyNumber}, {"abc", KeyNumber},
	})
	runCells(t, Column{Name: "i", DataType: "I"}, nil, []cellCase{
		{"42", ""}, {"-7", ""}, {"4.2", KeyInteger}, {"x", KeyInteger},
	})
	runCells(t, Column{Name: "f", DataType: "F"}, nil, []cellCase{
		{"4.2", ""}, {"-1e-3", ""}, {"1E10", ""}, {"1e", KeyNumber}, {"e1", KeyNumber}, {"NaN", KeyNumber},
	})
	runCells(t, Column{Name: "y", DataType: "Y", Length: 18}, nil, []cellCase{{"1000000.00", ""}})
}

func TestTypeDate(t *testing.T) {
	runCells(t, Column{Name: "d", DataType: "D", Length: 8}, nil, []cellCase{
		{"20240229", ""}, {"2024-02-29", ""}, {"1900-01-01", ""},
		{"20230229", KeyDate}, {"2023-02-29", KeyDate}, {"2024/02/29", KeyDate},
		{"2024-2-9", KeyDate}, {"20241301", KeyDate}, {"20240100", KeyDate}, {"0999-01-01", KeyDate},
		{"1900-02-29", KeyDate}, {"2000-02-29", ""},
	})
}

func TestTypeDateTime(t *testing.T) {
	runCells(t, Column{Name: "t", DataType: "T", Length: 14}, nil, []cellCase{
		{"20240229235959", ""}, {"2024-02-29 23:59:59", ""}, {"2024-02-29T23:59", ""},
		{"2024-02-29T23:59:59.123Z", ""}, {"2024-02-29T23:59:59+08:00", ""}, {"20240229 08:00:00", ""},
		{"20240229245959", KeyDateTime}, {"2024-02-29", KeyDateTime}, {"2024-02-29 23:60:00", KeyDateTime},
		{"2024-02-29 23:59:59.", KeyDateTime}, {"2024-02-29 23:59:59+8", KeyDateTime}, {"2024-02-29_23:59:59", KeyDateTime},
	})
}

func TestTypeLogical(t *testing.T) {
	runCells(t, Column{Name: "l", DataType: "L"}, nil, []cellCase{
		{"1", ""}, {"false", ""}, {"是", ""}, {"N", ""}, {"yes", KeyLogical}, {"2", KeyLogical},
	})
}

func TestEnum(t *testing.T) {
	runCells(t, Column{Name: "婚姻状况", Codes: "GB/T 2261.2"}, nil, []cellCase{
		{"10", ""}, {"23", ""}, {"90", ""}, {"11", KeyEnum}, {"已婚", KeyEnum},
	})
	runCells(t, Column{Name: "民族", Element: ElementEthnic}, nil, []cellCase{
		{"01", ""}, {"22", ""}, {"98", ""}, {"1", KeyEnum}, {"57", KeyEnum}, {"汉族", KeyEnum},
	})
	runCells(t, Column{Name: "性别", Element: ElementSex}, nil, []cellCase{
		{"1", ""}, {"2", ""}, {"0", ""}, {"9", ""}, {"男", ""}, {"女", ""}, {"M", ""}, {"f", ""},
		{"3", KeyEnum}, {"男性", KeyEnum},
	})
	runCells(t, Column{Name: "状态"}, []Rule{{Kind: KindEnum, Column: "状态", Values: []string{"A", "B"}}}, []cellCase{
		{"A", ""}, {"C", KeyEnum}, {"a", KeyEnum},
	})
	runCells(t, Column{Name: "文化程度"}, []Rule{{Kind: KindEnum, Column: "文化程度", Standard: "GB/T 4658-2006"}}, []cellCase{
		{"21", ""}, {"72", KeyEnum},
	})
}

func TestRegion(t *testing.T) {
	runCells(t, Column{Name: "区划", Element: ElementRegion}, nil, []cellCase{
		{"350102", ""}, {"350128", ""}, {"350000", ""}, {"350101", KeyRegion}, {"359999", KeyRegion},
		{"35010", KeyRegion}, {"35O102", KeyRegion},
	})
}

func TestRegex(t *testing.T) {
	runCells(t, Column{Name: "编号"}, []Rule{{Kind: KindRegex, Column: "编号", Pattern: `[A-Z]{2}\d{4}`}}, []cellCase{
		{"FJ2024", ""}, {"FJ20245", KeyRegex}, {"xFJ2024", KeyRegex}, {"fj2024", KeyRegex},
	})
	runCells(t, Column{Name: "编号"}, []Rule{{Kind: KindRegex, Column: "编号", Pattern: `a|b`}}, []cellCase{
		{"a", ""}, {"b", ""}, {"ab", KeyRegex}, // anchored around the alternation
	})
}

func TestRange(t *testing.T) {
	runCells(t, Column{Name: "年龄"}, []Rule{{Kind: KindRange, Column: "年龄", Min: f64(0), Max: f64(150)}}, []cellCase{
		{"0", ""}, {"150", ""}, {"42.5", ""}, {"-1", KeyRangeLow}, {"151", KeyRangeHigh},
		{"abc", KeyRangeNumber}, {"NaN", KeyRangeNumber}, {"0x10", KeyRangeNumber}, {"1_000", KeyRangeNumber},
	})
	runCells(t, Column{Name: "金额"}, []Rule{{Kind: KindRange, Column: "金额", Min: f64(0)}}, []cellCase{
		{"1e9", ""}, {"-0.01", KeyRangeLow},
	})
}

func TestDateFormat(t *testing.T) {
	runCells(t, Column{Name: "d", DataType: "D"}, []Rule{{Kind: KindDate, Column: "d", Format: FormatDashed}}, []cellCase{
		{"2024-01-31", ""}, {"20240131", KeyDateFormat}, {"2024-01-32", KeyDateFormat},
	})
	runCells(t, Column{Name: "d"}, []Rule{{Kind: KindDate, Column: "d", Format: FormatCompact}}, []cellCase{
		{"20240131", ""}, {"2024-01-31", KeyDateFormat},
	})
	runCells(t, Column{Name: "t"}, []Rule{{Kind: KindDateTime, Column: "t"}}, []cellCase{
		{"2024-01-31 08:00:00", ""}, {"2024-01-31", KeyDateTime},
	})
}

func TestIDCard(t *testing.T) {
	good := withCheck("35010219900307123")
	bad := good[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", good[17])+1)%11])
	runCells(t, Column{Name: "公民身份号码", Element: ElementIDNumber}, nil, []cellCase{
		{good, ""},
		{strings.ToLower(withCheck("11010519491231002")), ""}, // a lower-case x is accepted
		{withCheck("35220119800101001"), ""},                  // former 宁德地区 code
		{bad, KeyIDCheck},
		{good[:17], KeyIDLength},
		{"35010219900307123A", KeyIDChar},
		{withCheck("35010219900230123"), KeyIDDate},
		{withCheck("35010220250701123"), KeyIDFuture}, // the day after testNow
		{withCheck("35010220250630123"), ""},          // testNow's date
		{withCheck("35990119900307123"), KeyIDRegion},
		{withCheck("99010119900307123"), KeyIDRegion},
	})
	runCells(t, Column{Name: "证件号码"}, []Rule{{Kind: KindIDCard, Column: "证件号码", IDRegion: "province"}}, []cellCase{
		{withCheck("35990119900307123"), ""}, {withCheck("99010119900307123"), KeyIDRegion},
	})
	runCells(t, Column{Name: "证件号码"}, []Rule{{Kind: KindIDCard, Column: "证件号码", IDRegion: "none"}}, []cellCase{
		{withCheck("99010119900307123"), ""},
	})
}

func TestUSCC(t *testing.T) {
	runCells(t, Column{Name: "统一社会信用代码", Element: ElementUSCC}, nil, []cellCase{
		{"91350100M000100Y43", ""},
		{"91350100M000100Y44", KeyUSCC},
		{"91350100m000100Y43", KeyUSCC},
		{"9135010", KeyUSCC},
	})
}

func TestMobile(t *testing.T) {
	runCells(t, Column{Name: "手机号码", Element: ElementMobile}, nil, []cellCase{
		{"13800138000", ""}, {"19912345678", ""}, {"16612345678", ""},
		{"12800138000", KeyMobile}, {"1380013800", KeyMobile}, {"138001380000", KeyMobile},
		{"1380013800a", KeyMobile}, {"+8613800138000", KeyMobile}, {"23800138000", KeyMobile},
	})
}

func TestEmail(t *testing.T) {
	runCells(t, Column{Name: "电子邮箱", Element: ElementEmail}, nil, []cellCase{
		{"lin@example.com", ""}, {"a.b+c@mail.fj.gov.cn", ""}, {"x_y@a-b.cn", ""},
		{"lin@", KeyEmail}, {"@example.com", KeyEmail}, {"lin@example", KeyEmail}, {"a..b@example.com", KeyEmail},
		{".a@example.com", KeyEmail}, {"a@b@example.com", KeyEmail}, {"a@-example.com", KeyEmail},
		{"a@example.c", KeyEmail}, {"a@example.c0m", KeyEmail}, {"林@example.com", KeyEmail}, {"a b@example.com", KeyEmail},
	})
}

func TestParty(t *testing.T) {
	runCells(t, Column{Name: "持证主体代码"}, []Rule{{Kind: KindParty, Column: "持证主体代码"}}, []cellCase{
		{withCheck("35010219900307123"), ""}, {"91350100M000100Y43", ""},
		{"91350100M000100Y44", KeyParty}, {"350102199003071230", KeyParty},
	})
}

func TestSeverityWarning(t *testing.T) {
	p, err := CompileAt([]Column{{Name: "手机号码", Element: ElementMobile}},
		[]Rule{{Kind: KindMobile, Column: "手机号码", Severity: Warning, Name: "手机号格式"}}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	var out []Violation
	if ok := p.Check([]string{"123"}, &out); !ok {
		t.Errorf("Check with a warning = false, want true")
	}
	want := []Violation{{Column: 0, Rule: "手机号格式", Kind: KindMobile, Severity: Warning, Key: KeyMobile}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
	if n := len(p.Rules()); n != 1 {
		t.Errorf("Rules() has %d rules, want the explicit one replacing the implied one", n)
	}
}

func TestTrim(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a ", "\ta\n", "林", "\u3000林\u3000", "林\u00a0", "\u2003x", "x\u0085", "福建省福州市", "é", "\u00a0"} {
		if got, want := trim(s), strings.TrimSpace(s); got != want {
			t.Errorf("trim(%q) = %q, want %q", s, got, want)
		}
	}
}

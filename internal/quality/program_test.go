package quality

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pubdata/pubdata/internal/apperr"
)

func compilePopulation(t testing.TB) *Program {
	t.Helper()
	p, err := CompileAt(population, nil, testNow)
	if err != nil {
		t.Fatalf("CompileAt(population): %v", err)
	}
	return p
}

// with returns goodRow with cell i set to v.
func with(pairs ...any) []string {
	row := slices.Clone(goodRow)
	for i := 0; i < len(pairs); i += 2 {
		row[pairs[i].(int)] = pairs[i+1].(string)
	}
	return row
}

func TestImpliedRules(t *testing.T) {
	p := compilePopulation(t)
	var got []string
	for _, r := range p.Rules() {
		got = append(got, string(r.Kind)+" "+r.Column+strings.Join(r.Columns, ","))
	}
	want := []string{
		"required 公民身份号码", "type 公民身份号码", "idcard 公民身份号码",
		"required 姓名", "type 姓名",
		"required 性别", "type 性别", "enum 性别",
		"required 出生日期", "type 出生日期",
		"type 民族", "enum 民族",
		"type 户籍地址", "type 现住址",
		"type 手机号码", "mobile 手机号码",
		"type 户籍地区划代码", "region 户籍地区划代码",
		"type 婚姻状况", "enum 婚姻状况",
		"type 文化程度", "enum 文化程度",
		"type 登记日期",
		"id_birth_sex 公民身份号码,出生日期,性别",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Rules() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0}, p.PrimaryKey()); diff != "" {
		t.Errorf("PrimaryKey() (-want +got):\n%s", diff)
	}
}

func TestCheckPopulation(t *testing.T) {
	p := compilePopulation(t)
	male := withCheck("35010219900307123")   // sequence 123: odd, male
	female := withCheck("35010219900307124") // even, female
	tests := []struct {
		name string
		give []string
		want []Violation
	}{
		{"valid", goodRow, nil},
		{"valid female", with(0, female, 2, "女"), nil},
		{"sex alias", with(2, "M"), nil},
		{"birth compact", with(3, "19900307"), nil},
		{"unknown sex code is no conflict", with(2, "9"), nil},
		{"short row", goodRow[:4], nil},
		{"birth mismatch", with(3, "1990-03-08"),
			[]Violation{{3, "id_birth_sex", KindIDBirthSex, Error, KeyIDBirthMismatch}}},
		{"sex mismatch", with(0, male, 2, "2"),
			[]Violation{{2, "id_birth_sex", KindIDBirthSex, Error, KeyIDSexMismatch}}},
		{"sex mismatch 女", with(0, male, 2, "女"),
			[]Violation{{2, "id_birth_sex", KindIDBirthSex, Error, KeyIDSexMismatch}}},
		{"both mismatch", with(0, female, 2, "1", 3, "1991-03-07"),
			[]Violation{{3, "id_birth_sex", KindIDBirthSex, Error, KeyIDBirthMismatch}, {2, "id_birth_sex", KindIDBirthSex, Error, KeyIDSexMismatch}}},
		{"bad ID skips the cross rule", with(0, male[:17]+"Y", 3, "2000-01-01"),
			[]Violation{{0, "idcard", KindIDCard, Error, KeyIDChar}}},
		{"bad birth date skips the cross rule", with(3, "1990-02-30"),
			[]Violation{{3, "type", KindType, Error, KeyDate}}},
		{"missing ID", with(0, ""),
			[]Violation{{0, "required", KindRequired, Error, KeyRequired}}},
		{"missing name", with(1, " "),
			[]Violation{{1, "required", KindRequired, Error, KeyRequired}}},
		{"several", with(7, "123", 8, "999999", 9, "99"),
			[]Violation{{7, "mobile", KindMobile, Error, KeyMobile}, {8, "region", KindRegion, Error, KeyRegion}, {9, "enum", KindEnum, Error, KeyEnum}}},
		{"over length", with(6, strings.Repeat("福", 201)),
			[]Violation{{6, "type", KindType, Error, KeyTooLong}}},
		{"ethnic", with(4, "畲"),
			[]Violation{{4, "enum", KindEnum, Error, KeyEnum}}},
	}
	for _, tt := range tests {
		var out []Violation
		ok := p.Check(tt.give, &out)
		if diff := cmp.Diff(tt.want, out); diff != "" {
			t.Errorf("%s: Check violations (-want +got):\n%s", tt.name, diff)
		}
		if ok != (len(tt.want) == 0) {
			t.Errorf("%s: Check = %v, want %v", tt.name, ok, len(tt.want) == 0)
		}
	}
}

func TestDateOrder(t *testing.T) {
	cols := []Column{{Name: "发证日期", DataType: "D"}, {Name: "有效期截止日期", DataType: "D"}}
	p, err := CompileAt(cols, []Rule{{Kind: KindDateOrder, Columns: []string{"发证日期", "有效期截止日期"}}}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		give []string
		want bool
	}{
		{[]string{"2020-01-01", "2030-01-01"}, true},
		{[]string{"2020-01-01", "2020-01-01"}, true},
		{[]string{"20200101", "2019-12-31"}, false},
		{[]string{"2020-01-01", ""}, true},
	}
	for _, tt := range tests {
		if got := p.Check(tt.give, nil); got != tt.want {
			t.Errorf("Check(%q) = %v, want %v", tt.give, got, tt.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	cols := []Column{{Name: "a", Code: "A"}, {Name: "b", DataType: "Q"}}
	tests := []struct {
		name  string
		cols  []Column
		rules []Rule
		field string
	}{
		{"unknown column", cols[:1], []Rule{{Kind: KindMobile, Column: "x"}}, "rules[0].column"},
		{"no column", cols[:1], []Rule{{Kind: KindMobile}}, "rules[0].column"},
		{"unknown kind", cols[:1], []Rule{{Kind: "nope", Column: "a"}}, "rules[0].kind"},
		{"bad regex", cols[:1], []Rule{{Kind: KindRegex, Column: "a", Pattern: "("}}, "rules[0].pattern"},
		{"empty enum", cols[:1], []Rule{{Kind: KindEnum, Column: "A"}}, "rules[0].values"},
		{"unknown standard", cols[:1], []Rule{{Kind: KindEnum, Column: "a", Standard: "GB/T 1"}}, "rules[0].standard"},
		{"bad range", cols[:1], []Rule{{Kind: KindRange, Column: "a", Min: f64(2), Max: f64(1)}}, "rules[0].min"},
		{"bad date format", cols[:1], []Rule{{Kind: KindDate, Column: "a", Format: "DD/MM/YYYY"}}, "rules[0].format"},
		{"cross needs 3", cols[:1], []Rule{{Kind: KindIDBirthSex, Columns: []string{"a"}}}, "rules[0].columns"},
		{"reference needs ref", cols[:1], []Rule{{Kind: KindReference, Columns: []string{"a"}}}, "rules[0].ref"},
		{"type without data type", cols[:1], []Rule{{Kind: KindType, Column: "a"}}, "rules[0].kind"},
		{"bad severity", cols[:1], []Rule{{Kind: KindMobile, Column: "a", Severity: 7}}, "rules[0].severity"},
		{"bad data type", cols, nil, "columns[1].data_type"},
		{"duplicate column", []Column{{Name: "a"}, {Name: "a"}}, nil, "columns[1].name"},
	}
	for _, tt := range tests {
		_, err := CompileAt(tt.cols, tt.rules, testNow)
		e, ok := err.(*apperr.Error)
		if !ok || e.Kind != apperr.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
			t.Errorf("%s: CompileAt error = %v, want Invalid on %s", tt.name, err, tt.field)
		}
	}
}

func TestDatasetRules(t *testing.T) {
	cols := []Column{{Name: "证照编号", PrimaryKey: true}, {Name: "持证主体代码"}}
	p, err := CompileAt(cols, []Rule{{Kind: KindReference, Columns: []string{"持证主体代码"}, Ref: "人口基本信息.公民身份号码", Severity: Warning}}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []DatasetRule{
		{Rule: Rule{Kind: KindUnique, Columns: []string{"证照编号"}}, Cols: []int{0}},
		{Rule: Rule{Kind: KindReference, Columns: []string{"持证主体代码"}, Ref: "人口基本信息.公民身份号码", Severity: Warning}, Cols: []int{1}},
	}
	if diff := cmp.Diff(want, p.Dataset()); diff != "" {
		t.Errorf("Dataset() (-want +got):\n%s", diff)
	}
	if !p.Check([]string{"x", "y"}, nil) {
		t.Errorf("Check evaluated a dataset rule")
	}
}

func TestMessage(t *testing.T) {
	p := compilePopulation(t)
	var out []Violation
	p.Check(with(7, "123"), &out)
	if got, want := p.Message(out[0], "zh-CN"), "手机号码：手机号码无效(应为以13至19开头的11位数字)"; got != want {
		t.Errorf("Message(zh) = %q, want %q", got, want)
	}
	if got, want := p.Message(out[0], "en"), "手机号码: the value is not a mobile number (11 digits starting with 13-19)"; got != want {
		t.Errorf("Message(en) = %q, want %q", got, want)
	}
	if got := KeyIDCheck.Text("zh"); got != "身份证号码校验码错误" {
		t.Errorf("KeyIDCheck.Text(zh) = %q", got)
	}
	for _, k := range Keys() {
		if k.Text("en") == string(k) || k.Text("zh") == k.Text("en") {
			t.Errorf("key %s lacks a message in zh or en", k)
		}
	}
}

func TestCheckNoAllocs(t *testing.T) {
	p := compilePopulation(t)
	out := make([]Violation, 0, 16)
	if n := testing.AllocsPerRun(200, func() { out = out[:0]; p.Check(goodRow, &out) }); n != 0 {
		t.Errorf("Check(valid row) allocates %v times, want 0", n)
	}
	bad := with(0, goodRow[0][:17]+"Y", 7, "1", 8, "1")
	if n := testing.AllocsPerRun(200, func() { out = out[:0]; p.Check(bad, &out) }); n != 0 {
		t.Errorf("Check(invalid row) with room in out allocates %v times, want 0", n)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add(goodRow[0], goodRow[2], goodRow[3], goodRow[7], goodRow[8], goodRow[6], 12)
	f.Add("", "", "", "", "", "", 0)
	f.Add("35010219900230123X", "女", "19900230", "1", "3501", "\xff\xfe", 5)
	p, err := CompileAt(population, []Rule{
		{Kind: KindRange, Column: "登记日期", Min: f64(0)},
		{Kind: KindRegex, Column: "姓名", Pattern: `\p{Han}+`, Severity: Warning},
		{Kind: KindEmail, Column: "现住址", Severity: Warning},
		{Kind: KindDateTime, Column: "户籍地址", Severity: Warning},
		{Kind: KindParty, Column: "民族", Severity: Warning},
	}, testNow)
	if err != nil {
		f.Fatal(err)
	}
	u := NewUnique([]int{0, 1})
	f.Fuzz(func(t *testing.T, id, sex, birth, mobile, regionCode, text string, n int) {
		row := []string{id, text, sex, birth, text, text, text, mobile, regionCode, sex, birth, text}
		if n >= 0 && n <= len(row) {
			row = row[:n]
		}
		var out []Violation
		ok := p.Check(row, &out)
		errs := 0
		for _, v := range out {
			if v.Column < -1 || v.Column >= len(population) || v.Key.Text("zh") == "" {
				t.Errorf("bad violation %+v", v)
			}
			if v.Severity == Error {
				errs++
			}
		}
		if ok != (errs == 0) {
			t.Errorf("Check = %v with %d errors", ok, errs)
		}
		u.Add(row, 1)
		u.Verify(row, 1)
	})
}

// BenchmarkCheckPopulationRow checks a valid 12-column population row with
// the rules its columns imply.
func BenchmarkCheckPopulationRow(b *testing.B) {
	p := compilePopulation(b)
	out := make([]Violation, 0, 16)
	b.ReportAllocs()
	for b.Loop() {
		out = out[:0]
		if !p.Check(goodRow, &out) {
			b.Fatal(out)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func TestCheckConcurrent(t *testing.T) {
	p := compilePopulation(t)
	bad := with(7, "123")
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			var out []Violation
			for i := 0; i < 1000; i++ {
				out = out[:0]
				ok = ok && p.Check(goodRow, &out) && !p.Check(bad, &out)
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Error("concurrent Check gave a wrong answer")
		}
	}
}

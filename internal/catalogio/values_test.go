package catalogio

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/catalog"
)

func TestParseCode(t *testing.T) {
	tests := []struct {
		table []catalog.CodeEntry
		give  string
		want  string
	}{
		{catalog.ShareTypes, "有条件共享", "2"},
		{catalog.ShareTypes, "2", "2"},
		{catalog.ShareTypes, " 2 - 有条件共享 ", "2"},
		{catalog.ShareTypes, "Conditional sharing", "2"},
		{catalog.UpdateCycles, "每日", "daily"},
		{catalog.UpdateCycles, "DAILY", "daily"},
		{catalog.UpdateCycles, "每季度", "quarterly"},
		{catalog.Categories, "核心数据", "core"},
		{catalog.Categories, "important", "important"},
		{catalog.Categories, "一般", "general"},
		{catalog.Sensitivities, "l3", "L3"},
		{catalog.Sensitivities, "三级(敏感)", "L3"},
		{catalog.Sensitivities, "三级", "L3"},
		{catalog.DataTypes, "字符型", "C"},
		{catalog.DataTypes, "c", "C"},
		{catalog.FormatClasses, "数据库", "3"},
		{catalog.FormatClasses, "3", "3"},
		{catalog.ShareMethods, "接口共享", "api"},
		{catalog.OpenTypes, "不予开放", "3"},
		{catalog.OpenTypes, "", ""},
	}
	for _, tt := range tests {
		got, err := parseCode(tt.table, tt.give)
		if err != nil || got != tt.want {
			t.Errorf("parseCode(%q) = %q, %v, want %q", tt.give, got, err, tt.want)
		}
	}
	if _, err := parseCode(catalog.ShareTypes, "有时共享"); err == nil {
		t.Errorf("parseCode(有时共享) succeeded, want an error")
	}
}

func TestParseBool(t *testing.T) {
	for give, want := range map[string]bool{"是": true, "否": false, "Y": true, "n": false, "1": true, "0": false,
		"TRUE": true, "false": false, "": false, " 是 ": true} {
		got, err := parseBool(give)
		if err != nil || got != want {
			t.Errorf("parseBool(%q) = %v, %v, want %v", give, got, err, want)
		}
	}
	if _, err := parseBool("maybe"); err == nil {
		t.Errorf("parseBool(maybe) succeeded, want an error")
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ give, want string }{
		{"2024-03-01", "2024-03-01"},
		{"2024/3/1", "2024-03-01"},
		{"2024.03.01", "2024-03-01"},
		{"20240301", "2024-03-01"},
		{"2024年3月1日", "2024-03-01"},
		{"2024-03-01 08:30:00", "2024-03-01"},
		{"45352", "2024-03-01"}, // Excel serial
		{"", ""},
	}
	for _, tt := range tests {
		got, err := parseDate(tt.give, false)
		if err != nil || got != tt.want {
			t.Errorf("parseDate(%q) = %q, %v, want %q", tt.give, got, err, tt.want)
		}
	}
	for _, bad := range []string{"2024-02-30", "昨天", "2024-13-01", "01/03/2024"} {
		if _, err := parseDate(bad, false); err == nil {
			t.Errorf("parseDate(%q) succeeded, want an error", bad)
		}
	}
}

func TestParseInt(t *testing.T) {
	for give, want := range map[string]int{"18": 18, "18.0": 18, "１８": 18, "": 0, " 7 ": 7} {
		got, err := parseInt(give)
		if err != nil || got != want {
			t.Errorf("parseInt(%q) = %d, %v, want %d", give, got, err, want)
		}
	}
	for _, bad := range []string{"abc", "1.5", "十八"} {
		if _, err := parseInt(bad); err == nil {
			t.Errorf("parseInt(%q) succeeded, want an error", bad)
		}
	}
}

func TestSplitList(t *testing.T) {
	got := splitList("企业；登记、信用代码, 法人;;")
	if diff := cmp.Diff([]string{"企业", "登记", "信用代码", "法人"}, got); diff != "" {
		t.Errorf("splitList mismatch (-want +got):\n%s", diff)
	}
}

func TestBindHeaders(t *testing.T) {
	// Full-width letters and brackets, spaces, English names, a required mark.
	header := []string{" 资源序号 ", "资源名称*", "ｃｌａｓｓ＿ｃｏｄｅ", "share.type", "Share_Conditions", "备注", "items.name", "信息项代码"}
	l, errs := bind("", 1, header, csvNames)
	if len(errs) != 0 {
		t.Fatalf("bind: %v", errs)
	}
	if l.key != 0 {
		t.Errorf("key column = %d, want 0", l.key)
	}
	want := map[string]int{"name": 1, "class_code": 2, "share.type": 3, "share.conditions": 4}
	for i, c := range resourceColumns {
		if p, ok := want[c.field]; ok && l.res[i] != p {
			t.Errorf("column %s at %d, want %d", c.zh, l.res[i], p)
		}
	}
	if l.items[0] != 6 || l.items[1] != 7 {
		t.Errorf("item name, code at %d, %d, want 6, 7", l.items[0], l.items[1])
	}
	if _, errs := bind("", 1, []string{"资源名称", "name"}, resourceSheetNames); len(errs) != 1 {
		t.Errorf("bind of a column named twice: %d errors, want 1", len(errs))
	}
}

func TestClassCode(t *testing.T) {
	lk := newLookups(catalog.DefaultClassifications, catalog.DefaultElements, nil)
	for give, want := range map[string]string{"101001": "101001", "101001 人口基本信息": "101001", "人口基本信息": "101001",
		"１０１００１": "101001", "101001.0": "101001"} {
		if got := lk.classCode(give); got != want {
			t.Errorf("classCode(%q) = %q, want %q", give, got, want)
		}
	}
	if got := lk.elementCode("公民身份号码"); got != "DE00001" {
		t.Errorf("elementCode(公民身份号码) = %q, want DE00001", got)
	}
}

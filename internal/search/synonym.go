package search

import (
	"slices"
	"strings"
)

// abbreviations are short forms people type for terms catalog entries
// spell out (社保 for 社会保险). A query word containing one also matches
// the spelled-out form. Keys and values are folded (simplified) text.
var abbreviations = map[string]string{
	"社保":  "社会保险",
	"医保":  "医疗保险",
	"低保":  "最低生活保障",
	"个税":  "个人所得税",
	"驾照":  "驾驶证",
	"户口":  "户籍",
	"车牌":  "号牌",
	"公租房": "公共租赁住房",
}

// expansions returns w with each abbreviation in it spelled out, or nil.
func expansions(w string) []string {
	var out []string
	for short, long := range abbreviations {
		if strings.Contains(w, short) && !strings.Contains(w, long) {
			out = append(out, strings.ReplaceAll(w, short, long))
		}
	}
	slices.Sort(out)
	return out
}

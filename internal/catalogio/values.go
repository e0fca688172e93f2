package catalogio

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/tabular"
)

// foldValue folds a cell for matching against codes and labels: full-width
// forms to ASCII, lower case, no white space.
func foldValue(s string) string {
	s = strings.TrimSpace(s)
	wide, mapped := false, false
	for _, r := range s {
		switch {
		case r == 0x3000 || r >= 0xFF00 && r <= 0xFFEF:
			wide = true
		case r >= 'A' && r <= 'Z' || r > 0x7F && unicode.IsUpper(r) || unicode.IsSpace(r):
			mapped = true
		}
	}
	if wide {
		s = width.Fold.String(s)
		mapped = true
	}
	if !mapped {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// codeAliases are further spellings people use in spreadsheets.
var codeAliases = map[string]map[string]string{
	"update_cycle": {"实时更新": "realtime", "每天": "daily", "日": "daily", "日更新": "daily", "周": "weekly", "月": "monthly",
		"季度": "quarterly", "每季": "quarterly", "年": "yearly", "每年度": "yearly", "年度": "yearly"},
	"category":     {"核心": "core", "重要": "important", "一般": "general"},
	"sensitivity":  {"1": "L1", "2": "L2", "3": "L3", "4": "L4", "一级": "L1", "二级": "L2", "三级": "L3", "四级": "L4"},
	"share_method": {"接口": "api", "文件": "file", "库表": "database", "数据库": "database"},
	"share_type":   {"无条件": "1", "有条件": "2", "不共享": "3"},
	"open_type":    {"无条件": "1", "有条件": "2", "不开放": "3"},
}

// codeIndex maps folded codes, labels and aliases of each table to codes.
var codeIndex = func() map[*catalog.CodeEntry]map[string]string {
	out := map[*catalog.CodeEntry]map[string]string{}
	for name, t := range catalog.CodeTables() {
		m := map[string]string{}
		exact := map[string]string{}
		for _, e := range t {
			exact[e.Code], exact[e.ZH] = e.Code, e.Code
		}
		codeExact[&t[0]] = exact
		for _, e := range t {
			for _, s := range []string{e.Code, e.ZH, e.EN} {
				m[foldValue(s)] = e.Code
				if i := strings.IndexAny(s, "(（"); i > 0 {
					m[foldValue(s[:i])] = e.Code
				}
			}
			// "2 有条件共享", "2-有条件共享": code and label together.
			for _, sep := range []string{"", "-", ":", ".", "、"} {
				m[foldValue(e.Code+sep+e.ZH)] = e.Code
			}
		}
		for k, v := range codeAliases[name] {
			m[foldValue(k)] = v
		}
		out[&t[0]] = m
	}
	return out
}()

// codeExact maps each table's codes and Chinese labels, as written, to
// codes: the fast path.
var codeExact = map[*catalog.CodeEntry]map[string]string{}

// parseCode reads a coded cell given as code or label. Blank is "".
func parseCode(t []catalog.CodeEntry, v string) (string, *cellErr) {
	if c, ok := codeExact[&t[0]][v]; ok {
		return c, nil
	}
	f := foldValue(v)
	if f == "" {
		return "", nil
	}
	if c, ok := codeIndex[&t[0]][f]; ok {
		return c, nil
	}
	opts := make([]string, 0, len(t))
	optsZH := make([]string, 0, len(t))
	for _, e := range t {
		opts = append(opts, e.Code+" ("+e.EN+")")
		optsZH = append(optsZH, e.ZH+"("+e.Code+")")
	}
	return strings.TrimSpace(v), &cellErr{
		en: fmt.Sprintf("%q is not one of %s", strings.TrimSpace(v), strings.Join(opts, ", ")),
		zh: fmt.Sprintf("“%s”不是有效取值,应为 %s 之一", strings.TrimSpace(v), strings.Join(optsZH, "、")),
	}
}

// label is the Chinese label of code in t, or code itself.
func label(t []catalog.CodeEntry, code string) string {
	for _, e := range t {
		if e.Code == code {
			return e.ZH
		}
	}
	return code
}

var boolWords = map[string]bool{
	"是": true, "否": false, "y": true, "n": false, "yes": true, "no": false, "1": true, "0": false,
	"true": true, "false": false, "t": true, "f": false, "对": true, "错": false, "√": true, "×": false, "x": false,
	"必填": true, "非必填": false, "主键": true, "有": true, "无": false,
}

// parseBool reads 是/否, Y/N, 1/0, true/false. Blank is false.
func parseBool(v string) (bool, *cellErr) {
	switch v {
	case "是", "1", "Y", "true", "TRUE":
		return true, nil
	case "否", "0", "N", "false", "FALSE", "":
		return false, nil
	}
	f := foldValue(v)
	if f == "" {
		return false, nil
	}
	if b, ok := boolWords[f]; ok {
		return b, nil
	}
	return false, &cellErr{
		en: fmt.Sprintf("%q is not yes or no: use 是/否, Y/N, 1/0 or true/false", strings.TrimSpace(v)),
		zh: fmt.Sprintf("“%s”不是有效的是/否值,请填写 是/否、Y/N、1/0 或 true/false", strings.TrimSpace(v)),
	}
}

// parseInt reads a whole number ("12", "12.0", "12"). Blank is 0.
func parseInt(v string) (int, *cellErr) {
	f := foldValue(v)
	if f == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(f); err == nil {
		return n, nil
	}
	if x, err := strconv.ParseFloat(f, 64); err == nil && x == math.Trunc(x) && math.Abs(x) < 1e9 {
		return int(x), nil
	}
	return 0, &cellErr{
		en: fmt.Sprintf("%q is not a whole number", strings.TrimSpace(v)),
		zh: fmt.Sprintf("“%s”不是整数", strings.TrimSpace(v)),
	}
}

var dateRE = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:t?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$`)

// parseDate reads a date as YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD,
// YYYY年M月D日 (with an optional time) or an Excel date serial number (of
// the 1904 date system if date1904), and returns it as YYYY-MM-DD. Blank
// is "".
func parseDate(v string, date1904 bool) (string, *cellErr) {
	f := foldValue(v)
	if f == "" {
		return "", nil
	}
	var y, m, d int
	if g := dateRE.FindStringSubmatch(f); g != nil {
		y, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
	} else if len(f) == 8 && allDigits(f) {
		y, _ = strconv.Atoi(f[:4])
		m, _ = strconv.Atoi(f[4:6])
		d, _ = strconv.Atoi(f[6:])
	} else if x, err := strconv.ParseFloat(f, 64); err == nil && x >= 1 {
		// A date cell of a workbook, read as its serial number.
		t, err := tabular.ExcelTime(f, date1904)
		if err != nil {
			return strings.TrimSpace(v), badDate(v)
		}
		return t.Format(time.DateOnly), nil
	} else {
		return strings.TrimSpace(v), badDate(v)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return strings.TrimSpace(v), badDate(v)
	}
	return t.Format(time.DateOnly), nil
}

func badDate(v string) *cellErr {
	return &cellErr{
		en: fmt.Sprintf("%q is not a date: use YYYY-MM-DD", strings.TrimSpace(v)),
		zh: fmt.Sprintf("“%s”不是有效日期,请按 YYYY-MM-DD 填写", strings.TrimSpace(v)),
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// splitList splits keywords or codes separated by ；;、,, or line breaks.
func splitList(v string) []string {
	parts := strings.FieldsFunc(v, func(r rune) bool {
		switch r {
		case ';', '；', '、', ',', '，', '\n', '\r', '|':
			return true
		}
		return false
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// lookups resolves names people write instead of codes: classification
// and standard element names, provider codes.
type lookups struct {
	classByName   map[string]string // folded name -> code, for unique names
	elementByName map[string]string // folded name -> code
	elementCodes  map[string]bool
	date1904      bool // the workbook counts dates from 1904
	orgByProvider func(code string) (string, bool)
	orgCache      map[string]orgRef
}

type orgRef struct {
	id string
	ok bool
}

func newLookups(classes []catalog.Classification, elements []catalog.Element, orgByProvider func(string) (string, bool)) *lookups {
	lk := &lookups{classByName: map[string]string{}, elementByName: map[string]string{}, elementCodes: map[string]bool{},
		orgByProvider: orgByProvider, orgCache: map[string]orgRef{}}
	dup := map[string]bool{}
	for _, c := range classes {
		n := foldValue(c.Name)
		if _, seen := lk.classByName[n]; seen {
			dup[n] = true
		}
		lk.classByName[n] = c.Code
	}
	for n := range dup {
		delete(lk.classByName, n)
	}
	for _, e := range elements {
		lk.elementCodes[e.Code] = true
		lk.elementByName[foldValue(e.Name)] = e.Code
	}
	return lk
}

// classCode accepts "101001", "101001 人口基本信息" or a unique
// classification name.
func (lk *lookups) classCode(v string) string {
	f := width.Fold.String(strings.TrimSpace(v))
	if f == "" {
		return ""
	}
	if i := strings.IndexFunc(f, func(r rune) bool { return !unicode.IsDigit(r) }); i > 0 {
		return f[:i]
	}
	if allDigits(f) {
		return f
	}
	if lk != nil {
		if c, ok := lk.classByName[foldValue(f)]; ok {
			return c
		}
	}
	return f
}

// elementCode accepts an element's code or its name.
func (lk *lookups) elementCode(v string) string {
	f := strings.TrimSpace(width.Fold.String(v))
	if f == "" || lk == nil || lk.elementCodes[f] {
		return f
	}
	if u := strings.ToUpper(f); lk.elementCodes[u] {
		return u
	}
	if c, ok := lk.elementByName[foldValue(f)]; ok {
		return c
	}
	return f
}

// org resolves a provider code to an organisation id. Not safe for
// concurrent use: readers call it from one goroutine.
func (lk *lookups) org(code string) (string, bool) {
	if r, ok := lk.orgCache[code]; ok {
		return r.id, r.ok
	}
	id, ok := lk.orgByProvider(code)
	lk.orgCache[code] = orgRef{id, ok}
	return id, ok
}

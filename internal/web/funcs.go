package web

import (
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/store"
)

// labeler is a code table of the catalog's metadata standard.
type labeler interface {
	Label(code, lang string) string
}

// codeTables are the catalog's code tables by the name templates use.
var codeTables = map[string]labeler{
	"format_class": catalog.FormatClasses, "share_type": catalog.ShareTypes, "open_type": catalog.OpenTypes,
	"share_method": catalog.ShareMethods, "update_cycle": catalog.UpdateCycles, "data_type": catalog.DataTypes,
	"category": catalog.Categories, "sensitivity": catalog.Sensitivities, "status": catalog.StatusNames,
	"library": catalog.Libraries, "event_kind": catalog.EventKinds,
}

// cst is China Standard Time, in which the portal shows times.
var cst = time.FixedZone("CST", 8*3600)

func templateFuncs(lang string, a *assets) template.FuncMap {
	m := catalogs[lang]
	return template.FuncMap{
		"T": m.T,
		"label": func(table string, code any) string {
			c := fmt.Sprint(code)
			if c == "" {
				return ""
			}
			return codeTables[table].Label(c, short(lang))
		},
		"asset":    a.url,
		"hasAsset": func(name string) bool { return a.url(name) != "" },
		"field":    func(path string) string { return fieldLabel(lang, path) },
		"value":    func(path, v string) string { return fieldValue(lang, path, v) },
		"msg":      func(en, zh string) string { return pick(lang, en, zh) },
		"datetime": func(v any) string { return formatTime(v, "2006-01-02 15:04") },
		"date":     func(v any) string { return formatTime(v, time.DateOnly) },
		"seconds":  func(v any) string { return formatTime(v, time.DateTime) },
		"percent":  func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" },
		"add":      func(a, b int) int { return a + b },
		"count":    groupDigits,
		"rate":     func(f float64) string { return groupDigits(int64(math.Round(f))) },
		"eta":      func(s float64) string { return eta(m, s) },
		"ms":       func(ms int64) float64 { return float64(ms) / 1000 },
		"cell":     cell,
		"bytes":    byteSize,
	}
}

// groupDigits writes n with thousands separators: 1234567 -> 1,234,567.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// eta says how long a remaining number of seconds is, roughly.
func eta(m messages, s float64) string {
	n := int64(math.Ceil(max(s, 0)))
	switch {
	case n < 60:
		return m.T("duration.s", n)
	case n < 3600:
		return m.T("duration.ms", n/60, n%60)
	default:
		return m.T("duration.hm", n/3600, n%3600/60)
	}
}

// byteSize shows a size in bytes with a binary unit.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for x := n / unit; x >= unit; x /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + string("KMGTPE"[exp]) + "iB"
}

// cell shows a record value: nothing for null.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func formatTime(v any, layout string) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x == nil {
			return ""
		}
		t = *x
	case string:
		if x == "" {
			return ""
		}
		t = store.ParseTime(x)
		if t.IsZero() {
			return x
		}
	default:
		return ""
	}
	if t.IsZero() {
		return ""
	}
	return t.In(cst).Format(layout)
}

var indexedRE = regexp.MustCompile(`^([a-z_]+)\[(\d+)\](?:\.([a-z_.]+))?$`)

// fieldLabel names a field path of a resource ("items[3].name",
// "share.conditions") in lang, from the catalogs' field.* messages.
func fieldLabel(lang, path string) string {
	m := catalogs[lang]
	if s, ok := m["field."+path]; ok {
		return s
	}
	if g := indexedRE.FindStringSubmatch(path); g != nil {
		n, _ := strconv.Atoi(g[2])
		if g[1] == "items" {
			out := m.T("field.items.row", n+1)
			if g[3] != "" {
				out += m.T("common.dot") + m.T("field.items."+g[3])
			}
			return out
		}
		return m.T("field."+g[1]) + " " + strconv.Itoa(n+1)
	}
	return path
}

// codedFields are the fields whose values are codes of a code table, by
// path with item indices removed.
var codedFields = map[string]string{
	"status": "status", "share.type": "share_type", "share.method": "share_method", "open.type": "open_type",
	"update_cycle": "update_cycle", "format_class": "format_class", "level": "category", "sensitivity": "sensitivity",
	"items[].data_type": "data_type", "items[].category": "category", "items[].sensitivity": "sensitivity",
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// fieldValue shows a value of a field path (as in a version's changes):
// codes by their labels, flags as yes.
func fieldValue(lang, path, v string) string {
	if v == "" {
		return ""
	}
	if table, ok := codedFields[indexRE.ReplaceAllString(path, "[]")]; ok {
		return codeTables[table].Label(v, short(lang))
	}
	if v == "true" {
		return catalogs[lang].T("common.yes")
	}
	return v
}

package web

import (
	"fmt"
	"html/template"
	"regexp"
	"strconv"
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
		"percent":  func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" },
		"add":      func(a, b int) int { return a + b },
	}
}

func formatTime(v any, layout string) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
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

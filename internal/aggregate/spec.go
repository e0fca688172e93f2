package aggregate

import (
	"strings"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/quality"
)

// Structured reports whether a resource's format class holds structured
// data that aggregation loads into a dataset: 2 spreadsheets, 3
// databases, 6 self-describing formats, 7 service interfaces.
func Structured(r *catalog.Resource) bool {
	switch r.FormatClass {
	case "2", "3", "6", "7":
		return true
	}
	return false
}

// DatasetName is the record-store dataset of a resource: its id, which
// stays the same when the resource's code or name change.
func DatasetName(resourceID string) string { return resourceID }

// SpecFor builds the load spec of a resource's published version: one
// column per data item, in order, with the rules the items imply (their
// data type and length, required, primary key, standard data element), a
// code list named in the item's description (GB/T 2261.2, GB/T 4658 ...),
// and the resource's own rules.
func SpecFor(r *catalog.Resource, rules []quality.Rule) ingest.Spec {
	spec := ingest.Spec{Dataset: DatasetName(r.ID), Rules: rules}
	for _, it := range r.Items {
		c := quality.Column{Name: it.Name, Code: it.Code, DataType: it.DataType, Length: it.Length,
			Required: it.Required, PrimaryKey: it.PrimaryKey, Element: it.Element}
		if l, ok := codeListIn(it.Description); ok && !impliesCodes(it.Element) {
			c.Codes = l
		}
		spec.Columns = append(spec.Columns, c)
	}
	return spec
}

// codeListIn finds a built-in code list named at the start of an item's
// description ("GB/T 2261.2", "GB/T 4658 学历代码").
func codeListIn(desc string) (string, bool) {
	desc = strings.TrimSpace(desc)
	if desc == "" {
		return "", false
	}
	fields := strings.Fields(desc)
	candidates := []string{desc}
	if len(fields) >= 2 {
		candidates = append(candidates, fields[0]+" "+fields[1])
	}
	for _, c := range candidates {
		if l, ok := quality.LookupCodeList(c); ok {
			return l.Standard, true
		}
	}
	return "", false
}

// impliesCodes reports whether a standard data element already brings its
// code list (see quality.Compile), so the description is not needed.
func impliesCodes(element string) bool {
	return element == quality.ElementSex || element == quality.ElementEthnic
}

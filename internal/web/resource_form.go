package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
)

// formView is the create and edit form: the values as entered and, after
// a check or a refused save, the findings next to their fields.
type formView struct {
	Lang      string
	Edit      bool
	ID, Code  string
	Action    string
	R         catalog.Resource
	Keywords  string
	Related   string
	Reason    string
	ChooseOrg bool
	Orgs      []option
	Classes   []optGroup
	Elements  []option
	Summary   []string // findings that belong to no field on the form
	Message   string   // why the save was refused
	Checked   bool     // the findings come from a check
	Clean     bool     // a check found nothing
	Inline    bool     // an htmx check while typing: slots and summary only
	slots     map[string]*slot
}

type option struct {
	Value, Label string
	Selected     bool
}

type optGroup struct {
	Label   string
	Options []option
}

// slot is the place next to a field where its findings show; htmx
// replaces slots out of band after an inline check.
type slot struct {
	ID       string
	Errors   []string
	Warnings []string
	OOB      bool
}

// topSlots are the form's fields outside the data items, by finding path
// with dots turned into dashes.
var topSlots = []string{"name", "org_id", "class_code", "summary", "keywords", "system", "related", "format_class",
	"format_type", "update_cycle", "release_date", "share-type", "share-method", "share-conditions",
	"share-legal_basis", "open-type", "open-conditions", "items", "reason"}

var itemSlots = []string{"name", "code", "data_type", "length", "element", "category", "sensitivity"}

// Slot returns the findings of one field.
func (f *formView) Slot(name string) slot {
	if s, ok := f.slots[name]; ok {
		return *s
	}
	return slot{ID: "err-" + name}
}

// ItemSlot returns the findings of one field of data item i.
func (f *formView) ItemSlot(i int, name string) slot {
	return f.Slot(fmt.Sprintf("items-%d-%s", i, name))
}

// Invalid reports whether a field has errors (for aria-invalid).
func (f *formView) Invalid(name string) bool { return len(f.Slot(name).Errors) > 0 }

// ItemInvalid reports whether a field of data item i has errors.
func (f *formView) ItemInvalid(i int, name string) bool {
	return len(f.ItemSlot(i, name).Errors) > 0
}

// ErrorCount counts the errors shown on the form.
func (f *formView) ErrorCount() int {
	n := len(f.Summary)
	for _, s := range f.slots {
		n += len(s.Errors)
	}
	return n
}

// AllSlots lists every slot on the form, for the out-of-band update that
// sets new findings and clears old ones.
func (f *formView) AllSlots() []slot {
	var out []slot
	add := func(name string) {
		s := f.Slot(name)
		s.OOB = true
		out = append(out, s)
	}
	for _, n := range topSlots {
		if f.shows(n) {
			add(n)
		}
	}
	for i := range f.R.Items {
		for _, n := range itemSlots {
			add(fmt.Sprintf("items-%d-%s", i, n))
		}
	}
	return out
}

// Options lists a code table's entries for a select, marking current.
func (f *formView) Options(table, current string) []option {
	var out []option
	for _, e := range catalog.CodeTables()[table] {
		label := e.ZH
		if f.Lang == langEN {
			label = e.EN
		}
		if table == "data_type" || table == "sensitivity" {
			label = e.Code + " " + label
		}
		out = append(out, option{Value: e.Code, Label: label, Selected: e.Code == current})
	}
	return out
}

// ElementOptions lists the standard data elements, marking current.
func (f *formView) ElementOptions(current string) []option {
	out := make([]option, len(f.Elements))
	for i, o := range f.Elements {
		o.Selected = o.Value == current
		out[i] = o
	}
	return out
}

var slotRE = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?$`)

// slotOf maps a finding's field path to a slot name, "" when the form has
// no place for it.
func (f *formView) slotOf(path string) string {
	g := slotRE.FindStringSubmatch(path)
	if g == nil {
		return ""
	}
	var name string
	switch {
	case g[1] == "items" && g[2] != "" && g[3] != "":
		i, _ := strconv.Atoi(g[2])
		if i >= len(f.R.Items) || !slices.Contains(itemSlots, g[3]) {
			return ""
		}
		return fmt.Sprintf("items-%d-%s", i, g[3])
	case g[2] != "" && g[3] == "":
		name = g[1] // related[2] -> related
	case g[3] != "":
		name = g[1] + "-" + g[3]
	default:
		name = g[1]
	}
	if !slices.Contains(topSlots, name) || !f.shows(name) {
		return ""
	}
	return name
}

// shows reports whether the form has the top-level field name: the
// provider is chosen only when creating, by those who may write for any
// organisation; a reason is asked only when editing.
func (f *formView) shows(name string) bool {
	switch name {
	case "org_id":
		return f.ChooseOrg
	case "reason":
		return f.Edit
	}
	return true
}

// addFinding puts one message next to its field, or in the summary.
func (f *formView) addFinding(path, msg string, warning bool) {
	name := f.slotOf(path)
	if name == "" {
		f.Summary = append(f.Summary, fieldLabel(f.Lang, path)+catalogs[f.Lang].T("common.colon")+msg)
		return
	}
	if f.slots == nil {
		f.slots = map[string]*slot{}
	}
	s, ok := f.slots[name]
	if !ok {
		s = &slot{ID: "err-" + name}
		f.slots[name] = s
	}
	if warning {
		s.Warnings = append(s.Warnings, msg)
	} else {
		s.Errors = append(s.Errors, msg)
	}
}

// setFindings shows the result of a check.
func (f *formView) setFindings(fs []catalog.Finding) {
	f.Checked = true
	f.Clean = len(fs) == 0
	for _, x := range fs {
		f.addFinding(x.Field, pick(f.Lang, x.Message, x.ZH), x.Severity == catalog.SevWarning)
	}
}

// setError shows why a save was refused.
func (f *formView) setError(e *apperr.Error) {
	f.Message = e.Localized(f.Lang)
	for _, x := range e.Fields {
		f.addFinding(x.Field, pick(f.Lang, x.Message, x.ZH), false)
	}
}

// newForm builds the form around res with the choices the caller has.
func (p *portal) newForm(ctx context.Context, lang string, pr *authz.Principal, res catalog.Resource) (*formView, error) {
	f := &formView{Lang: lang, R: res, Keywords: strings.Join(res.Keywords, ", "), Related: strings.Join(res.Related, ", "),
		Action: "/catalog/new"}
	if res.ID != "" {
		f.Edit, f.ID, f.Code, f.Action = true, res.ID, res.Code, "/catalog/"+res.ID+"/edit"
	}
	f.ChooseOrg = choosesOrg(pr, f.Edit)
	if f.ChooseOrg {
		orgs, err := p.Identity.Orgs(ctx)
		if err != nil {
			return nil, err
		}
		cur := res.OrgID
		if cur == "" {
			cur = pr.OrgID
		}
		for _, o := range orgs {
			f.Orgs = append(f.Orgs, option{Value: o.ID, Label: localName(lang, o.Name, o.NameEN), Selected: o.ID == cur})
		}
	}
	classes, err := p.Catalog.Classifications(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range classes {
		name := localName(lang, c.Name, c.NameEN)
		switch len(c.Code) {
		case 3:
			f.Classes = append(f.Classes, optGroup{Label: c.Code + " " + name})
		case 6, 9:
			if n := len(f.Classes); n > 0 {
				f.Classes[n-1].Options = append(f.Classes[n-1].Options,
					option{Value: c.Code, Label: c.Code + " " + name, Selected: c.Code == res.ClassCode})
			}
		}
	}
	els, err := p.Catalog.Elements(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range els {
		f.Elements = append(f.Elements, option{Value: e.Code, Label: e.Code + " " + localName(lang, e.Name, e.NameEN)})
	}
	return f, nil
}

// choosesOrg reports whether the form lets the caller pick the provider.
func choosesOrg(pr *authz.Principal, edit bool) bool { return !edit && pr.CanAny(authz.CatalogWrite) }

var itemKeyRE = regexp.MustCompile(`^items\[(\d{1,4})\]\.([a-z_]+)$`)

// readResource reads the form's values into a resource, data item rows in
// the order of their indices.
func readResource(r *http.Request) (catalog.Resource, string) {
	v := r.PostForm
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	res := catalog.Resource{
		Name: get("name"), OrgID: get("org_id"), ClassCode: get("class_code"), Summary: get("summary"),
		FormatClass: get("format_class"), FormatType: get("format_type"), UpdateCycle: get("update_cycle"),
		ReleaseDate: get("release_date"), System: get("system"),
		Keywords: splitList(get("keywords")), Related: splitList(get("related")),
		Share: catalog.Share{Type: get("share.type"), Conditions: get("share.conditions"),
			LegalBasis: get("share.legal_basis"), Method: get("share.method")},
		Open: catalog.Open{Type: get("open.type"), Conditions: get("open.conditions")},
	}
	rows := map[int]*catalog.DataItem{}
	for k := range v {
		g := itemKeyRE.FindStringSubmatch(k)
		if g == nil {
			continue
		}
		i, _ := strconv.Atoi(g[1])
		it := rows[i]
		if it == nil {
			it = &catalog.DataItem{}
			rows[i] = it
		}
		val := strings.TrimSpace(v.Get(k))
		switch g[2] {
		case "name":
			it.Name = val
		case "code":
			it.Code = val
		case "data_type":
			it.DataType = val
		case "length":
			if val != "" {
				n, err := strconv.Atoi(val)
				if err != nil {
					n = -1 // reported as out of range by the check
				}
				it.Length = n
			}
		case "required":
			it.Required = val != ""
		case "primary_key":
			it.PrimaryKey = val != ""
		case "element":
			it.Element = val
		case "category":
			it.Category = val
		case "sensitivity":
			it.Sensitivity = val
		case "description":
			it.Description = val
		}
	}
	idx := make([]int, 0, len(rows))
	for i := range rows {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	for _, i := range idx {
		res.Items = append(res.Items, *rows[i])
	}
	return res, get("reason")
}

// splitList splits keywords or codes at commas, semicolons, 、 and line
// breaks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",，;；、\n\r", r) }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// blankItem is a new data item row.
func blankItem() catalog.DataItem {
	return catalog.DataItem{DataType: "C", Category: "general", Sensitivity: "L2"}
}

// formOp applies a form button that changes only the form: add a row or
// remove one. It reports whether op was one.
func formOp(op string, res *catalog.Resource) bool {
	switch {
	case op == "add_row":
		res.Items = append(res.Items, blankItem())
		return true
	case strings.HasPrefix(op, "remove:"):
		i, err := strconv.Atoi(strings.TrimPrefix(op, "remove:"))
		if err == nil && i >= 0 && i < len(res.Items) {
			res.Items = slices.Delete(res.Items, i, i+1)
		}
		return true
	}
	return false
}

package quality

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
)

// cst is China Standard Time, which decides what "today" is.
var cst = time.FixedZone("CST", 8*3600)

// Compile compiles rules for a table with the given columns, as of now:
// see CompileAt.
func Compile(cols []Column, rules []Rule) (*Program, error) {
	return CompileAt(cols, rules, time.Now())
}

// CompileAt compiles rules for a table with the given columns. now fixes
// "today" (in China) for the rule that birth dates in ID numbers are not
// in the future.
//
// Besides rules, the columns imply rules:
//
//   - Required: a required rule.
//   - DataType and Length: a type rule (see Column).
//   - Codes: an enum rule over that code list.
//   - Element DE00001: idcard; DE00003: enum GB/T 2261.1 (with 男/女/M/F);
//     DE00005: enum GB/T 3304; DE00007: mobile; DE00008: uscc; DE00011:
//     region; DE00014: email.
//   - One DE00001 column with a DE00004 (birth date) or DE00003 (sex)
//     column: id_birth_sex over them.
//   - PrimaryKey columns: a unique rule over them (dataset level).
//
// A rule in rules of the same kind and columns as an implied rule replaces
// it (to change its severity, say); so does a date or datetime rule the
// type rule of its column. Errors are *apperr.Error of kind Invalid naming
// each bad rule.
func CompileAt(cols []Column, rules []Rule, now time.Time) (*Program, error) {
	y, m, d := now.In(cst).Date()
	c := &compiler{cols: cols, byName: make(map[string]int, 2*len(cols)), today: date(y*10000 + int(m)*100 + d)}
	for i, col := range cols {
		if _, dup := c.byName[col.Name]; dup {
			c.errs.Add(fmt.Sprintf("columns[%d].name", i), "duplicate column "+col.Name, "列名重复："+col.Name)
		}
		c.byName[col.Name] = i
	}
	for i, col := range cols {
		if _, taken := c.byName[col.Code]; col.Code != "" && !taken {
			c.byName[col.Code] = i
		}
	}
	implied := c.implied()
	var explicit []resolved
	for i, r := range rules {
		if rr, ok := c.resolve(fmt.Sprintf("rules[%d]", i), r); ok {
			explicit = append(explicit, rr)
		}
	}
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	all := make([]resolved, 0, len(implied)+len(explicit))
	for _, im := range implied {
		if !slices.ContainsFunc(explicit, im.replacedBy) {
			all = append(all, im)
		}
	}
	all = append(all, explicit...)
	return c.program(all)
}

type compiler struct {
	cols   []Column
	byName map[string]int
	today  date
	errs   apperr.Fields
}

// resolved is a validated rule with its columns as indexes and its check.
type resolved struct {
	Rule
	cols []int
	cell cellCheck
	row  rowCheck
}

// replacedBy reports whether the explicit rule e replaces the implied rule r.
func (r resolved) replacedBy(e resolved) bool {
	if e.Kind == r.Kind && slices.Equal(e.cols, r.cols) {
		return true
	}
	return r.Kind == KindType && (e.Kind == KindDate || e.Kind == KindDateTime) && slices.Equal(e.cols, r.cols)
}

// implied returns the rules the columns imply.
func (c *compiler) implied() []resolved {
	var out []resolved
	add := func(r Rule) {
		field := "columns"
		if r.Column != "" {
			field = fmt.Sprintf("columns[%d]", c.byName[r.Column])
		}
		if rr, ok := c.resolve(field, r); ok {
			out = append(out, rr)
		}
	}
	var ids, births, sexes, keys []string
	for i, col := range c.cols {
		name := col.Name
		if col.Required {
			add(Rule{Kind: KindRequired, Column: name})
		}
		if t := strings.ToUpper(strings.TrimSpace(col.DataType)); t != "" {
			switch chk, ok := typeCheck(t, col.Length); {
			case !ok:
				c.errs.Add(fmt.Sprintf("columns[%d].data_type", i), "unknown data type "+col.DataType, "未知的数据类型"+col.DataType)
			case chk != nil:
				add(Rule{Kind: KindType, Column: name})
			}
		}
		if col.Codes != "" {
			add(Rule{Kind: KindEnum, Column: name, Standard: col.Codes})
		}
		switch col.Element {
		case ElementIDNumber:
			add(Rule{Kind: KindIDCard, Column: name})
			ids = append(ids, name)
		case ElementSex:
			add(Rule{Kind: KindEnum, Column: name, Standard: Sex.Standard})
			sexes = append(sexes, name)
		case ElementBirth:
			births = append(births, name)
		case ElementEthnic:
			add(Rule{Kind: KindEnum, Column: name, Standard: Ethnic.Standard})
		case ElementMobile:
			add(Rule{Kind: KindMobile, Column: name})
		case ElementUSCC:
			add(Rule{Kind: KindUSCC, Column: name})
		case ElementRegion:
			add(Rule{Kind: KindRegion, Column: name})
		case ElementEmail:
			add(Rule{Kind: KindEmail, Column: name})
		}
		if col.PrimaryKey {
			keys = append(keys, name)
		}
	}
	if len(ids) == 1 && len(births) <= 1 && len(sexes) <= 1 && len(births)+len(sexes) > 0 {
		add(Rule{Kind: KindIDBirthSex, Columns: []string{ids[0], first(births), first(sexes)}})
	}
	if len(keys) > 0 {
		add(Rule{Kind: KindUnique, Columns: keys})
	}
	return out
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// typeCheck returns the check of a data type; nil for types that are not
// checked. ok is false for an unknown type.
func typeCheck(t string, length int) (chk cellCheck, ok bool) {
	switch t {
	case "C":
		if length > 0 {
			return charCheck{max: length}, true
		}
		return nil, true
	case "N", "Y":
		return numberCheck{maxDigits: length}, true
	case "I":
		return numberCheck{integer: true, maxDigits: length}, true
	case "F":
		return numberCheck{exponent: true}, true
	case "D":
		return dateCheck{key: KeyDate}, true
	case "T":
		return dateTimeCheck{}, true
	case "L":
		return logicalCheck{}, true
	case "M", "G", "B":
		return nil, true
	}
	return nil, false
}

// col resolves a column name or code.
func (c *compiler) col(field, name string) (int, bool) {
	if i, ok := c.byName[name]; ok {
		return i, true
	}
	c.errs.Add(field, "no column "+name, "没有名为"+name+"的列")
	return -1, false
}

// resolve validates r and builds its check.
func (c *compiler) resolve(field string, r Rule) (resolved, bool) {
	rr := resolved{Rule: r}
	bad := func(sub, en, zh string) (resolved, bool) {
		c.errs.Add(field+sub, en, zh)
		return rr, false
	}
	if r.Severity > Warning {
		return bad(".severity", "unknown severity", "未知的严重程度")
	}
	switch r.Kind {
	case KindIDBirthSex, KindDateOrder, KindUnique, KindReference:
		return c.resolveMulti(field, rr)
	}
	name := r.Column
	if name == "" && len(r.Columns) == 1 {
		name = r.Columns[0]
	}
	if name == "" {
		return bad(".column", "the rule needs a column", "规则须指定列")
	}
	i, ok := c.col(field+".column", name)
	if !ok {
		return rr, false
	}
	rr.Column, rr.Columns, rr.cols = c.cols[i].Name, nil, []int{i}
	switch r.Kind {
	case KindRequired:
	case KindType:
		chk, ok := typeCheck(strings.ToUpper(strings.TrimSpace(c.cols[i].DataType)), c.cols[i].Length)
		if !ok || chk == nil {
			return bad(".kind", "column "+name+" has no data type to check", "列"+name+"没有可校验的数据类型")
		}
		rr.cell = chk
	case KindEnum:
		values := r.Values
		if r.Standard != "" {
			l, ok := LookupCodeList(r.Standard)
			if !ok {
				return bad(".standard", "unknown code list "+r.Standard, "未知的代码表"+r.Standard)
			}
			values = append(l.Values(), values...)
		}
		if len(values) == 0 {
			return bad(".values", "an enum rule needs values or a standard", "枚举规则须列出取值或指定代码表")
		}
		rr.cell = newEnum(values)
	case KindRegion:
		rr.cell = regionCheck{}
	case KindRegex:
		re, err := regexp.Compile(`^(?:` + r.Pattern + `)$`)
		if err != nil || r.Pattern == "" {
			return bad(".pattern", "invalid regular expression", "正则表达式无效")
		}
		rr.cell = regexCheck{re}
	case KindRange:
		if r.Min == nil && r.Max == nil || r.Min != nil && r.Max != nil && *r.Min > *r.Max {
			return bad(".min", "a range needs min <= max", "范围规则须满足下限不大于上限")
		}
		rc := rangeCheck{}
		if r.Min != nil {
			rc.min, rc.hasMin = *r.Min, true
		}
		if r.Max != nil {
			rc.max, rc.hasMax = *r.Max, true
		}
		rr.cell = rc
	case KindDate:
		if r.Format != "" && r.Format != FormatCompact && r.Format != FormatDashed {
			return bad(".format", "date format must be YYYYMMDD or YYYY-MM-DD", "日期格式须为YYYYMMDD或YYYY-MM-DD")
		}
		rr.cell = dateCheck{format: r.Format, key: KeyDateFormat}
	case KindDateTime:
		rr.cell = dateTimeCheck{}
	case KindIDCard, KindParty:
		switch r.IDRegion {
		case "", idRegionPrefix, idRegionProvince, idRegionNone:
		default:
			return bad(".id_region", "id_region must be prefix, province or none", "id_region须为prefix、province或none")
		}
		id := idCheck{today: c.today, region: r.IDRegion}
		rr.cell = id
		if r.Kind == KindParty {
			rr.cell = partyCheck{id}
		}
	case KindUSCC:
		rr.cell = usccCheck{}
	case KindMobile:
		rr.cell = mobileCheck{}
	case KindEmail:
		rr.cell = emailCheck{}
	default:
		return bad(".kind", "unknown rule kind "+string(r.Kind), "未知的规则类型"+string(r.Kind))
	}
	return rr, true
}

func (c *compiler) resolveMulti(field string, rr resolved) (resolved, bool) {
	r := rr.Rule
	want := map[Kind]int{KindIDBirthSex: 3, KindDateOrder: 2}[r.Kind]
	if want > 0 && len(r.Columns) != want || len(r.Columns) == 0 {
		c.errs.Add(field+".columns", fmt.Sprintf("a %s rule needs %d columns", r.Kind, max(want, 1)),
			fmt.Sprintf("%s规则须指定%d列", r.Kind, max(want, 1)))
		return rr, false
	}
	rr.Column, rr.Columns = "", nil
	for j, name := range r.Columns {
		if name == "" && r.Kind == KindIDBirthSex && j > 0 {
			rr.cols, rr.Columns = append(rr.cols, -1), append(rr.Columns, "")
			continue
		}
		i, ok := c.col(fmt.Sprintf("%s.columns[%d]", field, j), name)
		if !ok {
			return rr, false
		}
		rr.cols, rr.Columns = append(rr.cols, i), append(rr.Columns, c.cols[i].Name)
	}
	switch r.Kind {
	case KindIDBirthSex:
		rr.row = idBirthSex{id: rr.cols[0], birth: rr.cols[1], sex: rr.cols[2]}
	case KindDateOrder:
		rr.row = dateOrder{a: rr.cols[0], b: rr.cols[1]}
	case KindReference:
		if r.Ref == "" {
			c.errs.Add(field+".ref", "a reference rule needs ref", "关联规则须指定ref")
			return rr, false
		}
	}
	return rr, true
}

// kindOrder orders the steps of one column: required, then type.
func kindOrder(k Kind) int {
	switch k {
	case KindRequired:
		return 0
	case KindType, KindDate, KindDateTime:
		return 1
	}
	return 2
}

func (c *compiler) program(all []resolved) (*Program, error) {
	p := &Program{cols: c.cols}
	var cells, rows []resolved
	for _, r := range all {
		switch {
		case r.Kind.dataset():
			p.dataset = append(p.dataset, DatasetRule{Rule: r.Rule, Cols: r.cols})
		case r.row != nil:
			rows = append(rows, r)
		default:
			cells = append(cells, r)
		}
	}
	slices.SortStableFunc(cells, func(a, b resolved) int {
		if a.cols[0] != b.cols[0] {
			return a.cols[0] - b.cols[0]
		}
		return kindOrder(a.Kind) - kindOrder(b.Kind)
	})
	for _, r := range append(cells, rows...) {
		if ibs, ok := r.row.(idBirthSex); ok {
			ibs.idChecked = slices.ContainsFunc(cells, func(c resolved) bool { return c.Kind == KindIDCard && c.cols[0] == ibs.id })
			r.row = ibs
		}
		s := step{col: -1, kind: r.Kind, name: r.name(), sev: r.Severity, cell: r.cell, row: r.row}
		if r.row == nil {
			s.col = r.cols[0]
		}
		p.steps = append(p.steps, s)
		p.rules = append(p.rules, r.Rule)
	}
	return p, nil
}

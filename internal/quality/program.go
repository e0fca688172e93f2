package quality

import (
	"strings"
	"time"
)

// Violation is one broken rule in one row.
type Violation struct {
	Column   int    // index of the column in the header; -1 for the whole row
	Rule     string // the rule's name (its kind unless the rule set named it)
	Kind     Kind
	Severity Severity
	Key      Key // message key: Key.Text gives the message in zh or en
}

// step is one compiled check.
type step struct {
	col  int // the checked column; -1 for row checks
	kind Kind
	name string
	sev  Severity
	cell cellCheck // nil for required
	row  rowCheck  // set for multi-column rules
}

// Program is a rule set compiled for one header. It is immutable and safe
// for concurrent use.
type Program struct {
	cols    []Column
	steps   []step
	rules   []Rule
	dataset []DatasetRule
}

var zeroTime time.Time

// Check runs the row-level rules over row, whose cells are in the order of
// the columns Compile was given (missing cells count as blank). Values are
// trimmed of surrounding white space before they are checked; a value that
// is blank breaks only a required rule.
//
// Check appends a Violation to *out for every broken rule (out may be nil)
// and reports whether the row passes every rule of severity Error. It does
// not allocate on a row that passes, nor on a failing row when *out has
// room.
func (p *Program) Check(row []string, out *[]Violation) bool {
	ok := true
	col, v := -1, ""  // steps of a column are consecutive: trim once
	var failed uint64 // columns whose cell rules failed (for row checks)
	for i := range p.steps {
		s := &p.steps[i]
		if s.row != nil {
			is, n := s.row.check(row, failed)
			for j := 0; j < n; j++ {
				ok = p.report(out, s, is[j].col, is[j].key) && ok
			}
			continue
		}
		if s.col != col {
			col, v = s.col, cell(row, s.col)
		}
		if v == "" {
			if s.kind == KindRequired {
				ok = p.report(out, s, s.col, KeyRequired) && ok
			}
			continue
		}
		if s.cell == nil {
			continue
		}
		if k := s.cell.check(v); k != "" {
			ok = p.report(out, s, s.col, k) && ok
			if s.col < 64 {
				failed |= 1 << s.col
			}
		}
	}
	return ok
}

// report records a violation and says whether the row still passes.
func (p *Program) report(out *[]Violation, s *step, col int, k Key) bool {
	if out != nil {
		*out = append(*out, Violation{Column: col, Rule: s.name, Kind: s.kind, Severity: s.sev, Key: k})
	}
	return s.sev != Error
}

// Message renders a violation for people: the column name and the
// message, in simplified Chinese for lang "zh..." and English otherwise.
func (p *Program) Message(v Violation, lang string) string {
	text := v.Key.Text(lang)
	if v.Column < 0 || v.Column >= len(p.cols) {
		return text
	}
	sep := ": "
	if strings.HasPrefix(lang, "zh") {
		sep = "："
	}
	return p.cols[v.Column].Name + sep + text
}

// Columns returns the columns the program was compiled for.
func (p *Program) Columns() []Column { return p.cols }

// Rules returns the row-level rules in force, implied ones included, with
// columns named by Name, in the order Check evaluates them.
func (p *Program) Rules() []Rule { return p.rules }

// Dataset returns the dataset-level rules (unique, reference), which the
// load pipeline evaluates; the primary key columns imply a unique rule.
func (p *Program) Dataset() []DatasetRule { return p.dataset }

// PrimaryKey returns the columns of the first unique rule (the primary
// key columns when there are any), or nil: the key for a Unique.
func (p *Program) PrimaryKey() []int {
	for _, d := range p.dataset {
		if d.Kind == KindUnique {
			return d.Cols
		}
	}
	return nil
}

package quality

import (
	"fmt"
)

// Kind is the kind of a rule.
type Kind string

// Row-level kinds, evaluated by Program.Check.
const (
	KindRequired Kind = "required" // the value is not blank
	KindType     Kind = "type"     // the value fits the column's data type and length
	KindEnum     Kind = "enum"     // the value is in Values or in the code list Standard
	KindRegion   Kind = "region"   // a GB/T 2260 code of the region table
	KindRegex    Kind = "regex"    // the whole value matches Pattern
	KindRange    Kind = "range"    // a number within [Min, Max]
	KindDate     Kind = "date"     // a date in Format (YYYYMMDD, YYYY-MM-DD, or either)
	KindDateTime Kind = "datetime" // a date and time (see Program.Check)
	KindIDCard   Kind = "idcard"   // a citizen ID number (GB 11643)
	KindUSCC     Kind = "uscc"     // a unified social credit code (GB 32100)
	KindMobile   Kind = "mobile"   // a mainland mobile number
	KindEmail    Kind = "email"    // an e-mail address
	KindParty    Kind = "party_id" // a citizen ID number or a USCC (licence holders)
	// KindIDBirthSex checks that Columns[1] (birth date) and Columns[2]
	// (sex) agree with the ID number in Columns[0]. Either may be "".
	KindIDBirthSex Kind = "id_birth_sex"
	// KindDateOrder checks that the date in Columns[0] is not after the
	// date in Columns[1] (issue date before expiry date).
	KindDateOrder Kind = "date_order"
)

// Dataset-level kinds: declared in a rule set and returned by
// Program.Dataset, but evaluated by the load pipeline, not by Check.
const (
	KindUnique    Kind = "unique"    // Columns form a key that no two rows share: see Unique
	KindReference Kind = "reference" // the key in Columns exists in the dataset Ref
)

func (k Kind) dataset() bool { return k == KindUnique || k == KindReference }

// Severity says what a broken rule does to a row.
type Severity uint8

const (
	// Error rejects the row: the load pipeline quarantines it.
	Error Severity = iota
	// Warning keeps the row and records the issue.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText and UnmarshalText let rule sets be stored as JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error", "":
		*s = Error
	case "warning":
		*s = Warning
	default:
		return fmt.Errorf("quality: unknown severity %q", b)
	}
	return nil
}

// Rule is one rule of a rule set, as declared by a data steward or implied
// by the columns (see Compile).
type Rule struct {
	Kind Kind   `json:"kind"`
	Name string `json:"name,omitempty"` // reported in violations; defaults to the kind
	// Column is the column (Name or Code) of a single-column rule.
	Column string `json:"column,omitempty"`
	// Columns are the columns of a multi-column rule: id_birth_sex,
	// date_order, unique and reference.
	Columns  []string `json:"columns,omitempty"`
	Severity Severity `json:"severity,omitempty"`

	Values   []string `json:"values,omitempty"`   // enum
	Standard string   `json:"standard,omitempty"` // enum: a built-in code list, e.g. "GB/T 3304"
	Pattern  string   `json:"pattern,omitempty"`  // regex (RE2), anchored at both ends
	Min      *float64 `json:"min,omitempty"`      // range
	Max      *float64 `json:"max,omitempty"`      // range
	Format   string   `json:"format,omitempty"`   // date: "YYYYMMDD", "YYYY-MM-DD" or "" for either
	// IDRegion is how the idcard rule checks the region part: "prefix"
	// (default: province and prefecture known, region.ValidPrefix),
	// "province" (province known) or "none".
	IDRegion string `json:"id_region,omitempty"`
	Ref      string `json:"ref,omitempty"` // reference: the dataset the key must exist in
}

func (r Rule) name() string {
	if r.Name != "" {
		return r.Name
	}
	return string(r.Kind)
}

// DatasetRule is a dataset-level rule of a compiled program, with its
// columns resolved to indexes.
type DatasetRule struct {
	Rule
	Cols []int
}

package records

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
)

// Type is the stored type of a column.
type Type string

const (
	Text      Type = "text"      // VARCHAR / text
	Int       Type = "int"       // BIGINT
	Float     Type = "float"     // DOUBLE / double precision
	Date      Type = "date"      // DATE
	Timestamp Type = "timestamp" // TIMESTAMP (wall clock, China Standard Time)
	Bool      Type = "bool"      // BOOLEAN
)

// TypeOf maps a catalog data type (C N Y D T L M G B I F) and length to the
// stored type. Numbers of up to 15 digits (N, Y, F) are stored as DOUBLE,
// which holds them exactly; longer ones as text, so that no digit is lost.
// M, G, B and unknown types are text.
func TypeOf(dataType string, length int) Type {
	switch strings.ToUpper(strings.TrimSpace(dataType)) {
	case "I":
		if length > 18 {
			return Text
		}
		return Int
	case "N", "Y", "F":
		if length > 15 {
			return Text
		}
		return Float
	case "D":
		return Date
	case "T":
		return Timestamp
	case "L":
		return Bool
	}
	return Text
}

// Column is one column of a dataset.
type Column struct {
	// Name is the stored column name: a lower-case SQL identifier.
	Name string `json:"name"`
	// Label is the data item's name (信息项名称), e.g. 公民身份号码.
	Label string `json:"label,omitempty"`
	Type  Type   `json:"type"`
	// Key marks the primary-key columns: incremental loads upsert and
	// delete by them.
	Key bool `json:"key,omitempty"`
}

// DatasetSpec describes a dataset: the structured data of one catalog
// resource.
type DatasetSpec struct {
	// Name identifies the dataset, e.g. the resource code.
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
}

// KeyColumns returns the indexes of the key columns.
func (s DatasetSpec) KeyColumns() []int {
	var k []int
	for i, c := range s.Columns {
		if c.Key {
			k = append(k, i)
		}
	}
	return k
}

// DistributionKey is the column a distributed engine (Citus) shards the
// dataset by: the first key column, or "" for a dataset without a key.
func (s DatasetSpec) DistributionKey() string {
	for _, c := range s.Columns {
		if c.Key {
			return c.Name
		}
	}
	return ""
}

var identRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// ColumnName makes a stored column name from an item code: the code in
// lower case when it is a plain identifier, else "c" and the 1-based
// position. Names starting with "_" are reserved.
func ColumnName(code string, pos int) string {
	n := strings.ToLower(strings.TrimSpace(code))
	if identRE.MatchString(n) && !strings.HasPrefix(n, "_") {
		return n
	}
	return "c" + strconv.Itoa(pos+1)
}

var datasetRE = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,100}$`)

// Validate checks the spec.
func (s DatasetSpec) Validate() error {
	var errs apperr.Fields
	if !datasetRE.MatchString(s.Name) {
		errs.Add("name", "a dataset name is 1 to 100 letters, digits, '_', '.' or '-'", "数据集名称须为1至100个字母、数字、“_”、“.”或“-”")
	}
	if len(s.Columns) == 0 {
		errs.Add("columns", "a dataset needs columns", "数据集须有列")
	}
	seen := map[string]bool{}
	for i, c := range s.Columns {
		f := fmt.Sprintf("columns[%d]", i)
		if !identRE.MatchString(c.Name) || strings.HasPrefix(c.Name, "_") {
			errs.Add(f+".name", "column name "+strconv.Quote(c.Name)+" is not a lower-case identifier", "列名"+strconv.Quote(c.Name)+"须为小写标识符")
		}
		if seen[c.Name] {
			errs.Add(f+".name", "duplicate column "+c.Name, "列名重复："+c.Name)
		}
		seen[c.Name] = true
		switch c.Type {
		case Text, Int, Float, Date, Timestamp, Bool:
		default:
			errs.Add(f+".type", "unknown column type "+string(c.Type), "未知的列类型"+string(c.Type))
		}
	}
	return errs.Err()
}

// sameColumns reports whether two specs store the same columns.
func sameColumns(a, b DatasetSpec) bool {
	if len(a.Columns) != len(b.Columns) {
		return false
	}
	for i := range a.Columns {
		x, y := a.Columns[i], b.Columns[i]
		if x.Name != y.Name || x.Type != y.Type || x.Key != y.Key {
			return false
		}
	}
	return true
}

package ingest

import (
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
)

// Spec is what a load needs to know about its dataset.
type Spec struct {
	// Dataset names the dataset in the record store.
	Dataset string
	// Columns are the resource's data items (catalog.DataItem's Name,
	// Code, DataType, Length, Required, PrimaryKey and Element), in the
	// dataset's column order.
	Columns []quality.Column
	// Rules are the resource's rules beyond those the columns imply.
	Rules []quality.Rule
	// Mapping maps source header cells to items (by Name or Code) where
	// they do not match by themselves. A header cell mapped to "" is
	// ignored.
	Mapping map[string]string
	// OpColumn is the header of the operation column of incremental loads
	// ("_op" when empty): D (or delete, 删除) deletes the row's key; blank,
	// I, U (insert, update, upsert, 新增, 修改) upserts the row.
	OpColumn string
}

// DatasetSpec returns the record-store spec of the dataset: one column per
// item, named from its code (see records.ColumnName) and typed from its
// data type (see records.TypeOf), keyed by the primary-key items.
func (s Spec) DatasetSpec() records.DatasetSpec {
	ds := records.DatasetSpec{Name: s.Dataset, Columns: make([]records.Column, len(s.Columns))}
	seen := map[string]bool{}
	for i, c := range s.Columns {
		name := records.ColumnName(c.Code, i)
		if seen[name] {
			name = records.ColumnName("", i)
		}
		seen[name] = true
		ds.Columns[i] = records.Column{Name: name, Label: c.Name, Type: records.TypeOf(c.DataType, c.Length), Key: c.PrimaryKey}
	}
	return ds
}

func (s Spec) opColumn() string {
	if s.OpColumn == "" {
		return "_op"
	}
	return s.OpColumn
}

// layout says where the dataset's columns are in the source's header.
type layout struct {
	header  []string // the source header
	src     []int    // for each dataset column, its source column or -1
	op      int      // the operation column or -1
	ignored []string // source columns mapped to nothing
}

// members finds the item a header cell or a member names: by the
// explicit mapping, then by item name, then by item code in any case
// (mapHeader, and jsonOptions once per member of every object).
type members struct {
	spec   Spec
	byName map[string]int
	byCode map[string]int // lower case
}

func newMembers(spec Spec) *members {
	m := &members{spec: spec, byName: map[string]int{}, byCode: map[string]int{}}
	for i, c := range spec.Columns { // the last of a repeated name wins, as in mapHeader
		m.byName[c.Name] = i
		if c.Code != "" {
			m.byCode[strings.ToLower(c.Code)] = i
		}
	}
	return m
}

// target is what h names after the explicit mapping.
func (m *members) target(h string) string {
	if t, explicit := m.spec.Mapping[h]; explicit {
		return t
	}
	return h
}

// itemOf returns the item h maps to.
func (m *members) itemOf(h string) (int, bool) {
	t := m.target(h)
	if t == "" || m.isOp(h) {
		return 0, false
	}
	if i, ok := m.byName[t]; ok {
		return i, true
	}
	i, ok := m.byCode[strings.ToLower(t)]
	return i, ok
}

// isOp reports whether h is the operation column.
func (m *members) isOp(h string) bool { return strings.EqualFold(m.target(h), m.spec.opColumn()) }

// mapHeader maps a source header to the spec's columns: by the explicit
// mapping, then by item name, then by item code (ignoring case).
func mapHeader(spec Spec, header []string) (layout, error) {
	l := layout{header: header, src: make([]int, len(spec.Columns)), op: -1}
	for i := range l.src {
		l.src[i] = -1
	}
	m := newMembers(spec)
	var errs apperr.Fields
	for j, h := range header {
		if m.isOp(h) {
			l.op = j
			continue
		}
		i, ok := m.itemOf(h)
		if !ok {
			if target, explicit := spec.Mapping[h]; explicit && target != "" {
				errs.Add("mapping."+h, "no data item "+strconv.Quote(target), "没有数据项"+strconv.Quote(target))
			}
			l.ignored = append(l.ignored, h)
			continue
		}
		if l.src[i] >= 0 {
			errs.Add("header", "columns "+strconv.Quote(header[l.src[i]])+" and "+strconv.Quote(h)+" both map to "+spec.Columns[i].Name,
				"列"+strconv.Quote(header[l.src[i]])+"和"+strconv.Quote(h)+"都对应数据项"+spec.Columns[i].Name)
			continue
		}
		l.src[i] = j
	}
	for i, c := range spec.Columns {
		if l.src[i] < 0 && (c.Required || c.PrimaryKey) {
			errs.Add("header", "the file has no column for the required item "+c.Name+" ("+c.Code+")",
				"文件中缺少必填数据项“"+c.Name+"”（"+c.Code+"）对应的列")
		}
	}
	return l, errs.Err()
}

package records

import "time"

// Vector is one column of a Batch. The slice that holds the values
// depends on the column's type:
//
//   - Text: Str
//   - Int: Int
//   - Date: Int, days since 1970-01-01
//   - Timestamp: Int, microseconds since 1970-01-01 00:00:00 on the wall
//     clock (no zone: China Standard Time by convention)
//   - Float: Float
//   - Bool: Bool
//
// Valid[i] is false for a NULL; the value slot of a NULL holds a zero
// value so that every slice has one entry per row.
type Vector struct {
	Valid []bool
	Str   []string
	Int   []int64
	Float []float64
	Bool  []bool
}

// Batch is a set of rows in columns, the unit in which loads write.
type Batch struct {
	Len  int
	Cols []Vector
	// SourceRow is the 1-based data row of each row in the load's source
	// file, kept as provenance.
	SourceRow []int64
}

// NewBatch returns an empty batch for the spec's columns.
func NewBatch(spec DatasetSpec, capacity int) *Batch {
	b := &Batch{Cols: make([]Vector, len(spec.Columns)), SourceRow: make([]int64, 0, capacity)}
	for i, c := range spec.Columns {
		v := &b.Cols[i]
		v.Valid = make([]bool, 0, capacity)
		switch c.Type {
		case Text:
			v.Str = make([]string, 0, capacity)
		case Float:
			v.Float = make([]float64, 0, capacity)
		case Bool:
			v.Bool = make([]bool, 0, capacity)
		default:
			v.Int = make([]int64, 0, capacity)
		}
	}
	return b
}

// Reset empties the batch, keeping its memory.
func (b *Batch) Reset() {
	b.Len = 0
	b.SourceRow = b.SourceRow[:0]
	for i := range b.Cols {
		v := &b.Cols[i]
		v.Valid, v.Str, v.Int, v.Float, v.Bool = v.Valid[:0], v.Str[:0], v.Int[:0], v.Float[:0], v.Bool[:0]
	}
}

// AppendString appends a text value.
func (v *Vector) AppendString(s string) {
	v.Valid = append(v.Valid, true)
	v.Str = append(v.Str, s)
}

// AppendInt appends an Int, Date or Timestamp value.
func (v *Vector) AppendInt(n int64) {
	v.Valid = append(v.Valid, true)
	v.Int = append(v.Int, n)
}

// AppendFloat appends a Float value.
func (v *Vector) AppendFloat(f float64) {
	v.Valid = append(v.Valid, true)
	v.Float = append(v.Float, f)
}

// AppendBool appends a Bool value.
func (v *Vector) AppendBool(x bool) {
	v.Valid = append(v.Valid, true)
	v.Bool = append(v.Bool, x)
}

// AppendNull appends a NULL to a column of type t.
func (v *Vector) AppendNull(t Type) {
	v.Valid = append(v.Valid, false)
	switch t {
	case Text:
		v.Str = append(v.Str, "")
	case Float:
		v.Float = append(v.Float, 0)
	case Bool:
		v.Bool = append(v.Bool, false)
	default:
		v.Int = append(v.Int, 0)
	}
}

// value returns row i of a column of type t as a Go value: string, int64,
// float64, bool, time.Time (UTC, for Date and Timestamp) or nil.
func (v *Vector) value(t Type, i int) any {
	if !v.Valid[i] {
		return nil
	}
	switch t {
	case Text:
		return v.Str[i]
	case Float:
		return v.Float[i]
	case Bool:
		return v.Bool[i]
	case Date:
		return time.Unix(v.Int[i]*86400, 0).UTC()
	case Timestamp:
		return time.UnixMicro(v.Int[i]).UTC()
	}
	return v.Int[i]
}

// check reports whether the batch fits the spec.
func (b *Batch) check(spec DatasetSpec) bool {
	if len(b.Cols) != len(spec.Columns) || len(b.SourceRow) != b.Len {
		return false
	}
	for i, c := range spec.Columns {
		v := &b.Cols[i]
		n := len(v.Int)
		switch c.Type {
		case Text:
			n = len(v.Str)
		case Float:
			n = len(v.Float)
		case Bool:
			n = len(v.Bool)
		}
		if len(v.Valid) != b.Len || n != b.Len {
			return false
		}
	}
	return true
}

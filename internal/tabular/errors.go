package tabular

import (
	"fmt"
	"strconv"

	"github.com/pubdata/pubdata/internal/apperr"
)

// PosError locates a problem in a table file. Every Invalid error from this
// package that concerns a place in the file wraps one, so an importer can
// report it with errors.As.
type PosError struct {
	Sheet  string // XLSX sheet, "" otherwise
	Row    int    // Row.Num of the row (line, sheet row or JSON record); 0 when unknown
	Col    int    // 1-based column, 0 when unknown
	Column string // header name of the column, "" when unknown
	Err    error  // underlying cause, may be nil
}

func (e *PosError) Error() string {
	s := "row " + strconv.Itoa(e.Row)
	if e.Sheet != "" {
		s = "sheet " + strconv.Quote(e.Sheet) + " " + s
	}
	if e.Col > 0 {
		s += ", column " + strconv.Itoa(e.Col)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *PosError) Unwrap() error { return e.Err }

// unit names what a position counts: rows of a sheet or text, lines of
// decoded text, or records of a JSON array.
type unit int

const (
	unitRow unit = iota
	unitLine
	unitRecord
)

// loc is where a problem is; the zero value means the whole file.
type loc struct {
	unit   unit
	sheet  string
	n      int
	col    int
	column string
}

func (l loc) en() string {
	var s string
	switch l.unit {
	case unitLine:
		s = "line " + strconv.Itoa(l.n)
	case unitRecord:
		s = "record " + strconv.Itoa(l.n)
	default:
		s = "row " + strconv.Itoa(l.n)
	}
	if l.sheet != "" {
		s = "sheet " + strconv.Quote(l.sheet) + ", " + s
	}
	switch {
	case l.column != "":
		s += ", column " + l.column
	case l.col > 0:
		s += ", column " + strconv.Itoa(l.col)
	}
	return s
}

func (l loc) zh() string {
	var s string
	if l.unit == unitRecord {
		s = fmt.Sprintf("第%d条记录", l.n)
	} else {
		s = fmt.Sprintf("第%d行", l.n)
	}
	if l.sheet != "" {
		s = "工作表“" + l.sheet + "”" + s
	}
	switch {
	case l.column != "":
		s += "“" + l.column + "”列"
	case l.col > 0:
		s += fmt.Sprintf("第%d列", l.col)
	}
	return s
}

// invalidAt builds the Invalid error for a problem at l.
func invalidAt(l loc, cause error, en, zh string) *apperr.Error {
	field, fzh := l.en(), l.zh()
	return &apperr.Error{
		Kind:    apperr.Invalid,
		Message: field + ": " + en,
		ZH:      fzh + "：" + zh,
		Fields:  []apperr.FieldError{{Field: field, Message: en, ZH: zh}},
		Err:     &PosError{Sheet: l.sheet, Row: l.n, Col: l.col, Column: l.column, Err: cause},
	}
}

// invalidFile builds the Invalid error for a problem with the file as a
// whole (or with an option), reported on field.
func invalidFile(field string, cause error, en, zh string) *apperr.Error {
	return &apperr.Error{
		Kind:    apperr.Invalid,
		Message: en,
		ZH:      zh,
		Fields:  []apperr.FieldError{{Field: field, Message: en, ZH: zh}},
		Err:     cause,
	}
}

// quote quotes s for a message, keeping Chinese characters readable.
func quote(s string) string { return strconv.Quote(s) }

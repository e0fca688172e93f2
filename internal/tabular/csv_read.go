package tabular

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/pubdata/pubdata/internal/apperr"
)

// CSVOptions control OpenCSV.
type CSVOptions struct {
	Encoding Encoding // Detect ("") by default
	Comma    rune     // ',' by default; '\t' for TSV
	// HeaderRow is the line of the header: the first record starting on
	// or after it. 0 finds it, as described in the package documentation.
	HeaderRow int
}

// CSVReader reads a CSV or TSV file.
type CSVReader struct {
	table
	enc Encoding
}

// csvSource yields the records of a CSV file.
type csvSource struct {
	cr   *csv.Reader
	done bool
}

// OpenCSV reads the header of a CSV or TSV file and returns a Reader of its
// rows (a *CSVReader). Quotes are strict (RFC 4180): a malformed record is
// an Invalid error naming its line. A header is required.
func OpenCSV(r io.Reader, opts CSVOptions) (Reader, error) {
	comma := opts.Comma
	if comma == 0 {
		comma = ','
	}
	if comma == '"' || comma == '\r' || comma == '\n' || comma == utf8.RuneError || !utf8.ValidRune(comma) {
		return nil, invalidFile("comma", nil, "invalid delimiter "+strconv.QuoteRune(comma), "分隔符"+strconv.QuoteRune(comma)+"无效")
	}
	dec, enc, err := NewDecoder(r, opts.Encoding)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(dec)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	c := &CSVReader{table: table{src: &csvSource{cr: cr}}, enc: enc}
	if err := c.findHeader(opts.HeaderRow); err != nil {
		return nil, err
	}
	return c, nil
}

// Encoding returns the encoding the file is decoded from.
func (c *CSVReader) Encoding() Encoding { return c.enc }

func (s *csvSource) close() error { return nil }

// read returns the next record, numbered by the line it starts on.
func (s *csvSource) read(own bool) (Row, error) {
	if s.done {
		return Row{}, io.EOF
	}
	rec, err := s.cr.Read()
	if err == nil {
		line, _ := s.cr.FieldPos(0)
		if own {
			rec = append([]string(nil), rec...)
		}
		return Row{Num: line, Cells: rec}, nil
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Row{}, parseError(pe) // csv goes on after the record
	}
	s.done = true
	var ae *apperr.Error
	if err == io.EOF || errors.As(err, &ae) {
		return Row{}, err
	}
	return Row{}, fmt.Errorf("tabular: read csv: %w", err)
}

// parseError turns a CSV syntax error into an Invalid error on its line.
func parseError(pe *csv.ParseError) error {
	l := loc{unit: unitRow, n: pe.Line}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return invalidAt(l, pe,
			`a quote (") appears inside a cell that does not start with one: enclose the whole cell in quotes and write a quote inside it as two ("")`,
			`未用引号括起的单元格中出现了引号（"）：请将整个单元格用引号括起，单元格内的引号写作两个（""）`)
	case errors.Is(pe.Err, csv.ErrQuote):
		// Either text follows a closing quote or the closing quote is
		// missing; csv does not say which. The cell starts on StartLine.
		l.n = pe.StartLine
		at, atZH := "", ""
		if pe.Line != pe.StartLine {
			at, atZH = " (found at line "+strconv.Itoa(pe.Line)+")", "（发现于第"+strconv.Itoa(pe.Line)+"行）"
		}
		return invalidAt(l, pe,
			"a quoted cell is not closed properly: its closing quote is missing, or text follows it before the next delimiter"+at,
			"引号单元格未正确结束：缺少结束引号，或结束引号与下一个分隔符之间还有其他内容"+atZH)
	}
	return invalidAt(l, pe, "malformed CSV: "+pe.Err.Error(), "CSV 格式错误："+pe.Err.Error())
}

package tabular

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// Excel's limits.
const (
	maxSheetRows  = excelize.TotalRows      // 1,048,576
	maxCellChars  = excelize.TotalCellChars // 32,767 UTF-16 units
	maxSheetName  = excelize.MaxSheetNameLength
	defaultSheet  = "Sheet1"
	minColWidth   = 8
	maxColWidth   = 60
	headerPadding = 2
)

// WorkbookWriter writes an XLSX workbook of one or more sheets, streaming
// each sheet's rows (excelize's StreamWriter spills big sheets to temporary
// files). Sheets are written one after another: AddSheet finishes the
// previous sheet. Cells are written as text, so codes such as "0371" or
// 18-digit ID numbers keep every digit.
type WorkbookWriter struct {
	w      io.Writer
	f      *excelize.File
	bold   int
	names  []string
	cur    *sheetWriter
	err    error
	closed bool
}

// NewWorkbookWriter returns a WorkbookWriter writing to w on Close.
func NewWorkbookWriter(w io.Writer) *WorkbookWriter {
	f := excelize.NewFile()
	wb := &WorkbookWriter{w: w, f: f}
	var err error
	if wb.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		wb.err = fmt.Errorf("tabular: xlsx style: %w", err)
	}
	return wb
}

// AddSheet starts a sheet. A non-nil header is written as its first row,
// bold and frozen; with a nil header, call WriteHeader on the returned
// Writer. Closing that Writer finishes the sheet; the workbook is written
// by WorkbookWriter.Close.
func (wb *WorkbookWriter) AddSheet(name string, header []string) (Writer, error) {
	if wb.err != nil {
		return nil, wb.err
	}
	if wb.closed {
		return nil, errors.New("tabular: workbook closed")
	}
	if err := wb.checkName(name); err != nil {
		return nil, err
	}
	if err := wb.finishSheet(); err != nil {
		return nil, err
	}
	var err error
	if len(wb.names) == 0 {
		err = wb.f.SetSheetName(defaultSheet, name)
	} else {
		_, err = wb.f.NewSheet(name)
	}
	if err != nil {
		return nil, fmt.Errorf("tabular: add sheet: %w", err)
	}
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("tabular: add sheet: %w", err)
	}
	wb.names = append(wb.names, name)
	wb.cur = &sheetWriter{wb: wb, sw: sw, name: name}
	if header != nil {
		if err := wb.cur.WriteHeader(header); err != nil {
			return nil, err
		}
	}
	return wb.cur, nil
}

// checkName applies Excel's rules for sheet names.
func (wb *WorkbookWriter) checkName(name string) error {
	bad := func(en, zh string) error {
		return invalidFile("sheet", nil, "invalid sheet name "+quote(name)+": "+en, "工作表名称"+quote(name)+"无效："+zh)
	}
	switch {
	case strings.TrimSpace(name) == "":
		return bad("it is empty", "名称为空")
	case len(utf16.Encode([]rune(name))) > maxSheetName:
		return bad("it is longer than 31 characters", "超过31个字符")
	case strings.ContainsAny(name, `:\/?*[]`):
		return bad(`it contains one of : \ / ? * [ ]`, `含有 : \ / ? * [ ] 之一`)
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return bad("it starts or ends with an apostrophe", "以单引号开头或结尾")
	}
	for _, n := range wb.names {
		if strings.EqualFold(n, name) {
			return bad("the workbook already has a sheet of that name", "工作簿中已有同名工作表")
		}
	}
	return nil
}

func (wb *WorkbookWriter) finishSheet() error {
	if wb.cur == nil {
		return nil
	}
	err := wb.cur.Close()
	wb.cur = nil
	return err
}

// Close finishes the last sheet, writes the workbook to w and removes the
// temporary files. A workbook without sheets gets an empty "Sheet1".
func (wb *WorkbookWriter) Close() error {
	if wb.closed {
		return wb.err
	}
	wb.closed = true
	if err := wb.finishSheet(); err != nil && wb.err == nil {
		wb.err = err
	}
	if wb.err == nil {
		if err := wb.f.Write(wb.w); err != nil {
			wb.err = fmt.Errorf("tabular: write xlsx: %w", err)
		}
	}
	if err := wb.f.Close(); err != nil && wb.err == nil {
		wb.err = fmt.Errorf("tabular: xlsx temporary files: %w", err)
	}
	return wb.err
}

// sheetWriter writes the rows of one sheet.
type sheetWriter struct {
	wb     *WorkbookWriter
	sw     *excelize.StreamWriter
	name   string
	header []string
	row    int // rows written
	vals   []any
	done   bool
	err    error
}

func (s *sheetWriter) check() error {
	switch {
	case s.err != nil:
		return s.err
	case s.done:
		return errors.New("tabular: sheet " + quote(s.name) + " is finished")
	}
	return nil
}

func (s *sheetWriter) WriteHeader(header []string) error {
	if err := s.check(); err != nil {
		return err
	}
	if s.header != nil {
		return errors.New("tabular: header written twice")
	}
	s.header = append([]string{}, header...)
	if len(header) == 0 {
		return nil
	}
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		s.err = fmt.Errorf("tabular: freeze header: %w", err)
		return s.err
	}
	for i, h := range header {
		if err := s.sw.SetColWidth(i+1, i+1, colWidth(h)); err != nil {
			s.err = fmt.Errorf("tabular: column width: %w", err)
			return s.err
		}
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: s.wb.bold, Value: h}
	}
	return s.setRow(header, cells)
}

func (s *sheetWriter) WriteRow(cells []string) error {
	if err := s.check(); err != nil {
		return err
	}
	if s.header == nil {
		return errors.New("tabular: row written before the header")
	}
	if err := checkWidth(s.row+1, s.header, cells); err != nil {
		return err
	}
	s.vals = s.vals[:0]
	for _, c := range cells {
		if c == "" {
			s.vals = append(s.vals, nil)
		} else {
			s.vals = append(s.vals, c)
		}
	}
	return s.setRow(cells, s.vals)
}

// setRow checks Excel's limits and writes the next row.
func (s *sheetWriter) setRow(cells []string, vals []any) error {
	n := s.row + 1
	if n > maxSheetRows {
		return invalidAt(loc{sheet: s.name, n: n}, nil,
			"a sheet holds at most 1,048,576 rows: split the data or use CSV",
			"工作表最多容纳1,048,576行：请拆分数据或改用 CSV 格式")
	}
	for i, c := range cells {
		if len(c) > maxCellChars && len(utf16.Encode([]rune(c))) > maxCellChars {
			l := loc{sheet: s.name, n: n, col: i + 1}
			if n > 1 && i < len(s.header) {
				l.column = s.header[i]
			}
			return invalidAt(l, nil, "an Excel cell holds at most 32,767 characters",
				"Excel 单元格最多容纳32,767个字符")
		}
	}
	if err := s.sw.SetRow("A"+strconv.Itoa(n), vals); err != nil {
		s.err = fmt.Errorf("tabular: write row %d: %w", n, err)
		return s.err
	}
	s.row = n
	return nil
}

// Close finishes the sheet.
func (s *sheetWriter) Close() error {
	if s.done {
		return s.err
	}
	s.done = true
	if err := s.sw.Flush(); err != nil && s.err == nil {
		s.err = fmt.Errorf("tabular: finish sheet %s: %w", quote(s.name), err)
	}
	return s.err
}

// colWidth is a column width fitting header text h, counting a Chinese
// character as two.
func colWidth(h string) float64 {
	w := headerPadding
	for _, r := range h {
		if r >= 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	return float64(min(max(w, minColWidth), maxColWidth))
}

// xlsxWriter is a workbook of one sheet.
type xlsxWriter struct {
	wb  *WorkbookWriter
	s   Writer
	err error
}

// NewXLSXWriter returns a Writer of an XLSX workbook with one sheet named
// sheet ("Sheet1" when ""), written to w on Close. The header row is bold
// and frozen.
func NewXLSXWriter(w io.Writer, sheet string) Writer {
	if sheet == "" {
		sheet = defaultSheet
	}
	x := &xlsxWriter{wb: NewWorkbookWriter(w)}
	x.s, x.err = x.wb.AddSheet(sheet, nil)
	return x
}

func (x *xlsxWriter) WriteHeader(header []string) error {
	if x.err != nil {
		return x.err
	}
	return x.s.WriteHeader(header)
}

func (x *xlsxWriter) WriteRow(cells []string) error {
	if x.err != nil {
		return x.err
	}
	return x.s.WriteRow(cells)
}

func (x *xlsxWriter) Close() error {
	if x.err != nil { // no sheet: write nothing
		x.wb.closed = true
		_ = x.wb.f.Close()
		return x.err
	}
	return x.wb.Close()
}

package catalogio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/catalog"
)

// outCol is one column of a written table.
type outCol struct {
	header string
	key    bool
	res    int // resourceColumns index, -1 if none
	item   int // itemColumns index, -1 if none
	errs   bool
}

// canonical lists the format's columns: the key, then resource columns
// (info columns too when info), then item columns, as asked.
func canonical(resources, items, info bool) []outCol {
	cols := []outCol{{header: colKey, key: true, res: -1, item: -1}}
	if resources {
		for i, c := range resourceColumns {
			if !c.info || info {
				cols = append(cols, outCol{header: c.zh, res: i, item: -1})
			}
		}
	}
	if items {
		for i, c := range itemColumns {
			cols = append(cols, outCol{header: c.zh, res: -1, item: i})
		}
	}
	return cols
}

// fromLayout lists the columns of a file as it was read, plus 错误说明.
func fromLayout(l *layout) []outCol {
	cols := make([]outCol, l.width, l.width+1)
	for j := range cols {
		cols[j] = outCol{header: l.header[j], res: -1, item: -1}
	}
	if l.key >= 0 {
		cols[l.key].key = true
	}
	for c, pos := range l.res {
		if pos >= 0 {
			cols[pos].res = c
		}
	}
	for c, pos := range l.items {
		if pos >= 0 {
			cols[pos].item = c
		}
	}
	return append(cols, outCol{header: colErrors, res: -1, item: -1, errs: true})
}

func headers(cols []outCol) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.header
	}
	return out
}

// cells renders one row: the resource part from r, the item part from it
// (either may be nil), the error column from msg.
func cells(cols []outCol, key string, r *catalog.Resource, it *catalog.DataItem, msg string) []string {
	out := make([]string, len(cols))
	for j, c := range cols {
		switch {
		case c.key:
			out[j] = key
		case c.errs:
			out[j] = msg
		case c.res >= 0 && r != nil:
			out[j] = resourceColumns[c.res].get(r)
		case c.item >= 0 && it != nil:
			out[j] = itemColumns[c.item].get(it)
		}
	}
	return out
}

// rawCells lays out a row as read in cols (from fromLayout), with msg.
func rawCells(cols []outCol, raw []string, msg string) []string {
	out := make([]string, len(cols))
	copy(out, raw[:min(len(raw), len(cols)-1)])
	out[len(cols)-1] = msg
	return out
}

// sheetWriter writes the rows of one table.
type sheetWriter interface {
	row(cells []string) error
}

// book is an XLSX workbook written as a stream, sheet by sheet.
type book struct {
	f      *excelize.File
	bold   int
	sheets []*bookSheet
}

type bookSheet struct {
	sw  *excelize.StreamWriter
	n   int
	buf []any
}

func newBook() (*book, error) {
	f := excelize.NewFile()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return nil, err
	}
	return &book{f: f, bold: bold}, nil
}

// sheet adds a streamed sheet with a bold, frozen header row.
func (b *book) sheet(name string, header []string) (*bookSheet, error) {
	if len(b.f.GetSheetList()) == 1 && b.f.GetSheetList()[0] == "Sheet1" {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return nil, err
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for j, h := range header {
		w := float64(utf8.RuneCountInString(h))*2.2 + 2
		if err := sw.SetColWidth(j+1, j+1, min(max(w, 10), 40)); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	s := &bookSheet{sw: sw}
	row := make([]any, len(header))
	for j, h := range header {
		row[j] = excelize.Cell{StyleID: b.bold, Value: h}
	}
	s.n = 1
	if err := sw.SetRow("A1", row); err != nil {
		return nil, err
	}
	b.sheets = append(b.sheets, s)
	return s, nil
}

func (s *bookSheet) row(cells []string) error {
	s.n++
	s.buf = s.buf[:0]
	for _, c := range cells {
		if c == "" {
			s.buf = append(s.buf, nil)
		} else {
			s.buf = append(s.buf, c)
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, s.n)
	if err != nil {
		return err
	}
	if s.n > excelize.TotalRows {
		return apperr.New(apperr.Invalid, "more rows than a worksheet holds", "行数超过工作表上限")
	}
	return s.sw.SetRow(cell, s.buf)
}

// finish ends the streams and writes the workbook.
func (b *book) finish(w io.Writer) error {
	for _, s := range b.sheets {
		if err := s.sw.Flush(); err != nil {
			return err
		}
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return b.f.Close()
}

// csvTable writes UTF-8 CSV with a byte order mark, which Excel needs to
// read Chinese text correctly.
type csvTable struct {
	bw *bufio.Writer
	cw *csv.Writer
}

func newCSVTable(w io.Writer, header []string) (*csvTable, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return nil, err
	}
	t := &csvTable{bw: bw, cw: csv.NewWriter(bw)}
	return t, t.row(header)
}

func (t *csvTable) row(cells []string) error { return t.cw.Write(cells) }

func (t *csvTable) finish() error {
	t.cw.Flush()
	if err := t.cw.Error(); err != nil {
		return err
	}
	return t.bw.Flush()
}

// jsonArray writes a JSON array one element per line.
type jsonArray struct {
	bw  *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	n   int
}

func newJSONArray(w io.Writer) *jsonArray {
	a := &jsonArray{bw: bufio.NewWriterSize(w, 256<<10)}
	a.enc = json.NewEncoder(&a.buf)
	a.enc.SetEscapeHTML(false)
	return a
}

func (a *jsonArray) add(v any) error {
	a.buf.Reset()
	if a.n == 0 {
		a.buf.WriteString("[\n")
	} else {
		a.buf.WriteString(",\n")
	}
	a.n++
	if err := a.enc.Encode(v); err != nil {
		return err
	}
	// Encode ends the value with a newline; the separator comes first.
	_, err := a.bw.Write(bytes.TrimSuffix(a.buf.Bytes(), []byte("\n")))
	return err
}

func (a *jsonArray) finish() error {
	end := "\n]\n"
	if a.n == 0 {
		end = "[]\n"
	}
	if _, err := a.bw.WriteString(end); err != nil {
		return err
	}
	return a.bw.Flush()
}

// catalogWriter writes whole resources in the import format: XLSX with the
// two sheets, CSV with one row per item, or a JSON array.
type catalogWriter struct {
	format          string
	resCols, itCols []outCol // XLSX
	flat            []outCol // CSV
	book            *book
	resSheet, itSh  *bookSheet
	csv             *csvTable
	json            *jsonArray
	w               io.Writer
	asJSON          func(r *catalog.Resource) any
}

// newCatalogWriter starts a file; info adds the columns import ignores
// (资源代码, 提供方名称, 状态, 分级).
func newCatalogWriter(w io.Writer, format string, info bool) (*catalogWriter, error) {
	cw := &catalogWriter{format: format, w: w}
	var err error
	switch format {
	case "xlsx":
		cw.resCols, cw.itCols = canonical(true, false, info), canonical(false, true, false)
		if cw.book, err = newBook(); err != nil {
			return nil, err
		}
		if cw.resSheet, err = cw.book.sheet(sheetResources, headers(cw.resCols)); err != nil {
			return nil, err
		}
		if cw.itSh, err = cw.book.sheet(sheetItems, headers(cw.itCols)); err != nil {
			return nil, err
		}
	case "csv":
		cw.flat = canonical(true, true, info)
		if cw.csv, err = newCSVTable(w, headers(cw.flat)); err != nil {
			return nil, err
		}
	case "json":
		cw.json = newJSONArray(w)
	default:
		return nil, apperr.New(apperr.Invalid, "unknown file format "+format, "不支持的文件格式"+format).
			With("format", "must be xlsx, csv or json", "须为 xlsx、csv、json 之一")
	}
	return cw, nil
}

// write adds one resource with its items under key.
func (cw *catalogWriter) write(r *catalog.Resource, key string) error {
	switch cw.format {
	case "xlsx":
		if err := cw.resSheet.row(cells(cw.resCols, key, r, nil, "")); err != nil {
			return err
		}
		for k := range r.Items {
			if err := cw.itSh.row(cells(cw.itCols, key, nil, &r.Items[k], "")); err != nil {
				return err
			}
		}
	case "csv":
		if len(r.Items) == 0 {
			return cw.csv.row(cells(cw.flat, key, r, nil, ""))
		}
		for k := range r.Items {
			if err := cw.csv.row(cells(cw.flat, key, r, &r.Items[k], "")); err != nil {
				return err
			}
		}
	case "json":
		var v any = r
		if cw.asJSON != nil {
			v = cw.asJSON(r)
		}
		return cw.json.add(v)
	}
	return nil
}

func (cw *catalogWriter) finish() error {
	switch cw.format {
	case "xlsx":
		return cw.book.finish(cw.w)
	case "csv":
		return cw.csv.finish()
	default:
		return cw.json.finish()
	}
}

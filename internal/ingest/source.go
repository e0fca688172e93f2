package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/tabular"
)

// Source is the file a load reads.
type Source struct {
	// Name is recorded as the rows' provenance (a file name, say); its
	// extension gives the format when Format is empty.
	Name string
	// R is the content. XLSX needs an io.ReaderAt and Size.
	R    io.Reader
	Size int64 // bytes, 0 when unknown
	// Format is csv, tsv, xlsx, json or ndjson; "" takes it from Name's
	// extension, and CSV when Name has none.
	Format tabular.Format
	// Encoding of CSV and TSV; "" detects it (see tabular.DetectEncoding).
	// A byte order mark overrides it.
	Encoding tabular.Encoding
	// Sheet is the XLSX sheet ("" for the first); HeaderRow the line
	// (CSV) or sheet row (XLSX) of the header, 0 to find it.
	Sheet     string
	HeaderRow int
	// StrictMembers (JSON and NDJSON) makes a member that names no data
	// item an error of its row, naming the member, instead of a column the
	// load ignores: the push API sets it.
	StrictMembers bool
}

// FileSource opens a file as a Source; close it when done.
func FileSource(path string) (Source, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return Source{}, nil, fmt.Errorf("ingest: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return Source{}, nil, fmt.Errorf("ingest: %w", err)
	}
	name := fi.Name()
	return Source{Name: name, R: f, Size: fi.Size()}, f, nil
}

// input yields the chunks of a source.
type input interface {
	header() []string
	format() tabular.Format
	encoding() tabular.Encoding
	// next fills c with the next rows and reports false at the end.
	next(c *chunk) (bool, error)
	// bytes is how much of the source has been read.
	bytes() int64
	close()
}

// openInput opens src; the header of a JSON or NDJSON source is shaped by
// spec's items (see jsonOptions).
func openInput(src Source, spec Spec) (input, error) {
	format := src.Format
	if format == "" {
		format = tabular.CSV
		if strings.Contains(src.Name, ".") {
			f, err := tabular.FormatOf(src.Name)
			if err != nil {
				return nil, err
			}
			format = f
		}
	}
	if src.R == nil {
		return nil, fmt.Errorf("ingest: source %s has no reader", src.Name)
	}
	switch format {
	case tabular.CSV, tabular.TSV:
		comma := byte(',')
		if format == tabular.TSV {
			comma = '\t'
		}
		return openCSV(src, format, comma)
	case tabular.XLSX:
		ra, ok := src.R.(io.ReaderAt)
		if !ok || src.Size <= 0 {
			return nil, fmt.Errorf("ingest: an XLSX source needs an io.ReaderAt and its size")
		}
		wb, err := tabular.OpenXLSX(ra, src.Size, tabular.XLSXOptions{HeaderRow: src.HeaderRow})
		if err != nil {
			return nil, err
		}
		sheet := src.Sheet
		if sheet == "" {
			if sheets := wb.Sheets(); len(sheets) > 0 {
				sheet = sheets[0]
			}
		}
		r, err := wb.Sheet(sheet)
		if err != nil {
			wb.Close()
			return nil, err
		}
		return &tableInput{r: r, fmt: format, wb: wb, size: src.Size}, nil
	case tabular.JSON, tabular.NDJSON:
		cr := &CountingReader{R: src.R}
		open := tabular.OpenJSONWith
		if format == tabular.NDJSON {
			open = tabular.OpenNDJSONWith
		}
		r, err := open(cr, jsonOptions(spec, src.StrictMembers))
		if err != nil {
			return nil, err
		}
		return &tableInput{r: r, fmt: format, cr: cr, resumable: format == tabular.NDJSON, strict: src.StrictMembers}, nil
	case tabular.Parquet:
		r, err := openParquet(src)
		if err != nil {
			return nil, err
		}
		return &tableInput{r: r, fmt: format, size: src.Size}, nil
	}
	return nil, apperr.New(apperr.Invalid, "unsupported format "+string(format), "不支持的格式"+string(format))
}

// CountingReader counts the bytes read through it in N.
type CountingReader struct {
	R io.Reader
	N int64
}

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}

// tableInput reads the formats that internal/tabular parses row by row:
// XLSX, JSON, NDJSON and UTF-16 CSV.
type tableInput struct {
	r    tabular.Reader
	fmt  tabular.Format
	enc  tabular.Encoding
	wb   *tabular.Workbook
	cr   *CountingReader
	size int64
	// resumable says a row error leaves the rest of the file readable
	// (an error about an object's keys always does); strict says members
	// that name no item are errors of their rows.
	resumable bool
	strict    bool
	rows      int64
	done      bool
	// dates are the XLSX columns of date and timestamp items: their
	// serial numbers become dates.
	dates map[int]records.Type
}

// excelDates makes the date cells of an XLSX source, which are read as
// serial numbers, into the dates they show, for the columns of Date and
// Timestamp items.
func (t *tableInput) excelDates(lay layout, ds records.DatasetSpec) {
	if t.wb == nil {
		return
	}
	for i, src := range lay.src {
		if typ := ds.Columns[i].Type; src >= 0 && (typ == records.Date || typ == records.Timestamp) {
			if t.dates == nil {
				t.dates = map[int]records.Type{}
			}
			t.dates[src] = typ
		}
	}
}

// serial reports whether s looks like an Excel serial number.
func serial(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && !dot:
			dot = true
		case c < '0' || c > '9':
			return false
		}
	}
	// Eight digits are a date written as YYYYMMDD, not a serial.
	return !(len(s) == 8 && !dot)
}

// tableChunkRows is the rows of a chunk of a row-by-row source.
const tableChunkRows = 4096

func (t *tableInput) header() []string           { return t.r.Header() }
func (t *tableInput) format() tabular.Format     { return t.fmt }
func (t *tableInput) encoding() tabular.Encoding { return t.enc }

func (t *tableInput) bytes() int64 {
	switch {
	case t.cr != nil:
		return t.cr.N
	case t.done:
		return t.size
	}
	return 0
}

func (t *tableInput) close() {
	t.r.Close()
	if t.wb != nil {
		t.wb.Close()
	}
}

func (t *tableInput) next(c *chunk) (bool, error) {
	if t.done {
		return false, nil
	}
	c.first = t.rows + 1
	for len(c.rows) < tableChunkRows {
		row, err := t.r.Next()
		if err == io.EOF {
			t.done = true
			break
		}
		t.rows++
		if err != nil {
			ae, ok := err.(*apperr.Error)
			if !ok || !(t.resumable || objectError(err)) {
				return false, fmt.Errorf("ingest: row %d: %w", t.rows, err)
			}
			if t.strict {
				ae = unknownMember(ae)
			}
			c.rows = append(c.rows, nil)
			c.rowErrs = append(c.rowErrs, rowErr{i: len(c.rows) - 1, err: ae})
			continue
		}
		for col, typ := range t.dates {
			if v := row.Cells[col]; serial(v) {
				if tm, err := t.wb.Time(v); err == nil {
					if typ == records.Date {
						row.Cells[col] = tm.Format("2006-01-02")
					} else {
						row.Cells[col] = tm.Format("2006-01-02 15:04:05")
					}
				}
			}
		}
		c.rows = append(c.rows, row.Cells)
	}
	c.nrec = len(c.rows)
	return c.nrec > 0, nil
}

// csvInput reads CSV and TSV in blocks of whole records, decoded by the
// workers.
type csvInput struct {
	br    *blockReader
	fmt   tabular.Format
	enc   tabular.Encoding
	comma byte
	hdr   []string
	rows  int64  // data records before the next block
	first []byte // the data records of the first block
}

func (c *csvInput) header() []string           { return c.hdr }
func (c *csvInput) format() tabular.Format     { return c.fmt }
func (c *csvInput) encoding() tabular.Encoding { return c.enc }
func (c *csvInput) bytes() int64               { return c.br.read - int64(len(c.br.carry)) }
func (c *csvInput) close()                     {}

func (c *csvInput) next(ch *chunk) (bool, error) {
	var block []byte
	var n int
	if c.first != nil {
		block, c.first = c.first, nil
		if len(block) > 0 {
			_, n = c.br.sc.cut(block, true)
		}
	}
	if n == 0 {
		var err error
		if block, n, err = c.br.next(ch.raw[:0]); err != nil || block == nil {
			return false, err
		}
	}
	ch.raw = block
	ch.nrec = n
	ch.first = c.rows + 1
	c.rows += int64(n)
	return true, nil
}

// openCSV detects the encoding, finds the header and returns the input of
// the data rows. UTF-16 files, which cannot be cut on raw bytes, are read
// by tabular.OpenCSV.
func openCSV(src Source, format tabular.Format, comma byte) (input, error) {
	enc, err := tabular.ParseEncoding(string(src.Encoding))
	if err != nil {
		return nil, err
	}
	br := &blockReader{r: src.R, sc: recordScanner{comma: comma}}
	buf, err := br.fill(make([]byte, 0, chunkBytes))
	if err != nil {
		return nil, err
	}
	prefix := buf[:min(len(buf), tabular.DetectPrefix)]
	switch bom := tabular.DetectEncoding(prefix); {
	case enc == tabular.Detect, bom == tabular.UTF8BOM, bom == tabular.UTF16LE, bom == tabular.UTF16BE:
		enc = bom
	}
	if enc == tabular.UTF16LE || enc == tabular.UTF16BE {
		r, err := tabular.OpenCSV(io.MultiReader(bytes.NewReader(buf), src.R), tabular.CSVOptions{Encoding: enc, Comma: rune(comma), HeaderRow: src.HeaderRow})
		if err != nil {
			return nil, err
		}
		return &tableInput{r: r, fmt: format, enc: enc, size: src.Size, resumable: true}, nil
	}
	if bytes.HasPrefix(buf, []byte("\xEF\xBB\xBF")) {
		buf = buf[3:]
		enc = tabular.UTF8BOM
	} else if enc == tabular.UTF8BOM {
		enc = tabular.UTF8
	}
	c := &csvInput{br: br, fmt: format, enc: enc, comma: comma}
	dec := newDecoder(enc)
	// Find the header among the first records, growing the block until it
	// holds them.
	for {
		hdr, end, ok, err := findHeader(buf, br.eof, comma, dec, src.HeaderRow)
		if err != nil {
			return nil, err
		}
		if ok {
			c.hdr = hdr
			data := buf[end:]
			cut, _ := br.sc.cut(data, br.eof)
			br.carry = append([]byte(nil), data[cut:]...)
			c.first = append(make([]byte, 0, max(cut, 1)), data[:cut]...)
			br.line = bytes.Count(buf[:end+cut], newline)
			return c, nil
		}
		if br.eof || len(buf) >= maxRecordBytes {
			return nil, apperr.New(apperr.Invalid, "the file has no header row", "文件中没有表头行")
		}
		grown := make([]byte, len(buf), 2*cap(buf))
		copy(grown, buf)
		if buf, err = br.fill(grown); err != nil {
			return nil, err
		}
	}
}

// headerScan is how many non-blank records are looked at for the header,
// as in internal/tabular.
const headerScan = 100

// findHeader looks for the header in the records of b: the first record
// with at least two non-blank cells among the first headerScan non-blank
// ones, or else the first non-blank one; with headerRow > 0, the first
// record starting on or after that line. It returns the header's cells
// and the end of its record; ok is false when b holds too few records to
// decide.
func findHeader(b []byte, eof bool, comma byte, dec *decoder, headerRow int) (hdr []string, end int, ok bool, err error) {
	sc := recordScanner{comma: comma}
	pos, line, nonBlank := 0, 1, 0
	firstEnd := -1
	var first []string
	for pos < len(b) {
		e := sc.recordEnd(b[pos:], eof)
		if e < 0 {
			return nil, 0, false, nil
		}
		raw := b[pos : pos+e]
		startLine := line
		line += bytes.Count(raw, newline)
		pos += e
		text, err := dec.text(raw)
		if err != nil {
			return nil, 0, false, err
		}
		rec := strings.TrimSuffix(text, "\n")
		cells, _ := splitRecord(rec, comma, nil)
		if headerRow > 0 {
			if startLine < headerRow {
				continue
			}
			if countNonBlank(cells) == 0 {
				return nil, 0, false, apperr.New(apperr.Invalid, "the header row is empty", "表头行为空")
			}
			return makeHeader(cells), pos, true, nil
		}
		n := countNonBlank(cells)
		if n == 0 {
			continue
		}
		if n >= 2 {
			return makeHeader(cells), pos, true, nil
		}
		if firstEnd < 0 {
			first, firstEnd = cells, pos
		}
		if nonBlank++; nonBlank == headerScan {
			break
		}
	}
	if pos < len(b) || eof || nonBlank == headerScan {
		if firstEnd >= 0 {
			return makeHeader(first), firstEnd, true, nil
		}
		if eof {
			return nil, 0, false, apperr.New(apperr.Invalid, "the file has no header row", "文件中没有表头行")
		}
	}
	return nil, 0, false, nil
}

func countNonBlank(cells []string) int {
	n := 0
	for _, c := range cells {
		if trim(c) != "" {
			n++
		}
	}
	return n
}

// makeHeader trims the header cells and drops trailing empty ones.
func makeHeader(cells []string) []string {
	h := make([]string, len(cells))
	for i, c := range cells {
		h[i] = strings.TrimSpace(strings.TrimPrefix(c, "\uFEFF"))
	}
	for len(h) > 0 && h[len(h)-1] == "" {
		h = h[:len(h)-1]
	}
	return h
}

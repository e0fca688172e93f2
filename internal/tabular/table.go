package tabular

import (
	"errors"
	"io"
	"strconv"
	"strings"
)

// Row is one data row of a table.
type Row struct {
	// Num is the 1-based physical position of the row in the source: see the
	// package documentation for what it counts in each format.
	Num int
	// Cells has one cell per header column. The slice belongs to the caller.
	Cells []string
}

// Reader streams the rows of one table. Next returns io.EOF after the last
// row. Any other error is returned once and Next may be called again: after
// an error about one row (an extra cell, a malformed CSV record, a bad
// NDJSON line) it goes on with the next row, so that an import can report
// bad rows and keep the good ones; after an error that stops reading (an
// I/O error, broken JSON or XLSX, invalid UTF-8) it returns io.EOF.
type Reader interface {
	Header() []string
	Next() (Row, error)
	Close() error
}

// Writer writes one table: WriteHeader once, then rows. Close flushes; it
// does not close the underlying io.Writer.
type Writer interface {
	WriteHeader(header []string) error
	WriteRow(cells []string) error
	Close() error
}

// blank reports whether s has nothing but white space.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// blankRow reports whether every cell of cells is blank.
func blankRow(cells []string) bool {
	for _, c := range cells {
		if !blank(c) {
			return false
		}
	}
	return true
}

// nonBlank counts the cells that are not blank.
func nonBlank(cells []string) int {
	n := 0
	for _, c := range cells {
		if !blank(c) {
			n++
		}
	}
	return n
}

// makeHeader returns a trimmed copy of cells without trailing empty cells
// and without a byte order mark before the first.
func makeHeader(cells []string) []string {
	h := make([]string, len(cells))
	for i, c := range cells {
		if i == 0 {
			c = strings.TrimPrefix(c, "\uFEFF")
		}
		h[i] = strings.TrimSpace(c)
	}
	for len(h) > 0 && h[len(h)-1] == "" {
		h = h[:len(h)-1]
	}
	return h
}

// shape fits a record to the header width: it pads short records, drops
// blank cells past the header and rejects non-blank ones. reuse says rec
// may be overwritten later, so it must be copied; otherwise a record of the
// right width is used as it is.
func shape(l loc, header []string, rec []string, reuse bool) ([]string, error) {
	w := len(header)
	if len(rec) > w {
		for i := w; i < len(rec); i++ {
			if !blank(rec[i]) {
				l.col = i + 1
				return nil, invalidAt(l, nil,
					"the row has a value ("+quote(clip(rec[i]))+") to the right of the last header column "+strconv.Itoa(w),
					"该行在表头最后一列（第"+strconv.Itoa(w)+"列）右侧有值（"+quote(clip(rec[i]))+"）")
			}
		}
		rec = rec[:w]
	}
	if len(rec) == w && !reuse {
		return rec, nil
	}
	cells := make([]string, w)
	copy(cells, rec)
	return cells, nil
}

// clip shortens s for a message.
func clip(s string) string {
	const limit = 40
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}

// rowSource yields the physical rows of a table, blank ones included.
type rowSource interface {
	// read returns the next row; with own the caller may keep Cells,
	// else they are valid until the next read. After an error that stops
	// reading, read returns io.EOF.
	read(own bool) (Row, error)
	close() error
}

// headerScan is how many non-blank rows are looked at to find the header.
const headerScan = 100

// table finds the header of a rowSource and shapes its data rows: the
// Reader of CSV and XLSX.
type table struct {
	src    rowSource
	sheet  string
	header []string
	ahead  []Row // rows read while looking for the header
	err    error
}

// findHeader reads up to the header. With headerRow > 0 the header is the
// first row numbered headerRow or more. Else it is the first row with at
// least two non-blank cells among the first headerScan non-blank rows
// (skipping title rows above a table), or failing that the first non-blank
// row (a table of one column).
func (t *table) findHeader(headerRow int) error {
	for {
		row, err := t.src.read(true)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if headerRow > 0 {
			if row.Num < headerRow {
				continue
			}
			if blankRow(row.Cells) {
				return invalidAt(loc{sheet: t.sheet, n: row.Num}, nil, "the header row is empty", "表头行为空")
			}
			t.header = makeHeader(row.Cells)
			return nil
		}
		if blankRow(row.Cells) {
			continue
		}
		if nonBlank(row.Cells) >= 2 {
			t.header = makeHeader(row.Cells)
			t.ahead = nil
			return nil
		}
		t.ahead = append(t.ahead, row)
		if len(t.ahead) == headerScan {
			break
		}
	}
	if len(t.ahead) == 0 {
		if t.sheet != "" {
			return invalidFile("header", nil, "sheet "+quote(t.sheet)+" has no header row", "工作表"+quote(t.sheet)+"中没有表头行")
		}
		return invalidFile("header", nil, "the file has no header row", "文件中没有表头行")
	}
	t.header = makeHeader(t.ahead[0].Cells)
	t.ahead = t.ahead[1:]
	return nil
}

func (t *table) Header() []string { return t.header }

func (t *table) Next() (Row, error) {
	for t.err == nil {
		var row Row
		own := true
		if len(t.ahead) > 0 {
			row, t.ahead = t.ahead[0], t.ahead[1:]
		} else {
			var err error
			if row, err = t.src.read(false); err != nil {
				return Row{}, err
			}
			own = false
		}
		if blankRow(row.Cells) {
			continue
		}
		cells, err := shape(loc{sheet: t.sheet, n: row.Num}, t.header, row.Cells, !own)
		if err != nil {
			return Row{}, err
		}
		return Row{Num: row.Num, Cells: cells}, nil
	}
	return Row{}, t.err
}

func (t *table) Close() error {
	if t.err == nil {
		t.err = errors.New("tabular: reader closed")
	}
	return t.src.close()
}

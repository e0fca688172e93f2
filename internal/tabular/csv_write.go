package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// CSVWriterOptions control NewCSVWriterOptions.
type CSVWriterOptions struct {
	// Encoding of the output: UTF8BOM by default, which Excel needs to
	// open UTF-8 correctly; UTF8, GB18030 and GBK are also supported. GBK
	// cannot hold every character: writing one it lacks is an error.
	Encoding Encoding
	Comma    rune // ',' by default; '\t' for TSV
	// EscapeFormulas prefixes with ' the cells that Excel would run as a
	// formula (starting with =, +, -, @, tab or carriage return and not a
	// number), against CSV injection in files opened by people.
	EscapeFormulas bool
}

type csvWriter struct {
	out     *bufio.Writer
	row     bytes.Buffer
	cw      *csv.Writer // writes one record into row
	opts    CSVWriterOptions
	tr      transform.Transformer // nil for UTF-8
	scratch []byte
	header  []string
	rec     []string
	n       int // rows written, header included
	err     error
}

// NewCSVWriter returns a Writer of CSV in enc (UTF8BOM when "") with CRLF
// line ends.
func NewCSVWriter(w io.Writer, enc Encoding) Writer {
	return NewCSVWriterOptions(w, CSVWriterOptions{Encoding: enc})
}

// NewCSVWriterOptions returns a Writer of CSV or TSV with CRLF line ends.
func NewCSVWriterOptions(w io.Writer, opts CSVWriterOptions) Writer {
	c := &csvWriter{out: bufio.NewWriterSize(w, 64<<10), opts: opts}
	c.cw = csv.NewWriter(&c.row)
	c.cw.UseCRLF = true
	if opts.Comma != 0 {
		c.cw.Comma = opts.Comma
	}
	enc, err := ParseEncoding(string(opts.Encoding))
	switch {
	case err != nil:
		c.err = err
	case enc == Detect:
		c.opts.Encoding = UTF8BOM
	case enc == GB18030:
		c.tr = simplifiedchinese.GB18030.NewEncoder()
	case enc == GBK:
		c.tr = simplifiedchinese.GBK.NewEncoder()
	case enc != UTF8 && enc != UTF8BOM:
		c.err = invalidFile("encoding", nil,
			"files can be written in utf-8, utf-8-bom, gbk or gb18030, not "+string(enc),
			"只能以 utf-8、utf-8-bom、gbk 或 gb18030 编码写出文件，不支持 "+string(enc))
	}
	if c.err == nil && enc != Detect {
		c.opts.Encoding = enc
	}
	return c
}

func (c *csvWriter) WriteHeader(header []string) error {
	if c.err == nil && c.header != nil {
		c.err = errors.New("tabular: header written twice")
	}
	if c.err != nil {
		return c.err
	}
	c.header = append([]string{}, header...)
	if c.opts.Encoding == UTF8BOM {
		_, _ = c.out.Write(bomUTF8)
	}
	if err := c.write(header); err != nil {
		c.err = err // nothing useful can follow a header that failed
	}
	return c.err
}

func (c *csvWriter) WriteRow(cells []string) error {
	if c.err == nil && c.header == nil {
		c.err = errors.New("tabular: row written before the header")
	}
	if c.err != nil {
		return c.err
	}
	if err := checkWidth(c.n+1, c.header, cells); err != nil {
		return err // the row is refused; the writer can go on
	}
	c.rec = append(c.rec[:0], cells...)
	for len(c.rec) < len(c.header) {
		c.rec = append(c.rec, "")
	}
	if c.opts.EscapeFormulas {
		for i, s := range c.rec {
			c.rec[i] = escapeFormula(s)
		}
	}
	return c.write(c.rec)
}

// write encodes one record and appends it to the output. A record that
// cannot be encoded is refused whole, and the writer can go on.
func (c *csvWriter) write(rec []string) error {
	c.row.Reset()
	if err := c.cw.Write(rec); err != nil {
		c.err = fmt.Errorf("tabular: csv: %w", err)
		return c.err
	}
	c.cw.Flush()
	b := c.row.Bytes()
	if c.tr != nil {
		var err error
		if b, err = c.encode(b); err != nil {
			return c.encodeError(rec)
		}
	}
	if _, err := c.out.Write(b); err != nil {
		c.err = fmt.Errorf("tabular: write: %w", err)
		return c.err
	}
	c.n++
	return nil
}

// encode transforms src with c.tr into c.scratch.
func (c *csvWriter) encode(src []byte) ([]byte, error) {
	// GB18030 takes at most 2 bytes per byte of UTF-8 (a 2-byte rune may
	// become 4 bytes); grow on ErrShortDst anyway.
	for size := 2*len(src) + 16; ; size *= 2 {
		if cap(c.scratch) < size {
			c.scratch = make([]byte, size)
		}
		c.tr.Reset()
		n, _, err := c.tr.Transform(c.scratch[:cap(c.scratch)], src, true)
		if err != transform.ErrShortDst {
			return c.scratch[:n], err
		}
	}
}

// encodeError finds the first character of rec that the encoding lacks.
func (c *csvWriter) encodeError(rec []string) error {
	for i, cell := range rec {
		for _, r := range cell {
			if _, err := c.encode([]byte(string(r))); err != nil {
				l := loc{n: c.n + 1, col: i + 1}
				if i < len(c.header) && c.n > 0 {
					l.column = c.header[i]
				}
				ch := fmt.Sprintf("%q (U+%04X)", r, r)
				if r == utf8.RuneError {
					ch = "(invalid UTF-8)"
				}
				return invalidAt(l, err,
					"character "+ch+" cannot be written in "+string(c.opts.Encoding)+": choose GB18030 or UTF-8",
					"字符"+ch+"无法以 "+string(c.opts.Encoding)+" 编码写出：请选择 GB18030 或 UTF-8 编码")
			}
		}
	}
	return invalidAt(loc{n: c.n + 1}, nil, "the row cannot be encoded in "+string(c.opts.Encoding),
		"该行无法以 "+string(c.opts.Encoding)+" 编码写出")
}

func (c *csvWriter) Close() error {
	if err := c.out.Flush(); err != nil && c.err == nil {
		c.err = fmt.Errorf("tabular: write: %w", err)
	}
	return c.err
}

// checkWidth refuses a row with more cells than the header; num is the
// row's number in the output.
func checkWidth(num int, header, cells []string) error {
	if len(cells) > len(header) {
		return invalidAt(loc{n: num}, nil,
			"the row has "+strconv.Itoa(len(cells))+" cells but the header has "+strconv.Itoa(len(header)),
			"该行有"+strconv.Itoa(len(cells))+"个单元格，但表头只有"+strconv.Itoa(len(header))+"列")
	}
	return nil
}

// escapeFormula prefixes a cell that a spreadsheet would take as a formula
// with an apostrophe.
func escapeFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(s, 64); err == nil && s[0] != '\t' && s[0] != '\r' {
			return s
		}
		return "'" + s
	}
	return s
}

package catalogio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is a small streaming reader of SpreadsheetML worksheets and
// shared strings: it scans tags and text byte by byte instead of building
// encoding/xml tokens, which is what makes a million-row import take
// seconds rather than minutes. It reads the values only (no styles).

// xmlScan walks the tags of an XML stream. Tags and text are slices of
// its buffer, valid until the next call of next.
type xmlScan struct {
	r    io.Reader
	buf  []byte
	pos  int // start of unread data in buf
	eof  bool
	tag  []byte // the current tag without < and >
	text []byte // the text after the current tag, raw
	err  error
}

const scanBuf = 256 << 10

func newXMLScan(r io.Reader) *xmlScan {
	s := &xmlScan{r: r, buf: make([]byte, 0, scanBuf)}
	// Skip to the first tag.
	for {
		if i := bytes.IndexByte(s.buf[s.pos:], '<'); i >= 0 {
			s.pos += i + 1
			return s
		}
		s.pos = len(s.buf)
		if !s.fill() {
			return s
		}
	}
}

// fill reads more input, keeping the unread data. It reports false when
// nothing more can be read.
func (s *xmlScan) fill() bool {
	if s.eof {
		return false
	}
	n := copy(s.buf[:cap(s.buf)], s.buf[s.pos:])
	s.buf, s.pos = s.buf[:n], 0
	if n == cap(s.buf) { // one token longer than the buffer: grow it
		s.buf = append(s.buf, make([]byte, cap(s.buf))...)[:n]
	}
	for {
		m, err := s.r.Read(s.buf[n:cap(s.buf)])
		s.buf = s.buf[:n+m]
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			return m > 0
		}
		if m > 0 {
			return true
		}
	}
}

// findTagEnd returns the index (from s.pos) of the end of the current
// tag: the first '>' outside quotes, or the end of a comment or CDATA
// section; -1 if the buffer holds no complete tag.
func (s *xmlScan) findTagEnd() int {
	b := s.buf[s.pos:]
	if len(b) > 0 && b[0] == '!' {
		for _, sp := range []struct{ open, close string }{{"!--", "-->"}, {"![CDATA[", "]]>"}} {
			if bytes.HasPrefix(b, []byte(sp.open)) {
				if i := bytes.Index(b[len(sp.open):], []byte(sp.close)); i >= 0 {
					return len(sp.open) + i + len(sp.close) - 1
				}
				return -1
			}
		}
	}
	var q byte
	for i, c := range b {
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			return i
		}
	}
	return -1
}

// next reads the next tag and the text after it. It returns false at the
// end of the stream or on an error (see s.err).
func (s *xmlScan) next() bool {
	if s.err != nil {
		return false
	}
	end := s.findTagEnd()
	for end < 0 {
		if !s.fill() {
			if s.err == nil && s.pos < len(s.buf) {
				s.err = io.ErrUnexpectedEOF
			}
			if s.err == nil {
				s.err = io.EOF
			}
			return false
		}
		end = s.findTagEnd()
	}
	tagStart := s.pos
	s.pos += end + 1
	// The text runs to the next '<' (or the end of the input).
	i := bytes.IndexByte(s.buf[s.pos:], '<')
	for i < 0 && !s.eof {
		off := s.pos - tagStart
		s.pos = tagStart
		if !s.fill() {
			break
		}
		tagStart, s.pos = 0, off
		i = bytes.IndexByte(s.buf[s.pos:], '<')
	}
	s.tag = s.buf[tagStart : tagStart+end]
	if i < 0 {
		s.text = s.buf[s.pos:]
		s.pos = len(s.buf)
	} else {
		s.text = s.buf[s.pos : s.pos+i]
		s.pos += i + 1
	}
	return true
}

// local is the local name of the current tag (namespace prefix dropped),
// whether it is an end tag and whether it is an empty element.
func (s *xmlScan) local() (name []byte, end, empty bool) {
	t := s.tag
	if len(t) > 0 && t[0] == '/' {
		end, t = true, t[1:]
	}
	if len(t) > 0 && t[len(t)-1] == '/' {
		empty, t = true, t[:len(t)-1]
	}
	i := 0
	for i < len(t) && !isSpace(t[i]) {
		i++
	}
	name = t[:i]
	if j := bytes.IndexByte(name, ':'); j >= 0 {
		name = name[j+1:]
	}
	return name, end, empty
}

// attrRaw returns the raw value of attribute name of the current tag.
func (s *xmlScan) attrRaw(name string) ([]byte, bool) {
	t := s.tag
	i := 0
	for i < len(t) && !isSpace(t[i]) {
		i++
	}
	t = t[i:]
	for {
		t = trimSpaceLeft(t)
		eq := bytes.IndexByte(t, '=')
		if eq <= 0 {
			return nil, false
		}
		key := t[:eq]
		for len(key) > 0 && isSpace(key[len(key)-1]) {
			key = key[:len(key)-1]
		}
		if j := bytes.IndexByte(key, ':'); j >= 0 && string(key[:j]) != "xmlns" {
			key = key[j+1:]
		}
		t = trimSpaceLeft(t[eq+1:])
		if len(t) == 0 || (t[0] != '"' && t[0] != '\'') {
			return nil, false
		}
		q := t[0]
		end := bytes.IndexByte(t[1:], q)
		if end < 0 {
			return nil, false
		}
		if string(key) == name {
			return t[1 : 1+end], true
		}
		t = t[2+end:]
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimSpaceLeft(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// attr returns the value of attribute name of the current tag, unescaped.
func (s *xmlScan) attr(name string) (string, bool) {
	v, ok := s.attrRaw(name)
	if !ok {
		return "", false
	}
	return unescape(v), true
}

// atoi parses a non-negative decimal number; -1 if b is not one.
func atoi(b []byte) int {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 10 {
		return -1
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// unescape decodes XML character references and SpreadsheetML's _xHHHH_
// escapes.
func unescape(b []byte) string {
	if bytes.IndexByte(b, '&') < 0 && bytes.Index(b, []byte("_x")) < 0 {
		return string(b)
	}
	var out strings.Builder
	out.Grow(len(b))
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '&':
			end := bytes.IndexByte(b[i:], ';')
			if end < 0 || end > 12 {
				out.WriteByte(c)
				i++
				continue
			}
			ref := string(b[i+1 : i+end])
			i += end + 1
			switch ref {
			case "amp":
				out.WriteByte('&')
			case "lt":
				out.WriteByte('<')
			case "gt":
				out.WriteByte('>')
			case "quot":
				out.WriteByte('"')
			case "apos":
				out.WriteByte('\'')
			default:
				var n uint64
				var err error
				switch {
				case strings.HasPrefix(ref, "#x") || strings.HasPrefix(ref, "#X"):
					n, err = strconv.ParseUint(ref[2:], 16, 32)
				case strings.HasPrefix(ref, "#"):
					n, err = strconv.ParseUint(ref[1:], 10, 32)
				default:
					err = errors.New("unknown entity")
				}
				if err != nil || !utf8.ValidRune(rune(n)) {
					out.WriteString("&" + ref + ";")
				} else {
					out.WriteRune(rune(n))
				}
			}
		case c == '_' && i+6 < len(b) && b[i+1] == 'x' && b[i+6] == '_':
			if n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16); err == nil {
				out.WriteRune(rune(n))
				i += 7
				continue
			}
			out.WriteByte(c)
			i++
		default:
			out.WriteByte(c)
			i++
		}
	}
	return out.String()
}

// readSharedStrings reads the shared string table: each <si>'s text is the
// concatenation of its <t> elements, phonetic runs (<rPh>) left out.
func readSharedStrings(r io.Reader, limit int64) ([]string, error) {
	s := newXMLScan(&limitReader{r: r, n: limit})
	var out []string
	var cur []byte
	inSI, inT, inPh := false, false, false
	for s.next() {
		name, end, empty := s.local()
		switch string(name) {
		case "si":
			if end {
				out = append(out, unescape(cur))
				inSI = false
			} else if empty {
				out = append(out, "")
			} else {
				inSI, cur = true, cur[:0]
			}
		case "rPh":
			inPh = !end && !empty
		case "t":
			inT = !end && !empty
		}
		if inSI && inT && !inPh {
			cur = append(cur, s.text...)
		}
	}
	if s.err != nil && !errors.Is(s.err, io.EOF) {
		return nil, s.err
	}
	return out, nil
}

// sheetScan yields the rows of a worksheet as strings: shared strings
// resolved, booleans as "1"/"0", numbers and dates as stored.
type sheetScan struct {
	s    *xmlScan
	sst  []string
	row  int    // number of the row last returned
	val  []byte // scratch for a cell's value
	done bool
}

func newSheetScan(r io.Reader, sst []string, limit int64) *sheetScan {
	return &sheetScan{s: newXMLScan(&limitReader{r: r, n: limit}), sst: sst}
}

// maxColumns bounds a row: Excel's 16,384 columns.
const maxColumns = 16384

// nextRow returns the next row element's number and cells (a new slice);
// io.EOF at the end of the sheet data.
func (ss *sheetScan) nextRow() (int, []string, error) {
	if ss.done {
		return 0, nil, io.EOF
	}
	s := ss.s
	inRow, inCell, inIS, inT, inPh, hasV := false, false, false, false, false, false
	var cells []string
	col := -1
	var typ byte
	val := ss.val[:0]
	for s.next() {
		name, end, empty := s.local()
		if !inRow {
			switch string(name) {
			case "row":
				if end {
					continue
				}
				ss.row++
				if v, ok := s.attrRaw("r"); ok {
					if n := atoi(v); n > ss.row {
						ss.row = n
					}
				}
				if empty {
					return ss.row, nil, nil
				}
				inRow, cells, col = true, nil, -1
			case "sheetData":
				if end {
					ss.done = true
					return 0, nil, io.EOF
				}
			}
			continue
		}
		switch string(name) {
		case "row":
			if end {
				ss.val = val
				return ss.row, cells, nil
			}
		case "c":
			if end {
				if inCell {
					cells = ss.put(cells, col, typ, val, hasV)
				}
				inCell = false
				continue
			}
			col++
			if ref, ok := s.attrRaw("r"); ok {
				if c := columnIndex(ref); c >= 0 {
					col = c
				}
			}
			if col >= maxColumns {
				return 0, nil, fmt.Errorf("row %d has more than %d columns", ss.row, maxColumns)
			}
			typ = 'n'
			if t, ok := s.attrRaw("t"); ok && len(t) > 0 {
				typ = t[0] // s(hared), str, inlineStr, b(oolean), e(rror), n, d
				if string(t) == "str" {
					typ = 'f'
				}
			}
			val, hasV = val[:0], false
			inCell = !empty
			inIS, inT, inPh = false, false, false
		case "v":
			if !end && !empty && inCell {
				hasV = true
				val = append(val[:0], s.text...)
			}
		case "is":
			inIS = !end && !empty
		case "rPh":
			inPh = !end && !empty
		case "t":
			inT = !end && !empty && inIS
			if inT && !inPh {
				hasV = true
				val = append(val, s.text...)
			}
		}
	}
	if s.err != nil && !errors.Is(s.err, io.EOF) {
		return 0, nil, s.err
	}
	ss.done = true
	if inRow {
		return ss.row, cells, nil
	}
	return 0, nil, io.EOF
}

// put stores a cell's value at col.
func (ss *sheetScan) put(cells []string, col int, typ byte, raw []byte, has bool) []string {
	if !has || col < 0 {
		return cells
	}
	var v string
	switch typ {
	case 's':
		i := atoi(raw)
		if i < 0 || i >= len(ss.sst) {
			return cells
		}
		v = ss.sst[i]
	case 'b':
		v = "0"
		if b := bytes.TrimSpace(raw); string(b) == "1" || string(b) == "true" {
			v = "1"
		}
	default:
		v = unescape(raw)
	}
	if v == "" {
		return cells
	}
	if cells == nil {
		cells = make([]string, 0, max(col+1, 12))
	}
	for len(cells) <= col {
		cells = append(cells, "")
	}
	cells[col] = v
	return cells
}

// columnIndex is the 0-based column of a cell reference like "AB12".
func columnIndex(ref []byte) int {
	n := 0
	i := 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			n = n*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			n = n*26 + int(c-'a'+1)
		default:
			if i == 0 {
				return -1
			}
			return n - 1
		}
		if n > maxColumns {
			return -1
		}
	}
	return n - 1
}

// limitReader fails once more than n bytes were read: the guard against
// zip bombs.
type limitReader struct {
	r io.Reader
	n int64
}

var errTooBig = errors.New("the workbook is too large when unzipped")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errTooBig
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

package tabular

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

type jsonWriter struct {
	out    *bufio.Writer
	lines  bool     // NDJSON rather than an array
	keys   [][]byte // `"key":` per column
	header []string
	buf    []byte
	n      int // rows written
	err    error
	closed bool
}

// NewJSONWriter returns a Writer of a JSON array of objects keyed by the
// header, one object per line, every value a string. Close writes the
// closing bracket.
func NewJSONWriter(w io.Writer) Writer { return &jsonWriter{out: bufio.NewWriterSize(w, 64<<10)} }

// NewNDJSONWriter returns a Writer of NDJSON: one object per line.
func NewNDJSONWriter(w io.Writer) Writer {
	return &jsonWriter{out: bufio.NewWriterSize(w, 64<<10), lines: true}
}

func (j *jsonWriter) WriteHeader(header []string) error {
	if j.err == nil && j.header != nil {
		j.err = errors.New("tabular: header written twice")
	}
	if j.err != nil {
		return j.err
	}
	seen := make(map[string]bool, len(header))
	for i, h := range header {
		if seen[h] {
			return invalidAt(loc{n: 1, col: i + 1, column: h}, nil,
				"the header names this column twice, so JSON objects cannot hold both",
				"表头中该列名重复，JSON 对象无法同时容纳")
		}
		seen[h] = true
	}
	j.header = append([]string{}, header...)
	for _, h := range header {
		j.keys = append(j.keys, append(appendJSONString(nil, h), ':'))
	}
	return nil
}

func (j *jsonWriter) WriteRow(cells []string) error {
	if j.err == nil && j.header == nil {
		j.err = errors.New("tabular: row written before the header")
	}
	if j.err != nil {
		return j.err
	}
	if err := checkWidth(j.n+1, j.header, cells); err != nil {
		return err
	}
	b := j.buf[:0]
	switch {
	case j.lines:
	case j.n == 0:
		b = append(b, "[\n"...)
	default:
		b = append(b, ",\n"...)
	}
	b = append(b, '{')
	for i, k := range j.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, k...)
		v := ""
		if i < len(cells) {
			v = cells[i]
		}
		b = appendJSONString(b, v)
	}
	b = append(b, '}')
	if j.lines {
		b = append(b, '\n')
	}
	j.buf = b
	if _, err := j.out.Write(b); err != nil {
		j.err = fmt.Errorf("tabular: write: %w", err)
		return j.err
	}
	j.n++
	return nil
}

func (j *jsonWriter) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	if j.err != nil {
		return j.err
	}
	if !j.lines {
		end := "\n]\n"
		if j.n == 0 {
			end = "[]\n"
		}
		_, _ = j.out.WriteString(end)
	}
	if err := j.out.Flush(); err != nil {
		return fmt.Errorf("tabular: write: %w", err)
	}
	j.err = errors.New("tabular: writer closed")
	return nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. HTML characters are left
// alone; U+2028 and U+2029 are escaped for JavaScript; invalid UTF-8
// becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

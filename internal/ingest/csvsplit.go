package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unsafe"

	"github.com/pubdata/pubdata/internal/apperr"
)

// CSV is cut into chunks of whole records by one goroutine and parsed by
// many. Cutting needs to know only where records end: a newline outside
// quotes. Quotes, delimiters and newlines are single ASCII bytes that never
// occur inside a multi-byte character of UTF-8, GBK or GB18030, so the
// raw bytes are cut before they are decoded, and a chunk without a quote
// (the common case) is cut at its last newline with no byte-by-byte scan.

// chunkBytes is the size of the blocks the file is read in.
const chunkBytes = 1 << 20

// maxRecordBytes bounds one record: a longer one is most likely an
// unclosed quote swallowing the rest of the file.
const maxRecordBytes = 64 << 20

// recordScanner follows the quoting rules of RFC 4180 as encoding/csv
// applies them: a quote opens a quoted field only at the start of a field;
// inside one, a doubled quote is a quote and a single quote closes it.
type recordScanner struct {
	comma byte
}

// cut returns the end of the last whole record in b, which starts at a
// record boundary, and the number of records before it. With eof, the
// bytes after the last newline are a record too.
func (s recordScanner) cut(b []byte, eof bool) (end, n int) {
	q := bytes.IndexByte(b, '"')
	if q < 0 {
		last := bytes.LastIndexByte(b, '\n')
		end, n = last+1, bytes.Count(b[:last+1], newline)
	} else {
		start := bytes.LastIndexByte(b[:q], '\n') + 1
		end, n = start, bytes.Count(b[:start], newline)
		e, m, _ := s.scan(unsafe.String(unsafe.SliceData(b[start:]), len(b)-start), eof, -1)
		end, n = start+e, n+m
	}
	if eof && end < len(b) {
		end, n = len(b), n+1
	}
	return end, n
}

var newline = []byte{'\n'}

// scan walks b from a record boundary and returns the end of the last
// record that ends with a newline (or of the first one, with limit 1) and
// the number of records. ok is false when b ends inside a quoted field.
func (s recordScanner) scan(b string, eof bool, limit int) (end, n int, ok bool) {
	fieldStart, inQuote := true, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inQuote {
			if c == '"' {
				if i+1 == len(b) && !eof {
					return end, n, false
				}
				if i+1 < len(b) && b[i+1] == '"' {
					i++
					continue
				}
				inQuote = false
			}
			continue
		}
		switch c {
		case '"':
			inQuote = fieldStart
			fieldStart = false
		case s.comma:
			fieldStart = true
		case '\n':
			n++
			end = i + 1
			fieldStart = true
			if n == limit {
				return end, n, true
			}
		default:
			fieldStart = false
		}
	}
	return end, n, !inQuote
}

// recordEnd returns the end of the record starting at b[0], or -1 when b
// does not hold all of it (and more input may come).
func (s recordScanner) recordEnd(b []byte, eof bool) int {
	if i := bytes.IndexByte(b, '\n'); i >= 0 && bytes.IndexByte(b[:i], '"') < 0 {
		return i + 1
	}
	end, n, _ := s.scan(unsafe.String(unsafe.SliceData(b), len(b)), eof, 1)
	switch {
	case n == 1:
		return end
	case eof:
		return len(b)
	}
	return -1
}

// blockReader reads a file in blocks of whole records.
type blockReader struct {
	r     io.Reader
	sc    recordScanner
	carry []byte // bytes after the last cut
	eof   bool
	read  int64 // bytes read from r
	line  int   // physical lines before the next block
}

// fill reads into buf (which already holds carry) until it is full or the
// input ends.
func (br *blockReader) fill(buf []byte) ([]byte, error) {
	for len(buf) < cap(buf) && !br.eof {
		n, err := br.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		br.read += int64(n)
		if err == io.EOF {
			br.eof = true
		} else if err != nil {
			return buf, fmt.Errorf("ingest: read: %w", err)
		}
	}
	return buf, nil
}

// next returns the next block of whole records (in buf, a recycled buffer
// or nil) and the number of records in it; a nil block at the end.
func (br *blockReader) next(buf []byte) (block []byte, n int, err error) {
	size := chunkBytes
	for {
		if cap(buf) < size || cap(buf) < 2*len(br.carry) {
			buf = make([]byte, 0, max(size, 2*len(br.carry)))
		}
		buf = append(buf[:0], br.carry...)
		if buf, err = br.fill(buf); err != nil {
			return nil, 0, err
		}
		if len(buf) == 0 {
			return nil, 0, nil
		}
		end, n := br.sc.cut(buf, br.eof)
		if n > 0 {
			br.carry = append(br.carry[:0], buf[end:]...)
			br.line += bytes.Count(buf[:end], newline)
			return buf[:end], n, nil
		}
		if len(buf) >= maxRecordBytes {
			return nil, 0, apperr.New(apperr.Invalid,
				"line "+strconv.Itoa(br.line+1)+": a record longer than 64 MiB: is a quote not closed?",
				"第"+strconv.Itoa(br.line+1)+"行：记录超过64 MiB，可能有未闭合的引号")
		}
		br.carry = append(br.carry[:0], buf...)
		size = 2 * len(buf)
	}
}

// errMalformed marks a record that breaks the quoting rules.
var errMalformed = errors.New("malformed")

// splitRecord splits one record (without its newline) into cells,
// appending them to cells. A record with quotes is unquoted; CRLF inside a
// quoted cell becomes LF, as encoding/csv does. ok is false for a
// malformed record, whose cells are then approximate.
func splitRecord(rec string, comma byte, cells []string) ([]string, bool) {
	rec = strings.TrimSuffix(rec, "\r")
	if strings.IndexByte(rec, '"') < 0 {
		for {
			i := strings.IndexByte(rec, comma)
			if i < 0 {
				return append(cells, rec), true
			}
			cells = append(cells, rec[:i])
			rec = rec[i+1:]
		}
	}
	ok := true
	for {
		if rec == "" || rec[0] != '"' {
			i := strings.IndexByte(rec, comma)
			field := rec
			if i >= 0 {
				field = rec[:i]
			}
			if strings.IndexByte(field, '"') >= 0 {
				ok = false // a bare quote
			}
			cells = append(cells, field)
			if i < 0 {
				return cells, ok
			}
			rec = rec[i+1:]
			continue
		}
		// A quoted field.
		var b strings.Builder
		i := 1
		closed := false
		for i < len(rec) {
			j := strings.IndexByte(rec[i:], '"')
			if j < 0 {
				b.WriteString(rec[i:])
				i = len(rec)
				break
			}
			b.WriteString(rec[i : i+j])
			i += j + 1
			if i < len(rec) && rec[i] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			closed = true
			break
		}
		if !closed {
			ok = false
		}
		rest := rec[i:]
		k := strings.IndexByte(rest, comma)
		tail := rest
		if k >= 0 {
			tail = rest[:k]
		}
		if tail != "" {
			ok = false // text after the closing quote
			b.WriteString(tail)
		}
		cells = append(cells, strings.ReplaceAll(b.String(), "\r\n", "\n"))
		if k < 0 {
			return cells, ok
		}
		rec = rest[k+1:]
	}
}

// nextRecord returns the first record of text (without its newline) and
// the rest. text starts at a record boundary.
func nextRecord(text string, comma byte) (rec, rest string) {
	i := strings.IndexByte(text, '\n')
	if i < 0 {
		return text, ""
	}
	if strings.IndexByte(text[:i], '"') < 0 {
		return text[:i], text[i+1:]
	}
	end, n, _ := recordScanner{comma: comma}.scan(text, true, 1)
	if n == 0 {
		return text, ""
	}
	return text[:end-1], text[end:]
}

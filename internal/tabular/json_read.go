package tabular

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/pubdata/pubdata/internal/apperr"
)

// HeaderSample is how many objects OpenJSON and OpenNDJSON read to build
// the header: the union of their keys in order of first appearance. A key
// first seen in a later object is an error (rather than a column silently
// dropped), unless JSONOptions give it a column the header has; the
// sampled objects are held in memory.
const HeaderSample = 1000

// maxLine bounds an NDJSON line.
const maxLine = 64 << 20

// field is one key and its value rendered as a cell.
type field struct{ key, val string }

// object is one JSON object and where it is.
type object struct {
	num    int
	fields []field
}

// objectSource yields objects until io.EOF, which it also returns after an
// error that stops reading.
type objectSource interface {
	next() (object, error)
}

// JSONOptions shape the header OpenJSONWith and OpenNDJSONWith build.
type JSONOptions struct {
	// Column says which column of the header a key fills. Keys it gives
	// the same column fill one header cell, named after the first of them
	// the sampled objects have; two of them in one object are an error of
	// the object (ErrSameColumn). A key it gives "" is an error of its
	// object (ErrUnknownKey). Nil makes every key its own column.
	Column func(key string) string
	// Columns are columns the header has even when no sampled object has
	// a key for them, after the sampled ones, with the header cell each
	// then gets; an object without such a key has an empty cell there. A
	// source without objects has no header still.
	Columns []JSONColumn
}

// JSONColumn is a column of JSONOptions.Columns: its name as
// JSONOptions.Column gives it, and its header cell.
type JSONColumn struct {
	Column, Header string
}

// The causes (in a PosError) of an error about the keys of one object;
// the reader goes on with the next object, in a JSON array too.
var (
	ErrUnknownKey = errors.New("tabular: no column takes the key")
	ErrSameColumn = errors.New("tabular: two keys of the object fill one column")
)

type jsonReader struct {
	src    objectSource
	unit   unit
	column func(key string) string
	header []string
	index  map[string]int // column -> header cell
	filled []int          // per header cell, the object that last filled it (Column only)
	sample []sampled      // read to build the header, in order
	err    error
}

// sampled is an object or error met while building the header.
type sampled struct {
	obj object
	err error
}

// OpenJSON reads a JSON array of objects. Values become cells as strings:
// numbers as written (no float formatting), true and false, null as "",
// nested arrays and objects as compact JSON. Row.Num is the object's 1-based
// index. See HeaderSample for how the header is built. The text may be in
// any encoding NewDecoder detects.
func OpenJSON(r io.Reader) (Reader, error) { return OpenJSONWith(r, JSONOptions{}) }

// OpenJSONWith is OpenJSON with the header shaped by opts.
func OpenJSONWith(r io.Reader, opts JSONOptions) (Reader, error) {
	dec, _, err := NewDecoder(r, Detect)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(dec)
	d.UseNumber()
	tok, err := d.Token()
	if err != nil && err != io.EOF {
		return nil, jsonSyntax(loc{unit: unitRecord, n: 1}, err)
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '[' {
		return nil, invalidFile("file", err, "the file is not a JSON array of objects", "文件不是由对象组成的 JSON 数组")
	}
	return newJSONReader(&arraySource{d: d}, unitRecord, opts)
}

// OpenNDJSON reads NDJSON (JSON Lines): one object per line, blank lines
// skipped. Values become cells as in OpenJSON; Row.Num is the line.
func OpenNDJSON(r io.Reader) (Reader, error) { return OpenNDJSONWith(r, JSONOptions{}) }

// OpenNDJSONWith is OpenNDJSON with the header shaped by opts.
func OpenNDJSONWith(r io.Reader, opts JSONOptions) (Reader, error) {
	dec, _, err := NewDecoder(r, Detect)
	if err != nil {
		return nil, err
	}
	return newJSONReader(&lineSource{r: bufio.NewReader(dec)}, unitRow, opts) // dec is buffered
}

func newJSONReader(src objectSource, u unit, opts JSONOptions) (*jsonReader, error) {
	j := &jsonReader{src: src, unit: u, column: opts.Column, index: map[string]int{}}
	if j.column == nil {
		j.column = func(key string) string { return key }
	}
	add := func(column, header string) {
		if _, ok := j.index[column]; !ok {
			j.index[column] = len(j.header)
			j.header = append(j.header, header)
		}
	}
	objects := 0
	for objects < HeaderSample {
		o, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			j.sample = append(j.sample, sampled{err: err})
			continue
		}
		for _, f := range o.fields {
			if c := j.column(f.key); c != "" {
				add(c, f.key)
			}
		}
		j.sample = append(j.sample, sampled{obj: o})
		objects++
	}
	if objects > 0 {
		for _, c := range opts.Columns {
			add(c.Column, c.Header)
		}
	}
	if len(j.sample) > 0 && j.sample[0].err != nil && len(j.header) == 0 {
		return nil, j.sample[0].err // nothing readable at all
	}
	if opts.Column != nil {
		j.filled = make([]int, len(j.header))
	}
	return j, nil
}

func (j *jsonReader) Header() []string { return j.header }

func (j *jsonReader) Next() (Row, error) {
	if j.err != nil {
		return Row{}, j.err
	}
	var o object
	if len(j.sample) > 0 {
		s := j.sample[0]
		j.sample[0] = sampled{}
		j.sample = j.sample[1:]
		if s.err != nil {
			return Row{}, s.err
		}
		o = s.obj
	} else {
		var err error
		if o, err = j.src.next(); err != nil {
			return Row{}, err
		}
	}
	cells := make([]string, len(j.header))
	for _, f := range o.fields {
		l := loc{unit: j.unit, n: o.num, column: f.key}
		c := j.column(f.key)
		if c == "" {
			return Row{}, invalidAt(l, ErrUnknownKey, "no column of the table takes the key", "表中没有与该键对应的列")
		}
		i, ok := j.index[c]
		if !ok {
			return Row{}, invalidAt(l, ErrUnknownKey,
				"the key is not among the keys of the first "+strconv.Itoa(HeaderSample)+" objects, which make the header",
				"该键不在前"+strconv.Itoa(HeaderSample)+"个对象的键（即表头）之中")
		}
		if j.filled != nil {
			// Object numbers start at 1: 0 is "not filled yet".
			if j.filled[i] == o.num {
				return Row{}, invalidAt(l, ErrSameColumn, "another key of the object fills the same column "+quote(j.header[i]),
					"对象中另有一个键对应同一列“"+j.header[i]+"”")
			}
			j.filled[i] = o.num
		}
		cells[i] = f.val
	}
	return Row{Num: o.num, Cells: cells}, nil
}

func (j *jsonReader) Close() error {
	if j.err == nil {
		j.err = errors.New("tabular: reader closed")
	}
	return nil
}

// arraySource yields the objects of a JSON array.
type arraySource struct {
	d    *json.Decoder
	n    int
	done bool
}

func (a *arraySource) next() (object, error) {
	if a.done {
		return object{}, io.EOF
	}
	a.n++
	l := loc{unit: unitRecord, n: a.n}
	if !a.d.More() {
		a.done = true
		if _, err := a.d.Token(); err != nil { // the closing ]
			return object{}, jsonSyntax(l, err)
		}
		if _, err := a.d.Token(); err != io.EOF {
			return object{}, invalidFile("file", err, "text follows the JSON array", "JSON 数组之后还有其他内容")
		}
		return object{}, io.EOF
	}
	var raw json.RawMessage
	if err := a.d.Decode(&raw); err != nil {
		a.done = true
		return object{}, jsonSyntax(l, err)
	}
	fields, err := objectFields(raw, l)
	return object{num: a.n, fields: fields}, err
}

// lineSource yields the objects of NDJSON lines.
type lineSource struct {
	r    *bufio.Reader
	line int
	buf  []byte
	done bool
}

func (s *lineSource) next() (object, error) {
	for !s.done {
		b, err := s.readLine()
		if err != nil {
			s.done = true
			return object{}, err
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		l := loc{unit: unitRow, n: s.line}
		if !json.Valid(b) {
			var v json.RawMessage
			if err := json.NewDecoder(bytes.NewReader(b)).Decode(&v); err != nil {
				return object{}, jsonSyntax(l, err)
			}
			return object{}, invalidAt(l, nil, "the line holds more than one JSON value", "该行含有多个 JSON 值")
		}
		fields, err := objectFields(b, l)
		if err != nil {
			return object{}, err
		}
		return object{num: s.line, fields: fields}, nil
	}
	return object{}, io.EOF
}

// readLine returns the next line without its end.
func (s *lineSource) readLine() ([]byte, error) {
	s.buf = s.buf[:0]
	for {
		b, err := s.r.ReadSlice('\n')
		if err == bufio.ErrBufferFull || len(s.buf) > 0 {
			s.buf = append(s.buf, b...)
			b = s.buf
		}
		if len(b) > maxLine {
			return nil, invalidAt(loc{n: s.line + 1}, nil, "the line is longer than 64 MiB", "该行超过64 MiB")
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(b) > 0:
			err = nil
		case err != nil:
			return nil, err
		}
		s.line++
		return b, nil
	}
}

// jsonSyntax reports malformed JSON at l.
func jsonSyntax(l loc, err error) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err // from the decoder: invalid UTF-8, say
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return invalidAt(l, err, "the JSON text ends too early", "JSON 文本提前结束")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return invalidAt(l, err, fmt.Sprintf("malformed JSON near byte %d: %s", se.Offset, se.Error()),
			fmt.Sprintf("JSON 格式错误（约第%d字节处）", se.Offset))
	}
	return fmt.Errorf("tabular: read json: %w", err)
}

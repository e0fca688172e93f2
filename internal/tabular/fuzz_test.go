package tabular

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/pubdata/pubdata/internal/apperr"
)

// drain reads r to the end, going on after errors as an import would, and
// checks what every Reader promises: rows as wide as the header, numbers
// increasing, errors Invalid unless they are I/O errors (none here), and
// an end.
func drain(t *testing.T, r Reader) []Row {
	t.Helper()
	var rows []Row
	last := 0
	for i := 0; ; i++ {
		if i > 1<<20 {
			t.Fatal("Next() does not reach io.EOF")
		}
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *PosError
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("Next() = %v, want an Invalid error", err)
			}
			if errors.As(err, &pe) && pe.Row != 0 && pe.Row <= last {
				t.Fatalf("Next() error on row %d after row %d", pe.Row, last)
			}
			continue
		}
		if len(row.Cells) != len(r.Header()) {
			t.Fatalf("Next() = %d cells, header has %d", len(row.Cells), len(r.Header()))
		}
		if row.Num <= last {
			t.Fatalf("Next() = row %d after row %d", row.Num, last)
		}
		last = row.Num
		rows = append(rows, row)
	}
	_ = r.Close()
	return rows
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		namesCSV,
		"a,b\n1,2\n3,\"x\"y\n4,5,6\n7,8\n",
		"title\n\na,b,c,,\n1,\"2\n3\",4\n,,\n",
		"\xEF\xBB\xBFa\tb\n1\t2\n",
		"a,b\n1,\"unclosed\n2,3\n",
	} {
		f.Add([]byte(s), false, uint8(0))
	}
	f.Add(gb(f, namesCSV), true, uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, tab bool, headerRow uint8) {
		opts := CSVOptions{HeaderRow: int(headerRow % 8)}
		if tab {
			opts.Comma = '\t'
		}
		r, err := OpenCSV(bytes.NewReader(data), opts)
		if err != nil {
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("OpenCSV() = %v, want an Invalid error", err)
			}
			return
		}
		for _, h := range r.Header() {
			if !utf8.ValidString(h) {
				t.Fatalf("Header() has invalid UTF-8 %q", h)
			}
		}
		drain(t, r)
	})
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		`[{"a": 1, "b": "x"}, {"b": null, "c": [1, {"d": true}]}]`,
		`[{"a": 1, "a": 2}, {"a": 3}, 4]`,
		`[{"名称": "𠮷\n\"", "数": 1e400, "小": -0.000001}]`,
		`[]`, `{}`, `[{"a":1},`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := OpenJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		header := r.Header()
		rows := drain(t, r)
		roundTrip(t, NewJSONWriter, OpenJSON, header, rows)
	})
}

func FuzzNDJSON(f *testing.F) {
	for _, s := range []string{
		"{\"id\": 1, \"name\": \"甲\"}\n\n{\"name\": \"乙\", \"id\": 2}\r\n",
		"{\"id\": 1}\n{\"id\": 2} {\"id\": 3}\nnot json\n{\"id\": 4, \"id\": 5}\n[1]\n{\"id\": 6}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := OpenNDJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		header := r.Header()
		rows := drain(t, r)
		roundTrip(t, NewNDJSONWriter, OpenNDJSON, header, rows)
	})
}

// roundTrip writes rows and reads them back: what was read must survive.
func roundTrip(t *testing.T, write func(io.Writer) Writer, open func(io.Reader) (Reader, error), header []string, rows []Row) {
	t.Helper()
	if len(header) == 0 {
		return
	}
	var buf bytes.Buffer
	w := write(&buf)
	if err := w.WriteHeader(header); err != nil {
		t.Fatalf("WriteHeader(%q) = %v", header, err)
	}
	var want [][]string
	for _, row := range rows {
		if err := w.WriteRow(row.Cells); err != nil {
			t.Fatalf("WriteRow(%q) = %v", row.Cells, err)
		}
		want = append(want, row.Cells)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := open(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("reading back %q: %v", buf.Bytes(), err)
	}
	var got [][]string
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading back %q: %v", buf.Bytes(), err)
		}
		got = append(got, row.Cells)
	}
	if len(want) > 0 && len(rows) <= HeaderSample {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
	}
}

func FuzzDetectEncoding(f *testing.F) {
	f.Add([]byte(namesCSV))
	f.Add(gb(f, namesCSV))
	f.Add(append([]byte("\xEF\xBB\xBF"), namesCSV...))
	f.Add([]byte{0xFF, 0xFE, 0x0D, 0x54})
	f.Add([]byte("\x95\x34\xB2"))
	f.Fuzz(func(t *testing.T, data []byte) {
		enc := DetectEncoding(data)
		switch enc {
		case UTF8:
			if _, bad := validUTF8Prefix(data); bad >= 0 {
				t.Fatalf("DetectEncoding(% X) = utf-8 for invalid UTF-8", data)
			}
		case UTF8BOM, UTF16LE, UTF16BE, GBK, GB18030:
		default:
			t.Fatalf("DetectEncoding(% X) = %q", data, enc)
		}
		dec, got, err := NewDecoder(bytes.NewReader(data), Detect)
		if err != nil || got != enc {
			t.Fatalf("NewDecoder(% X) = %q, %v, want %q", data, got, err, enc)
		}
		text, err := io.ReadAll(dec)
		if err != nil && !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("reading % X as %s: %v", data, enc, err)
		}
		if !utf8.Valid(text) {
			t.Fatalf("reading % X as %s gave invalid UTF-8 %q", data, enc, text)
		}

		// Any UTF-8 text survives GB18030 both ways, unless its encoding
		// starts like a UTF-8 BOM (GBK's 锘, then a byte 0xBF: the BOM wins).
		if encoded := gb(t, string(data)); utf8.Valid(data) && !bytes.HasPrefix(encoded, bomUTF8) {
			dec, _, err := NewDecoder(bytes.NewReader(encoded), GB18030)
			if err != nil {
				t.Fatal(err)
			}
			if back, err := io.ReadAll(dec); err != nil || !bytes.Equal(back, data) {
				t.Fatalf("GB18030 round trip of %q = %q, %v", data, back, err)
			}
		}
	})
}

// FuzzXLSX runs excelize on broken zips. New interesting inputs are whole
// workbooks that minimize slowly: run it with -fuzzminimizetime=1s.
func FuzzXLSX(f *testing.F) {
	f.Add(catalogWorkbook(f))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		wb, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), XLSXOptions{MaxUnzipped: 64 << 20})
		if err != nil {
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("OpenXLSX() = %v, want an Invalid error", err)
			}
			return
		}
		defer wb.Close()
		for _, name := range wb.Sheets() {
			r, err := wb.Sheet(name)
			if err != nil {
				continue
			}
			drain(t, r)
		}
	})
}

// FuzzObjectFields checks the scanner of valid JSON objects against
// encoding/json's tokenizer.
func FuzzObjectFields(f *testing.F) {
	for _, s := range []string{
		`{"a": 1, "b": "x\"y\\", "c": [1, {"d": "}"}], "e": null, "f": true, "g": -1.5e3}`,
		` { "名称" : "𠮷" , "\u4e2d": "\ud842\udfb7\n" } `,
		`{}`, `[1]`, `"x"`, `{"a":{"b":{"c":[[]]}},"a":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		got, gotErr := objectFields(data, loc{n: 1})
		want, wantErr := tokenFields(data)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("objectFields(%q) = %v, tokenizer says %v", data, gotErr, wantErr)
		}
		if gotErr == nil {
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(field{})); diff != "" {
				t.Fatalf("objectFields(%q) mismatch (-tokenizer +got):\n%s", data, diff)
			}
		}
	})
}

// tokenFields reads a JSON object with encoding/json's tokenizer.
func tokenFields(data []byte) ([]field, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if tok, _ := d.Token(); tok != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	var fields []field
	var err error
	for d.More() {
		tok, _ := d.Token()
		key := tok.(string)
		var raw json.RawMessage
		if e := d.Decode(&raw); e != nil {
			return nil, e
		}
		for _, f := range fields {
			if f.key == key && err == nil {
				err = errors.New("duplicate key")
			}
		}
		var v any
		_ = json.Unmarshal(raw, &v)
		var val string
		switch v := v.(type) {
		case nil:
		case string:
			val = v
		case bool:
			val = fmt.Sprint(v)
		default:
			var b bytes.Buffer
			_ = json.Compact(&b, raw)
			val = b.String()
		}
		fields = append(fields, field{key, val})
	}
	return fields, err
}

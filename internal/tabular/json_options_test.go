package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestJSONOptions: keys naming one column fill one header cell, named
// after the first sampled key; a column no sampled object has is added
// with its own header cell, empty in every row; an unknown key and two
// keys for one column are errors of their object, naming the key, after
// which reading goes on, in a JSON array as in NDJSON.
func TestJSONOptions(t *testing.T) {
	opts := JSONOptions{
		Column: func(key string) string {
			switch key {
			case "姓名", "XM":
				return "name"
			case "出生日期":
				return "birth"
			case "bogus":
				return ""
			}
			return key
		},
		Columns: []JSONColumn{{"name", "姓名"}, {"birth", "出生日期"}, {"note", "备注"}},
	}
	objects := []string{
		`{"id": 1, "XM": "张三"}`,
		`{"id": 2, "姓名": "李四"}`,
		`{"id": 3}`,
		`{"id": 4, "姓名": "王五", "XM": "王五"}`,
		`{"id": 5, "bogus": "x"}`,
		`{"id": 6, "出生日期": "2000-01-01"}`,
	}
	wantHeader := []string{"id", "XM", "出生日期", "备注"}
	wantRows := []string{"1|张三||", "2|李四||", "3|||", "error XM: " + ErrSameColumn.Error(), "error bogus: " + ErrUnknownKey.Error(), "6||2000-01-01|"}
	for _, tt := range []struct {
		name string
		open func() (Reader, error)
	}{
		{"json", func() (Reader, error) {
			return OpenJSONWith(strings.NewReader("["+strings.Join(objects, ",")+"]"), opts)
		}},
		{"ndjson", func() (Reader, error) { return OpenNDJSONWith(strings.NewReader(strings.Join(objects, "\n")), opts) }},
	} {
		r, err := tt.open()
		if err != nil {
			t.Fatalf("%s: open: %v", tt.name, err)
		}
		if diff := cmp.Diff(wantHeader, r.Header()); diff != "" {
			t.Errorf("%s: header (-want +got):\n%s", tt.name, diff)
		}
		var got []string
		for {
			row, err := r.Next()
			if err == io.EOF {
				break
			}
			var pe *PosError
			switch {
			case errors.As(err, &pe):
				got = append(got, fmt.Sprintf("error %s: %v", pe.Column, pe.Err))
			case err != nil:
				t.Fatalf("%s: Next() = %v", tt.name, err)
			default:
				got = append(got, strings.Join(row.Cells, "|"))
			}
		}
		if diff := cmp.Diff(wantRows, got); diff != "" {
			t.Errorf("%s: rows (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestJSONOptionsLateKey: a key first seen after the sample fills the
// column of the same name an earlier key or Columns gave.
func TestJSONOptionsLateKey(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= HeaderSample; i++ {
		fmt.Fprintf(&b, "{\"id\": %d}\n", i)
	}
	b.WriteString(`{"id": 1001, "XM": "张三"}` + "\n")
	opts := JSONOptions{
		Column: func(key string) string {
			if key == "XM" || key == "姓名" {
				return "name"
			}
			return key
		},
		Columns: []JSONColumn{{"name", "姓名"}},
	}
	r, err := OpenNDJSONWith(strings.NewReader(b.String()), opts)
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if got := rows[len(rows)-1]; got.Num != 1001 || !cmp.Equal(got.Cells, []string{"1001", "张三"}) {
		t.Errorf("row 1001 = %+v, want its XM in column 姓名", got)
	}
}

// TestJSONOptionsEmpty: a source without objects has no header, columns
// to add or not: there is nothing to load.
func TestJSONOptionsEmpty(t *testing.T) {
	opts := JSONOptions{Columns: []JSONColumn{{"name", "姓名"}}}
	for _, tt := range []struct {
		name string
		open func() (Reader, error)
	}{
		{"json", func() (Reader, error) { return OpenJSONWith(strings.NewReader("[]"), opts) }},
		{"ndjson", func() (Reader, error) { return OpenNDJSONWith(strings.NewReader("\n"), opts) }},
	} {
		r, err := tt.open()
		if err != nil {
			t.Fatalf("%s: open: %v", tt.name, err)
		}
		if h := r.Header(); len(h) != 0 {
			t.Errorf("%s: header of no objects = %q, want none", tt.name, h)
		}
	}
}

// FuzzJSONOptions: with keys folded into columns, unknown keys and added
// columns, reading never panics and every row fits the header.
func FuzzJSONOptions(f *testing.F) {
	for _, s := range []string{
		`[{"a": 1, "A": 2}, {"x": 3}, {"Name": "甲"}, 4]`,
		"{\"id\": 1, \"ID\": 2}\n{\"x\": 1}\n\n{\"name\": \"乙\"}\n",
		`[]`,
	} {
		f.Add([]byte(s))
	}
	opts := JSONOptions{
		Column: func(key string) string {
			if key == "x" {
				return ""
			}
			return strings.ToLower(key)
		},
		Columns: []JSONColumn{{"name", "name"}, {"id", "编号"}},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, open := range []func(io.Reader, JSONOptions) (Reader, error){OpenJSONWith, OpenNDJSONWith} {
			r, err := open(bytes.NewReader(data), opts)
			if err != nil {
				continue
			}
			width := len(r.Header())
			for {
				row, err := r.Next()
				if err == io.EOF {
					break
				}
				if err == nil && len(row.Cells) != width {
					t.Fatalf("row %d has %d cells, header %d", row.Num, len(row.Cells), width)
				}
			}
		}
	})
}

package tabular

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pubdata/pubdata/internal/apperr"
)

func TestJSONRoundTrip(t *testing.T) {
	header := []string{"编号", "姓名", "备注", "<html>&"}
	rows := [][]string{
		{"0001", "刘䶮", "南汉\n高祖", "<b>"},
		{"0002", "𠮷田", "\"引号\"\t\\反斜杠\u2028", "\x01"},
		{"0003", "", "", ""},
	}
	for _, tt := range []struct {
		name  string
		write func(io.Writer) Writer
		open  func(io.Reader) (Reader, error)
	}{
		{"json", NewJSONWriter, OpenJSON},
		{"ndjson", NewNDJSONWriter, OpenNDJSON},
	} {
		var buf bytes.Buffer
		w := tt.write(&buf)
		if err := w.WriteHeader(header); err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			if err := w.WriteRow(row); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if tt.name == "json" && !json.Valid(buf.Bytes()) {
			t.Fatalf("NewJSONWriter wrote invalid JSON: %s", buf.Bytes())
		}
		r, err := tt.open(&buf)
		if err != nil {
			t.Fatalf("Open%s() = %v", tt.name, err)
		}
		if diff := cmp.Diff(header, r.Header()); diff != "" {
			t.Errorf("%s: Header() mismatch (-want +got):\n%s", tt.name, diff)
		}
		var got [][]string
		for _, row := range readAll(t, r) {
			got = append(got, row.Cells)
		}
		if diff := cmp.Diff(rows, got); diff != "" {
			t.Errorf("%s: rows mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestJSONWriterEmpty(t *testing.T) {
	var buf bytes.Buffer
	w := NewJSONWriter(&buf)
	if err := w.WriteHeader([]string{"a"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil || buf.String() != "[]\n" {
		t.Errorf("empty JSON table = %q, %v, want %q", buf.String(), err, "[]\n")
	}
}

func TestJSONWriterDuplicateHeader(t *testing.T) {
	err := NewJSONWriter(io.Discard).WriteHeader([]string{"名称", "代码", "名称"})
	if e := apperr.As(err); e.Kind != apperr.Invalid || e.Fields[0].Field != "row 1, column 名称" {
		t.Errorf("WriteHeader(duplicate names) = %v, want an Invalid error on row 1, column 名称", err)
	}
}

// TestJSONKeyAfterSample: a key first seen after the sampled objects is
// reported on its object, and reading goes on.
func TestJSONKeyAfterSample(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := 1; i <= HeaderSample; i++ {
		fmt.Fprintf(&b, `{"id": %d},`, i)
	}
	b.WriteString(`{"id": 1001, "新字段": "x"}, {"id": 1002}]`)
	r, err := OpenJSON(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= HeaderSample; i++ {
		if _, err := r.Next(); err != nil {
			t.Fatalf("Next() #%d = %v", i, err)
		}
	}
	_, err = r.Next()
	var pe *PosError
	if !apperr.Is(err, apperr.Invalid) || !errors.As(err, &pe) || pe.Row != 1001 || pe.Column != "新字段" {
		t.Errorf("Next() #1001 = %v, want an Invalid error on record 1001, column 新字段", err)
	}
	if row, err := r.Next(); err != nil || row.Num != 1002 {
		t.Errorf("Next() #1002 = %v, %v, want record 1002", row, err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("Next() at the end = %v, want io.EOF", err)
	}
}

func TestOpenJSONEncodings(t *testing.T) {
	const give = `[{"姓名": "𠮷田"}]`
	for _, data := range [][]byte{[]byte(give), append([]byte("\xEF\xBB\xBF"), give...), gb(t, give)} {
		r, err := OpenJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("OpenJSON(% X) = %v", data, err)
		}
		rows := readAll(t, r)
		if len(rows) != 1 || rows[0].Cells[0] != "𠮷田" || r.Header()[0] != "姓名" {
			t.Errorf("OpenJSON(% X) = %q %v", data, r.Header(), rows)
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	tests := []struct {
		give, want string
	}{
		{"", `""`},
		{"中文<&>", `"中文<&>"`},
		{"a\"b\\c\nd\re\tf\x00\x1f", `"a\"b\\c\nd\re\tf\u0000\u001f"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`},
		{"𠮷", `"𠮷"`},
	}
	for _, tt := range tests {
		if got := string(appendJSONString(nil, tt.give)); got != tt.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", tt.give, got, tt.want)
		}
	}
}

func TestNDJSONLongLine(t *testing.T) {
	long := strings.Repeat("长", bufSize) // 3 bytes each: longer than the read buffer
	give := `{"id": 1, "text": "` + long + `"}` + "\n" + `{"id": 2, "text": "短"}`
	r, err := OpenNDJSON(strings.NewReader(give))
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if len(rows) != 2 || rows[0].Cells[1] != long || rows[1].Num != 2 || rows[1].Cells[1] != "短" {
		t.Errorf("OpenNDJSON(a %d-byte line) read %d rows, want the long text and row 2", len(give), len(rows))
	}
}

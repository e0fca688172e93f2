package tabular

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pubdata/pubdata/internal/apperr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with the golden file path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// dump renders what a Reader yields, for golden files.
func dump(r Reader, openErr error) string {
	var b strings.Builder
	if openErr != nil {
		writeErr(&b, "open error", openErr)
		return b.String()
	}
	defer r.Close()
	if c, ok := r.(*CSVReader); ok {
		fmt.Fprintf(&b, "encoding: %s\n", c.Encoding())
	}
	fmt.Fprintf(&b, "header: %q\n", r.Header())
	for errs := 0; ; {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			writeErr(&b, "error", err) // Next goes on after an error
			if errs++; errs == 10 {
				b.WriteString("too many errors: does Next go on after an error?\n")
				break
			}
			continue
		}
		fmt.Fprintf(&b, "%d: %q\n", row.Num, row.Cells)
	}
	return b.String()
}

func writeErr(b *strings.Builder, label string, err error) {
	e, ok := err.(*apperr.Error)
	if !ok {
		fmt.Fprintf(b, "%s (not an *apperr.Error): %v\n", label, err)
		return
	}
	fmt.Fprintf(b, "%s: %s\n  en: %s\n  zh: %s\n", label, e.Kind, e.Message, e.ZH)
	for _, f := range e.Fields {
		fmt.Fprintf(b, "  field %q: %s / %s\n", f.Field, f.Message, f.ZH)
	}
	var pe *PosError
	if errors.As(err, &pe) {
		fmt.Fprintf(b, "  position: sheet %q row %d col %d column %q\n", pe.Sheet, pe.Row, pe.Col, pe.Column)
	}
}

// TestGoldenRead reads every file in testdata/read and compares what it
// yields with the file's .golden twin.
func TestGoldenRead(t *testing.T) {
	files, err := filepath.Glob("testdata/read/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		if strings.HasSuffix(path, ".golden") {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var r Reader
			switch filepath.Ext(path) {
			case ".csv":
				r, err = OpenCSV(bytes.NewReader(data), CSVOptions{})
			case ".tsv":
				r, err = OpenCSV(bytes.NewReader(data), CSVOptions{Comma: '\t'})
			case ".json":
				r, err = OpenJSON(bytes.NewReader(data))
			case ".ndjson":
				r, err = OpenNDJSON(bytes.NewReader(data))
			default:
				t.Fatalf("no reader for %s", path)
			}
			golden(t, path+".golden", []byte(dump(r, err)))
		})
	}
}

// goldenTable is the table the writers' golden files hold.
var goldenTable = struct {
	header []string
	rows   [][]string
}{
	header: []string{"编号", "姓名", "备注"},
	rows: [][]string{
		{"0001", "刘䶮", "南汉高祖"},
		{"0002", "𠮷田", "含,逗号与\"引号\"\n和换行"},
		{"0003", "张三"}, // short: padded
		{"-1", "=SUM(A1)", "@x"},
	},
}

func TestGoldenWrite(t *testing.T) {
	writers := []struct {
		name string
		new  func(io.Writer) Writer
	}{
		{"utf8bom.csv", func(w io.Writer) Writer { return NewCSVWriter(w, "") }},
		{"utf8.csv", func(w io.Writer) Writer { return NewCSVWriter(w, UTF8) }},
		{"gb18030.csv", func(w io.Writer) Writer { return NewCSVWriter(w, GB18030) }},
		{"escaped.tsv", func(w io.Writer) Writer {
			return NewCSVWriterOptions(w, CSVWriterOptions{Encoding: UTF8, Comma: '\t', EscapeFormulas: true})
		}},
		{"table.json", NewJSONWriter},
		{"table.ndjson", NewNDJSONWriter},
	}
	for _, tt := range writers {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := tt.new(&buf)
			if err := w.WriteHeader(goldenTable.header); err != nil {
				t.Fatalf("WriteHeader() = %v", err)
			}
			for _, row := range goldenTable.rows {
				if err := w.WriteRow(row); err != nil {
					t.Fatalf("WriteRow(%q) = %v", row, err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatalf("Close() = %v", err)
			}
			golden(t, filepath.Join("testdata", "write", tt.name+".golden"), buf.Bytes())
		})
	}
}

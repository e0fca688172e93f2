package ingest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/pubdata/pubdata/internal/tabular"
)

// table is a small source table: header and rows; row 3 breaks the rules.
var table = [][]string{
	{"BH", "姓名", "出生日期", "金额"},
	{"0001", "张三", "1990-01-02", "12.5"},
	{"0002", "𠮷田", "19900102", ""},
	{"0003", "", "1990-01-02", "x"},
}

func write(t *testing.T, w tabular.Writer) {
	t.Helper()
	if err := w.WriteHeader(table[0]); err != nil {
		t.Fatal(err)
	}
	for _, r := range table[1:] {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name   string
		format tabular.Format
		enc    tabular.Encoding
		make   func(*bytes.Buffer) tabular.Writer
	}{
		{"csv utf-8 bom", tabular.CSV, tabular.UTF8BOM, func(b *bytes.Buffer) tabular.Writer { return tabular.NewCSVWriter(b, tabular.UTF8BOM) }},
		{"csv gb18030", tabular.CSV, tabular.GB18030, func(b *bytes.Buffer) tabular.Writer { return tabular.NewCSVWriter(b, tabular.GB18030) }},
		{"csv utf-16", tabular.CSV, tabular.UTF16LE, func(b *bytes.Buffer) tabular.Writer { return tabular.NewCSVWriter(b, tabular.UTF8) }},
		{"tsv", tabular.TSV, tabular.UTF8BOM, func(b *bytes.Buffer) tabular.Writer {
			return tabular.NewCSVWriterOptions(b, tabular.CSVWriterOptions{Encoding: tabular.UTF8BOM, Comma: '\t'})
		}},
		{"xlsx", tabular.XLSX, "", func(b *bytes.Buffer) tabular.Writer { return tabular.NewXLSXWriter(b, "数据") }},
		{"json", tabular.JSON, "", func(b *bytes.Buffer) tabular.Writer { return tabular.NewJSONWriter(b) }},
		{"ndjson", tabular.NDJSON, "", func(b *bytes.Buffer) tabular.Writer { return tabular.NewNDJSONWriter(b) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			write(t, tt.make(&buf))
			if tt.enc == tabular.UTF16LE {
				u16, _, err := transform.Bytes(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), buf.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				buf = *bytes.NewBuffer(u16)
			}
			s := openDuck(t)
			r := bytes.NewReader(buf.Bytes())
			res, err := Load(context.Background(), s, small, Source{Name: "t", Format: tt.format, R: r, Size: int64(buf.Len())},
				Options{QuarantineDir: t.TempDir()}, nil)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if res.RowsRead != 3 || res.RowsAccepted != 2 || res.RowsRejected != 1 {
				t.Errorf("read/accepted/rejected = %d/%d/%d, want 3/2/1", res.RowsRead, res.RowsAccepted, res.RowsRejected)
			}
			if tt.enc != "" && res.Encoding != tt.enc {
				t.Errorf("encoding = %q, want %q", res.Encoding, tt.enc)
			}
			want := []string{"0001|张三|1990-01-02|12.5", "0002|𠮷田|1990-01-02|NULL"}
			if diff := cmp.Diff(want, rowsOf(t, s, small.Dataset)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			_, q := quarantined(t, res.QuarantinePath)
			if got := q["3"]; len(got) != 6 || got[0] != "0003" || got[3] != "x" {
				t.Errorf("quarantined row 3 = %q", got)
			}
		})
	}
}

func TestExplicitMappingAndTitleRows(t *testing.T) {
	s := openDuck(t)
	text := "人口信息表\n\n编码,名字,生日\n0001,张三,1990-01-02\n"
	spec := small
	spec.Mapping = map[string]string{"编码": "BH", "名字": "姓名", "生日": "CSRQ"}
	res, err := Load(context.Background(), s, spec, csvSource("m.csv", text), Options{QuarantineDir: t.TempDir()}, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if diff := cmp.Diff([]string{"0001|张三|1990-01-02|NULL"}, rowsOf(t, s, spec.Dataset)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if res.RowsRead != 1 {
		t.Errorf("rows read = %d, want 1", res.RowsRead)
	}
	// A file without a required item fails before loading anything.
	if _, err := Load(context.Background(), s, small, csvSource("bad.csv", "编号,金额\n1,2\n"), Options{QuarantineDir: t.TempDir()}, nil); err == nil {
		t.Errorf("Load of a file without 姓名 succeeded")
	}
}

func TestXLSXDates(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	f.SetSheetRow(sheet, "A1", &[]any{"编号", "姓名", "出生日期"})
	f.SetSheetRow(sheet, "A2", &[]any{"0001", "张三", time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC)})
	f.SetSheetRow(sheet, "A3", &[]any{"0002", "李四", "19910203"})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle(sheet, "C2", "C2", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	s := openDuck(t)
	_, err := Load(context.Background(), s, small, Source{Name: "d.xlsx", R: bytes.NewReader(buf.Bytes()), Size: int64(buf.Len())},
		Options{QuarantineDir: t.TempDir()}, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := []string{"0001|张三|1990-01-02|NULL", "0002|李四|1991-02-03|NULL"}
	if diff := cmp.Diff(want, rowsOf(t, s, small.Dataset)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

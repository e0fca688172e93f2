package catalogio

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// readAll reads every row of a sheet with the scanner, keyed by row number.
func readAll(t *testing.T, data []byte, sheet string) map[int][]string {
	t.Helper()
	wb, err := openWorkbook(bytes.NewReader(data), int64(len(data)), maxUnzipped)
	if err != nil {
		t.Fatalf("openWorkbook: %v", err)
	}
	rows, err := wb.sheet(sheet)
	if err != nil {
		t.Fatalf("sheet(%s): %v", sheet, err)
	}
	defer rows.close()
	out := map[int][]string{}
	for {
		n, cells, err := rows.next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("next: %v", err)
		}
		out[n] = cells
	}
}

// excelizeRows reads the same sheet with excelize, raw values.
func excelizeRows(t *testing.T, data []byte, sheet string) map[int][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int][]string{}
	for i, r := range rows {
		for len(r) > 0 && r[len(r)-1] == "" {
			r = r[:len(r)-1]
		}
		if len(r) > 0 {
			out[i+1] = r
		}
	}
	return out
}

func TestSheetScanMatchesExcelize(t *testing.T) {
	f := excelize.NewFile()
	sheet := "数据"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	set := func(cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set("A1", "资源序号")
	set("B1", "名称 & <说明> \"引号\" 'x'")
	set("C1", "多行\n文本")
	set("A2", 1)
	set("B2", 3.25)
	set("D2", true)
	set("E2", false)
	set("A4", "  前后空格  ")
	set("AB4", "远列")
	set("A5", "_x000D_字面")
	if err := f.SetCellFormula(sheet, "C5", `="公式"&"结果"`); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellRichText(sheet, "B5", []excelize.RichTextRun{{Text: "富"}, {Text: "文本", Font: &excelize.Font{Bold: true}}}); err != nil {
		t.Fatal(err)
	}
	// The same text twice shares one string.
	set("A6", "重复")
	set("B6", "重复")
	// A streamed sheet: inline strings.
	if _, err := f.NewSheet("流"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("流")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"甲", nil, "丙&丁", 12}); err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A3", []any{"  空格 ", true}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{sheet, "流"} {
		got := readAll(t, buf.Bytes(), s)
		want := excelizeRows(t, buf.Bytes(), s)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("sheet %s: rows mismatch (-excelize +scanner):\n%s", s, diff)
		}
	}
}

func TestXMLScanSmallBuffer(t *testing.T) {
	// Tags and text that straddle buffer refills; '>' inside an attribute.
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><worksheet><sheetData>`)
	for i := range 3000 {
		b.WriteString(`<row r="` + itoa(i+1) + `"><c r="A` + itoa(i+1) + `" t="inlineStr" x="a>b"><is><t>` +
			strings.Repeat("数", i%50) + `&amp;</t></is></c></row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	ss := newSheetScan(strings.NewReader(b.String()), nil, 1<<30)
	n := 0
	for {
		row, cells, err := ss.nextRow()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Repeat("数", n%50) + "&"
		if n++; row != n || len(cells) != 1 || cells[0] != want {
			t.Fatalf("row %d = %d %q, want %d %q", n, row, cells, n, want)
		}
	}
	if n != 3000 {
		t.Errorf("read %d rows, want 3000", n)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func FuzzSheetScan(f *testing.F) {
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c t="b"><v>1</v></c></row><row/></sheetData></worksheet>`))
	f.Add([]byte(`<x:sheetData><x:row><x:c r="ZZZ9" t="inlineStr"><x:is><x:r><x:t>a</x:t></x:r><x:rPh><x:t>b</x:t></x:rPh></x:is></x:c></x:row>`))
	f.Add([]byte(`<row r="99999999999"><c r="A"><v>&#x1F600;&bad;_x0041_</v></c>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ss := newSheetScan(bytes.NewReader(data), []string{"共享"}, 1<<20)
		for range 10000 {
			if _, _, err := ss.nextRow(); err != nil {
				return
			}
		}
	})
}

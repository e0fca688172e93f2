package tabular

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/xuri/excelize/v2"
)

// catalogWorkbook builds, with excelize directly, a workbook as users send
// them: a merged title row, a blank row, the header on row 3, typed cells,
// blank rows between data rows, and a second sheet of one column.
func catalogWorkbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const s = "资源目录"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", s))
	must(f.SetCellValue(s, "A1", "某某省政务数据资源目录（2024年）"))
	must(f.MergeCell(s, "A1", "F1"))
	must(f.SetSheetRow(s, "A3", &[]any{"序号", "资源名称", "发布日期", "数量", "是否开放", " 统一社会信用代码 "}))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	must(f.SetSheetRow(s, "A4", &[]any{1, "人口基础信息", time.Date(2023, 7, 16, 0, 0, 0, 0, time.UTC), 12345, true, "91440300708461136T"}))
	must(f.SetCellStyle(s, "C4", "C4", dateStyle))
	must(f.SetSheetRow(s, "A6", &[]any{2, "𠮷野家 分店", 45123.5, 0.1, false, "0371"}))
	must(f.SetSheetRow(s, "A7", &[]any{"", "", "", "", "", ""})) // blank cells
	must(f.SetCellValue(s, "A9", 3))
	must(f.SetCellValue(s, "B9", "刘䶮\n两行"))
	must(f.SetCellFormula(s, "D9", "D4*2")) // no cached value: Excel never opened the file
	_, err = f.NewSheet("说明")
	must(err)
	must(f.SetCellValue("说明", "A1", "字段"))
	must(f.SetCellValue("说明", "A2", "序号"))
	must(f.SetCellValue("说明", "A4", "资源名称"))
	var buf bytes.Buffer
	must(f.Write(&buf))
	return buf.Bytes()
}

func openWorkbook(t *testing.T, data []byte, opts XLSXOptions) *Workbook {
	t.Helper()
	wb, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		t.Fatalf("OpenXLSX() = %v", err)
	}
	t.Cleanup(func() { _ = wb.Close() })
	return wb
}

func TestOpenXLSX(t *testing.T) {
	wb := openWorkbook(t, catalogWorkbook(t), XLSXOptions{})
	if diff := cmp.Diff([]string{"资源目录", "说明"}, wb.Sheets()); diff != "" {
		t.Errorf("Sheets() mismatch (-want +got):\n%s", diff)
	}
	r, err := wb.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"序号", "资源名称", "发布日期", "数量", "是否开放", "统一社会信用代码"}
	if diff := cmp.Diff(wantHeader, r.Header()); diff != "" {
		t.Errorf("Header() mismatch (-want +got):\n%s", diff)
	}
	want := []Row{
		{Num: 4, Cells: []string{"1", "人口基础信息", "45123", "12345", "1", "91440300708461136T"}},
		{Num: 6, Cells: []string{"2", "𠮷野家 分店", "45123.5", "0.1", "0", "0371"}},
		{Num: 9, Cells: []string{"3", "刘䶮\n两行", "", "", "", ""}},
	}
	rows := readAll(t, r)
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows mismatch (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		give string
		want time.Time
	}{
		{rows[0].Cells[2], time.Date(2023, 7, 16, 0, 0, 0, 0, time.UTC)},
		{rows[1].Cells[2], time.Date(2023, 7, 16, 12, 0, 0, 0, time.UTC)},
	} {
		if got, err := wb.Time(tt.give); err != nil || !got.Equal(tt.want) {
			t.Errorf("Time(%q) = %v, %v, want %v", tt.give, got, err, tt.want)
		}
	}

	// A sheet of one column: no row has two cells, the first is the header.
	r, err = wb.Sheet("说明")
	if err != nil {
		t.Fatal(err)
	}
	want = []Row{{Num: 2, Cells: []string{"序号"}}, {Num: 4, Cells: []string{"资源名称"}}}
	if diff := cmp.Diff(want, readAll(t, r)); diff != "" || r.Header()[0] != "字段" {
		t.Errorf("one-column sheet: header %q, rows mismatch (-want +got):\n%s", r.Header(), diff)
	}
}

func TestOpenXLSXHeaderRow(t *testing.T) {
	wb := openWorkbook(t, catalogWorkbook(t), XLSXOptions{HeaderRow: 1})
	r, err := wb.Sheet("资源目录")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"某某省政务数据资源目录（2024年）"}, r.Header()); diff != "" {
		t.Errorf("Header() mismatch (-want +got):\n%s", diff)
	}
	// The real header row now has values right of the one-cell header.
	_, err = r.Next()
	var pe *PosError
	if !apperr.Is(err, apperr.Invalid) || !errors.As(err, &pe) || pe.Sheet != "资源目录" || pe.Row != 3 || pe.Col != 2 {
		t.Errorf("Next() = %v, want an Invalid error on sheet 资源目录, row 3, column 2", err)
	}
	if e := apperr.As(err); !strings.HasPrefix(e.ZH, "工作表“资源目录”第3行第2列：") {
		t.Errorf("Next() error in Chinese = %q", e.ZH)
	}
	wb2 := openWorkbook(t, catalogWorkbook(t), XLSXOptions{HeaderRow: 2})
	if _, err := wb2.Sheet(""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("Sheet() with a blank header row = %v, want an Invalid error", err)
	}
}

func TestOpenXLSXErrors(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	tests := []struct {
		name string
		give []byte
		want string // in the English message
	}{
		{"CSV renamed", []byte("a,b\n1,2\n"), "not a valid XLSX"},
		{"empty", nil, "not a valid XLSX"},
		{"zip of nothing", emptyZip(t), "not a valid XLSX"},
		{".xls or encrypted", ole, ".xls"},
	}
	for _, tt := range tests {
		_, err := OpenXLSX(bytes.NewReader(tt.give), int64(len(tt.give)), XLSXOptions{})
		if e := apperr.As(err); e.Kind != apperr.Invalid || !strings.Contains(e.Message, tt.want) || e.ZH == "" {
			t.Errorf("OpenXLSX(%s) = %v, want an Invalid error saying %q", tt.name, err, tt.want)
		}
	}
	data := catalogWorkbook(t)
	_, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), XLSXOptions{MaxUnzipped: 1000})
	if e := apperr.As(err); e.Kind != apperr.Invalid || !strings.Contains(e.Message, "too large") {
		t.Errorf("OpenXLSX(MaxUnzipped 1000) = %v, want an Invalid error saying too large", err)
	}
	wb := openWorkbook(t, data, XLSXOptions{})
	if _, err := wb.Sheet("Sheet9"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("Sheet(Sheet9) = %v, want an Invalid error", err)
	}
}

func emptyZip(t *testing.T) []byte {
	// The smallest zip: an end-of-central-directory record.
	return append([]byte("PK\x05\x06"), make([]byte, 18)...)
}

func TestOpenXLSXFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "目录.xlsx")
	if err := os.WriteFile(path, catalogWorkbook(t), 0o600); err != nil {
		t.Fatal(err)
	}
	wb, err := OpenXLSXFile(path, XLSXOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	r, err := wb.Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(readAll(t, r)); n != 3 {
		t.Errorf("read %d rows, want 3", n)
	}
	if _, err := OpenXLSXFile(filepath.Join(t.TempDir(), "none.xlsx"), XLSXOptions{}); err == nil {
		t.Error("OpenXLSXFile(missing file) = nil error")
	}
}

func TestWorkbookWriter(t *testing.T) {
	var buf bytes.Buffer
	ww := NewWorkbookWriter(&buf)
	res, err := ww.AddSheet("资源", []string{"编号", "名称", "统一社会信用代码"})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]string{
		{"0001", "人口基础信息", "91440300708461136T"},
		{"0002", "𠮷野家", "110101199003077777"}, // 18 digits: must stay text
		{"0003"},
	}
	for _, row := range rows {
		if err := res.WriteRow(row); err != nil {
			t.Fatalf("WriteRow(%q) = %v", row, err)
		}
	}
	if err := res.WriteRow([]string{"0004", strings.Repeat("长", maxCellChars+1)}); !apperr.Is(err, apperr.Invalid) ||
		apperr.As(err).Fields[0].Field != `sheet "资源", row 5, column 名称` {
		t.Errorf("WriteRow(a cell too long) = %v, want an Invalid error on sheet 资源, row 5, column 名称", err)
	}
	for _, name := range []string{"资源", "a/b", "", strings.Repeat("名", 32), "'x"} {
		if _, err := ww.AddSheet(name, nil); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("AddSheet(%q) = %v, want an Invalid error", name, err)
		}
	}
	notes, err := ww.AddSheet("说明", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteRow([]string{"late"}); err == nil {
		t.Error("WriteRow() on a finished sheet = nil error")
	}
	if err := notes.WriteHeader([]string{"字段", "含义"}); err != nil {
		t.Fatal(err)
	}
	if err := notes.WriteRow([]string{"编号", "资源编号"}); err != nil {
		t.Fatal(err)
	}
	if err := ww.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}

	wb := openWorkbook(t, buf.Bytes(), XLSXOptions{})
	if diff := cmp.Diff([]string{"资源", "说明"}, wb.Sheets()); diff != "" {
		t.Errorf("Sheets() mismatch (-want +got):\n%s", diff)
	}
	r, err := wb.Sheet("资源")
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, row := range readAll(t, r) {
		got = append(got, row.Cells)
	}
	rows[2] = []string{"0003", "", ""}
	if diff := cmp.Diff(rows, got); diff != "" {
		t.Errorf("rows read back mismatch (-want +got):\n%s", diff)
	}

	// The header row is bold and frozen.
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range []string{"资源", "说明"} {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("GetPanes(%s) = %+v, %v, want the first row frozen", sheet, panes, err)
		}
		id, err := f.GetCellStyle(sheet, "B1")
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(id)
		if err != nil || style.Font == nil || !style.Font.Bold {
			t.Errorf("style of %s!B1 = %+v, %v, want bold", sheet, style, err)
		}
	}
	if typ, _ := f.GetCellType("资源", "C3"); typ != excelize.CellTypeInlineString {
		t.Errorf("type of the 18-digit ID cell = %v, want an inline string", typ)
	}
}

func TestXLSXWriterOneSheet(t *testing.T) {
	var buf bytes.Buffer
	w := NewXLSXWriter(&buf, "")
	if err := w.WriteRow([]string{"x"}); err == nil {
		t.Error("WriteRow() before WriteHeader = nil error")
	}
	if err := w.WriteHeader([]string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRow([]string{"1", "2", "3"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("WriteRow(too many cells) = %v, want an Invalid error", err)
	}
	if err := w.WriteRow([]string{"1", "2"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	wb := openWorkbook(t, buf.Bytes(), XLSXOptions{})
	r, err := wb.Sheet("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Row{{Num: 2, Cells: []string{"1", "2"}}}, readAll(t, r)); diff != "" {
		t.Errorf("rows mismatch (-want +got):\n%s", diff)
	}
}

func TestWorkbookDate1904(t *testing.T) {
	f := excelize.NewFile()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"日期", "说明"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{43464, "x"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	wb := openWorkbook(t, buf.Bytes(), XLSXOptions{})
	want := time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)
	if got, err := wb.Time("43464"); !wb.Date1904() || err != nil || !got.Equal(want) {
		t.Errorf("Date1904() = %t, Time(43464) = %v, %v, want true, %v", wb.Date1904(), got, err, want)
	}
}

func TestExcelTime(t *testing.T) {
	tests := []struct {
		give     string
		date1904 bool
		want     time.Time
	}{
		{"1", false, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"59", false, time.Date(1900, 2, 28, 0, 0, 0, 0, time.UTC)},
		{"61", false, time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"44927", false, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"45123", false, time.Date(2023, 7, 16, 0, 0, 0, 0, time.UTC)},
		{"45123.5", false, time.Date(2023, 7, 16, 12, 0, 0, 0, time.UTC)},
		{" 45123.75 ", false, time.Date(2023, 7, 16, 18, 0, 0, 0, time.UTC)},
		// 1:00 as Excel stores it, not exactly 1/24.
		{"45123.041666666664", false, time.Date(2023, 7, 16, 1, 0, 0, 0, time.UTC)},
		{"0.25", false, time.Date(1899, 12, 31, 6, 0, 0, 0, time.UTC)},
		{"2958465", false, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"0", true, time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"43464", true, time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)}, // 44926 - 1462
	}
	for _, tt := range tests {
		if got, err := ExcelTime(tt.give, tt.date1904); err != nil || !got.Equal(tt.want) {
			t.Errorf("ExcelTime(%q, %t) = %v, %v, want %v", tt.give, tt.date1904, got, err, tt.want)
		}
	}
	for _, give := range []string{"", "abc", "-1", "60", "2958466", "NaN", "1e400", "2024-01-01"} {
		if _, err := ExcelTime(give, false); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ExcelTime(%q) = %v, want an Invalid error", give, err)
		}
	}
}

// TestExcelTimeAgreesWithExcelize cross-checks whole days with excelize's
// own conversion.
func TestExcelTimeAgreesWithExcelize(t *testing.T) {
	for serial := 1.0; serial < 80000; serial += 7 {
		if serial == 60 {
			continue
		}
		for _, date1904 := range []bool{false, true} {
			want, err := excelize.ExcelDateToTime(serial, date1904)
			if err != nil {
				t.Fatal(err)
			}
			s := strconv.FormatFloat(serial, 'f', -1, 64)
			got, err := ExcelTime(s, date1904)
			if err != nil || !got.Equal(want) {
				t.Fatalf("ExcelTime(%s, %t) = %v, %v; excelize says %v", s, date1904, got, err, want)
			}
		}
	}
}

package tabular

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pubdata/pubdata/internal/apperr"
)

// readAll reads every row of r, failing the test on an error.
func readAll(t *testing.T, r Reader) []Row {
	t.Helper()
	var rows []Row
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next() after %d rows = %v", len(rows), err)
		}
		rows = append(rows, row)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	return rows
}

// names is a table of rare name characters: 𠮷 needs 4 bytes in GB18030,
// 䶮 (the name of the founder of Southern Han) is in CJK Extension A.
const namesCSV = "编号,姓名,备注\r\n" +
	"1,刘䶮,南汉高祖\r\n" +
	"2,𠮷田,\"含,逗号\"\r\n" +
	"3,张三,\"两行\r\n说明，含\"\"引号\"\"\"\r\n" +
	"4,王𪚥,\r\n"

var namesRows = []Row{
	{Num: 2, Cells: []string{"1", "刘䶮", "南汉高祖"}},
	{Num: 3, Cells: []string{"2", "𠮷田", "含,逗号"}},
	{Num: 4, Cells: []string{"3", "张三", "两行\n说明，含\"引号\""}}, // csv turns \r\n in a quoted cell into \n
	{Num: 6, Cells: []string{"4", "王𪚥", ""}},
}

func TestOpenCSVEncodings(t *testing.T) {
	tests := []struct {
		name    string
		give    []byte
		enc     Encoding
		wantEnc Encoding
	}{
		{"UTF-8", []byte(namesCSV), Detect, UTF8},
		{"UTF-8 with BOM", append([]byte("\xEF\xBB\xBF"), namesCSV...), Detect, UTF8BOM},
		{"UTF-8 with BOM read as utf-8", append([]byte("\xEF\xBB\xBF"), namesCSV...), UTF8, UTF8BOM},
		{"GB18030 detected", gb(t, namesCSV), Detect, GB18030},
		{"GB18030 asked", gb(t, namesCSV), GB18030, GB18030},
		{"GBK asked, 4-byte characters inside", gb(t, namesCSV), GBK, GBK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := OpenCSV(bytes.NewReader(tt.give), CSVOptions{Encoding: tt.enc})
			if err != nil {
				t.Fatalf("OpenCSV() = %v", err)
			}
			if got := r.(*CSVReader).Encoding(); got != tt.wantEnc {
				t.Errorf("Encoding() = %q, want %q", got, tt.wantEnc)
			}
			if diff := cmp.Diff([]string{"编号", "姓名", "备注"}, r.Header()); diff != "" {
				t.Errorf("Header() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(namesRows, readAll(t, r)); diff != "" {
				t.Errorf("rows mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenCSVBOMHeaderCell(t *testing.T) {
	// A BOM left in the text (here after decoding GB18030 bytes of a file
	// that had one) must not stick to the first header name.
	r, err := OpenCSV(bytes.NewReader(gb(t, "\uFEFF名称,值\n甲,1\n")), CSVOptions{Encoding: GB18030})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Header()[0]; got != "名称" {
		t.Errorf("Header()[0] = %q, want %q", got, "名称")
	}
}

func TestOpenCSVHeaderRow(t *testing.T) {
	const give = "说明：本表由系统导出\n导出时间,2024-05-01\n\n名称,代码,级别\n北京市,110000,省级\n"
	tests := []struct {
		headerRow  int
		wantHeader []string
		wantFirst  Row
	}{
		// Found: the first row with two cells is "导出时间,2024-05-01".
		{0, []string{"导出时间", "2024-05-01"}, Row{}},
		{4, []string{"名称", "代码", "级别"}, Row{Num: 5, Cells: []string{"北京市", "110000", "省级"}}},
		{3, []string{"名称", "代码", "级别"}, Row{Num: 5, Cells: []string{"北京市", "110000", "省级"}}}, // line 3 is blank
	}
	for _, tt := range tests {
		r, err := OpenCSV(strings.NewReader(give), CSVOptions{HeaderRow: tt.headerRow})
		if err != nil {
			t.Fatalf("OpenCSV(HeaderRow %d) = %v", tt.headerRow, err)
		}
		if diff := cmp.Diff(tt.wantHeader, r.Header()); diff != "" {
			t.Errorf("OpenCSV(HeaderRow %d).Header() mismatch (-want +got):\n%s", tt.headerRow, diff)
		}
		if tt.wantFirst.Num == 0 {
			continue
		}
		if got, err := r.Next(); err != nil || !cmp.Equal(got, tt.wantFirst) {
			t.Errorf("OpenCSV(HeaderRow %d).Next() = %v, %v, want %v", tt.headerRow, got, err, tt.wantFirst)
		}
	}
}

func TestOpenCSVOneColumn(t *testing.T) {
	r, err := OpenCSV(strings.NewReader("\n名称\n北京\n天津\n"), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{{Num: 3, Cells: []string{"北京"}}, {Num: 4, Cells: []string{"天津"}}}
	if diff := cmp.Diff(want, readAll(t, r)); diff != "" || r.Header()[0] != "名称" {
		t.Errorf("one-column CSV: header %q, rows mismatch (-want +got):\n%s", r.Header(), diff)
	}
}

func TestOpenCSVErrors(t *testing.T) {
	tests := []struct {
		name      string
		give      string
		opts      CSVOptions
		wantField string
	}{
		{"empty", "", CSVOptions{}, "header"},
		{"blank lines only", "\n\n,,\n", CSVOptions{}, "header"},
		{"bad delimiter", "a,b", CSVOptions{Comma: '"'}, "comma"},
		{"unknown encoding", "a,b", CSVOptions{Encoding: "big5"}, "encoding"},
		{"bare quote in the header", "a,b\"c\n", CSVOptions{}, "row 1"},
	}
	for _, tt := range tests {
		_, err := OpenCSV(strings.NewReader(tt.give), tt.opts)
		var e *apperr.Error
		if !errors.As(err, &e) || e.Kind != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.wantField || e.ZH == "" {
			t.Errorf("OpenCSV(%s) = %#v, want an Invalid error on field %q", tt.name, err, tt.wantField)
		}
	}
}

// TestCSVRowErrorsGoOn: after a bad row, Next goes on with the next one.
func TestCSVRowErrorsGoOn(t *testing.T) {
	const give = "a,b\n1,2\n3,\"x\"y\n4,5,6\n7,8\n"
	r, err := OpenCSV(strings.NewReader(give), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			e := apperr.As(err)
			got = append(got, string(e.Kind)+" "+e.Fields[0].Field)
			continue
		}
		got = append(got, strings.Join(row.Cells, "|"))
	}
	want := []string{"1|2", "invalid row 3", "invalid row 4, column 3", "7|8"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows and errors mismatch (-want +got):\n%s", diff)
	}
}

// TestCSVCellsOwned: the reader reuses its record buffer, but not the
// cells it hands out.
func TestCSVCellsOwned(t *testing.T) {
	r, err := OpenCSV(strings.NewReader("a,b\n1,2\n3,4\n"), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := r.Next()
	_, _ = r.Next()
	if diff := cmp.Diff([]string{"1", "2"}, first.Cells); diff != "" {
		t.Errorf("first row changed by reading the second (-want +got):\n%s", diff)
	}
}

func TestCSVWriterRoundTrip(t *testing.T) {
	tests := []struct {
		enc     Encoding
		wantEnc Encoding // detected when read back
		rows    []Row
	}{
		{Detect, UTF8BOM, namesRows},
		{UTF8BOM, UTF8BOM, namesRows},
		{UTF8, UTF8, namesRows},
		{GB18030, GB18030, namesRows},
		{GBK, GBK, namesRows[:1]}, // 䶮 is in GBK, 𠮷 is not
	}
	header := []string{"编号", "姓名", "备注"}
	for _, tt := range tests {
		var buf bytes.Buffer
		w := NewCSVWriter(&buf, tt.enc)
		if err := w.WriteHeader(header); err != nil {
			t.Fatalf("WriteHeader(%s) = %v", tt.enc, err)
		}
		for _, row := range tt.rows {
			if err := w.WriteRow(row.Cells); err != nil {
				t.Fatalf("WriteRow(%s, %q) = %v", tt.enc, row.Cells, err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatalf("Close(%s) = %v", tt.enc, err)
		}
		r, err := OpenCSV(&buf, CSVOptions{})
		if err != nil {
			t.Fatalf("OpenCSV(written in %s) = %v", tt.enc, err)
		}
		if got := r.(*CSVReader).Encoding(); got != tt.wantEnc {
			t.Errorf("OpenCSV(written in %q) detects %q, want %q", tt.enc, got, tt.wantEnc)
		}
		var got [][]string
		for _, row := range readAll(t, r) {
			got = append(got, row.Cells)
		}
		var want [][]string
		for _, row := range tt.rows {
			want = append(want, row.Cells)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("round trip in %q mismatch (-want +got):\n%s", tt.enc, diff)
		}
	}
}

func TestCSVWriterGBKLacksCharacter(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf, GBK)
	if err := w.WriteHeader([]string{"编号", "姓名"}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRow([]string{"1", "张三"}); err != nil {
		t.Fatal(err)
	}
	err := w.WriteRow([]string{"2", "𠮷田"})
	var pe *PosError
	if e := apperr.As(err); e.Kind != apperr.Invalid || e.Fields[0].Field != "row 3, column 姓名" ||
		!errors.As(err, &pe) || pe.Row != 3 || pe.Col != 2 || !strings.Contains(e.ZH, "第3行“姓名”列") {
		t.Errorf("WriteRow(𠮷 in GBK) = %v, want an Invalid error on row 3, column 姓名", err)
	}
	// The row is refused whole and the writer goes on.
	if err := w.WriteRow([]string{"3", "李四"}); err != nil {
		t.Errorf("WriteRow() after a refused row = %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if want := gb(t, "编号,姓名\r\n1,张三\r\n3,李四\r\n"); !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("output = %q, want %q", buf.Bytes(), want)
	}
}

func TestCSVWriterMisuse(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf, UTF8)
	if err := w.WriteRow([]string{"x"}); err == nil || apperr.Is(err, apperr.Invalid) {
		t.Errorf("WriteRow() before WriteHeader = %v, want a programming error", err)
	}
	w = NewCSVWriter(&buf, UTF8)
	_ = w.WriteHeader([]string{"a"})
	if err := w.WriteRow([]string{"1", "2"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("WriteRow(too many cells) = %v, want an Invalid error", err)
	}
	if err := NewCSVWriter(&buf, UTF16LE).WriteHeader([]string{"a"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("NewCSVWriter(utf-16le).WriteHeader() = %v, want an Invalid error", err)
	}
}

func TestEscapeFormula(t *testing.T) {
	tests := map[string]string{
		"": "", "abc": "abc", "=1+1": "'=1+1", "+86 138": "'+86 138", "@SUM(A1)": "'@SUM(A1)",
		"-cmd|' /C calc'!A0": "'-cmd|' /C calc'!A0", "-12.5": "-12.5", "+3": "+3", "\t=1": "'\t=1", "中=1": "中=1",
	}
	for give, want := range tests {
		if got := escapeFormula(give); got != want {
			t.Errorf("escapeFormula(%q) = %q, want %q", give, got, want)
		}
	}
}

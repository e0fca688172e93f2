package tabular

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var (
	benchHeader = []string{"序号", "统一社会信用代码", "单位名称", "资源名称", "所属领域", "行政区划",
		"更新周期", "数据量", "发布日期", "联系人", "联系电话", "备注"}
	benchWords = []string{"人口", "法人", "信用", "电子证照", "社会保障", "医疗卫生", "教育", "交通运输", "生态环境",
		"市场监管", "公共资源", "不动产", "户籍", "婚姻登记", "𠮷", "䶮", "基础信息", "统计", "年报", "许可"}
	benchCities = []string{"郑州市", "开封市", "洛阳市", "平顶山市", "安阳市", "鹤壁市", "新乡市", "焦作市"}
	benchCycles = []string{"实时", "每日", "每周", "每月", "每季度", "每年"}
	benchNames  = []string{"张伟", "王芳", "李娜", "刘䶮", "陈静", "杨洋", "赵磊", "黄敏"}
)

func phrase(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(benchWords[r.IntN(len(benchWords))])
	}
	return b.String()
}

// benchRow is row i of the generated catalog table.
func benchRow(r *rand.Rand, i int) []string {
	note := ""
	if i%7 == 0 {
		note = phrase(r, 3) + "，含逗号,与\"引号\""
	}
	return []string{
		fmt.Sprint(i),
		fmt.Sprintf("91410100%09d%c", r.IntN(1e9), "0123456789ABCDEFGHJKLMNPQRTUWXY"[r.IntN(31)]),
		benchCities[r.IntN(len(benchCities))] + phrase(r, 2) + "局",
		phrase(r, 3) + "数据集",
		phrase(r, 1),
		fmt.Sprintf("4101%02d", r.IntN(100)),
		benchCycles[r.IntN(len(benchCycles))],
		fmt.Sprint(r.IntN(10000000)),
		fmt.Sprintf("2024-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28)),
		benchNames[r.IntN(len(benchNames))],
		fmt.Sprintf("0371-%08d", r.IntN(1e8)),
		note,
	}
}

const benchCSVRows = 200_000

// benchCSV is the generated table as CSV in UTF-8 and in GB18030.
var benchCSV = sync.OnceValues(func() (utf8, gb18030 []byte) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf, UTF8)
	_ = w.WriteHeader(benchHeader)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 1; i <= benchCSVRows; i++ {
		_ = w.WriteRow(benchRow(r, i))
	}
	_ = w.Close()
	utf8 = bytes.Clone(buf.Bytes())
	buf.Reset()
	r = rand.New(rand.NewPCG(1, 2))
	w = NewCSVWriter(&buf, GB18030)
	_ = w.WriteHeader(benchHeader)
	for i := 1; i <= benchCSVRows; i++ {
		_ = w.WriteRow(benchRow(r, i))
	}
	_ = w.Close()
	return utf8, buf.Bytes()
})

// reportRows reports rows per second of wall time and of CPU time (which
// other work on the machine disturbs less) since cpu0.
func reportRows(b *testing.B, rows int, cpu0 time.Duration) {
	total := float64(rows) * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(total/cpu.Seconds(), "rows/cpu-s")
	}
}

// countRows reads every row of r.
func countRows(b *testing.B, r Reader) int {
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkCSVRead reads 200,000 rows of 12 Chinese columns; MB/s counts
// the encoded input.
func BenchmarkCSVRead(b *testing.B) {
	utf8, gb18030 := benchCSV()
	for _, tt := range []struct {
		name string
		data []byte
		enc  Encoding
	}{
		{"utf-8", utf8, Detect},
		{"gb18030", gb18030, Detect},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.data)))
			b.ReportAllocs()
			rows, cpu0 := 0, cpuTime()
			for b.Loop() {
				r, err := OpenCSV(bytes.NewReader(tt.data), CSVOptions{Encoding: tt.enc})
				if err != nil {
					b.Fatal(err)
				}
				if rows = countRows(b, r); rows != benchCSVRows {
					b.Fatalf("read %d rows, want %d", rows, benchCSVRows)
				}
			}
			reportRows(b, rows, cpu0)
		})
	}
}

// BenchmarkCSVReadMemory reads 2,000,000 GB18030 rows (the generated table
// ten times over) and reports the most heap it kept live, measured after a
// collection every 200,000 rows, to show that reading streams.
func BenchmarkCSVReadMemory(b *testing.B) {
	_, gb18030 := benchCSV()
	body := gb18030[bytes.IndexByte(gb18030, '\n')+1:]
	const repeat = 10
	for b.Loop() {
		parts := []io.Reader{bytes.NewReader(gb18030)}
		for range repeat - 1 {
			parts = append(parts, bytes.NewReader(body))
		}
		live := func() uint64 {
			var m runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m)
			return m.HeapAlloc
		}
		base, peak := live(), uint64(0)
		r, err := OpenCSV(io.MultiReader(parts...), CSVOptions{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for ; ; n++ {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if n%200_000 == 0 {
				peak = max(peak, live())
			}
		}
		if n != repeat*benchCSVRows {
			b.Fatalf("read %d rows, want %d", n, repeat*benchCSVRows)
		}
		b.ReportMetric(float64(peak-min(base, peak))/(1<<20), "live-heap-MB")
		b.ReportMetric(float64(n), "rows")
	}
}

const (
	benchXLSXRows = 100_000
	benchXLSXCols = 10
)

// benchXLSXInline is a 100,000 x 10 workbook as excelize's StreamWriter
// (and so NewXLSXWriter) writes it: text as inline strings.
var benchXLSXInline = sync.OnceValue(func() []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		panic(err)
	}
	row := make([]any, benchXLSXCols)
	for i := range row {
		row[i] = benchHeader[i]
	}
	_ = sw.SetRow("A1", row)
	benchXLSXRowsDo(func(n int, cells []any) {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, cells); err != nil {
			panic(err)
		}
	})
	if err := sw.Flush(); err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

// benchXLSXRowsDo calls do with the sheet row number and cells of each data
// row: numbers in columns 1 and 8, text elsewhere.
func benchXLSXRowsDo(do func(n int, cells []any)) {
	r := rand.New(rand.NewPCG(3, 4))
	row := make([]any, benchXLSXCols)
	for n := 2; n <= benchXLSXRows+1; n++ {
		for i, c := range benchRow(r, n-1)[:benchXLSXCols] {
			row[i] = c
		}
		row[0], row[7] = n-1, float64(r.IntN(1e8))/100
		do(n, row)
	}
}

// benchXLSXShared is the same table as Excel saves it: text in the shared
// string table. excelize's non-streaming writer is too slow to make 100,000
// rows in a benchmark, so the parts are written here directly.
var benchXLSXShared = sync.OnceValue(func() []byte {
	var sheet, sst bytes.Buffer
	index := map[string]int{}
	var strs []string
	ref := func(s string) int {
		i, ok := index[s]
		if !ok {
			i = len(strs)
			index[s] = i
			strs = append(strs, s)
		}
		return i
	}
	writeRow := func(n int, cells []any) {
		fmt.Fprintf(&sheet, `<row r="%d">`, n)
		for i, c := range cells {
			name, _ := excelize.CoordinatesToCellName(i+1, n)
			switch v := c.(type) {
			case string:
				fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%d</v></c>`, name, ref(v))
			default:
				fmt.Fprintf(&sheet, `<c r="%s"><v>%v</v></c>`, name, v)
			}
		}
		sheet.WriteString(`</row>`)
	}
	header := make([]any, benchXLSXCols)
	for i := range header {
		header[i] = benchHeader[i]
	}
	writeRow(1, header)
	benchXLSXRowsDo(writeRow)
	fmt.Fprintf(&sst, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(strs), len(strs))
	for _, s := range strs {
		sst.WriteString(`<si><t>`)
		_ = xml.EscapeText(&sst, []byte(s))
		sst.WriteString(`</t></si>`)
	}
	sst.WriteString(`</sst>`)
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ` + ns + `><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ` + ns + `><sheetData>` + sheet.String() + `</sheetData></worksheet>`},
		{"xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + sst.String()},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			panic(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

// BenchmarkXLSXRead reads 100,000 rows of 10 columns (two numbers, eight
// texts); MB/s counts the zipped file.
func BenchmarkXLSXRead(b *testing.B) {
	for _, tt := range []struct {
		name string
		data func() []byte
	}{
		{"shared-strings", benchXLSXShared},
		{"inline-strings", benchXLSXInline},
	} {
		b.Run(tt.name, func(b *testing.B) {
			data := tt.data()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			rows, cpu0 := 0, cpuTime()
			for b.Loop() {
				wb, err := OpenXLSX(bytes.NewReader(data), int64(len(data)), XLSXOptions{})
				if err != nil {
					b.Fatal(err)
				}
				r, err := wb.Sheet("")
				if err != nil {
					b.Fatal(err)
				}
				if rows = countRows(b, r); rows != benchXLSXRows {
					b.Fatalf("read %d rows, want %d", rows, benchXLSXRows)
				}
				_ = r.Close()
				_ = wb.Close()
			}
			reportRows(b, rows, cpu0)
		})
	}
}

// BenchmarkXLSXWrite writes 100,000 rows of 10 columns.
func BenchmarkXLSXWrite(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	rows := make([][]string, 1000)
	for i := range rows {
		rows[i] = benchRow(r, i)[:benchXLSXCols]
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		w := NewXLSXWriter(io.Discard, "数据")
		_ = w.WriteHeader(benchHeader[:benchXLSXCols])
		for i := range benchXLSXRows {
			if err := w.WriteRow(rows[i%len(rows)]); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	reportRows(b, benchXLSXRows, cpu0)
}

// BenchmarkNDJSONRead reads the 200,000-row table as NDJSON.
func BenchmarkNDJSONRead(b *testing.B) {
	var buf bytes.Buffer
	w := NewNDJSONWriter(&buf)
	_ = w.WriteHeader(benchHeader)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 1; i <= benchCSVRows; i++ {
		_ = w.WriteRow(benchRow(r, i))
	}
	_ = w.Close()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows, cpu0 := 0, cpuTime()
	for b.Loop() {
		rd, err := OpenNDJSON(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		rows = countRows(b, rd)
	}
	reportRows(b, rows, cpu0)
}

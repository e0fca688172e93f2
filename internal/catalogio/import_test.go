package catalogio_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
)

// column finds a header in row 1 of a sheet and returns its letter.
func column(t *testing.T, f *excelize.File, sheet, header string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	for i, h := range rows[0] {
		if h == header {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	t.Fatalf("sheet %s has no column %s", sheet, header)
	return ""
}

func setCell(t *testing.T, f *excelize.File, sheet, header string, row int, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, column(t, f, sheet, header)+strconv.Itoa(row), v); err != nil {
		t.Fatal(err)
	}
}

func saveBook(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openBook(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestTemplateRoundTrip(t *testing.T) {
	e := newEnv(t)
	var buf bytes.Buffer
	if err := e.app.Transfer.Template(&buf, "xlsx"); err != nil {
		t.Fatalf("Template: %v", err)
	}
	f := openBook(t, buf.Bytes())
	if diff := cmp.Diff([]string{"资源目录", "信息项", "填写说明"}, f.GetSheetList()); diff != "" {
		t.Fatalf("sheets mismatch (-want +got):\n%s", diff)
	}
	dvs, err := f.GetDataValidations("资源目录")
	if err != nil || len(dvs) < 5 {
		t.Errorf("资源目录 has %d drop-down lists (%v), want at least 5", len(dvs), err)
	}
	// Fill one resource with labels, as a person would.
	res := map[string]any{"资源序号": "A-1", "资源名称": "企业年报信息", "分类代码": "102001 法人基本信息",
		"摘要": "全省企业年度报告信息,包括资产状况、从业人数和经营情况,用于信用监管。", "格式分类": "数据库",
		"格式类型": "MySQL 库表", "共享类型": "有条件共享", "共享条件": "履行法定职责", "共享方式": "接口共享",
		"开放类型": "不予开放", "更新周期": "每年", "发布日期": "2024/5/6", "关联信息系统": "企业信用信息公示系统",
		"关键词": "年报；企业、信用"}
	for h, v := range res {
		setCell(t, f, "资源目录", h, 2, v)
	}
	items := []map[string]any{
		{"资源序号": "A-1", "信息项名称": "统一社会信用代码", "信息项代码": "USCC", "数据类型": "字符型", "长度": 18,
			"是否必填": "是", "是否主键": "Y", "标准数据元": "统一社会信用代码", "分类": "一般数据", "敏感级别": "L1"},
		{"资源序号": "A-1", "信息项名称": "从业人数", "信息项代码": "EMPLOYEES", "数据类型": "I", "长度": "10",
			"是否必填": "否", "是否主键": false, "分类": "重要数据"},
	}
	for i, it := range items {
		for h, v := range it {
			setCell(t, f, "信息项", h, i+2, v)
		}
	}
	rep := e.importFile(t, e.admin, saveBook(t, f), "xlsx", catalog.ImportOptions{})
	if rep.Imported != 1 || len(rep.Errors) != 0 {
		t.Fatalf("Import = %d imported, errors %+v, want 1 and none", rep.Imported, rep.Errors)
	}
	got, err := e.app.Catalog.Get(e.admin, rep.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	want := &catalog.Resource{Name: "企业年报信息", ClassCode: "102001", ProviderCode: adminProvider, FormatClass: "3",
		Share: catalog.Share{Type: "2", Conditions: "履行法定职责", Method: "api"}, Open: catalog.Open{Type: "3"},
		UpdateCycle: "yearly", ReleaseDate: "2024-05-06", Keywords: []string{"年报", "企业", "信用"}, Level: "important",
		Items: []catalog.DataItem{
			{Name: "统一社会信用代码", Code: "USCC", DataType: "C", Length: 18, Required: true, PrimaryKey: true, Element: "DE00008", Category: "general", Sensitivity: "L1"},
			{Name: "从业人数", Code: "EMPLOYEES", DataType: "I", Length: 10, Category: "important", Sensitivity: "L4"},
		}}
	pick := func(r *catalog.Resource) catalog.Resource {
		return catalog.Resource{Name: r.Name, ClassCode: r.ClassCode, ProviderCode: r.ProviderCode, FormatClass: r.FormatClass,
			Share: r.Share, Open: r.Open, UpdateCycle: r.UpdateCycle, ReleaseDate: r.ReleaseDate, Keywords: r.Keywords,
			Level: r.Level, Items: r.Items}
	}
	if diff := cmp.Diff(pick(want), pick(got)); diff != "" {
		t.Errorf("imported resource mismatch (-want +got):\n%s", diff)
	}
	if got.Status != catalog.Draft {
		t.Errorf("status = %s, want draft", got.Status)
	}
}

// spoil breaks three rows of a synthetic workbook of 1,000 resources: an
// empty name (resources row 101), a length that is no number (items row
// 500) and an unknown provider (resources row 900).
func spoil(t *testing.T, data []byte) []byte {
	f := openBook(t, data)
	setCell(t, f, "资源目录", "资源名称", 101, "")
	setCell(t, f, "信息项", "长度", 500, "十八")
	setCell(t, f, "资源目录", "提供方代码", 900, "NOSUCHORG")
	return saveBook(t, f)
}

var spoiled = []catalog.RowError{
	{Sheet: "资源目录", Row: 101, Column: "资源名称", Field: "name"},
	{Sheet: "资源目录", Row: 900, Column: "提供方代码", Field: "provider_code"},
	{Sheet: "信息项", Row: 500, Column: "长度", Field: "items[8].length"},
}

func locations(errs []catalog.RowError) []catalog.RowError {
	out := make([]catalog.RowError, len(errs))
	for i, e := range errs {
		out[i] = catalog.RowError{Sheet: e.Sheet, Row: e.Row, Column: e.Column, Field: e.Field}
		if e.Message == "" || e.ZH == "" {
			t := e
			out[i].Field += " (no message: " + t.Message + t.ZH + ")"
		}
	}
	return out
}

func TestImportAllOrNothing(t *testing.T) {
	e := newEnv(t)
	data := spoil(t, synthetic(t, "xlsx", 1000))
	before := e.count(t)
	rep := e.importFile(t, e.admin, data, "xlsx", catalog.ImportOptions{})
	if rep.Rows != 1000 || rep.Imported != 0 || rep.Rejected != 3 {
		t.Errorf("Import = rows %d, imported %d, rejected %d, want 1000, 0, 3", rep.Rows, rep.Imported, rep.Rejected)
	}
	if diff := cmp.Diff(spoiled, locations(rep.Errors)); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
	if after := e.count(t); after != before {
		t.Errorf("resources after a refused import = %d, want %d", after, before)
	}
	if rep.RejectsFile != "" {
		t.Errorf("RejectsFile = %q, want none without Partial", rep.RejectsFile)
	}
}

func TestImportPartial(t *testing.T) {
	e := newEnv(t)
	data := spoil(t, synthetic(t, "xlsx", 1000))
	before := e.count(t)
	rep := e.importFile(t, e.admin, data, "xlsx", catalog.ImportOptions{Partial: true, Filename: "部门目录.xlsx"})
	if rep.Imported != 997 || rep.Rejected != 3 || len(rep.IDs) != 997 {
		t.Fatalf("Import = imported %d, rejected %d, %d ids, want 997, 3, 997", rep.Imported, rep.Rejected, len(rep.IDs))
	}
	if after := e.count(t); after != before+997 {
		t.Errorf("resources = %d, want %d", after, before+997)
	}
	if dir := filepath.Join(e.dir, "rejects"); filepath.Dir(rep.RejectsFile) != dir || !strings.HasSuffix(rep.RejectsFile, "-部门目录.rejects.xlsx") {
		t.Errorf("RejectsFile = %q, want dataDir/rejects/<time>-部门目录.rejects.xlsx", rep.RejectsFile)
	}
	rejects, err := os.ReadFile(rep.RejectsFile)
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, rejects)
	res, _ := f.GetRows("资源目录")
	items, _ := f.GetRows("信息项")
	if len(res) != 4 || len(items) != 31 {
		t.Fatalf("rejects file has %d resource rows and %d item rows, want 1+3 and 1+30", len(res), len(items))
	}
	last := len(res[0]) - 1
	if res[0][last] != "错误说明" {
		t.Fatalf("rejects header = %q, want 错误说明 last", res[0])
	}
	// Fix the three rows and import the rejects file as it is.
	fixed := 0
	for i, row := range res[1:] {
		switch msg := row[min(last, len(row)-1)]; {
		case strings.Contains(msg, "资源名称"):
			setCell(t, f, "资源目录", "资源名称", i+2, "补录的资源")
			fixed++
		case strings.Contains(msg, "提供方代码"):
			setCell(t, f, "资源目录", "提供方代码", i+2, adminProvider)
			fixed++
		}
	}
	if fixed != 2 {
		t.Errorf("rejects file has %d resource rows with a 错误说明, want 2", fixed)
	}
	itemsWithError := 0
	for i, row := range items[1:] {
		if strings.Contains(row[len(row)-1], "长度") {
			setCell(t, f, "信息项", "长度", i+2, 18)
			itemsWithError++
		}
	}
	if itemsWithError != 1 {
		t.Errorf("rejects file has %d item rows with a 长度 error, want 1", itemsWithError)
	}
	rep = e.importFile(t, e.admin, saveBook(t, f), "xlsx", catalog.ImportOptions{})
	if rep.Imported != 3 || len(rep.Errors) != 0 {
		t.Errorf("import of the fixed rejects = %d imported, errors %+v, want 3 and none", rep.Imported, rep.Errors)
	}
}

func TestImportCSVEncodings(t *testing.T) {
	e := newEnv(t)
	utf8BOM := synthetic(t, "csv", 20)
	text := strings.TrimPrefix(string(utf8BOM), "\ufeff")
	// A name only GB18030 can hold (𠮷, U+20BB7, is four bytes there).
	rare := strings.ReplaceAll(text, "(1)", "(𠮷)")
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	gb18030, err := simplifiedchinese.GB18030.NewEncoder().String(rare)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		give     string
		encoding string
	}{
		{"utf-8 with BOM", string(utf8BOM), ""},
		{"utf-8", text, ""},
		{"gbk detected", gbk, ""},
		{"gbk named", gbk, "gbk"},
		{"gb18030 detected", gb18030, ""},
		{"gb18030 named", gb18030, "GB18030"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := e.importFile(t, e.admin, []byte(tt.give), "csv", catalog.ImportOptions{Encoding: tt.encoding})
			if rep.Imported != 20 || len(rep.Errors) != 0 {
				t.Fatalf("Import = %d imported, errors %+v, want 20", rep.Imported, rep.Errors)
			}
			r, err := e.app.Catalog.Get(e.admin, rep.IDs[0])
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(r.Name, "(1)") && !strings.HasSuffix(r.Name, "(𠮷)") || len(r.Items) != 10 {
				t.Errorf("first entry = %q with %d items, want a name ending (1) or (𠮷) and 10 items", r.Name, len(r.Items))
			}
			if strings.HasPrefix(tt.name, "gb18030") && !strings.HasSuffix(r.Name, "(𠮷)") {
				t.Errorf("name = %q, want the rare character kept", r.Name)
			}
		})
	}
}

func TestImportCSVGroups(t *testing.T) {
	e := newEnv(t)
	head := "资源序号,资源名称,分类代码,摘要,格式分类,格式类型,共享类型,共享方式,开放类型,更新周期,信息项名称,信息项代码,数据类型,长度,是否主键\n"
	good := "1,人口信息,101001,全省户籍人口的基本信息用于人口统计和政务服务办理,数据库,库表,1,api,3,daily,姓名,XM,C,50,是\n" +
		"1,,,,,,,,,,性别,XB,C,1,否\n"
	conflict := "1,人口信息,101001,全省户籍人口的基本信息用于人口统计和政务服务办理,数据库,库表,1,api,3,daily,姓名,XM,C,50,是\n" +
		"1,人口信息,101002,,,,,,,,性别,XB,C,1,否\n"
	rep := e.importFile(t, e.admin, []byte(head+good), "csv", catalog.ImportOptions{})
	if rep.Imported != 1 || len(rep.Errors) != 0 {
		t.Fatalf("Import(good) = %d imported, errors %+v", rep.Imported, rep.Errors)
	}
	rep = e.importFile(t, e.admin, []byte(head+conflict), "csv", catalog.ImportOptions{})
	want := []catalog.RowError{{Row: 3, Column: "分类代码", Field: "class_code"}}
	if diff := cmp.Diff(want, locations(rep.Errors)); diff != "" {
		t.Errorf("conflict errors mismatch (-want +got):\n%s", diff)
	}
	if len(rep.Errors) == 1 && !strings.Contains(rep.Errors[0].ZH, "第2行") {
		t.Errorf("conflict message %q does not name row 2", rep.Errors[0].ZH)
	}
}

func TestImportJSON(t *testing.T) {
	e := newEnv(t)
	rep := e.importFile(t, e.admin, synthetic(t, "json", 50), "json", catalog.ImportOptions{})
	if rep.Imported != 50 || len(rep.Errors) != 0 {
		t.Fatalf("Import = %d imported, errors %+v, want 50", rep.Imported, rep.Errors)
	}
	bad := `[{"name":"甲","class_code":"101001","summary":"s","format_class":"2","format_type":"xlsx","items":[{"name":"a","code":"A","data_type":"C","length":"x"}],
		"share":{"type":"1","method":"api"},"open":{"type":"3"},"update_cycle":"daily","provider_code":"NOPE"}]`
	rep = e.importFile(t, e.admin, []byte(bad), "json", catalog.ImportOptions{})
	want := []catalog.RowError{
		{Row: 1, Column: "items.length", Field: "items.length"},
		{Row: 1, Column: "provider_code", Field: "provider_code"},
	}
	if diff := cmp.Diff(want, locations(rep.Errors)); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
	if _, err := e.app.Transfer.Import(e.admin, strings.NewReader(`[{"name":`), "json", catalog.ImportOptions{}); err == nil {
		t.Errorf("Import of broken JSON succeeded, want an error")
	}
}

func TestImportOtherOrganisation(t *testing.T) {
	e := newEnv(t)
	a := e.org(t, "省市场监督管理局", "SCJG")
	e.org(t, "省卫生健康委员会", "WJW")
	editor := e.user(t, "editor_a", a.ID, authz.CatalogEditor)
	data := synthetic(t, "xlsx", 4, "SCJG", "SCJG", "WJW")
	rep := e.importFile(t, editor, data, "xlsx", catalog.ImportOptions{Partial: true})
	var wjw int
	f := openBook(t, data)
	rows, _ := f.GetRows("资源目录")
	col := 0
	for i, h := range rows[0] {
		if h == "提供方代码" {
			col = i
		}
	}
	var want []catalog.RowError
	for i, r := range rows[1:] {
		if r[col] == "WJW" {
			wjw++
			want = append(want, catalog.RowError{Sheet: "资源目录", Row: i + 2, Column: "提供方代码", Field: "provider_code"})
		}
	}
	if wjw == 0 {
		t.Fatal("the synthetic file has no row for WJW; change the seed")
	}
	if rep.Imported != 4-wjw || rep.Rejected != wjw {
		t.Errorf("Import = imported %d, rejected %d, want %d, %d", rep.Imported, rep.Rejected, 4-wjw, wjw)
	}
	if diff := cmp.Diff(want, locations(rep.Errors)); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
}

func TestImportNeedsPrincipal(t *testing.T) {
	e := newEnv(t)
	if _, err := e.app.Transfer.Import(context.Background(), bytes.NewReader(synthetic(t, "json", 1)), "json", catalog.ImportOptions{}); err == nil {
		t.Errorf("Import without a principal succeeded")
	}
	viewer := e.user(t, "viewer", authz.FromContext(e.admin).OrgID, authz.DataConsumer)
	if _, err := e.app.Transfer.Import(viewer, bytes.NewReader(synthetic(t, "json", 1)), "json", catalog.ImportOptions{}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("Import by a data consumer = %v, want forbidden", err)
	}
}

func TestImportHeaderProblems(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, give string
		want       string // in the error's fields
	}{
		{"missing columns", "资源序号,资源名称,信息项名称\n1,a,b\n", "缺少必需的列:分类代码、摘要、格式分类、格式类型、共享类型、开放类型、更新周期、信息项代码、数据类型"},
		{"column twice", "资源序号,资源名称,name,分类代码\n1,a,b,101001\n", "列重复"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.app.Transfer.Import(e.admin, strings.NewReader(tt.give), "csv", catalog.ImportOptions{})
			ae := apperr.As(err)
			if ae.Kind != apperr.Invalid || len(ae.Fields) == 0 || !strings.Contains(ae.Fields[0].ZH, tt.want) {
				t.Errorf("Import = %v, want an invalid error with %q", err, tt.want)
			}
		})
	}
	if _, err := e.app.Transfer.Import(e.admin, strings.NewReader("not a zip"), "xlsx", catalog.ImportOptions{}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("Import of a text file as xlsx = %v, want invalid", err)
	}
}

// A workbook with a title row and one sheet in the flat (CSV) layout.
func TestImportFlatWorkbook(t *testing.T) {
	e := newEnv(t)
	csvData := strings.TrimPrefix(string(synthetic(t, "csv", 5)), "\ufeff")
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "某某局数据资源目录(2024年)"); err != nil {
		t.Fatal(err)
	}
	recs, err := csvRecords(csvData)
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs {
		row := make([]any, len(rec))
		for j, c := range rec {
			row[j] = c
		}
		if err := f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+3), &row); err != nil {
			t.Fatal(err)
		}
	}
	rep := e.importFile(t, e.admin, saveBook(t, f), "xlsx", catalog.ImportOptions{})
	if rep.Imported != 5 || len(rep.Errors) != 0 {
		t.Errorf("Import = %d imported, errors %+v, want 5", rep.Imported, rep.Errors)
	}
}

func TestImportProgress(t *testing.T) {
	e := newEnv(t)
	var stages []string
	last := map[string][2]int{}
	rep, err := e.app.Transfer.ImportWithProgress(e.admin, bytes.NewReader(synthetic(t, "json", 30)), "json", catalog.ImportOptions{},
		func(stage string, done, total int) {
			if len(stages) == 0 || stages[len(stages)-1] != stage {
				stages = append(stages, stage)
			}
			last[stage] = [2]int{done, total}
		})
	if err != nil || rep.Imported != 30 {
		t.Fatalf("ImportWithProgress = %v, %v", rep, err)
	}
	if diff := cmp.Diff([]string{"reading", "checking", "storing"}, stages); diff != "" {
		t.Errorf("stages mismatch (-want +got):\n%s", diff)
	}
	if last["storing"] != [2]int{30, 30} || last["checking"] != [2]int{30, 30} {
		t.Errorf("last progress = %v, want 30 of 30 for checking and storing", last)
	}
}

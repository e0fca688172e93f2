package catalogio

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/catalog"
)

// Template writes the empty import template with the node's
// classifications and standard elements: for XLSX the sheets 资源目录 and
// 信息项 with their headers (bold, frozen, drop-down lists for coded
// columns) and 填写说明 with the instructions, every code table and an
// example; for CSV the header row; for JSON an array with the example.
func (t *Transfer) Template(w io.Writer, format string) error {
	ctx := context.Background()
	classes, err := t.cat.Classifications(ctx)
	if err != nil {
		return err
	}
	elements, err := t.cat.Elements(ctx)
	if err != nil {
		return err
	}
	return writeTemplate(w, format, classes, elements)
}

// WriteTemplate is Template with the default classifications and standard
// elements, for use without a data directory.
func WriteTemplate(w io.Writer, format string) error {
	return writeTemplate(w, format, catalog.DefaultClassifications, catalog.DefaultElements)
}

// example is the example resource of the template.
func example() *catalog.Resource {
	return &catalog.Resource{
		Name: "市场主体登记信息", ClassCode: "208001",
		Summary:     "全省市场主体的登记信息,包括名称、统一社会信用代码、法定代表人和登记机关,用于企业开办、信用监管和政务服务。",
		FormatClass: "3", FormatType: "MySQL 库表",
		Share:       catalog.Share{Type: "2", Conditions: "用于履行市场监管、税务、社保等法定职责", Method: "api"},
		Open:        catalog.Open{Type: "2", Conditions: "经授权用于企业征信服务"},
		UpdateCycle: "daily", ReleaseDate: "2024-03-01", System: "市场主体登记管理系统",
		Keywords: []string{"企业", "登记", "信用代码"},
		Items: []catalog.DataItem{
			{Name: "统一社会信用代码", Code: "USCC", DataType: "C", Length: 18, Required: true, PrimaryKey: true,
				Element: "DE00008", Category: "general", Sensitivity: "L1", Description: "18位统一社会信用代码"},
			{Name: "法定代表人", Code: "LEGAL_REP", DataType: "C", Length: 50, Required: true,
				Element: "DE00010", Category: "general", Sensitivity: "L2", Description: "法定代表人姓名"},
		},
	}
}

func writeTemplate(w io.Writer, format string, classes []catalog.Classification, elements []catalog.Element) error {
	switch format {
	case "csv":
		t, err := newCSVTable(w, headers(canonical(true, true, false)))
		if err != nil {
			return err
		}
		return t.finish()
	case "json":
		a := newJSONArray(w)
		if err := a.add(inputOf(example())); err != nil {
			return err
		}
		return a.finish()
	case "xlsx":
		return writeTemplateXLSX(w, classes, elements)
	}
	return apperr.New(apperr.Invalid, "unknown template format "+format, "不支持的模板格式"+format).
		With("format", "must be xlsx, csv or json", "须为 xlsx、csv、json 之一")
}

// guide writes the 填写说明 sheet row by row and remembers where each code
// table's labels are, for the drop-down lists.
type guide struct {
	f     *excelize.File
	row   int
	bold  int
	title int
	lists map[string]string // column header -> range of allowed values
}

func (g *guide) line(style int, values ...any) error {
	g.row++
	cell, _ := excelize.CoordinatesToCellName(1, g.row)
	if err := g.f.SetSheetRow(sheetGuide, cell, &values); err != nil {
		return err
	}
	if style != 0 {
		end, _ := excelize.CoordinatesToCellName(max(len(values), 1), g.row)
		return g.f.SetCellStyle(sheetGuide, cell, end, style)
	}
	return nil
}

// table writes a titled table; listCol (1-based, 0 for none) is the column
// whose cells become the drop-down list of the data sheets' column header.
func (g *guide) table(title string, head []any, rows [][]any, header string, listCol int) error {
	g.row++
	if err := g.line(g.title, title); err != nil {
		return err
	}
	if err := g.line(g.bold, head...); err != nil {
		return err
	}
	first := g.row + 1
	for _, r := range rows {
		if err := g.line(0, r...); err != nil {
			return err
		}
	}
	if listCol > 0 && len(rows) > 0 {
		col, _ := excelize.ColumnNumberToName(listCol)
		g.lists[header] = fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheetGuide, col, first, col, g.row)
	}
	return nil
}

func codeRows(t []catalog.CodeEntry) [][]any {
	out := make([][]any, len(t))
	for i, e := range t {
		out[i] = []any{e.Code, e.ZH, e.EN}
	}
	return out
}

func writeTemplateXLSX(w io.Writer, classes []catalog.Classification, elements []catalog.Element) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", sheetResources); err != nil {
		return err
	}
	for _, s := range []string{sheetItems, sheetGuide} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	g := &guide{f: f, bold: bold, title: title, lists: map[string]string{}}
	if err := fillGuide(g, classes, elements); err != nil {
		return err
	}
	for _, sh := range []struct {
		name string
		cols []outCol
	}{{sheetResources, canonical(true, false, false)}, {sheetItems, canonical(false, true, false)}} {
		if err := dataSheet(f, sh.name, headers(sh.cols), bold, g.lists); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// dataSheet writes the header row of a data sheet: bold, frozen, with
// drop-down lists under the coded columns.
func dataSheet(f *excelize.File, sheet string, header []string, bold int, lists map[string]string) error {
	for j, h := range header {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetCellStr(sheet, col+"1", h); err != nil {
			return err
		}
		width := float64(len([]rune(h)))*2.2 + 2
		if err := f.SetColWidth(sheet, col, col, min(max(width, 12), 40)); err != nil {
			return err
		}
		var dv *excelize.DataValidation
		switch {
		case lists[h] != "":
			dv = excelize.NewDataValidation(true)
			dv.SetSqrefDropList(lists[h])
		case h == "是否必填" || h == "是否主键":
			dv = excelize.NewDataValidation(true)
			if err := dv.SetDropList([]string{"是", "否"}); err != nil {
				return err
			}
		default:
			continue
		}
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, excelize.TotalRows)
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	end, _ := excelize.CoordinatesToCellName(len(header), 1)
	if err := f.SetCellStyle(sheet, "A1", end, bold); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

var guideText = []string{
	"1. 每个数据资源在“" + sheetResources + "”工作表填一行,每个信息项在“" + sheetItems + "”工作表填一行,两者用“" + colKey + "”关联。" + colKey + "可以是任意不重复的文字,如 1、2、3。",
	"2. 第一行为表头,请勿修改列名;可以删除不需要的非必填列,也可以调整列的顺序。",
	"3. 带下拉列表的列可选择中文名称,也可直接填写代码(见下方代码表)。是/否列可填 是/否、Y/N、1/0、true/false。",
	"4. 日期按 YYYY-MM-DD 填写;多个关键词或关联资源代码用“;”“、”或“,”分隔。",
	"5. 导入时逐行校验。默认任何一行有误则整个文件不导入,并按工作表、行号、列名列出全部错误;选择“部分导入”时导入正确的行,有误的行连同“" + colErrors + "”另存为文件,修改后可再次导入。",
	"6. 导入的资源均为草稿,资源代码由平台按分类代码自动编号;分级(核心/重要/一般数据)和敏感级别由信息项的分类得出。",
	"7. 也可导入CSV文件(UTF-8、GBK或GB18030编码):每行一个信息项,资源列在同一资源的各行重复填写,以“" + colKey + "”归并。",
}

func fillGuide(g *guide, classes []catalog.Classification, elements []catalog.Element) error {
	f := g.f
	if err := f.SetColWidth(sheetGuide, "A", "A", 16); err != nil {
		return err
	}
	if err := f.SetColWidth(sheetGuide, "B", "F", 24); err != nil {
		return err
	}
	if err := g.line(g.title, "政务数据资源目录导入模板 填写说明"); err != nil {
		return err
	}
	for _, s := range guideText {
		if err := g.line(0, s); err != nil {
			return err
		}
	}
	var colRows [][]any
	colRows = append(colRows, []any{sheetResources + "/" + sheetItems, colKey, "是", "同一资源在两个工作表中的序号", "Row key", "—"})
	for _, c := range resourceColumns {
		if !c.info {
			colRows = append(colRows, []any{sheetResources, c.zh, yesNo(c.need), c.note, c.en, c.names[0]})
		}
	}
	for _, c := range itemColumns {
		colRows = append(colRows, []any{sheetItems, c.zh, yesNo(c.need), c.note, c.en, "items[]." + c.names[0]})
	}
	if err := g.table("列说明", []any{"工作表", "列名", "必填", "填写要求", "English", "JSON"}, colRows, "", 0); err != nil {
		return err
	}
	ex := example()
	resCols, itCols := canonical(true, false, false), canonical(false, true, false)
	exRes := [][]any{anys(cells(resCols, "1", ex, nil, ""))}
	if err := g.table("示例(仅供参考,请在“"+sheetResources+"”“"+sheetItems+"”工作表中填写)", anys(headers(resCols)), exRes, "", 0); err != nil {
		return err
	}
	var exItems [][]any
	for k := range ex.Items {
		exItems = append(exItems, anys(cells(itCols, "1", nil, &ex.Items[k], "")))
	}
	if err := g.table("示例信息项", anys(headers(itCols)), exItems, "", 0); err != nil {
		return err
	}
	codeHead := []any{"代码", "名称", "English"}
	for _, t := range []struct {
		title, header string
		table         []catalog.CodeEntry
	}{
		{"格式分类", "格式分类", catalog.FormatClasses}, {"共享类型", "共享类型", catalog.ShareTypes},
		{"共享方式", "共享方式", catalog.ShareMethods}, {"开放类型", "开放类型", catalog.OpenTypes},
		{"更新周期", "更新周期", catalog.UpdateCycles}, {"数据类型", "数据类型", catalog.DataTypes},
		{"分类(数据分类分级)", "分类", catalog.Categories}, {"敏感级别", "敏感级别", catalog.Sensitivities},
	} {
		listCol := 2
		if t.header == "敏感级别" {
			listCol = 1
		}
		if err := g.table(t.title, codeHead, codeRows(t.table), t.header, listCol); err != nil {
			return err
		}
	}
	names := map[string]string{}
	for _, c := range classes {
		names[c.Code] = c.Name
	}
	var classRows [][]any
	for _, c := range classes {
		if len(c.Code) != 6 && len(c.Code) != 9 {
			continue
		}
		lib := label(catalog.Libraries, c.Library)
		classRows = append(classRows, []any{c.Code + " " + c.Name, c.Code, c.Name, names[c.ParentCode], lib})
	}
	if err := g.table("分类代码", []any{"选项", "代码", "名称", "上级", "资源库"}, classRows, "分类代码", 1); err != nil {
		return err
	}
	var elRows [][]any
	for _, e := range elements {
		elRows = append(elRows, []any{e.Code, e.Name, e.NameEN, label(catalog.DataTypes, e.DataType), e.Length, e.Description})
	}
	if err := g.table("标准数据元", []any{"代码", "名称", "English", "数据类型", "长度", "说明"}, elRows, "标准数据元", 1); err != nil {
		return err
	}
	return nil
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = strings.TrimSpace(v)
	}
	return out
}

package demo

import "github.com/pubdata/pubdata/internal/catalog"

// PopulationName is the name of the provincial population resource of the
// province's public security department (省公安厅), the authoritative
// source of citizen ID numbers in 350000.
const PopulationName = "人口基本信息"

// PopulationItems are the data items of 人口基本信息, in order. Generators
// of demo population data write files with exactly these columns.
var PopulationItems = []catalog.DataItem{
	{Name: "公民身份号码", Code: "GMSFHM", DataType: "C", Length: 18, Required: true, PrimaryKey: true, Element: "DE00001", Category: "important", Sensitivity: "L4", Description: "GB 11643"},
	{Name: "姓名", Code: "XM", DataType: "C", Length: 50, Required: true, Element: "DE00002", Category: "general", Sensitivity: "L3"},
	{Name: "性别", Code: "XB", DataType: "C", Length: 1, Required: true, Element: "DE00003", Category: "general", Sensitivity: "L2", Description: "GB/T 2261.1"},
	{Name: "出生日期", Code: "CSRQ", DataType: "D", Length: 8, Required: true, Element: "DE00004", Category: "general", Sensitivity: "L3"},
	{Name: "民族", Code: "MZ", DataType: "C", Length: 2, Element: "DE00005", Category: "general", Sensitivity: "L2", Description: "GB/T 3304"},
	{Name: "户籍地址", Code: "HJDZ", DataType: "C", Length: 200, Element: "DE00006", Category: "general", Sensitivity: "L3"},
	{Name: "现住址", Code: "XZZ", DataType: "C", Length: 200, Category: "general", Sensitivity: "L3"},
	{Name: "手机号码", Code: "SJHM", DataType: "C", Length: 11, Element: "DE00007", Category: "general", Sensitivity: "L3"},
	{Name: "户籍地区划代码", Code: "HJDQHDM", DataType: "C", Length: 6, Element: "DE00011", Category: "general", Sensitivity: "L2", Description: "GB/T 2260"},
	{Name: "婚姻状况", Code: "HYZK", DataType: "C", Length: 2, Category: "general", Sensitivity: "L3", Description: "GB/T 2261.2"},
	{Name: "文化程度", Code: "WHCD", DataType: "C", Length: 2, Category: "general", Sensitivity: "L2", Description: "GB/T 4658"},
	{Name: "登记日期", Code: "DJRQ", DataType: "D", Length: 8, Category: "general", Sensitivity: "L1"},
}

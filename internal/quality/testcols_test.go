package quality

import "time"

// population are the columns of 人口基本信息 (the demo catalog resource).
var population = []Column{
	{Name: "公民身份号码", Code: "GMSFHM", DataType: "C", Length: 18, Required: true, PrimaryKey: true, Element: "DE00001"},
	{Name: "姓名", Code: "XM", DataType: "C", Length: 50, Required: true, Element: "DE00002"},
	{Name: "性别", Code: "XB", DataType: "C", Length: 1, Required: true, Element: "DE00003"},
	{Name: "出生日期", Code: "CSRQ", DataType: "D", Length: 8, Required: true, Element: "DE00004"},
	{Name: "民族", Code: "MZ", DataType: "C", Length: 2, Element: "DE00005"},
	{Name: "户籍地址", Code: "HJDZ", DataType: "C", Length: 200, Element: "DE00006"},
	{Name: "现住址", Code: "XZZ", DataType: "C", Length: 200},
	{Name: "手机号码", Code: "SJHM", DataType: "C", Length: 11, Element: "DE00007"},
	{Name: "户籍地区划代码", Code: "HJDQHDM", DataType: "C", Length: 6, Element: "DE00011"},
	{Name: "婚姻状况", Code: "HYZK", DataType: "C", Length: 2, Codes: "GB/T 2261.2"},
	{Name: "文化程度", Code: "WHCD", DataType: "C", Length: 2, Codes: "GB/T 4658"},
	{Name: "登记日期", Code: "DJRQ", DataType: "D", Length: 8},
}

// goodRow is a valid row of population.
var goodRow = []string{"350102199003071234", "林秀英", "1", "1990-03-07", "01",
	"福建省福州市鼓楼区五四路158号", "福建省福州市鼓楼区温泉街道东大路36号2幢301室", "13859012345", "350102", "20", "21", "2015-06-01"}

// testNow is the "today" of the tests.
var testNow = time.Date(2025, 6, 30, 12, 0, 0, 0, cst)

func init() {
	// Make goodRow's ID number valid: compute its check character.
	id := []byte(goodRow[0])
	id[17] = checkChar(string(id[:17]))
	goodRow[0] = string(id)
}

package quality

// Column describes one column of the table being checked: a data item
// (信息项) of a catalog resource.
type Column struct {
	Name string // header text, e.g. 公民身份号码
	Code string // item code, e.g. GMSFHM; rules may name a column by Name or Code
	// DataType is the catalog data type: C character, N numeric, Y
	// currency, D date, T date-time, L logical, I integer, F float (M, G,
	// B and "" are not checked).
	DataType string
	// Length is the maximum length: characters for C, digits for N, Y and
	// I. 0 means no limit. It is not used for D and T, whose formats are
	// fixed.
	Length   int
	Required bool
	// PrimaryKey columns together form the unique key of the table.
	PrimaryKey bool
	// Element is the standard data element code (DE00001 公民身份号码 ...).
	// Some elements imply rules: see Compile.
	Element string
	// Codes names a built-in code list (see LookupCodeList), such as
	// "GB/T 2261.2"; it implies an enum rule.
	Codes string
}

// Standard data elements that imply rules.
const (
	ElementIDNumber = "DE00001" // 公民身份号码: idcard rule
	ElementSex      = "DE00003" // 性别: GB/T 2261.1 code list
	ElementBirth    = "DE00004" // 出生日期: agrees with the ID number
	ElementEthnic   = "DE00005" // 民族: GB/T 3304 code list
	ElementMobile   = "DE00007" // 手机号码: mobile rule
	ElementUSCC     = "DE00008" // 统一社会信用代码: uscc rule
	ElementRegion   = "DE00011" // 行政区划代码: region rule
	ElementEmail    = "DE00014" // 电子邮箱: email rule
)

package ingest

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pubdata/pubdata/internal/quality"
)

// The quarantine file is CSV in UTF-8 with a byte order mark (so that
// Excel opens it correctly), CRLF line ends, and the columns 行号, the
// source's header, 错误原因 (the reasons in Chinese) and reasons (in
// English).

// appendField appends a CSV field, quoted when it needs to be.
func appendField(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if s == "" || strings.IndexAny(s, ",\"\r\n") < 0 && s[0] != ' ' && s[len(s)-1] != ' ' {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

// quarantineHeader is the first line of the quarantine file.
func quarantineHeader(header []string) []byte {
	b := []byte("\uFEFF行号")
	for _, h := range header {
		b = append(b, ',')
		b = appendField(b, h)
	}
	b = append(b, ",错误原因,reasons\r\n"...)
	return b
}

// reason is why a record was rejected.
type reason struct {
	rule   string // counted in Result.Rejections
	zh, en string
}

// appendQuarantine renders one rejected record: its row, its cells
// (width of them, padded) and its reasons.
func appendQuarantine(b []byte, row int64, cells []string, width int, reasons []reason) []byte {
	b = strconv.AppendInt(b, row, 10)
	for i := range width {
		b = append(b, ',')
		if i < len(cells) {
			b = appendField(b, cells[i])
		}
	}
	var zh, en strings.Builder
	for i, r := range reasons {
		if i > 0 {
			zh.WriteString("；")
			en.WriteString("; ")
		}
		zh.WriteString(r.zh)
		en.WriteString(r.en)
	}
	b = append(b, ',')
	b = appendField(b, zh.String())
	b = append(b, ',')
	b = appendField(b, en.String())
	return append(b, '\r', '\n')
}

// Reasons that are not rules of the resource.
var (
	reasonMalformed = reason{rule: "csv", zh: "CSV格式错误：引号使用不当", en: "malformed CSV: a quote is misplaced"}
	reasonUTF8      = reason{rule: "encoding", zh: "该行不是有效的UTF-8文本（文件可能混用了多种编码）", en: "the row is not valid UTF-8 text (the file may mix encodings)"}
	reasonExtra     = reason{rule: "extra_cell", zh: "该行在表头最后一列右侧有值", en: "the row has a value to the right of the last header column"}
	reasonFullDel   = reason{rule: "op", zh: "删除操作仅适用于增量加载", en: "a delete needs an incremental load"}
)

func reasonOp(op string) reason {
	return reason{rule: "op", zh: "操作列的值无效：" + op + "（应为D删除，或留空、I、U表示新增或修改）",
		en: "unknown operation " + strconv.Quote(op) + " (D deletes; blank, I or U inserts or updates)"}
}

func reasonKey(name string) reason {
	return reason{rule: "key", zh: name + "：删除操作须给出有效的主键值", en: name + ": a delete needs a valid key value"}
}

// reasonDuplicate is the reason of a row whose value in u's columns the
// row first already has.
func (l *loader) reasonDuplicate(u *uniqRule, first int64) reason {
	row := strconv.FormatInt(first, 10)
	if u.key {
		return reason{rule: u.name,
			zh: quality.KeyDuplicate.Text("zh") + "（第" + row + "行）",
			en: quality.KeyDuplicate.Text("en") + " (row " + row + ")"}
	}
	var names []string
	for _, c := range u.cols {
		names = append(names, l.spec.Columns[c].Name)
	}
	return reason{rule: u.name,
		zh: strings.Join(names, "、") + "：" + quality.KeyValueDuplicate.Text("zh") + "（第" + row + "行）",
		en: strings.Join(names, ", ") + ": " + quality.KeyValueDuplicate.Text("en") + " (row " + row + ")"}
}

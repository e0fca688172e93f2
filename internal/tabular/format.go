package tabular

import (
	"path"
	"strings"
)

// Format names a table file format.
type Format string

const (
	CSV    Format = "csv"
	TSV    Format = "tsv"
	XLSX   Format = "xlsx"
	JSON   Format = "json"
	NDJSON Format = "ndjson"
	// Parquet is read by internal/ingest (through DuckDB), not by this
	// package's readers.
	Parquet Format = "parquet"
)

// ParseFormat accepts a format name in any case, with or without a leading
// dot ("CSV", ".xlsx"), and "txt" and "jsonl" as aliases of tsv and ndjson
// (Excel's "Unicode text" export is a tab-separated .txt file).
func ParseFormat(s string) (Format, error) {
	switch f := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), ".")); f {
	case "csv", "tsv", "xlsx", "json", "ndjson", "parquet":
		return Format(f), nil
	case "txt", "tab":
		return TSV, nil
	case "jsonl":
		return NDJSON, nil
	case "xls":
		return "", invalidFile("format", nil,
			"Excel 97-2003 .xls files are not supported: save the file as .xlsx",
			"不支持 Excel 97-2003（.xls）文件，请另存为 .xlsx 文件")
	default:
		return "", invalidFile("format", nil,
			"unknown file format "+quote(s)+": use csv, tsv, xlsx, json, ndjson or parquet",
			"未知的文件格式"+quote(s)+"，请使用 csv、tsv、xlsx、json、ndjson 或 parquet")
	}
}

// FormatOf returns the format of a file from its name's extension.
func FormatOf(filename string) (Format, error) {
	return ParseFormat(path.Ext(strings.ReplaceAll(filename, `\`, "/")))
}

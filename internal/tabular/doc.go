// Package tabular reads and writes the table files that users of the
// platform exchange: CSV and TSV (UTF-8, UTF-8 with BOM, GBK, GB18030 and
// Excel's UTF-16 "Unicode text"), XLSX workbooks, JSON arrays of objects
// and NDJSON.
//
// # Reading
//
// Readers stream. CSV, TSV and NDJSON are read in constant memory (a few
// 256 KiB buffers and the current row), whatever the file's size. JSON
// arrays also hold the first HeaderSample objects, which make the header.
// XLSX is bounded by excelize: OpenXLSX holds the zipped file in memory
// (OpenXLSXFile does not), worksheets larger than 16 MB unzipped are
// spilled to temporary files, and the shared string table is held in
// memory (or, above 16 MB, indexed in memory and kept in a temporary file).
//
// A Reader yields a header and then data rows:
//
//   - The header of CSV and XLSX is the first row with at least two
//     non-blank cells among the first 100 non-blank rows, which skips the
//     title rows that often sit above a table; failing that (a table of one
//     column) it is the first non-blank row. CSVOptions.HeaderRow and
//     XLSXOptions.HeaderRow choose it instead. Header cells are trimmed of
//     white space and a BOM; trailing empty header cells are dropped.
//   - Row.Num is the 1-based physical position of the row in the source:
//     the line on which the record starts for CSV/TSV (a header on the
//     first line is 1; a quoted cell spanning lines makes later numbers
//     larger than Excel's row numbers), the sheet row for XLSX, the line
//     for NDJSON and the 1-based object index for JSON arrays.
//   - Row.Cells has exactly len(Header()) cells: short rows are padded with
//     "", blank cells past the header are dropped, and a non-blank cell
//     past the header is an error. Data cells are never trimmed or altered,
//     except that encoding/csv turns CRLF inside a quoted cell into LF.
//   - Rows whose cells are all blank are skipped; Row.Num keeps counting,
//     so numbers may have gaps.
//
// # Errors
//
// Problems with the data are *apperr.Error values of kind apperr.Invalid
// with English and Chinese messages naming the row ("row 12" / "第12行",
// "record 12" / "第12条记录" for JSON arrays, "line 12" for text that is not
// valid UTF-8) and the column where known. The location is also in the
// error's chain as a *PosError, for import reports. After an error about
// one row, Reader.Next goes on with the next row, so that an import can
// keep the good rows and report the bad ones. I/O errors are returned
// wrapped, not as *apperr.Error.
//
// # Encodings
//
// GBK is decoded with the GB18030 decoder: GB18030 is a superset of GBK,
// and x/text's GBK decoder silently mangles the 4-byte sequences that rare
// name characters (such as 𠮷) need. A UTF-8 or UTF-16 byte order mark
// overrides the encoding asked for, so that a UTF-8 file sent as "GBK" is
// not imported as 锘-prefixed mojibake. UTF-8 input is validated as it
// streams, so a GBK line in a file detected as UTF-8 is reported instead
// of imported as garbage.
//
// # Writing
//
// Writers take strings. CSV is written with CRLF line ends, in UTF-8 with a
// BOM by default (Excel needs it); XLSX cells are written as text, so codes
// such as "0371" and 18-digit ID numbers keep every digit; JSON values are
// strings.
package tabular

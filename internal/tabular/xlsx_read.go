package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// XLSXOptions control OpenXLSX.
type XLSXOptions struct {
	// HeaderRow is the 1-based sheet row of the header; 0 finds it, as
	// described in the package documentation.
	HeaderRow int
	// MaxUnzipped limits the total unzipped size of the workbook in
	// bytes, against zip bombs; 0 keeps excelize's default (16 GB).
	MaxUnzipped int64
	// TmpDir is where worksheets larger than 16 MB unzipped are spilled;
	// "" is the system's temporary directory.
	TmpDir string
}

// Workbook is an XLSX file open for reading. Close it to remove the
// temporary files of big worksheets.
type Workbook struct {
	f        *excelize.File
	opts     XLSXOptions
	date1904 bool
}

// oleMagic starts Excel 97-2003 .xls files and encrypted workbooks.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// OpenXLSX opens a workbook of size bytes read from r. excelize takes a
// workbook from an io.Reader only, so the (compressed) file is held in
// memory; use OpenXLSXFile for files on disk.
func OpenXLSX(r io.ReaderAt, size int64, opts XLSXOptions) (*Workbook, error) {
	if err := checkZip(r, size); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelOptions(opts))
	return newWorkbook(f, err, opts)
}

// OpenXLSXFile opens the workbook at path, reading it in place.
func OpenXLSXFile(path string, opts XLSXOptions) (*Workbook, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tabular: %w", err)
	}
	fi, err := file.Stat()
	if err == nil {
		err = checkZip(file, fi.Size())
	}
	_ = file.Close()
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelOptions(opts))
	return newWorkbook(f, err, opts)
}

func excelOptions(opts XLSXOptions) excelize.Options {
	return excelize.Options{RawCellValue: true, UnzipSizeLimit: opts.MaxUnzipped, TmpDir: opts.TmpDir}
}

// checkZip refuses, with a helpful message, what is not a zip file.
func checkZip(r io.ReaderAt, size int64) error {
	var head [8]byte
	n, _ := r.ReadAt(head[:], 0)
	if bytes.Equal(head[:n], oleMagic) {
		return oldOrEncrypted(nil)
	}
	if n < 4 || !bytes.Equal(head[:2], []byte("PK")) || size < 22 {
		return notXLSX(nil)
	}
	return nil
}

func oldOrEncrypted(cause error) error {
	return invalidFile("file", cause,
		"this is an Excel 97-2003 .xls file or a password-protected workbook: save it as .xlsx without a password",
		"这是 Excel 97-2003（.xls）文件或设置了密码的工作簿：请另存为不加密的 .xlsx 文件")
}

func notXLSX(cause error) error {
	return invalidFile("file", cause, "the file is not a valid XLSX workbook", "文件不是有效的 XLSX 工作簿")
}

func newWorkbook(f *excelize.File, err error, opts XLSXOptions) (*Workbook, error) {
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		if strings.HasPrefix(err.Error(), "unzip size exceeds") { // excelize has no error value for it
			return nil, invalidFile("file", err, "the workbook is too large when unzipped", "工作簿解压后过大")
		}
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || errors.Is(err, excelize.ErrWorkbookPassword) {
			return nil, oldOrEncrypted(err)
		}
		return nil, notXLSX(err)
	}
	wb := &Workbook{f: f, opts: opts}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		wb.date1904 = *props.Date1904
	}
	return wb, nil
}

// Sheets returns the names of the worksheets in workbook order.
func (wb *Workbook) Sheets() []string { return wb.f.GetSheetList() }

// Date1904 reports whether the workbook counts dates from 1904 (old Mac
// Excel) rather than 1900.
func (wb *Workbook) Date1904() bool { return wb.date1904 }

// Time converts a date cell of this workbook, read raw as a serial number,
// to a time: see ExcelTime.
func (wb *Workbook) Time(serial string) (time.Time, error) { return ExcelTime(serial, wb.date1904) }

// Close removes the workbook's temporary files.
func (wb *Workbook) Close() error { return wb.f.Close() }

// Sheet returns a Reader of the named sheet, "" for the first. Cells are
// raw values: numbers and dates as stored (dates as serial numbers: see
// ExcelTime), booleans as "1" and "0", formulas as their cached results.
func (wb *Workbook) Sheet(name string) (Reader, error) {
	if name == "" {
		if list := wb.f.GetSheetList(); len(list) > 0 {
			name = list[0]
		}
	}
	if idx, err := wb.f.GetSheetIndex(name); err != nil || idx < 0 {
		return nil, invalidFile("sheet", err, "the workbook has no sheet "+quote(name), "工作簿中没有名为"+quote(name)+"的工作表")
	}
	rows, err := wb.f.Rows(name)
	if err != nil {
		return nil, notXLSX(err)
	}
	t := &table{src: &xlsxSource{rows: rows, sheet: name}, sheet: name}
	if err := t.findHeader(wb.opts.HeaderRow); err != nil {
		_ = rows.Close()
		return nil, err
	}
	return t, nil
}

// xlsxSource yields the rows of a sheet.
type xlsxSource struct {
	rows  *excelize.Rows
	sheet string
	num   int // sheet row last read
	done  bool
}

// read returns the next row. excelize yields every row number, empty
// rows included, and a new slice for each row.
func (x *xlsxSource) read(bool) (Row, error) {
	if x.done {
		return Row{}, io.EOF
	}
	if !x.rows.Next() {
		x.done = true
		if err := x.rows.Error(); err != nil {
			return Row{}, x.sheetError(err)
		}
		return Row{}, io.EOF
	}
	x.num++
	cells, err := x.rows.Columns()
	if err != nil {
		x.done = true
		return Row{}, x.sheetError(err)
	}
	return Row{Num: x.num, Cells: cells}, nil
}

func (x *xlsxSource) sheetError(err error) error {
	l := loc{sheet: x.sheet, n: x.num + 1}
	if errors.Is(err, excelize.ErrMaxRows) {
		return invalidAt(l, err, "the sheet has more rows than Excel allows (1,048,576)", "工作表行数超过 Excel 上限（1,048,576行）")
	}
	return invalidAt(l, err, "the sheet cannot be read", "无法读取该工作表")
}

func (x *xlsxSource) close() error {
	if err := x.rows.Close(); err != nil {
		return fmt.Errorf("tabular: close sheet: %w", err)
	}
	return nil
}

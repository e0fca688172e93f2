package catalogio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/pubdata/pubdata/internal/apperr"
)

// maxUnzipped bounds the unzipped size of each part of an imported
// workbook (a zip bomb guard): 100,000 resources with 10 items each take
// about 1 GB.
const maxUnzipped = 4 << 30

// oleMagic starts Excel 97-2003 .xls files and encrypted workbooks.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func notWorkbook(err error) error {
	e := apperr.New(apperr.Invalid, "the file is not an XLSX workbook", "文件不是有效的XLSX工作簿").
		With("file", "save the file as Excel Workbook (.xlsx)", "请另存为 Excel 工作簿(.xlsx)")
	e.Err = err
	return e
}

// readerAt gives random access to r: a file in place, anything else read
// into memory (a zip's directory is at its end).
func readerAt(r io.Reader) (io.ReaderAt, int64, error) {
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			off, err := f.Seek(0, io.SeekCurrent)
			if err == nil {
				return io.NewSectionReader(f, off, st.Size()-off), st.Size() - off, nil
			}
		}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, 0, fmt.Errorf("read workbook: %w", err)
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

// readXLSX reads a workbook in the template layout, or a workbook whose
// only data sheet has one row per item like a CSV file.
func (b *batch) readXLSX(rd *reader, r io.Reader, resSheet string) error {
	ra, size, err := readerAt(r)
	if err != nil {
		return err
	}
	head := make([]byte, 8)
	if n, _ := ra.ReadAt(head, 0); bytes.Equal(head[:n], oleMagic) {
		return apperr.New(apperr.Invalid, "this is an Excel 97-2003 .xls file or a password-protected workbook",
			"这是 Excel 97-2003(.xls)文件或设置了密码的工作簿").
			With("file", "save it as .xlsx without a password", "请另存为不加密的 .xlsx 文件")
	}
	wb, err := openWorkbook(ra, size, maxUnzipped)
	if err != nil {
		return notWorkbook(err)
	}
	b.lk.date1904 = wb.date1904
	if resSheet == "" {
		resSheet = sheetResources
	}
	if !slices.Contains(wb.sheets, resSheet) {
		// One data sheet: the flat layout.
		data := slices.DeleteFunc(slices.Clone(wb.sheets), func(s string) bool { return s == sheetGuide })
		if len(data) != 1 {
			return apperr.New(apperr.Invalid, "the workbook has no sheet "+resSheet, "工作簿中没有“"+resSheet+"”工作表").
				With("sheet", "use the template: sheets "+sheetResources+" and "+sheetItems, "请使用模板:工作表“"+sheetResources+"”和“"+sheetItems+"”")
		}
		src, err := wb.sheet(data[0])
		if err != nil {
			return notWorkbook(err)
		}
		defer src.close()
		ahead := scanAhead(src)
		defer ahead.close()
		return sheetErr(b.readFlat(rd, ahead, data[0]))
	}
	res, err := wb.sheet(resSheet)
	if err != nil {
		return notWorkbook(err)
	}
	defer res.close()
	resAhead := scanAhead(res)
	defer resAhead.close()
	var items rowSource
	if slices.Contains(wb.sheets, sheetItems) {
		it, err := wb.sheet(sheetItems)
		if err != nil {
			return notWorkbook(err)
		}
		defer it.close()
		ahead := scanAhead(it)
		defer ahead.close()
		items = ahead
	}
	return sheetErr(b.readTwoSheets(rd, resAhead, resSheet, items, sheetItems))
}

// sheetErr turns what the sheet scanner fails on into an Invalid error;
// application errors and cancellation pass.
func sheetErr(err error) error {
	var ae *apperr.Error
	if err == nil || errors.As(err, &ae) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, errTooBig) {
		e := apperr.New(apperr.Invalid, "the workbook is too large when unzipped", "工作簿解压后过大")
		e.Err = err
		return e
	}
	return notWorkbook(err)
}

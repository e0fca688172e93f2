package catalogio

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// workbook is an XLSX file open for streaming its sheets.
type workbook struct {
	z        *zip.Reader
	files    map[string]*zip.File // by lower-case name
	sheets   []string             // names in workbook order
	paths    map[string]string    // sheet name -> part name
	sst      []string
	date1904 bool
	budget   int64 // unzipped bytes still allowed
}

// openWorkbook reads the workbook structure and shared strings of an XLSX
// file; at most limit bytes are unzipped in all.
func openWorkbook(r io.ReaderAt, size int64, limit int64) (*workbook, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, err
	}
	wb := &workbook{z: z, files: map[string]*zip.File{}, paths: map[string]string{}, budget: limit}
	for _, f := range z.File {
		wb.files[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	main := "xl/workbook.xml"
	if rels, err := wb.rels("_rels/.rels", ""); err == nil {
		for _, rel := range rels {
			if strings.HasSuffix(rel.Type, "/officeDocument") {
				main = rel.Target
			}
		}
	}
	var doc struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := wb.decode(main, &doc); err != nil {
		return nil, err
	}
	wb.date1904 = doc.Pr.Date1904 == "1" || doc.Pr.Date1904 == "true"
	dir := path.Dir(main)
	rels, err := wb.rels(path.Join(dir, "_rels", path.Base(main)+".rels"), dir)
	if err != nil {
		return nil, err
	}
	byID := map[string]string{}
	sstPath := ""
	for _, rel := range rels {
		byID[rel.ID] = rel.Target
		if strings.HasSuffix(rel.Type, "/sharedStrings") {
			sstPath = rel.Target
		}
	}
	for _, s := range doc.Sheets {
		if p, ok := byID[s.ID]; ok {
			wb.sheets = append(wb.sheets, s.Name)
			wb.paths[s.Name] = p
		}
	}
	if sstPath != "" {
		f, ok := wb.files[strings.ToLower(sstPath)]
		if ok {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			wb.sst, err = readSharedStrings(rc, wb.budget)
			rc.Close()
			if err != nil {
				return nil, fmt.Errorf("shared strings: %w", err)
			}
			wb.budget -= int64(f.UncompressedSize64)
		}
	}
	return wb, nil
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
	Mode   string `xml:"TargetMode,attr"`
}

// rels reads a relationships part; targets are resolved against dir.
func (wb *workbook) rels(name, dir string) ([]relationship, error) {
	var doc struct {
		Rels []relationship `xml:"Relationship"`
	}
	if err := wb.decode(name, &doc); err != nil {
		return nil, err
	}
	out := doc.Rels[:0]
	for _, r := range doc.Rels {
		if r.Mode == "External" {
			continue
		}
		if strings.HasPrefix(r.Target, "/") {
			r.Target = strings.TrimPrefix(r.Target, "/")
		} else {
			r.Target = path.Join(dir, r.Target)
		}
		out = append(out, r)
	}
	return out, nil
}

// decode unmarshals a small XML part.
func (wb *workbook) decode(name string, v any) error {
	f, ok := wb.files[strings.ToLower(name)]
	if !ok {
		return fmt.Errorf("part %s is missing", name)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
	if err != nil {
		return err
	}
	return xml.NewDecoder(bytes.NewReader(data)).Decode(v)
}

// sheet opens a worksheet for streaming.
func (wb *workbook) sheet(name string) (*xlsxRows, error) {
	f, ok := wb.files[strings.ToLower(wb.paths[name])]
	if !ok {
		return nil, fmt.Errorf("sheet %s: part %s is missing", name, wb.paths[name])
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &xlsxRows{rc: rc, scan: newSheetScan(rc, wb.sst, wb.budget)}, nil
}

// xlsxRows is a worksheet as a rowSource: non-blank rows with their sheet
// row numbers.
type xlsxRows struct {
	rc   io.ReadCloser
	scan *sheetScan
}

func (x *xlsxRows) next() (int, []string, error) {
	for {
		row, cells, err := x.scan.nextRow()
		if err != nil {
			return 0, nil, err
		}
		if !blank(cells) {
			return row, cells, nil
		}
	}
}

func (x *xlsxRows) close() error { return x.rc.Close() }

// rowBatch is a run of rows scanned ahead.
type rowBatch struct {
	nums  []int
	cells [][]string
	err   error // after the last row: io.EOF or what stopped the scan
}

// aheadRows scans a sheet in its own goroutine, a few batches ahead of
// the reader, so that unzipping and scanning overlap with building
// entries on a second core.
type aheadRows struct {
	ch   chan rowBatch
	stop chan struct{}
	done chan struct{}
	cur  rowBatch
	i    int
}

const aheadBatch = 512

func scanAhead(src *xlsxRows) *aheadRows {
	a := &aheadRows{ch: make(chan rowBatch, 4), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		defer close(a.ch)
		for {
			var b rowBatch
			for len(b.nums) < aheadBatch {
				n, cells, err := src.next()
				if err != nil {
					b.err = err
					break
				}
				b.nums, b.cells = append(b.nums, n), append(b.cells, cells)
			}
			select {
			case a.ch <- b:
			case <-a.stop:
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	return a
}

func (a *aheadRows) next() (int, []string, error) {
	for a.i >= len(a.cur.nums) {
		if a.cur.err != nil {
			return 0, nil, a.cur.err
		}
		b, ok := <-a.ch
		if !ok {
			return 0, nil, io.EOF
		}
		a.cur, a.i = b, 0
	}
	a.i++
	return a.cur.nums[a.i-1], a.cur.cells[a.i-1], nil
}

// close stops the scan and waits for it.
func (a *aheadRows) close() {
	close(a.stop)
	<-a.done
}

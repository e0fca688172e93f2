package catalogio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pubdata/pubdata/internal/catalog"
)

// writeRejects keeps the rejected rows of a partial import in a file of the
// input's format and layout, with a 错误说明 column, under
// dataDir/rejects/<timestamp>-<name>, and returns its path.
func (t *Transfer) writeRejects(rej *batch, opts catalog.ImportOptions) (string, error) {
	dir := filepath.Join(t.dataDir, "rejects")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("create rejects directory: %w", err)
	}
	base := rejectsName(opts.Filename, rej.format)
	stamp := t.now().Format("20060102-150405")
	var f *os.File
	var err error
	for n := 1; ; n++ {
		name := stamp + "-" + base
		if n > 1 {
			name = fmt.Sprintf("%s-%d-%s", stamp, n, base)
		}
		f, err = os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		if !errors.Is(err, fs.ErrExist) || n > 1000 {
			break
		}
	}
	if err != nil {
		return "", fmt.Errorf("create rejects file: %w", err)
	}
	if err := rej.writeRejected(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", fmt.Errorf("write rejects file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write rejects file: %w", err)
	}
	return f.Name(), nil
}

// rejectsName is a safe file name for the rejects of filename.
func rejectsName(filename, format string) string {
	base := filepath.Base(strings.ReplaceAll(filename, `\`, "/"))
	base = strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, base)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	if base == "" || base == "." || base == ".." {
		base = "catalog"
	}
	return base + ".rejects." + format
}

// messages joins the errors of entry e on one row for the 错误说明 column;
// sheet "" and row 0 take every error.
func (e *entry) messages(sheet string, row int) string {
	var parts []string
	for _, x := range e.errs {
		if row != 0 && (x.Sheet != sheet || x.Row != row) {
			continue
		}
		if x.Column != "" {
			parts = append(parts, x.Column+":"+x.ZH)
		} else {
			parts = append(parts, x.ZH)
		}
	}
	return strings.Join(parts, ";")
}

// writeRejected writes the rejected entries of b in b's input layout.
func (b *batch) writeRejected(w io.Writer) error {
	if b.format != "json" && b.res == nil {
		return errors.New("no rows were read")
	}
	switch {
	case b.format == "json":
		a := newJSONArray(w)
		for i := range b.rs {
			v := struct {
				resourceIn
				Errors []string `json:"错误说明"`
			}{inputOf(&b.rs[i]), nil}
			for _, x := range b.ents[i].errs {
				v.Errors = append(v.Errors, x.Column+":"+x.ZH)
			}
			if err := a.add(v); err != nil {
				return err
			}
		}
		return a.finish()
	case b.res == b.item: // one table, one row per item
		cols := fromLayout(b.res)
		var out sheetWriter
		var done func() error
		if b.format == "csv" {
			t, err := newCSVTable(w, headers(cols))
			if err != nil {
				return err
			}
			out, done = t, t.finish
		} else {
			bk, err := newBook()
			if err != nil {
				return err
			}
			s, err := bk.sheet(b.res.sheet, headers(cols))
			if err != nil {
				return err
			}
			out, done = s, func() error { return bk.finish(w) }
		}
		for i := range b.rs {
			if err := b.flatRows(i, cols, out); err != nil {
				return err
			}
		}
		return done()
	default: // the template's two sheets
		bk, err := newBook()
		if err != nil {
			return err
		}
		resCols := fromLayout(b.res)
		rs, err := bk.sheet(b.res.sheet, headers(resCols))
		if err != nil {
			return err
		}
		var itCols []outCol
		var is *bookSheet
		if b.item != nil {
			itCols = fromLayout(b.item)
			if is, err = bk.sheet(b.item.sheet, headers(itCols)); err != nil {
				return err
			}
		}
		for i := range b.rs {
			e, r := &b.ents[i], &b.rs[i]
			if !e.orphan {
				row := e.rawRes
				msg := e.messages(b.res.sheet, e.row)
				if row != nil {
					err = rs.row(rawCells(resCols, row, msg))
				} else {
					err = rs.row(cells(resCols, e.key, r, nil, msg))
				}
				if err != nil {
					return err
				}
			}
			if is == nil {
				continue
			}
			for k := range r.Items {
				msg := e.messages(b.item.sheet, e.itemRows[k])
				if raw, ok := e.rawItems[k]; ok {
					err = is.row(rawCells(itCols, raw, msg))
				} else {
					err = is.row(cells(itCols, e.key, nil, &r.Items[k], msg))
				}
				if err != nil {
					return err
				}
			}
		}
		return bk.finish(w)
	}
}

// flatRows writes the rows of rejected entry i in a one-table layout: the
// rows as read where they had an error, rebuilt from the entry otherwise.
func (b *batch) flatRows(i int, cols []outCol, out sheetWriter) error {
	e, r := &b.ents[i], &b.rs[i]
	sheet := b.res.sheet
	firstHasItem := len(e.itemRows) > 0 && e.itemRows[0] == e.row
	if !firstHasItem && !e.orphan {
		msg := e.messages(sheet, e.row)
		var err error
		if e.rawRes != nil {
			err = out.row(rawCells(cols, e.rawRes, msg))
		} else {
			err = out.row(cells(cols, e.key, r, nil, msg))
		}
		if err != nil {
			return err
		}
	}
	for k := range r.Items {
		row := e.itemRows[k]
		msg := e.messages(sheet, row)
		raw, ok := e.rawItems[k]
		if !ok && row == e.row {
			raw = e.rawRes
		}
		var err error
		if raw != nil {
			err = out.row(rawCells(cols, raw, msg))
		} else {
			err = out.row(cells(cols, e.key, r, &r.Items[k], msg))
		}
		if err != nil {
			return err
		}
	}
	for _, row := range slices.Sorted(maps.Keys(e.extra)) {
		if err := out.row(rawCells(cols, e.extra[row], e.messages(sheet, row))); err != nil {
			return err
		}
	}
	return nil
}

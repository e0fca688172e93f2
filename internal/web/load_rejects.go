package web

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/tabular"
)

// loadRejectsCSV downloads a load's rejected rows as kept: CSV in UTF-8
// with a BOM, the source row number, the source's columns and the
// reasons.
func (p *portal) loadRejectsCSV(w http.ResponseWriter, r *http.Request) error {
	return p.loadRejects(w, r, "csv", "text/csv; charset=utf-8", func(w io.Writer, f io.Reader) error {
		_, err := io.Copy(w, f)
		return err
	})
}

// loadRejectsXLSX downloads a load's rejected rows as a workbook.
func (p *portal) loadRejectsXLSX(w http.ResponseWriter, r *http.Request) error {
	sheet := p.t(r, "load.rejects.sheet")
	return p.loadRejects(w, r, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		func(w io.Writer, f io.Reader) error { return rejectsXLSX(w, f, sheet) })
}

// loadRejects streams the quarantine of a load through conv. Once the
// download has started an error can no longer become an error page: it
// is logged and the download ends short.
func (p *portal) loadRejects(w http.ResponseWriter, r *http.Request, ext, contentType string, conv func(io.Writer, io.Reader) error) error {
	if p.Aggregate == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	f, l, err := p.Aggregate.Rejects(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="rejects-%s.%s"`, l.ID, ext))
	h.Set("Cache-Control", "no-store")
	if err := conv(w, f); err != nil {
		p.Log.Error("rejects download interrupted", "error", err, "load", l.ID, "format", ext)
	}
	return nil
}

// rejectsXLSX converts a quarantine CSV into one XLSX sheet, row by row.
func rejectsXLSX(w io.Writer, f io.Reader, sheet string) error {
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	xw := tabular.NewXLSXWriter(w, sheet)
	header, err := cr.Read()
	if err != nil && err != io.EOF {
		return err
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	if err := xw.WriteHeader(header); err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := xw.WriteRow(rec); err != nil {
			return err
		}
	}
	return xw.Close()
}

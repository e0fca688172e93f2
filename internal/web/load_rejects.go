package web

import (
	"fmt"
	"io"
	"net/http"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apperr"
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
		func(w io.Writer, f io.Reader) error { return aggregate.WriteRejectsXLSX(w, f, sheet) })
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

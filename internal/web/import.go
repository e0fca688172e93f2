package web

import (
	"bytes"
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/catalog"
)

type importView struct {
	Filename string
	Partial  bool
	Encoding string
	Reason   string
	Error    *errorView
	Report   *catalog.ImportReport
	Refused  bool // nothing was imported because rows were invalid
}

// Encodings are the CSV encodings one may name instead of detecting one.
func (importView) Encodings() []string { return []string{"UTF-8", "GB18030", "GBK"} }

// importForm shows the upload form.
func (p *portal) importForm(w http.ResponseWriter, r *http.Request) error {
	return p.render(w, r, http.StatusOK, "import", "import.title", importView{})
}

// importFile imports an uploaded XLSX, CSV or JSON catalog file and shows
// the report with every row error.
func (p *portal) importFile(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := importView{Partial: r.PostFormValue("partial") != "", Encoding: r.PostFormValue("encoding"),
		Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	fail := func(e *apperr.Error) error {
		ev := newErrorView(state(r).lang, e)
		v.Error = &ev
		return p.render(w, r, http.StatusBadRequest, "import", "import.title", v)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail(appErr(apperr.Invalid, "import.nofile"))
	}
	defer file.Close()
	v.Filename = path.Base(hdr.Filename)
	format := strings.TrimPrefix(strings.ToLower(path.Ext(v.Filename)), ".")
	if format != "xlsx" && format != "csv" && format != "json" {
		return fail(appErr(apperr.Invalid, "import.badformat"))
	}
	rep, err := p.Transfer.Import(r.Context(), file, format, catalog.ImportOptions{
		Partial: v.Partial, Encoding: v.Encoding, Reason: v.Reason, Filename: v.Filename})
	if apperr.KindOf(err) == apperr.Invalid {
		return fail(apperr.As(err))
	}
	if err != nil {
		return err
	}
	v.Report = rep
	status := http.StatusOK
	if rep.Imported == 0 && rep.Rejected > 0 {
		v.Refused, status = true, http.StatusBadRequest
	}
	return p.render(w, r, status, "import", "import.title", v)
}

// importTemplate downloads the XLSX import template.
func (p *portal) importTemplate(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	if err := p.Transfer.Template(&buf, "xlsx"); err != nil {
		return fmt.Errorf("import template: %w", err)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="catalog-template.xlsx"`)
	_, err := w.Write(buf.Bytes())
	return err
}

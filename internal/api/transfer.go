package api

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/catalog"
)

// maxImportBody bounds an uploaded catalog file.
const maxImportBody = 512 << 20

var contentTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
	"json": "application/json",
}

// formatOf picks the file format from ?format= or the Content-Type.
func formatOf(r *http.Request) (format, charset string, err error) {
	format = r.URL.Query().Get("format")
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	charset = params["charset"]
	if format == "" {
		switch mt {
		case contentTypes["xlsx"]:
			format = "xlsx"
		case "text/csv":
			format = "csv"
		case "application/json":
			format = "json"
		}
	}
	if _, ok := contentTypes[format]; !ok {
		return "", "", apperr.New(apperr.Invalid, "unknown file format", "无法识别的文件格式").
			With("format", "use ?format=xlsx|csv|json or the matching Content-Type", "请用 ?format=xlsx|csv|json 或相应的 Content-Type")
	}
	return format, charset, nil
}

func (s *Server) importCatalog(w http.ResponseWriter, r *http.Request) error {
	format, charset, err := formatOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	opts := catalog.ImportOptions{Partial: q.Get("partial") == "true", Encoding: firstNonEmpty(q.Get("encoding"), charset),
		Sheet: q.Get("sheet"), Reason: q.Get("reason"), Filename: q.Get("filename")}
	rep, err := s.Transfer.Import(r.Context(), http.MaxBytesReader(w, r.Body, maxImportBody), format, opts)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if rep.Imported == 0 && rep.Rejected > 0 {
		// Nothing was imported: the whole file is refused, every error listed.
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"error":  errorDetail{Code: apperr.Invalid, Message: fmt.Sprintf("%d of %d rows are invalid; nothing was imported", rep.Rejected, rep.Rows), ZH: fmt.Sprintf("%d行中有%d行有误,未导入任何数据", rep.Rows, rep.Rejected), Fields: rowFields(rep.Errors)},
			"report": rep})
		return nil
	}
	writeJSON(w, status, rep)
	return nil
}

func rowFields(errs []catalog.RowError) []apperr.FieldError {
	out := make([]apperr.FieldError, 0, len(errs))
	for _, e := range errs {
		f := fmt.Sprintf("%s row %d", e.Sheet, e.Row)
		if e.Column != "" {
			f += " column " + e.Column
		}
		out = append(out, apperr.FieldError{Field: strings.TrimSpace(f), Message: e.Message, ZH: e.ZH})
	}
	return out
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func (s *Server) exportCatalog(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "xlsx"
	}
	if _, ok := contentTypes[format]; !ok {
		return apperr.New(apperr.Invalid, "unknown export format", "不支持的导出格式").With("format", "must be xlsx, csv or json", "须为 xlsx、csv、json 之一")
	}
	lq, err := ListQuery(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentTypes[format])
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="catalog.%s"`, format))
	return s.Transfer.Export(r.Context(), w, format, lq)
}

func (s *Server) template(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "xlsx"
	}
	if _, ok := contentTypes[format]; !ok {
		return apperr.New(apperr.Invalid, "unknown template format", "不支持的模板格式").With("format", "must be xlsx, csv or json", "须为 xlsx、csv、json 之一")
	}
	w.Header().Set("Content-Type", contentTypes[format])
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="catalog-template.%s"`, format))
	return s.Transfer.Template(w, format)
}

func (s *Server) reindex(w http.ResponseWriter, r *http.Request) error {
	n, err := s.Catalog.Reindex(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"indexed": n})
	return nil
}

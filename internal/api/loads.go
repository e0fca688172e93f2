package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/tabular"
)

// loadFormats maps a load body's media type to its format.
var loadFormats = map[string]tabular.Format{
	"text/csv":                  tabular.CSV,
	"text/tab-separated-values": tabular.TSV,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": tabular.XLSX,
	"application/json":               tabular.JSON,
	"application/x-ndjson":           tabular.NDJSON,
	"application/ndjson":             tabular.NDJSON,
	"application/jsonl":              tabular.NDJSON,
	"application/vnd.apache.parquet": tabular.Parquet,
	"application/x-parquet":          tabular.Parquet,
}

// uploadOf reads a load's format, encoding and options from the request:
// ?format= and ?encoding= override the Content-Type and its charset.
func uploadOf(r *http.Request, kind string) (aggregate.Upload, error) {
	q := r.URL.Query()
	up := aggregate.Upload{Body: r.Body, Name: q.Get("name"), Sheet: q.Get("sheet"), Mode: records.Mode(q.Get("mode")),
		Kind: kind, IdempotencyKey: r.Header.Get("Idempotency-Key")}
	var errs apperr.Fields
	ct := r.Header.Get("Content-Type")
	if ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			errs.Add("Content-Type", "malformed Content-Type "+strconv.Quote(ct), "Content-Type 格式错误："+ct)
		} else if f, ok := loadFormats[mt]; ok {
			up.Format = f
			up.Encoding = encodingOf(params["charset"])
		} else if mt != "application/octet-stream" {
			errs.Add("Content-Type", "unsupported Content-Type "+mt+": use text/csv, text/tab-separated-values, "+
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json, application/x-ndjson or application/vnd.apache.parquet",
				"不支持的 Content-Type："+mt+"，可用 text/csv、text/tab-separated-values、XLSX、application/json、application/x-ndjson、application/vnd.apache.parquet")
		}
	}
	if f := q.Get("format"); f != "" {
		up.Format = tabular.Format(strings.ToLower(f))
	}
	if e := q.Get("encoding"); e != "" {
		up.Encoding = encodingOf(e)
	}
	if up.Name == "" {
		up.Name = "upload"
		if up.Format != "" {
			up.Name += "." + string(up.Format)
		}
	}
	if v := q.Get("header_row"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			errs.Add("header_row", "header_row must be a line number between 1 and 1000", "header_row 须为1到1000之间的行号")
		}
		up.HeaderRow = n
	}
	if v := q.Get("mapping"); v != "" {
		if err := json.Unmarshal([]byte(v), &up.Mapping); err != nil {
			errs.Add("mapping", `mapping must be a JSON object of source header to data item, e.g. {"身份证号":"公民身份号码"}`,
				`mapping 须为“源列名:数据项”的JSON对象，如 {"身份证号":"公民身份号码"}`)
		}
	}
	return up, errs.Err()
}

// encodingOf normalises a charset name; an unknown one is passed on for
// the service to refuse by name.
func encodingOf(cs string) tabular.Encoding {
	switch strings.ToLower(strings.TrimSpace(cs)) {
	case "":
		return ""
	case "utf-8", "utf8":
		return tabular.UTF8
	case "gbk", "gb2312", "cp936", "windows-936":
		return tabular.GBK
	case "gb18030":
		return tabular.GB18030
	}
	return tabular.Encoding(strings.ToLower(cs))
}

// limitBody refuses a body declared longer than limit before reading a
// byte of it, and cuts a body of unknown length (chunked) off at limit.
func limitBody(w http.ResponseWriter, r *http.Request, limit int64, refuse func() error) (io.Reader, error) {
	if r.ContentLength > limit {
		return nil, refuse()
	}
	return http.MaxBytesReader(w, r.Body, limit), nil
}

// cutOff turns the error of a body cut off by limitBody into refuse's;
// Submit has removed the part it staged.
func cutOff(err error, refuse func() error) error {
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		return refuse()
	}
	return err
}

func (s *Server) submitLoad(w http.ResponseWriter, r *http.Request) error {
	limit := s.Aggregate.MaxUpload()
	refuse := func() error { return aggregate.TooLarge(limit) }
	body, err := limitBody(w, r, limit, refuse)
	if err != nil {
		return err
	}
	up, err := uploadOf(r, aggregate.SourceUpload)
	if err != nil {
		return err
	}
	up.Body = body
	l, err := s.Aggregate.Submit(r.Context(), r.PathValue("id"), up)
	if err != nil {
		return cutOff(err, refuse)
	}
	w.Header().Set("Location", "/api/v1/loads/"+l.ID)
	writeJSON(w, http.StatusAccepted, l)
	return nil
}

// maxPushBody bounds one pushed batch.
const maxPushBody = 256 << 20

func (s *Server) pushBatch(w http.ResponseWriter, r *http.Request) error {
	limit := min(maxPushBody, s.Aggregate.MaxUpload())
	refuse := func() error {
		return apperr.New(apperr.TooLarge, "the batch is too large", "推送批次过大").
			With("body", fmt.Sprintf("at most %d bytes a batch", limit), fmt.Sprintf("每批不得超过%d字节", limit))
	}
	body, err := limitBody(w, r, limit, refuse)
	if err != nil {
		return err
	}
	up, err := uploadOf(r, aggregate.SourcePush)
	if err != nil {
		return err
	}
	if up.IdempotencyKey == "" {
		return apperr.New(apperr.Invalid, "a pushed batch needs an Idempotency-Key header", "推送批次须带 Idempotency-Key 请求头").
			With("Idempotency-Key", "give each batch a unique key and resend a retried batch with the same key",
				"每个批次须有唯一键，重试时使用同一键")
	}
	if up.Format != tabular.JSON && up.Format != tabular.NDJSON {
		return apperr.New(apperr.Invalid, "a pushed batch is JSON or NDJSON", "推送批次须为JSON或NDJSON").
			With("Content-Type", "use application/json or application/x-ndjson", "请使用 application/json 或 application/x-ndjson")
	}
	if up.Mode == "" {
		up.Mode = records.Incremental
	}
	if up.Name == "upload."+string(up.Format) {
		up.Name = "push-" + up.IdempotencyKey + "." + string(up.Format)
	}
	up.Body = body
	l, err := s.Aggregate.Submit(r.Context(), r.PathValue("id"), up)
	if err != nil {
		return cutOff(err, refuse)
	}
	w.Header().Set("Location", "/api/v1/loads/"+l.ID)
	writeJSON(w, http.StatusAccepted, l)
	return nil
}

func (s *Server) getLoad(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Aggregate.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

func (s *Server) listLoads(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := pageParams(r, 50, 500, 0)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	items, total, err := s.Aggregate.List(r.Context(), aggregate.LoadFilter{ResourceID: q.Get("resource"), OrgID: q.Get("org"),
		State: q.Get("state"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
	return nil
}

// loadRejects serves the quarantined rows: CSV (UTF-8 with a BOM, as
// kept) or XLSX.
func (s *Server) loadRejects(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "xlsx" {
		return apperr.New(apperr.Invalid, "unknown format", "未知的格式").With("format", "use csv or xlsx", "可用 csv 或 xlsx")
	}
	f, l, err := s.Aggregate.Rejects(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	defer f.Close()
	name := "rejects-" + l.ID
	w.Header().Set("Cache-Control", "no-store")
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		_, err := io.Copy(w, f)
		return err
	}
	w.Header().Set("Content-Type", contentTypes["xlsx"])
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
	return aggregate.WriteRejectsXLSX(w, f, "被拒数据")
}

func (s *Server) getDataset(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Aggregate.Dataset(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) datasetRows(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := pageParams(r, 20, 1000, 100_000)
	if err != nil {
		return err
	}
	version, err := intParam(r, "version", 0, 0)
	if err != nil {
		return err
	}
	page, err := s.Aggregate.Rows(r.Context(), r.PathValue("id"), aggregate.RowQuery{Version: int64(version), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) datasetProvenance(w http.ResponseWriter, r *http.Request) error {
	key := r.URL.Query()["key"]
	out, err := s.Aggregate.Provenance(r.Context(), r.PathValue("id"), key)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"key": key, "items": out})
	return nil
}

func (s *Server) getRules(w http.ResponseWriter, r *http.Request) error {
	rules, err := s.Aggregate.Rules(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": rules})
	return nil
}

func (s *Server) putRules(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Rules []quality.Rule `json:"rules"`
	}
	if err := decode(r, &body); err != nil {
		return err
	}
	rules, err := s.Aggregate.SetRules(r.Context(), r.PathValue("id"), body.Rules)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": rules})
	return nil
}

func (s *Server) resourceQuality(w http.ResponseWriter, r *http.Request) error {
	t, err := s.Aggregate.Quality(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) aggregationStats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Aggregate.Statistics(r.Context(), r.URL.Query().Get("period"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// aggregationBulletin serves the monthly bulletin (通报) as XLSX or HTML.
func (s *Server) aggregationBulletin(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "html"
	}
	if format != "html" && format != "xlsx" {
		return apperr.New(apperr.Invalid, "unknown format", "未知的格式").With("format", "use html or xlsx", "可用 html 或 xlsx")
	}
	st, err := s.Aggregate.Statistics(r.Context(), r.URL.Query().Get("period"))
	if err != nil {
		return err
	}
	name := "aggregation-bulletin-" + st.Period
	w.Header().Set("Cache-Control", "no-store")
	if format == "xlsx" {
		w.Header().Set("Content-Type", contentTypes["xlsx"])
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		return aggregate.WriteBulletinXLSX(w, st)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	return aggregate.WriteBulletinHTML(w, st)
}

func (s *Server) listPullSources(w http.ResponseWriter, r *http.Request) error {
	items, err := s.Aggregate.PullSources(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) createPullSource(w http.ResponseWriter, r *http.Request) error {
	var in aggregate.PullSourceInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ps, err := s.Aggregate.CreatePullSource(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/pulls/"+ps.ID)
	writeJSON(w, http.StatusCreated, ps)
	return nil
}

func (s *Server) getPullSource(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.Aggregate.PullSourceOf(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ps)
	return nil
}

func (s *Server) runPullSource(w http.ResponseWriter, r *http.Request) error {
	l, err := s.Aggregate.RunPullSource(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/loads/"+l.ID)
	writeJSON(w, http.StatusAccepted, l)
	return nil
}

func (s *Server) disablePullSource(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.Aggregate.DisablePullSource(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ps)
	return nil
}

// logicalRows reads a logical source at the source, now.
func (s *Server) logicalRows(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := pageParams(r, 20, 1000, 1_000_000)
	if err != nil {
		return err
	}
	page, err := s.Aggregate.LogicalRows(r.Context(), r.PathValue("id"), limit, offset)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// checkDataset runs the dataset rules over the current version, now.
func (s *Server) checkDataset(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Aggregate.CheckDataset(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

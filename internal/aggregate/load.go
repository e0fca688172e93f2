package aggregate

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/tabular"
)

// States of a load.
const (
	Queued    = "queued"
	Running   = "running"
	Succeeded = "succeeded"
	Failed    = "failed"
)

// Kinds of source.
const (
	SourceUpload = "upload" // a file through the API, the CLI or the portal
	SourcePush   = "push"   // a provider's batch through the push API
	SourceDB     = "db"     // a database pull
	SourceHTTP   = "http"   // an HTTP pull
)

// Load is one load job: what it reads, where it is, what it found.
type Load struct {
	ID           string       `json:"id"`
	ResourceID   string       `json:"resource_id"`
	ResourceCode string       `json:"resource_code"`
	Dataset      string       `json:"dataset"`
	OrgID        string       `json:"org_id"`
	NodeID       string       `json:"node_id"`
	Mode         records.Mode `json:"mode"`
	State        string       `json:"state"`
	SourceKind   string       `json:"source_kind"`
	SourceName   string       `json:"source_name"`
	SourceRef    string       `json:"source_ref,omitempty"`
	Idempotency  string       `json:"idempotency_key,omitempty"`

	TotalBytes   int64    `json:"total_bytes"`
	Bytes        int64    `json:"bytes"`
	RowsRead     int64    `json:"rows_read"`
	RowsAccepted int64    `json:"rows_accepted"`
	RowsRejected int64    `json:"rows_rejected"`
	RowsDeleted  int64    `json:"rows_deleted"`
	RowsPerSec   float64  `json:"rows_per_s"`
	ETASeconds   *float64 `json:"eta_s,omitempty"`
	Version      int64    `json:"version,omitempty"`
	Outcome      *Outcome `json:"outcome,omitempty"`
	Error        *Failure `json:"error,omitempty"`
	Attempts     int      `json:"attempts"`

	SubmittedBy string     `json:"submitted_by"` // the user id ("system" for scheduled pulls)
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at,omitempty"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
	NextAttempt *time.Time `json:"next_attempt_at,omitempty"`
}

// Outcome is what a finished load found besides its counts.
type Outcome struct {
	Format     tabular.Format   `json:"format"`
	Encoding   tabular.Encoding `json:"encoding,omitempty"`
	Header     []string         `json:"header"`
	Ignored    []string         `json:"ignored,omitempty"` // source columns mapped to no item
	Rejections map[string]int64 `json:"rejections,omitempty"`
	Warnings   map[string]int64 `json:"warnings,omitempty"`
	Unchecked  []string         `json:"unchecked,omitempty"`
	ElapsedMS  int64            `json:"elapsed_ms"`
	Scores     *Scores          `json:"scores,omitempty"`
	// QuarantineFile is the quarantine's file name in the load directory.
	QuarantineFile string `json:"quarantine_file,omitempty"`
}

// Failure is why a load failed, as the API shows errors.
type Failure struct {
	Code    apperr.Kind         `json:"code"`
	Message string              `json:"message"`
	ZH      string              `json:"message_zh,omitempty"`
	Fields  []apperr.FieldError `json:"fields,omitempty"`
}

// jobSpec is what the runner needs, stored with the load.
type jobSpec struct {
	Spec      ingest.Spec      `json:"spec"`
	Format    tabular.Format   `json:"format,omitempty"`
	Encoding  tabular.Encoding `json:"encoding,omitempty"`
	Sheet     string           `json:"sheet,omitempty"`
	HeaderRow int              `json:"header_row,omitempty"`
	Deletes   [][]string       `json:"deletes,omitempty"`
	// Cycle is the resource's update cycle, for timeliness.
	Cycle string `json:"cycle,omitempty"`
}

// Upload is a file to load.
type Upload struct {
	Body io.Reader
	// Name is recorded as the rows' source; its extension gives the
	// format when Format is empty.
	Name      string
	Format    tabular.Format
	Encoding  tabular.Encoding
	Sheet     string
	HeaderRow int
	// Mapping maps source headers to data items (name or code) where they
	// do not match by themselves.
	Mapping map[string]string
	Mode    records.Mode
	// Kind is SourceUpload (default) or SourcePush; Ref names the
	// aggregation source of a pull.
	Kind, Ref string
	// IdempotencyKey makes a retried submission return the first load
	// instead of loading twice.
	IdempotencyKey string
	Deletes        [][]string
}

// Submit stages an upload and queues its load against the published
// version of a resource. The body is written to disk completely before
// the load is recorded, so an accepted load survives a crash.
func (s *Service) Submit(ctx context.Context, resourceID string, up Upload) (*Load, error) {
	_, res, err := s.published(ctx, resourceID, authz.LoadSubmit, "only the providing organisation loads data into its resources",
		"仅数据提供单位可向其资源汇聚数据")
	if err != nil {
		return nil, err
	}
	resourceID = res.ID
	if !Structured(res) {
		return nil, apperr.New(apperr.Invalid, "resource "+res.Code+" has format class "+res.FormatClass+
			": only spreadsheets (2), databases (3), self-describing formats (6) and service interfaces (7) hold structured data",
			"资源"+res.Code+"的格式分类为"+res.FormatClass+"，只有电子表格(2)、数据库(3)、自描述格式(6)和服务接口(7)可汇聚结构化数据")
	}
	var errs apperr.Fields
	mode := up.Mode
	if mode == "" {
		mode = records.Full
	}
	if mode != records.Full && mode != records.Incremental {
		errs.Add("mode", "mode must be full or incremental", "加载方式须为 full（全量）或 incremental（增量）")
	}
	switch up.Format {
	case "", tabular.CSV, tabular.TSV, tabular.XLSX, tabular.JSON, tabular.NDJSON, tabular.Parquet:
	default:
		errs.Add("format", "unknown format "+string(up.Format)+": use csv, tsv, xlsx, json, ndjson or parquet",
			"未知的文件格式"+string(up.Format)+"，可用 csv、tsv、xlsx、json、ndjson、parquet")
	}
	switch up.Encoding {
	case "", tabular.UTF8, tabular.GBK, tabular.GB18030:
	default:
		errs.Add("encoding", "unknown encoding "+string(up.Encoding)+": use utf-8, gbk or gb18030",
			"未知的字符编码"+string(up.Encoding)+"，可用 utf-8、gbk、gb18030")
	}
	if len(up.IdempotencyKey) > 200 {
		errs.Add("idempotency_key", "an idempotency key is at most 200 characters", "幂等键最长200个字符")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if up.IdempotencyKey != "" {
		if l, err := s.byIdempotency(ctx, resourceID, up.IdempotencyKey); err == nil {
			return l, nil
		} else if apperr.As(err).Kind != apperr.NotFound {
			return nil, err
		}
	}
	rules, err := s.rules(ctx, s.db, resourceID)
	if err != nil {
		return nil, err
	}
	spec := SpecFor(res, rules)
	spec.Mapping = up.Mapping
	if len(spec.DatasetSpec().KeyColumns()) == 0 && mode == records.Incremental {
		return nil, fieldErr("mode", "an incremental load needs primary-key data items; resource "+res.Code+" has none",
			"增量加载需要主键数据项，资源"+res.Code+"没有主键")
	}
	js := jobSpec{Spec: spec, Format: up.Format, Encoding: up.Encoding, Sheet: up.Sheet, HeaderRow: up.HeaderRow, Deletes: up.Deletes,
		Cycle: res.UpdateCycle}
	kind := up.Kind
	if kind == "" {
		kind = SourceUpload
	}
	name := filepath.Base(strings.TrimSpace(up.Name))
	if name == "" || name == "." || name == "/" {
		name = "upload"
	}
	id := uuid.Must(uuid.NewV7()).String()
	dir := s.loadDir(id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("stage load: %w", err)
	}
	staged := filepath.Join(dir, "source"+stagedExt(name, up.Format))
	n, err := stage(staged, up.Body, s.cfg.MaxUpload)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	l, err := s.queue(ctx, res, queued{id: id, kind: kind, ref: up.Ref, name: name, staged: staged, bytes: n, mode: mode,
		idem: up.IdempotencyKey, js: js})
	if errors.Is(err, errDuplicateKey) {
		// A concurrent retry of the same batch won the race.
		os.RemoveAll(dir)
		return s.byIdempotency(ctx, resourceID, up.IdempotencyKey)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return l, nil
}

// queued is a load to record.
type queued struct {
	id, kind, ref, name, staged, idem string
	bytes                             int64
	mode                              records.Mode
	js                                jobSpec
}

// queue records a queued load and wakes the runner.
func (s *Service) queue(ctx context.Context, res *catalog.Resource, q queued) (*Load, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if q.id == "" {
		q.id = uuid.Must(uuid.NewV7()).String()
	}
	specDoc, err := json.Marshal(q.js)
	if err != nil {
		return nil, err
	}
	now := s.now()
	l := &Load{ID: q.id, ResourceID: res.ID, ResourceCode: res.Code, Dataset: q.js.Spec.Dataset, OrgID: res.OrgID, NodeID: res.NodeID,
		Mode: q.mode, State: Queued, SourceKind: q.kind, SourceName: q.name, SourceRef: q.ref, Idempotency: q.idem,
		TotalBytes: q.bytes, SubmittedBy: p.UserID, CreatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var idem any
		if q.idem != "" {
			idem = q.idem
		}
		ts := store.FormatTime(now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO loads (id, node_id, org_id, resource_id, resource_code, dataset, mode, state,
			source_kind, source_name, source_ref, idempotency_key, spec, staged_path, total_bytes, next_attempt_at, submitted_by,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.ID, res.NodeID, res.OrgID, res.ID, res.Code, l.Dataset, string(q.mode), Queued, q.kind, q.name, q.ref, idem,
			string(specDoc), q.staged, q.bytes, ts, p.UserID, ts, ts); err != nil {
			if store.IsUniqueViolation(err) {
				return errDuplicateKey
			}
			return fmt.Errorf("record load: %w", err)
		}
		return appendAction(ctx, tx, now, "load.submit", "load", l.ID, res.OrgID, nil,
			map[string]any{"resource": res.Code, "mode": q.mode, "source": q.name, "bytes": q.bytes})
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("load queued", "load", l.ID, "resource", res.Code, "mode", q.mode, "source", q.name, "bytes", q.bytes, "by", p.Username)
	s.poke()
	return l, nil
}

var errDuplicateKey = errors.New("duplicate idempotency key")

func stagedExt(name string, f tabular.Format) string {
	if f != "" {
		return "." + string(f)
	}
	if ext := strings.ToLower(filepath.Ext(name)); len(ext) > 1 && len(ext) <= 8 {
		return ext
	}
	return ".csv"
}

// stage writes body to path and syncs it, refusing more than max bytes.
func stage(path string, body io.Reader, max int64) (int64, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return 0, fmt.Errorf("stage load: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(body, max+1))
	if err == nil && n > max {
		err = TooLarge(max)
	}
	if err == nil && n == 0 {
		err = fieldErr("body", "the file is empty", "文件为空")
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return 0, err
		}
		return 0, fmt.Errorf("stage load: reading the upload: %w", err)
	}
	return n, nil
}

func (s *Service) byIdempotency(ctx context.Context, resourceID, key string) (*Load, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM loads WHERE resource_id = ? AND idempotency_key = ?`, resourceID, key).Scan(&id)
	if err == sql.ErrNoRows {
		return nil, apperr.NotFoundf("load", key)
	}
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

const loadCols = `id, resource_id, resource_code, dataset, org_id, node_id, mode, state, source_kind, source_name, source_ref,
	COALESCE(idempotency_key, ''), total_bytes, bytes, rows_read, rows_accepted, rows_rejected, rows_deleted, version, result, error,
	attempts, submitted_by, created_at, started_at, finished_at, next_attempt_at`

func scanLoad(sc interface{ Scan(...any) error }) (*Load, error) {
	var l Load
	var mode, result, failure, created, started, finished, next string
	if err := sc.Scan(&l.ID, &l.ResourceID, &l.ResourceCode, &l.Dataset, &l.OrgID, &l.NodeID, &mode, &l.State, &l.SourceKind,
		&l.SourceName, &l.SourceRef, &l.Idempotency, &l.TotalBytes, &l.Bytes, &l.RowsRead, &l.RowsAccepted, &l.RowsRejected,
		&l.RowsDeleted, &l.Version, &result, &failure, &l.Attempts, &l.SubmittedBy, &created, &started, &finished, &next); err != nil {
		return nil, err
	}
	l.Mode = records.Mode(mode)
	l.CreatedAt = store.ParseTime(created)
	l.StartedAt = optTime(started)
	l.FinishedAt = optTime(finished)
	if l.State == Queued {
		l.NextAttempt = optTime(next)
	}
	if result != "" {
		l.Outcome = &Outcome{}
		if err := json.Unmarshal([]byte(result), l.Outcome); err != nil {
			return nil, fmt.Errorf("load %s: result: %w", l.ID, err)
		}
	}
	if failure != "" {
		l.Error = &Failure{}
		if err := json.Unmarshal([]byte(failure), l.Error); err != nil {
			return nil, fmt.Errorf("load %s: error: %w", l.ID, err)
		}
	}
	if l.StartedAt != nil && l.FinishedAt != nil {
		if d := l.FinishedAt.Sub(*l.StartedAt).Seconds(); d > 0 {
			l.RowsPerSec = float64(l.RowsRead) / d
		}
	}
	return &l, nil
}

func optTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := store.ParseTime(s)
	return &t
}

// Get returns a load, with live progress while it runs.
func (s *Service) Get(ctx context.Context, id string) (*Load, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	l, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.Can(authz.LoadRead, l.OrgID) {
		return nil, apperr.NotFoundf("load", id)
	}
	return l, nil
}

func (s *Service) get(ctx context.Context, id string) (*Load, error) {
	l, err := scanLoad(s.db.QueryRowContext(ctx, `SELECT `+loadCols+` FROM loads WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, apperr.NotFoundf("load", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	s.withLive(l)
	return l, nil
}

// withLive overlays the in-memory progress of a load running here.
func (s *Service) withLive(l *Load) {
	if l.State != Running {
		return
	}
	s.mu.Lock()
	pr, ok := s.live[l.ID]
	s.mu.Unlock()
	if !ok {
		return
	}
	l.Bytes, l.RowsRead, l.RowsAccepted, l.RowsRejected = pr.Bytes, pr.RowsRead, pr.RowsAccepted, pr.RowsRejected
	l.RowsPerSec = pr.RowsPerSec
	if pr.TotalBytes > 0 && pr.Bytes > 0 && pr.Elapsed > 0 && !pr.Done {
		rate := float64(pr.Bytes) / pr.Elapsed.Seconds()
		eta := float64(pr.TotalBytes-pr.Bytes) / rate
		l.ETASeconds = &eta
	}
}

// LoadFilter selects loads.
type LoadFilter struct {
	ResourceID string
	OrgID      string
	State      string
	Limit      int // 50 when 0, at most 500
	Offset     int
}

// List returns loads, newest first, that the caller may see.
func (s *Service) List(ctx context.Context, f LoadFilter) ([]Load, int, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, 0, err
	}
	var errs apperr.Fields
	switch f.State {
	case "", Queued, Running, Succeeded, Failed:
	default:
		errs.Add("state", "state must be queued, running, succeeded or failed", "状态须为 queued、running、succeeded 或 failed")
	}
	if f.Limit < 0 || f.Limit > 500 {
		errs.Add("limit", "limit must be between 1 and 500", "limit 须在1到500之间")
	}
	if f.Offset < 0 {
		errs.Add("offset", "offset must not be negative", "offset 不能为负数")
	}
	if err := errs.Err(); err != nil {
		return nil, 0, err
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	where, args := []string{"1 = 1"}, []any{}
	if !p.CanAny(authz.LoadRead) {
		if f.OrgID != "" && f.OrgID != p.OrgID {
			return []Load{}, 0, nil
		}
		f.OrgID = p.OrgID
	}
	for _, c := range []struct{ col, v string }{{"resource_id", f.ResourceID}, {"org_id", f.OrgID}, {"state", f.State}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM loads WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count loads: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+loadCols+` FROM loads WHERE `+cond+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list loads: %w", err)
	}
	defer rows.Close()
	out := []Load{}
	for rows.Next() {
		l, err := scanLoad(rows)
		if err != nil {
			return nil, 0, err
		}
		s.withLive(l)
		out = append(out, *l)
	}
	return out, total, rows.Err()
}

// Rejects opens the quarantine of a finished load: CSV in UTF-8 with a
// BOM, the row number, the source's columns and the reasons.
func (s *Service) Rejects(ctx context.Context, id string) (io.ReadCloser, *Load, error) {
	l, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if l.State != Succeeded {
		return nil, nil, apperr.New(apperr.Conflict, "load "+id+" is "+l.State+": rejects are kept for succeeded loads",
			"加载任务"+id+"状态为"+l.State+"，仅成功完成的加载保留被拒数据")
	}
	if l.Outcome == nil || l.Outcome.QuarantineFile == "" {
		return nil, nil, apperr.NotFoundf("rejects of load", id)
	}
	f, err := os.Open(filepath.Join(s.loadDir(id), l.Outcome.QuarantineFile))
	if err != nil {
		return nil, nil, fmt.Errorf("rejects of %s: %w", id, err)
	}
	return f, l, nil
}

func appendAction(ctx context.Context, q store.Querier, at time.Time, action, entityType, entityID, orgID string, before, after any) error {
	return actionlog.Append(ctx, q, at, action, entityType, entityID, orgID, before, after)
}

// fieldErr is an Invalid error about one field.
func fieldErr(field, en, zh string) error {
	return apperr.New(apperr.Invalid, en, zh).With(field, en, zh)
}

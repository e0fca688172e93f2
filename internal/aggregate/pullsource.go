package aggregate

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/robfig/cron/v3"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/pull"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/store"
)

// DBConfig is a database pull source. DSN is accepted on input, stored
// sealed, and never shown again.
type DBConfig struct {
	Driver    string `json:"driver"` // postgres | mysql
	DSN       string `json:"dsn,omitempty"`
	Table     string `json:"table,omitempty"`
	Query     string `json:"query,omitempty"`
	Watermark string `json:"watermark,omitempty"`
}

// HTTPConfig is an HTTP pull source. Headers (API keys) are stored sealed
// and never shown again.
type HTTPConfig struct {
	URL      string            `json:"url"`
	Records  string            `json:"records,omitempty"` // dot path of the records array
	Paging   PagingConfig      `json:"paging"`
	Headers  map[string]string `json:"headers,omitempty"`
	MaxPages int               `json:"max_pages,omitempty"`
}

// PagingConfig is how an HTTP source pages (see pull.Paging).
type PagingConfig struct {
	Kind      string `json:"kind,omitempty"` // "" | page | offset | next
	Param     string `json:"param,omitempty"`
	Size      int    `json:"size,omitempty"`
	SizeParam string `json:"size_param,omitempty"`
	ZeroBased bool   `json:"zero_based,omitempty"`
	Next      string `json:"next,omitempty"`
	Cursor    string `json:"cursor,omitempty"`
}

// PullSource is a database or HTTP source a resource's data comes from.
type PullSource struct {
	ID         string            `json:"id"`
	ResourceID string            `json:"resource_id"`
	OrgID      string            `json:"org_id"`
	NodeID     string            `json:"node_id"`
	Name       string            `json:"name"`
	Kind       string            `json:"kind"` // db | http
	DB         *DBConfig         `json:"db,omitempty"`
	HTTP       *HTTPConfig       `json:"http,omitempty"`
	Mode       records.Mode      `json:"mode"`
	Mapping    map[string]string `json:"mapping,omitempty"`
	// Logical sources are read at request time (逻辑接入) instead of
	// being copied in; Schema is their captured columns.
	Logical   bool          `json:"logical"`
	Schema    []pull.Column `json:"schema,omitempty"`
	Schedule  string        `json:"schedule,omitempty"` // "" manual, "cycle", or a cron expression
	NextRunAt *time.Time    `json:"next_run_at,omitempty"`
	Watermark string        `json:"watermark,omitempty"`
	Enabled   bool          `json:"enabled"`
	CreatedBy string        `json:"created_by"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`

	secret string
}

// PullSourceInput registers a pull source.
type PullSourceInput struct {
	Name     string            `json:"name"`
	Kind     string            `json:"kind"`
	DB       *DBConfig         `json:"db,omitempty"`
	HTTP     *HTTPConfig       `json:"http,omitempty"`
	Mode     records.Mode      `json:"mode,omitempty"`
	Mapping  map[string]string `json:"mapping,omitempty"`
	Logical  bool              `json:"logical,omitempty"`
	Schedule string            `json:"schedule,omitempty"`
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// nextRun is when a schedule next fires after t ("" for a manual source).
func nextRun(schedule, cycle string, t time.Time) (time.Time, error) {
	switch schedule {
	case "":
		return time.Time{}, nil
	case "cycle":
		// At 02:00 China Standard Time, one update cycle on.
		base := t.In(cst)
		day := time.Date(base.Year(), base.Month(), base.Day(), 2, 0, 0, 0, cst)
		switch cycle {
		case "realtime":
			return t.Add(15 * time.Minute), nil
		case "daily":
			day = day.AddDate(0, 0, 1)
		case "weekly":
			day = day.AddDate(0, 0, 7)
		case "monthly":
			day = day.AddDate(0, 1, 0)
		case "quarterly":
			day = day.AddDate(0, 3, 0)
		case "yearly":
			day = day.AddDate(1, 0, 0)
		default:
			return time.Time{}, fmt.Errorf("unknown update cycle %q", cycle)
		}
		return day, nil
	}
	sched, err := cronParser.Parse(schedule)
	if err != nil {
		return time.Time{}, err
	}
	return sched.Next(t.In(cst)), nil
}

func (s *Service) sealer() (*pull.Sealer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seal == nil {
		sl, err := pull.OpenSealer(filepath.Join(s.cfg.Dir, "keys"))
		if err != nil {
			return nil, fmt.Errorf("open the credential key: %w", err)
		}
		s.seal = sl
	}
	return s.seal, nil
}

// dbSource and httpSource rebuild a source's pull configuration with its
// unsealed secret.
func (s *Service) dbSource(ps *PullSource) (pull.DBSource, error) {
	sl, err := s.sealer()
	if err != nil {
		return pull.DBSource{}, err
	}
	dsn, err := sl.Open(ps.secret)
	if err != nil {
		return pull.DBSource{}, fmt.Errorf("pull source %s: credentials: %w", ps.ID, err)
	}
	c := ps.DB
	return pull.DBSource{Driver: c.Driver, DSN: string(dsn), Table: c.Table, Query: c.Query, Watermark: c.Watermark}, nil
}

func (s *Service) httpSource(ps *PullSource) (pull.HTTPSource, error) {
	c := ps.HTTP
	src := pull.HTTPSource{URL: c.URL, Records: c.Records, MaxPages: c.MaxPages, Paging: pull.Paging{
		Kind: pull.PagingKind(c.Paging.Kind), Param: c.Paging.Param, Size: c.Paging.Size, SizeParam: c.Paging.SizeParam,
		ZeroBased: c.Paging.ZeroBased, Next: c.Paging.Next, Cursor: c.Paging.Cursor}}
	if ps.secret != "" {
		sl, err := s.sealer()
		if err != nil {
			return src, err
		}
		b, err := sl.Open(ps.secret)
		if err != nil {
			return src, fmt.Errorf("pull source %s: credentials: %w", ps.ID, err)
		}
		if err := json.Unmarshal(b, &src.Headers); err != nil {
			return src, fmt.Errorf("pull source %s: headers: %w", ps.ID, err)
		}
	}
	return src, nil
}

// CreatePullSource registers a database or HTTP source for a published
// resource. A database source is connected to once, to check it and
// capture its columns.
func (s *Service) CreatePullSource(ctx context.Context, resourceID string, in PullSourceInput) (*PullSource, error) {
	p, res, err := s.published(ctx, resourceID, authz.LoadSubmit, "only the providing organisation registers sources of its resources",
		"仅数据提供单位可为其资源登记数据源")
	if err != nil {
		return nil, err
	}
	if !Structured(res) {
		return nil, apperr.New(apperr.Invalid, "resource "+res.Code+" holds no structured data", "资源"+res.Code+"不是结构化数据资源")
	}
	var errs apperr.Fields
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		errs.Add("name", "a name of 1 to 100 characters is required", "须填写1至100个字符的名称")
	}
	if in.Mode == "" {
		in.Mode = records.Full
	}
	if in.Mode != records.Full && in.Mode != records.Incremental {
		errs.Add("mode", "mode must be full or incremental", "加载方式须为 full 或 incremental")
	}
	ps := &PullSource{ID: uuid.Must(uuid.NewV7()).String(), ResourceID: res.ID, OrgID: res.OrgID, NodeID: res.NodeID,
		Name: in.Name, Kind: in.Kind, Mode: in.Mode, Mapping: in.Mapping, Logical: in.Logical, Schedule: strings.TrimSpace(in.Schedule),
		Enabled: true, CreatedBy: p.Username, CreatedAt: s.now(), UpdatedAt: s.now()}
	sl, err := s.sealer()
	if err != nil {
		return nil, err
	}
	var dbsrc pull.DBSource
	switch in.Kind {
	case SourceDB:
		if in.DB == nil {
			errs.Add("db", "a database source needs db: driver, dsn and a table or query", "数据库数据源须提供 db：driver、dsn 及 table 或 query")
			break
		}
		dbsrc = pull.DBSource{Driver: in.DB.Driver, DSN: in.DB.DSN, Table: in.DB.Table, Query: in.DB.Query, Watermark: in.DB.Watermark}
		if err := dbsrc.Validate(); err != nil {
			return nil, err
		}
		if in.Mode == records.Incremental && in.DB.Watermark == "" {
			errs.Add("db.watermark", "an incremental pull needs a watermark column", "增量抽取须指定水位列")
		}
		cfg := *in.DB
		cfg.DSN = ""
		ps.DB, ps.secret = &cfg, sl.Seal([]byte(in.DB.DSN))
	case SourceHTTP:
		if in.HTTP == nil {
			errs.Add("http", "an HTTP source needs http: url, records and paging", "HTTP 数据源须提供 http：url、records、paging")
			break
		}
		cfg := *in.HTTP
		cfg.Headers = nil
		ps.HTTP = &cfg
		if len(in.HTTP.Headers) > 0 {
			b, _ := json.Marshal(in.HTTP.Headers)
			ps.secret = sl.Seal(b)
		}
		src, _ := s.httpSource(&PullSource{HTTP: &cfg})
		src.Headers = in.HTTP.Headers
		if err := src.Validate(); err != nil {
			return nil, err
		}
		if in.Logical {
			errs.Add("logical", "logical aggregation reads database sources", "逻辑接入仅支持数据库数据源")
		}
	default:
		errs.Add("kind", "kind must be db or http", "数据源类型须为 db 或 http")
	}
	if ps.Logical && ps.Schedule != "" {
		errs.Add("schedule", "a logical source is read at request time and has no schedule", "逻辑接入按需读取，无需调度")
	}
	next, err := nextRun(ps.Schedule, res.UpdateCycle, s.now())
	if err != nil {
		errs.Add("schedule", "schedule must be empty, cycle (the resource's update cycle) or a cron expression such as \"0 2 * * *\": "+err.Error(),
			"调度须为空、cycle（按资源更新周期）或 cron 表达式（如“0 2 * * *”）")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !next.IsZero() {
		ps.NextRunAt = &next
	}
	if ps.Kind == SourceDB {
		cols, err := dbsrc.Schema(ctx)
		if err != nil {
			if apperr.KindOf(err) == apperr.Invalid {
				return nil, err
			}
			return nil, apperr.New(apperr.Invalid, "cannot read the source: "+err.Error(), "无法读取数据源："+err.Error()).
				With("db", err.Error(), "连接或查询数据源失败")
		}
		ps.Schema = cols
	}
	cfgDoc, _ := json.Marshal(map[string]any{"db": ps.DB, "http": ps.HTTP})
	mapDoc, _ := json.Marshal(ps.Mapping)
	schemaDoc, _ := json.Marshal(ps.Schema)
	nextAt := ""
	if ps.NextRunAt != nil {
		nextAt = store.FormatTime(*ps.NextRunAt)
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		now := store.FormatTime(ps.CreatedAt)
		if _, err := tx.ExecContext(ctx, `INSERT INTO pull_sources (id, node_id, org_id, resource_id, name, kind, config, secret, mode,
			mapping, logical, schema, schedule, next_run_at, enabled, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
			ps.ID, ps.NodeID, ps.OrgID, ps.ResourceID, ps.Name, ps.Kind, string(cfgDoc), ps.secret, string(ps.Mode),
			string(mapDoc), store.Int(ps.Logical), string(schemaDoc), ps.Schedule, nextAt, p.UserID, now, now); err != nil {
			return fmt.Errorf("record pull source: %w", err)
		}
		return appendAction(ctx, tx, ps.CreatedAt, "pull_source.create", "pull_source", ps.ID, ps.OrgID, nil, ps)
	})
	if err != nil {
		return nil, err
	}
	return ps, nil
}

const pullCols = `id, resource_id, org_id, node_id, name, kind, config, secret, mode, mapping, logical, schema, schedule,
	next_run_at, watermark, enabled, created_by, created_at, updated_at`

func scanPullSource(sc interface{ Scan(...any) error }) (*PullSource, error) {
	var ps PullSource
	var cfg, mode, mapping, schema, next, created, updated string
	var logical, enabled int64
	if err := sc.Scan(&ps.ID, &ps.ResourceID, &ps.OrgID, &ps.NodeID, &ps.Name, &ps.Kind, &cfg, &ps.secret, &mode, &mapping,
		&logical, &schema, &ps.Schedule, &next, &ps.Watermark, &enabled, &ps.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	var c struct {
		DB   *DBConfig   `json:"db"`
		HTTP *HTTPConfig `json:"http"`
	}
	if err := json.Unmarshal([]byte(cfg), &c); err != nil {
		return nil, fmt.Errorf("pull source %s: %w", ps.ID, err)
	}
	ps.DB, ps.HTTP = c.DB, c.HTTP
	ps.Mode = records.Mode(mode)
	if mapping != "" && mapping != "null" {
		json.Unmarshal([]byte(mapping), &ps.Mapping)
	}
	if schema != "" && schema != "null" {
		json.Unmarshal([]byte(schema), &ps.Schema)
	}
	ps.Logical, ps.Enabled = logical != 0, enabled != 0
	ps.NextRunAt = optTime(next)
	ps.CreatedAt, ps.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	return &ps, nil
}

func (s *Service) pullSource(ctx context.Context, id string) (*PullSource, error) {
	ps, err := scanPullSource(s.db.QueryRowContext(ctx, `SELECT `+pullCols+` FROM pull_sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("pull source", id)
	}
	return ps, err
}

// PullSourceOf returns a pull source the caller may see (LoadRead on its
// organisation).
func (s *Service) PullSourceOf(ctx context.Context, id string) (*PullSource, error) {
	_, ps, err := s.pullSourceFor(ctx, id, authz.LoadRead, "", "")
	return ps, err
}

// pullSourceFor returns a pull source the caller may see, and refuses
// with denied when the caller may not also do a on it ("" for none).
func (s *Service) pullSourceFor(ctx context.Context, id string, a authz.Action, deniedEN, deniedZH string) (*authz.Principal, *PullSource, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, nil, err
	}
	ps, err := s.pullSource(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !p.Can(authz.LoadRead, ps.OrgID) {
		return nil, nil, apperr.NotFoundf("pull source", id)
	}
	if a != authz.LoadRead && !p.Can(a, ps.OrgID) {
		return nil, nil, apperr.New(apperr.Forbidden, deniedEN, deniedZH)
	}
	return p, ps, nil
}

// PullSources lists a resource's pull sources.
func (s *Service) PullSources(ctx context.Context, resourceID string) ([]PullSource, error) {
	res, err := s.resourceFor(ctx, resourceID, authz.LoadRead)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+pullCols+` FROM pull_sources WHERE resource_id = ? ORDER BY created_at, id`, res.ID)
	if err != nil {
		return nil, fmt.Errorf("pull sources of %s: %w", res.Code, err)
	}
	defer rows.Close()
	out := []PullSource{}
	for rows.Next() {
		ps, err := scanPullSource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *ps)
	}
	return out, rows.Err()
}

// DisablePullSource stops a source's schedule and refuses its runs.
func (s *Service) DisablePullSource(ctx context.Context, id string) (*PullSource, error) {
	_, ps, err := s.pullSourceFor(ctx, id, authz.LoadSubmit, "only the providing organisation manages its sources", "仅数据提供单位可管理其数据源")
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE pull_sources SET enabled = 0, next_run_at = '', updated_at = ? WHERE id = ?`,
			store.FormatTime(s.now()), id); err != nil {
			return err
		}
		return appendAction(ctx, tx, s.now(), "pull_source.disable", "pull_source", id, ps.OrgID, nil, nil)
	})
	if err != nil {
		return nil, err
	}
	ps.Enabled, ps.NextRunAt = false, nil
	return ps, nil
}

// RunPullSource queues a pull of the source now.
func (s *Service) RunPullSource(ctx context.Context, id string) (*Load, error) {
	_, ps, err := s.pullSourceFor(ctx, id, authz.LoadSubmit, "only the providing organisation runs its sources", "仅数据提供单位可运行其数据源")
	if err != nil {
		return nil, err
	}
	return s.queuePull(ctx, ps)
}

// queuePull records a load of a pull source: the spec is the resource's
// published version now.
func (s *Service) queuePull(ctx context.Context, ps *PullSource) (*Load, error) {
	if !ps.Enabled {
		return nil, apperr.New(apperr.Conflict, "pull source "+ps.Name+" is disabled", "数据源"+ps.Name+"已停用")
	}
	if ps.Logical {
		return nil, apperr.New(apperr.Conflict, "pull source "+ps.Name+" is logical: its data is read at the source, not loaded",
			"数据源"+ps.Name+"为逻辑接入，数据按需从源端读取，不做加载")
	}
	var active int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM loads WHERE source_ref = ? AND state IN (?, ?)`,
		ps.ID, Queued, Running).Scan(&active); err != nil {
		return nil, err
	}
	if active > 0 {
		return nil, apperr.New(apperr.Conflict, "a pull of "+ps.Name+" is already queued or running", "数据源"+ps.Name+"已有排队或运行中的抽取任务")
	}
	res, err := s.cat.Published(ctx, ps.ResourceID)
	if err != nil {
		return nil, err
	}
	rules, err := s.rules(ctx, s.db, res.ID)
	if err != nil {
		return nil, err
	}
	spec := SpecFor(res, rules)
	spec.Mapping = ps.Mapping
	name := ps.Name
	if ps.Kind == SourceDB {
		name = ps.DB.Driver + ":" + firstNonEmpty(ps.DB.Table, "query")
	} else if ps.HTTP != nil {
		name = ps.HTTP.URL
	}
	return s.queue(ctx, res, queued{kind: ps.Kind, ref: ps.ID, name: name, mode: ps.Mode, js: jobSpec{Spec: spec, Cycle: res.UpdateCycle}})
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// openPull opens the source of a pull load; commit stores what the pull
// needs to resume (the watermark) in the transaction that records the
// load's success.
func (s *Service) openPull(ctx context.Context, l *Load) (ingest.Source, io.Closer, func(context.Context, store.Querier) error, error) {
	ps, err := s.pullSource(ctx, l.SourceRef)
	if err != nil {
		return ingest.Source{}, nil, nil, err
	}
	noop := func(context.Context, store.Querier) error { return nil }
	switch ps.Kind {
	case SourceDB:
		src, err := s.dbSource(ps)
		if err != nil {
			return ingest.Source{}, nil, nil, err
		}
		last := ps.Watermark
		if l.Mode == records.Full {
			last = "" // a full load replaces the dataset with every row
		}
		dp, err := src.Open(ctx, last)
		if err != nil {
			return ingest.Source{}, nil, nil, err
		}
		commit := func(ctx context.Context, q store.Querier) error {
			if src.Watermark == "" {
				return nil
			}
			wm, err := dp.Watermark()
			if err != nil {
				return err
			}
			_, err = q.ExecContext(ctx, `UPDATE pull_sources SET watermark = ?, updated_at = ? WHERE id = ?`,
				wm, store.FormatTime(s.now()), ps.ID)
			return err
		}
		return dp.Source, dp, commit, nil
	case SourceHTTP:
		src, err := s.httpSource(ps)
		if err != nil {
			return ingest.Source{}, nil, nil, err
		}
		is, closer, err := src.Open(ctx)
		if err != nil {
			return ingest.Source{}, nil, nil, err
		}
		return is, closer, noop, nil
	}
	return ingest.Source{}, nil, nil, fmt.Errorf("pull source %s has unknown kind %q", ps.ID, ps.Kind)
}

// schedule queues the pulls that are due and moves their next run on.
func (s *Service) schedule(ctx context.Context) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+pullCols+` FROM pull_sources WHERE enabled = 1 AND next_run_at <> '' AND next_run_at <= ?`,
		store.FormatTime(s.now()))
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("look for due pulls", "error", err)
		}
		return
	}
	var due []*PullSource
	for rows.Next() {
		if ps, err := scanPullSource(rows); err == nil {
			due = append(due, ps)
		}
	}
	rows.Close()
	sys := authz.WithPrincipal(ctx, systemPrincipal)
	for _, ps := range due {
		cycle := ""
		if res, err := s.cat.Published(sys, ps.ResourceID); err == nil {
			cycle = res.UpdateCycle
		}
		next, err := nextRun(ps.Schedule, cycle, s.now())
		nextAt := ""
		if err == nil && !next.IsZero() {
			nextAt = store.FormatTime(next)
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE pull_sources SET next_run_at = ?, updated_at = ? WHERE id = ?`,
			nextAt, store.FormatTime(s.now()), ps.ID); err != nil {
			s.log.Error("schedule pull", "source", ps.ID, "error", err)
			continue
		}
		l, err := s.queuePull(sys, ps)
		if err != nil {
			s.log.Warn("scheduled pull not queued", "source", ps.ID, "error", err)
			continue
		}
		s.log.Info("scheduled pull queued", "source", ps.ID, "load", l.ID, "next", nextAt)
	}
}

// systemPrincipal is who the scheduler acts as: it reads published
// resources and records loads, nothing else.
var systemPrincipal = &authz.Principal{UserID: "system", Username: "system", Roles: []authz.Role{authz.PlatformAdmin}}

// LogicalRows reads a logical source's rows at the source, now: the gate
// of record data, as Rows is for stored datasets.
func (s *Service) LogicalRows(ctx context.Context, id string, limit, offset int) (*pull.Page, error) {
	_, ps, err := s.pullSourceFor(ctx, id, authz.RecordsRead, "your roles do not allow reading this data", "您的角色无权读取该数据")
	if err != nil {
		return nil, err
	}
	if ps.Kind != SourceDB {
		return nil, apperr.New(apperr.Conflict, "only database sources are read at request time", "仅数据库数据源支持按需读取")
	}
	if limit <= 0 || limit > 1000 {
		return nil, fieldErr("limit", "limit must be between 1 and 1000", "limit 须在1到1000之间")
	}
	src, err := s.dbSource(ps)
	if err != nil {
		return nil, err
	}
	page, err := src.Read(ctx, limit, offset)
	if err != nil {
		return nil, err
	}
	if err := appendAction(ctx, s.db, s.now(), "records.read_logical", "pull_source", ps.ID, ps.OrgID, nil,
		map[string]any{"offset": offset, "rows": len(page.Rows)}); err != nil {
		return nil, err
	}
	return page, nil
}

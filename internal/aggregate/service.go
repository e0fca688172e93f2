package aggregate

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/pull"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/store"
)

// Config tunes the service. Zero values take the defaults.
type Config struct {
	// Dir holds the staged uploads and the quarantine files, one
	// directory per load.
	Dir string
	// Concurrent is how many loads run at once (2); loads of one dataset
	// always run one after another.
	Concurrent int
	// Attempts is how often a load that failed for another reason than
	// its input is tried (3), waiting Backoff (30 s), doubled each time,
	// in between.
	Attempts int
	Backoff  time.Duration
	// MaxUpload caps a staged upload (64 GiB).
	MaxUpload int64
	// Poll is how often the runner looks for due loads when nothing wakes
	// it (2 s).
	Poll time.Duration
	// Workers and Writers are passed to ingest.Options (0: its defaults).
	Workers, Writers int
	// Retain is how many versions of a dataset are kept (10); older ones
	// and the storage only they use are freed after each load.
	Retain int
	// OnSucceeded, when set, is called in the runner after a load's
	// success is recorded, with the load and what ingest found: the app
	// records lineage and raises rule tickets with it. It logs its own
	// failures; the load stays succeeded.
	OnSucceeded func(ctx context.Context, l *Load, res *ingest.Result)
}

// Service runs aggregation: it stages and records loads as durable jobs
// in the control store and runs them into the record store.
type Service struct {
	db  *store.DB
	cat *catalog.Service
	rec records.Store
	cfg Config
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex
	live    map[string]ingest.Progress // running loads in this process
	busy    map[string]bool            // datasets being loaded
	running int
	wake    chan struct{}
	seal    *pull.Sealer // opened on first use
	stop    context.CancelFunc
	wg      sync.WaitGroup
}

// New returns the service. Call Start to run queued loads.
func New(db *store.DB, cat *catalog.Service, rec records.Store, cfg Config, log *slog.Logger, now func() time.Time) *Service {
	if cfg.Concurrent <= 0 {
		cfg.Concurrent = 2
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 3
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 64 << 30
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.Retain <= 0 {
		cfg.Retain = 10
	}
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, cat: cat, rec: rec, cfg: cfg, log: log, now: now,
		live: map[string]ingest.Progress{}, busy: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// Records is the record store the service loads into.
func (s *Service) Records() records.Store { return s.rec }

// Dir is the directory of the staged files and quarantines.
func (s *Service) Dir() string { return s.cfg.Dir }

func (s *Service) loadDir(id string) string { return filepath.Join(s.cfg.Dir, "loads", id) }

// resolve turns a resource code (it has a slash) into the resource's id.
func (s *Service) resolve(ctx context.Context, id string) (string, error) {
	if !strings.Contains(id, "/") {
		return id, nil
	}
	r, err := s.cat.GetByCode(ctx, id)
	if err != nil {
		return "", err
	}
	return r.ID, nil
}

// published returns the published version of a resource (by id or code)
// when the caller may do a in its providing organisation; denied says
// why not, in English and Chinese.
func (s *Service) published(ctx context.Context, resourceID string, a authz.Action, deniedEN, deniedZH string) (*authz.Principal, *catalog.Resource, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, nil, err
	}
	if resourceID, err = s.resolve(ctx, resourceID); err != nil {
		return nil, nil, err
	}
	res, err := s.cat.Published(ctx, resourceID)
	if err != nil {
		return nil, nil, err
	}
	if !p.Can(a, res.OrgID) {
		return nil, nil, apperr.New(apperr.Forbidden, deniedEN, deniedZH)
	}
	return p, res, nil
}

// Rules returns the rules a resource adds to those its data items imply.
func (s *Service) Rules(ctx context.Context, resourceID string) ([]quality.Rule, error) {
	resourceID, err := s.resolve(ctx, resourceID)
	if err != nil {
		return nil, err
	}
	if _, err := s.cat.Get(ctx, resourceID); err != nil {
		return nil, err
	}
	return s.rules(ctx, s.db, resourceID)
}

func (s *Service) rules(ctx context.Context, q store.Querier, resourceID string) ([]quality.Rule, error) {
	var doc string
	err := q.QueryRowContext(ctx, `SELECT rules FROM resource_rules WHERE resource_id = ?`, resourceID).Scan(&doc)
	if err == sql.ErrNoRows {
		return []quality.Rule{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("rules of %s: %w", resourceID, err)
	}
	var rules []quality.Rule
	if err := json.Unmarshal([]byte(doc), &rules); err != nil {
		return nil, fmt.Errorf("rules of %s: %w", resourceID, err)
	}
	return rules, nil
}

// SetRules replaces a resource's own rules. They are checked against the
// resource's published data items before they are stored, and apply to
// the loads submitted after.
func (s *Service) SetRules(ctx context.Context, resourceID string, rules []quality.Rule) ([]quality.Rule, error) {
	p, res, err := s.published(ctx, resourceID, authz.CatalogWrite, "only the providing organisation's catalog editors set a resource's rules",
		"仅提供单位的目录编制员可设置资源的质量规则")
	if err != nil {
		return nil, err
	}
	if rules == nil {
		rules = []quality.Rule{}
	}
	// A reference rule names a resource (its code or id); the load checks
	// against that resource's dataset.
	for i, r := range rules {
		if r.Kind != quality.KindReference || r.Ref == "" {
			continue
		}
		id, err := s.resolve(ctx, r.Ref)
		if err == nil {
			_, err = s.cat.Published(ctx, id)
		}
		if err != nil {
			return nil, fieldErr(fmt.Sprintf("rules[%d].ref", i), "the referenced resource "+r.Ref+" is not a published resource you can see",
				"被引用的资源"+r.Ref+"不是可见的已发布资源")
		}
		rules[i].Ref = DatasetName(id)
	}
	spec := SpecFor(res, rules)
	if _, err := quality.CompileAt(spec.Columns, spec.Rules, s.now()); err != nil {
		return nil, err
	}
	doc, err := json.Marshal(rules)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		before, err := s.rules(ctx, tx, resourceID)
		if err != nil {
			return err
		}
		now := store.FormatTime(s.now())
		if _, err := tx.ExecContext(ctx, `DELETE FROM resource_rules WHERE resource_id = ?`, resourceID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO resource_rules (resource_id, org_id, rules, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)`,
			resourceID, res.OrgID, string(doc), p.UserID, now); err != nil {
			return err
		}
		return appendAction(ctx, tx, s.now(), "rules.set", "resource", resourceID, res.OrgID, before, rules)
	})
	if err != nil {
		return nil, err
	}
	return rules, nil
}

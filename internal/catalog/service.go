package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/search"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/workday"
)

// Index is the search index the catalog keeps in step with the store.
type Index interface {
	Put(docs ...search.Doc) error
	Delete(ids ...string) error
	Search(ctx context.Context, q search.Query) (search.Result, error)
	Rebuild(ctx context.Context, each func(yield func(search.Doc) error) error) (int, error)
	Count() (int, error)
}

// Service owns the catalog tables.
type Service struct {
	db    *store.DB
	index Index
	log   *slog.Logger
	now   func() time.Time

	mu   sync.RWMutex
	ref  Reference
	orgs map[string]orgInfo
}

type orgInfo struct {
	name, providerCode, nodeID, region string
}

// New returns the catalog service. Call LoadReference before use.
func New(db *store.DB, index Index, log *slog.Logger, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, index: index, log: log, now: now}
}

// LoadReference (re)reads classifications, standard elements and
// organisations, which checks and search documents need.
func (s *Service) LoadReference(ctx context.Context) error {
	ref := Reference{Classifications: map[string]Classification{}, Elements: map[string]Element{}, ElementByName: map[string]Element{}}
	cs, err := s.Classifications(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		ref.Classifications[c.Code] = c
	}
	els, err := s.Elements(ctx)
	if err != nil {
		return err
	}
	for _, e := range els {
		ref.Elements[e.Code] = e
		ref.ElementByName[e.Name] = e
	}
	orgs := map[string]orgInfo{}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, provider_code, node_id, region_code FROM organisations`)
	if err != nil {
		return fmt.Errorf("load organisations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var o orgInfo
		if err := rows.Scan(&id, &o.name, &o.providerCode, &o.nodeID, &o.region); err != nil {
			return err
		}
		orgs[id] = o
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.ref, s.orgs = ref, orgs
	s.mu.Unlock()
	return nil
}

func (s *Service) reference() Reference {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ref
}

func (s *Service) org(id string) (orgInfo, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.orgs[id]
	return o, ok
}

// Calendar returns the working-day calendar with the admins' overrides.
func (s *Service) Calendar(ctx context.Context) (*workday.Calendar, error) {
	ovs, err := s.CalendarOverrides(ctx)
	if err != nil {
		return nil, err
	}
	return workday.Default().With(ovs...), nil
}

// need checks that the caller may do a in org.
func need(ctx context.Context, a authz.Action, org string) (*authz.Principal, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Can(a, org) {
		return nil, authz.Denied()
	}
	return p, nil
}

// Package identity holds the platform's structure and people: regions,
// nodes, organisations, users, roles and login sessions (MGT-1, TOP-1,
// TOP-3).
package identity

import (
	"context"
	"log/slog"
	"time"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// Service owns the identity tables.
type Service struct {
	db     *store.DB
	now    func() time.Time
	log    *slog.Logger
	argon  Argon2Params
	webTTL time.Duration
	apiTTL time.Duration
}

// Option configures a Service.
type Option func(*Service)

// WithClock injects the clock.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithArgon2 sets the password hashing cost (tests use a cheap one).
func WithArgon2(p Argon2Params) Option { return func(s *Service) { s.argon = p } }

// New returns the identity service.
func New(db *store.DB, log *slog.Logger, opts ...Option) *Service {
	s := &Service{db: db, now: time.Now, log: log, argon: DefaultArgon2,
		webTTL: 12 * time.Hour, apiTTL: 30 * 24 * time.Hour}
	for _, o := range opts {
		o(s)
	}
	return s
}

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

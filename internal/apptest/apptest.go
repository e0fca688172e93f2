// Package apptest starts a real pubdata node for tests: the same app.App
// that cmd/pubdata runs, on a temporary data directory, with the control
// store on SQLite or on PostgreSQL (PUBDATA_TEST_POSTGRES).
package apptest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

// AdminPassword is user admin's password in test nodes.
const AdminPassword = "Test-Admin-Pass-1"

// CheapArgon2 keeps password hashing fast in tests.
var CheapArgon2 = identity.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// Open starts a node whose control store is at dsn ("" = SQLite in the
// temporary directory).
func Open(t testing.TB, dsn string, now func() time.Time) *app.App {
	t.Helper()
	return OpenWith(t, dsn, now, nil)
}

// OpenWith is Open with the node's configuration changed by edit (when
// not nil) before it starts: a small upload limit, say.
func OpenWith(t testing.TB, dsn string, now func() time.Time, edit func(*app.Config)) *app.App {
	t.Helper()
	dir := t.TempDir()
	if dsn != "" && dsn[0] == '/' {
		dsn = "" // a SQLite path from storetest: use the app's own file
	}
	cfg := app.Config{DataDir: dir, Postgres: dsn, AdminPassword: AdminPassword,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now, Argon2: &CheapArgon2,
		Aggregation: aggregate.Config{Poll: 50 * time.Millisecond, Backoff: 20 * time.Millisecond, Workers: 2},
		// Tests escalate tickets by hand, at the times they choose.
		EscalateEvery: -1}
	if edit != nil {
		edit(&cfg)
	}
	a, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("app.Open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.StartJobs(context.Background()); err != nil {
		t.Fatalf("StartJobs: %v", err)
	}
	return a
}

// Each runs fn on a fresh node per control-store backend.
func Each(t *testing.T, fn func(t *testing.T, a *app.App)) {
	storetest.Each(t, func(t *testing.T, dsn string) { fn(t, Open(t, dsn, nil)) })
}

// As returns ctx acting as the named user.
func As(t testing.TB, a *app.App, username string) context.Context {
	t.Helper()
	p, err := a.Identity.PrincipalOf(context.Background(), username)
	if err != nil {
		t.Fatalf("PrincipalOf(%s): %v", username, err)
	}
	return authz.WithPrincipal(context.Background(), p)
}

// WaitLoad polls a load until it has succeeded or failed (a minute at
// most) and returns it.
func WaitLoad(t testing.TB, ctx context.Context, s *aggregate.Service, id string) *aggregate.Load {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		l, err := s.Get(ctx, id)
		if err != nil {
			t.Fatalf("Get(%s): %v", id, err)
		}
		if l.State == aggregate.Succeeded || l.State == aggregate.Failed {
			return l
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("load %s did not end within a minute", id)
	return nil
}

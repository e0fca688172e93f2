// Package storetest gives tests a fresh control store on every backend:
// SQLite in a temporary directory always, and PostgreSQL when
// PUBDATA_TEST_POSTGRES holds a URL (CI sets it). Each PostgreSQL test gets
// its own schema, dropped afterwards.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Backend names one control-store engine and how to reach a fresh instance.
type Backend struct {
	Name string
	// DSN returns a connection string for a new, empty store that is removed
	// when t ends.
	DSN func(t testing.TB) string
}

// Backends lists the engines to test on.
func Backends() []Backend {
	bs := []Backend{{Name: "sqlite", DSN: func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "control.db")
	}}}
	if pg := os.Getenv("PUBDATA_TEST_POSTGRES"); pg != "" {
		bs = append(bs, Backend{Name: "postgres", DSN: func(t testing.TB) string { return FreshSchema(t, pg) }})
	}
	return bs
}

// Each runs fn once per backend as a subtest.
func Each(t *testing.T, fn func(t *testing.T, dsn string)) {
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.DSN(t)) })
	}
}

// FreshSchema creates a schema in the PostgreSQL database at base and
// returns a URL whose connections use it; the schema is dropped at cleanup.
func FreshSchema(t testing.TB, base string) string {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	schema := fmt.Sprintf("t_%d_%x", os.Getpid(), rand.Uint64())
	if _, err := db.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		t.Fatalf("create schema: %v (is PUBDATA_TEST_POSTGRES=%q reachable?)", err, base)
	}
	t.Cleanup(func() {
		db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		db.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %q: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

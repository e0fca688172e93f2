package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

// storeKind opens a record store of one engine.
type storeKind struct {
	name string
	// dsn makes a fresh store location; open opens it.
	dsn  func(t *testing.T) string
	open func(ctx context.Context, dsn string) (records.Store, error)
}

func storeKinds() []storeKind {
	kinds := []storeKind{{
		name: "duckdb",
		dsn:  func(t *testing.T) string { return filepath.Join(t.TempDir(), "records.duckdb") },
		open: func(ctx context.Context, dsn string) (records.Store, error) { return records.OpenDuckDB(ctx, dsn) },
	}}
	if pg := os.Getenv("PUBDATA_TEST_POSTGRES"); pg != "" {
		kinds = append(kinds, storeKind{
			name: "postgres",
			dsn:  func(t *testing.T) string { return storetest.FreshSchema(t, pg) },
			open: func(ctx context.Context, dsn string) (records.Store, error) { return records.OpenPostgres(ctx, dsn) },
		})
	}
	return kinds
}

// eachStore runs fn on a fresh store of every engine.
func eachStore(t *testing.T, fn func(t *testing.T, s records.Store)) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			s, err := k.open(context.Background(), k.dsn(t))
			if err != nil {
				t.Fatalf("open %s: %v", k.name, err)
			}
			t.Cleanup(func() { s.Close() })
			fn(t, s)
		})
	}
}

func leftovers(t *testing.T, s records.Store) []string {
	t.Helper()
	l, err := s.(interface {
		Leftovers(context.Context) ([]string, error)
	}).Leftovers(context.Background())
	if err != nil {
		t.Fatalf("Leftovers: %v", err)
	}
	return l
}

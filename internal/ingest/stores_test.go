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

// eachStore runs fn on a fresh store of every engine, and once more on
// DuckDB with flagged duplicates confirmed from the key log, as they are
// on PostgreSQL, so that both ways are tested without PostgreSQL.
func eachStore(t *testing.T, fn func(t *testing.T, s records.Store)) {
	run := func(name string, k storeKind, byLog bool) {
		t.Run(name, func(t *testing.T) {
			if byLog {
				keysByLog = func(records.VersionWriter) bool { return true }
				t.Cleanup(func() { keysByLog = records.KeysByScan })
			}
			s, err := k.open(context.Background(), k.dsn(t))
			if err != nil {
				t.Fatalf("open %s: %v", k.name, err)
			}
			t.Cleanup(func() { s.Close() })
			fn(t, s)
		})
	}
	kinds := storeKinds()
	for _, k := range kinds {
		run(k.name, k, false)
	}
	run("duckdb_keylog", kinds[0], true)
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

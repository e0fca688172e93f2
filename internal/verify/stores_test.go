package verify

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

// recordStore is one record-store engine and the methods it supports.
type recordStore struct {
	name    string
	methods []string
	Open    func(t *testing.T) records.Store
}

func recordStores() []recordStore {
	rs := []recordStore{{name: "duckdb", methods: []string{MethodDuckDBSQL, MethodScan}, Open: func(t *testing.T) records.Store {
		s, err := records.OpenDuckDB(context.Background(), filepath.Join(t.TempDir(), "records.duckdb"))
		if err != nil {
			t.Fatalf("OpenDuckDB: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}}}
	if pg := os.Getenv("PUBDATA_TEST_POSTGRES"); pg != "" {
		rs = append(rs, recordStore{name: "postgres", methods: []string{MethodPostgresSQL, MethodScan}, Open: func(t *testing.T) records.Store {
			s, err := records.OpenPostgres(context.Background(), storetest.FreshSchema(t, pg))
			if err != nil {
				t.Fatalf("OpenPostgres: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}})
	}
	return rs
}

// eachRecordStore runs fn on a fresh record store of every engine.
func eachRecordStore(t *testing.T, fn func(t *testing.T, s records.Store, methods []string)) {
	for _, r := range recordStores() {
		t.Run(r.name, func(t *testing.T) { fn(t, r.Open(t), r.methods) })
	}
}

// writeVersion writes rows as a new version of spec's dataset and deletes
// keys. A value is nil (NULL), a string (dates as YYYY-MM-DD, timestamps
// as YYYY-MM-DD HH:MM:SS[.ffffff]), an int64, a float64, a bool or a
// time.Time.
func writeVersion(t *testing.T, s records.Store, spec records.DatasetSpec, mode records.Mode, rows [][]any, deletes ...string) {
	t.Helper()
	ctx := context.Background()
	if err := s.EnsureDataset(ctx, spec); err != nil {
		t.Fatalf("EnsureDataset: %v", err)
	}
	w, err := s.BeginVersion(ctx, spec.Name, mode, records.Load{ID: t.Name(), Source: "test"})
	if err != nil {
		t.Fatalf("BeginVersion: %v", err)
	}
	defer w.Abort()
	b := records.NewBatch(spec, len(rows))
	for i, r := range rows {
		for j, c := range spec.Columns {
			v := &b.Cols[j]
			x := r[j]
			if str, ok := x.(string); ok && (c.Type == records.Date || c.Type == records.Timestamp) {
				tm, err := time.Parse("2006-01-02 15:04:05.999999"[:len(str)], str)
				if err != nil {
					t.Fatal(err)
				}
				x = tm
			}
			switch x := x.(type) {
			case nil:
				v.AppendNull(c.Type)
			case string:
				v.AppendString(x)
			case int64:
				v.AppendInt(x)
			case float64:
				v.AppendFloat(x)
			case bool:
				v.AppendBool(x)
			case time.Time:
				if c.Type == records.Date {
					v.AppendInt(x.Unix() / 86400)
				} else {
					v.AppendInt(x.UnixMicro())
				}
			default:
				t.Fatalf("writeVersion: value %v of type %T", x, x)
			}
		}
		b.SourceRow = append(b.SourceRow, int64(i+1))
		b.Len++
	}
	if err := w.WriteBatch(ctx, b); err != nil {
		t.Fatalf("WriteBatch: %v", err)
	}
	for _, k := range deletes {
		if err := w.Delete(ctx, [][]string{{k}}); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	if _, err := w.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

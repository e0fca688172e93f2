package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n < 2 {
			t.Errorf("schema_migrations has %d rows, want >= 2", n)
		}
	})
}

func TestInTxRollsBackOnError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, level) VALUES (?, ?, ?)`, "350000", "福建省", "province"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("regions after rollback = %d, want 0", n)
		}
	})
}

func TestUniqueViolationIsRecognised(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		ins := `INSERT INTO regions (code, name, level) VALUES (?, ?, ?)`
		if _, err := db.ExecContext(ctx, ins, "350000", "福建省", "province"); err != nil {
			t.Fatal(err)
		}
		_, err := db.ExecContext(ctx, ins, "350000", "福建省", "province")
		if !store.IsUniqueViolation(err) {
			t.Errorf("IsUniqueViolation(%v) = false, want true", err)
		}
	})
}

func TestActionLogAutoID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		for i := 0; i < 3; i++ {
			if _, err := db.ExecContext(ctx, `INSERT INTO action_log (at, node_id, org_id, actor_id, actor_name, action, entity_type, entity_id)
				VALUES (?, '', '', 'a', 'a', 'x', 'y', 'z')`, "2026-01-01T00:00:00.000000Z"); err != nil {
				t.Fatal(err)
			}
		}
		var max int64
		if err := db.QueryRowContext(ctx, `SELECT MAX(seq) FROM action_log`).Scan(&max); err != nil {
			t.Fatal(err)
		}
		if max != 3 {
			t.Errorf("MAX(seq) = %d, want 3", max)
		}
	})
}

func open(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

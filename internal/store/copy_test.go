package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

// TestCopyRows inserts more rows than one SQLite statement holds, twice
// with the same shapes (the prepared statements are reused), and a NULL.
func TestCopyRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		cols := []string{"code", "name", "level", "parent_code"}
		batch := func(from, n int) [][]any {
			rows := make([][]any, n)
			for i := range rows {
				var parent any
				if i%2 == 0 {
					parent = "350000"
				}
				rows[i] = []any{fmt.Sprintf("%06d", from+i), "区县", "county", parent}
			}
			return rows
		}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.CopyRows(ctx, "regions", cols, batch(0, 17501)); err != nil {
				return err
			}
			return tx.CopyRows(ctx, "regions", cols, batch(17501, 17501))
		})
		if err != nil {
			t.Fatalf("CopyRows: %v", err)
		}
		var n, parents int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(parent_code) FROM regions`).Scan(&n, &parents); err != nil {
			t.Fatal(err)
		}
		if n != 35002 || parents != 17502 {
			t.Errorf("after CopyRows: %d regions, %d with a parent, want 35002, 17502", n, parents)
		}
	})
}

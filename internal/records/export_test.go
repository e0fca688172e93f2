package records

import (
	"context"
	"strconv"
)

// Leftovers lists storage a store holds that no committed version uses.
func Leftovers(ctx context.Context, s Store) []string {
	l, err := s.(interface {
		Leftovers(context.Context) ([]string, error)
	}).Leftovers(ctx)
	if err != nil {
		return []string{err.Error()}
	}
	return l
}

// StorageUnits counts the files (DuckDB) or tables (PostgreSQL) holding a
// dataset's rows.
func StorageUnits(ctx context.Context, s Store, dataset string) int {
	var n int
	switch s := s.(type) {
	case *DuckDB:
		s.db.QueryRowContext(ctx, `SELECT count(*) FROM rs_files WHERE dataset = ?`, dataset).Scan(&n)
	case *Postgres:
		d, _ := s.dataset(ctx, s.pool, dataset)
		s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1`,
			`rs\_`+strconv.FormatInt(d.id, 10)+`\_g%`).Scan(&n)
	default:
		return -1
	}
	return n
}

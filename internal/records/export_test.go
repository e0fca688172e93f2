package records

import "context"

// Leftovers lists storage a store holds that no committed version uses.
func Leftovers(ctx context.Context, s Store) []string {
	switch s := s.(type) {
	case *DuckDB:
		l, _ := s.orphans(ctx)
		return l
	}
	return []string{"unknown store"}
}

// StorageUnits counts the files (DuckDB) or tables (PostgreSQL) holding a
// dataset's rows.
func StorageUnits(ctx context.Context, s Store, dataset string) int {
	switch s := s.(type) {
	case *DuckDB:
		var n int
		s.db.QueryRowContext(ctx, `SELECT count(*) FROM rs_files WHERE dataset = ?`, dataset).Scan(&n)
		return n
	}
	return -1
}

package records

import (
	"context"
	"strconv"
)

// LiveSQL returns the columns of version v (as Current or Versions
// returned it) and a query of the rows v sees: one column per column of
// that spec, named as in it. It is for readers that run their own SQL
// beside the store's tables, such as multi-source verification; the query
// is valid until Retain drops the version.
func (s *Postgres) LiveSQL(ctx context.Context, v Version) (DatasetSpec, string, error) {
	d, err := s.dataset(ctx, s.pool, v.Dataset)
	if err != nil {
		return DatasetSpec{}, "", err
	}
	spec, err := s.generationSpec(ctx, s.pool, v.Dataset, v.Number)
	if err != nil {
		return DatasetSpec{}, "", err
	}
	n := strconv.FormatInt(v.Number, 10)
	// The rows of Scan: written by v or earlier, not replaced by v or earlier.
	return spec, `SELECT ` + columnList(spec) + ` FROM ` + ident(genTable(d.id, v.Generation)) +
		` WHERE _vfrom <= ` + n + ` AND (_vto IS NULL OR _vto > ` + n + `)`, nil
}

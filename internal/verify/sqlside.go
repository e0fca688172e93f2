package verify

import (
	"context"

	"github.com/pubdata/pubdata/internal/records"
)

// sqlSide is what the SQL methods (DuckDB's, PostgreSQL's) need of one
// side.
type sqlSide struct {
	version records.Version
	spec    records.DatasetSpec
	cols    columns
	live    string // a query of the version's rows: every column of the spec
}

// prepare finds a side's version and compared columns; live gives the
// version's columns and the query of its rows in the store's SQL.
func prepare(ctx context.Context, st records.Store, s Side, side string, req *Request,
	live func(Side, records.Version) (records.DatasetSpec, string, error)) (*sqlSide, error) {
	v, err := version(ctx, st, s)
	if err != nil {
		return nil, err
	}
	d := &sqlSide{version: v}
	if d.spec, d.live, err = live(s, v); err != nil {
		return nil, err
	}
	if d.cols, err = resolve(d.spec, side, req.Key, req.Attributes); err != nil {
		return nil, err
	}
	return d, nil
}

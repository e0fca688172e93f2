package demo

import (
	"bytes"
	"context"
	"fmt"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/gen"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/store"
)

// PopulationRows is how many generated rows SeedData loads into 人口基本信息.
const PopulationRows = 20_000

// SeedData gives the demo data to look at: a generated population file
// with 2% injected errors loaded into 人口基本信息, so its dataset, the
// rejected rows, the quality scores and the statistics show something. It
// does nothing when the dataset already has data.
func SeedData(ctx context.Context, ident *identity.Service, agg *aggregate.Service, db *store.DB) error {
	var id string
	if err := db.QueryRowContext(ctx, `SELECT id FROM resources WHERE name = ? AND published_version IS NOT NULL`, PopulationName).Scan(&id); err != nil {
		return fmt.Errorf("demo data: find %s: %w", PopulationName, err)
	}
	if _, err := agg.Records().Current(ctx, aggregate.DatasetName(id)); err == nil {
		return nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	p, err := ident.PrincipalOf(ctx, "admin")
	if err != nil {
		return err
	}
	actx := authz.WithPrincipal(ctx, p)
	var data bytes.Buffer
	if _, err := gen.Population(&data, nil, gen.PopulationOptions{Rows: PopulationRows, ErrorRate: 0.02, Seed: 2026, Encoding: "gb18030"}); err != nil {
		return err
	}
	l, err := agg.Submit(actx, id, aggregate.Upload{Body: &data, Name: "人口基本信息-2026年11月.csv"})
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	l, err = agg.RunNow(actx, l.ID, nil)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if l.State != aggregate.Succeeded {
		return fmt.Errorf("demo data: the load of %s %s", PopulationName, l.State)
	}
	return nil
}

package records_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/records"
)

// LiveSQL selects the rows Scan reads, version by version.
func TestPostgresLiveSQLIsScan(t *testing.T) {
	for _, b := range backends(t) {
		if b.name != "postgres" {
			continue
		}
		s, _ := b.open(t)
		pg := s.(*records.Postgres)
		ctx := context.Background()
		if err := s.EnsureDataset(ctx, people); err != nil {
			t.Fatal(err)
		}
		load(t, s, records.Full, "v1", []person{alice, bob, carol})
		load(t, s, records.Incremental, "v2", []person{bob2, dave}, "C")
		load(t, s, records.Full, "v3", []person{carol})
		vs, err := s.Versions(ctx, people.Name)
		if err != nil || len(vs) != 3 {
			t.Fatalf("Versions = %d versions, %v; want 3", len(vs), err)
		}
		for _, v := range vs {
			spec, q, err := pg.LiveSQL(ctx, v)
			if err != nil {
				t.Fatalf("LiveSQL(%d): %v", v.Number, err)
			}
			if len(spec.Columns) != len(people.Columns) {
				t.Errorf("LiveSQL(%d) spec has %d columns, want %d", v.Number, len(spec.Columns), len(people.Columns))
			}
			rows, err := pg.Pool().Query(ctx, `SELECT id, name FROM (`+q+`) r ORDER BY id`)
			if err != nil {
				t.Fatalf("LiveSQL(%d) query: %v", v.Number, err)
			}
			var got []string
			for rows.Next() {
				var id string
				var name *string
				if err := rows.Scan(&id, &name); err != nil {
					t.Fatal(err)
				}
				if name != nil {
					id += " " + *name
				}
				got = append(got, id)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, p := range scan(t, s, v.Number) {
				if p.Name != "" {
					p.ID += " " + p.Name
				}
				want = append(want, p.ID)
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("LiveSQL(%d) rows differ from Scan (-scan +live):\n%s", v.Number, diff)
			}
		}
	}
}

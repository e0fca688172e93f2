package verify

import (
	"context"
	"fmt"
	"sort"

	"golang.org/x/sync/errgroup"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
)

// table is one side read into memory: a slot per distinct key, holding the
// values of the first row with that key.
type table struct {
	slot     map[string]int32
	rows     []int32  // rows per slot
	vals     []string // slot*n + j: attribute j
	valid    []bool   // false: NULL
	n        int      // attributes
	total    int64    // rows read
	nullKeys int64
}

// version returns the version of a side to read.
func version(ctx context.Context, st records.Store, s Side) (records.Version, error) {
	if s.Version == 0 {
		return st.Current(ctx, s.Dataset)
	}
	vs, err := st.Versions(ctx, s.Dataset)
	if err != nil {
		return records.Version{}, err
	}
	for _, v := range vs {
		if v.Number == s.Version {
			return v, nil
		}
	}
	return records.Version{}, notFoundVersion(s)
}

// compareScan is the general method: both sides read with Store.Scan.
func compareScan(ctx context.Context, st records.Store, req *Request) (*Report, error) {
	va, err := version(ctx, st, req.A)
	if err != nil {
		return nil, err
	}
	vb, err := version(ctx, st, req.B)
	if err != nil {
		return nil, err
	}
	specA, err := st.Dataset(ctx, req.A.Dataset)
	if err != nil {
		return nil, err
	}
	specB, err := st.Dataset(ctx, req.B.Dataset)
	if err != nil {
		return nil, err
	}
	ca, errA := resolve(specA, SideA, req.Key, req.Attributes)
	cb, errB := resolve(specB, SideB, req.Key, req.Attributes)
	if err := apperr.Join(errA, errB); err != nil {
		return nil, err
	}
	// The two sides are read at once: each scan is mostly one core's
	// work decoding rows.
	var ta, tb *table
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		ta, err = scanTable(gctx, st, req.A.Dataset, va.Number, specA, ca)
		return err
	})
	g.Go(func() (err error) {
		tb, err = scanTable(gctx, st, req.B.Dataset, vb.Number, specB, cb)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	rep := newReport(req, specA, specB, ca, cb)
	rep.A.Version, rep.B.Version = va.Number, vb.Number
	ta.describe(&rep.A)
	tb.describe(&rep.B)
	join(ta, tb, req, rep)
	return rep, nil
}

// scanTable reads the key and attributes of a version into memory.
func scanTable(ctx context.Context, st records.Store, dataset string, v int64, spec records.DatasetSpec, cols columns) (*table, error) {
	t := &table{slot: map[string]int32{}, n: len(cols.attrs)}
	keyType := spec.Columns[cols.key].Type
	err := st.Scan(ctx, dataset, v, func(r records.Row) error {
		if len(r.Values) != len(spec.Columns) {
			return fmt.Errorf("verify: %s version %d has %d columns, its spec %d: verify the current version", dataset, v, len(r.Values), len(spec.Columns))
		}
		t.total++
		k, ok := text(r.Values[cols.key], keyType)
		if !ok {
			t.nullKeys++
			return nil
		}
		if s, seen := t.slot[k]; seen {
			t.rows[s]++
			return nil
		}
		t.slot[k] = int32(len(t.rows))
		t.rows = append(t.rows, 1)
		for _, i := range cols.attrs {
			s, ok := text(r.Values[i], spec.Columns[i].Type)
			t.vals = append(t.vals, s)
			t.valid = append(t.valid, ok)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verify: read %s: %w", dataset, err)
	}
	return t, nil
}

func (t *table) describe(r *SideReport) {
	r.Rows, r.NullKeys, r.Keys = t.total, t.nullKeys, int64(len(t.rows))
	for _, n := range t.rows {
		if n > 1 {
			r.DuplicateKeys++
		}
	}
}

// join counts the keys and compares the attributes of two tables.
func join(a, b *table, req *Request, rep *Report) {
	type pair struct {
		key    string
		sa, sb int32
	}
	var conflicting []pair
	matchedB := 0
	for k, sa := range a.slot {
		sb, ok := b.slot[k]
		if !ok {
			rep.OnlyA++
			continue
		}
		matchedB++
		rep.MatchedKeys++
		if a.rows[sa] > 1 || b.rows[sb] > 1 {
			rep.AmbiguousKeys++
			continue
		}
		differs := false
		for j := range rep.Attributes {
			ia, ib := int(sa)*a.n+j, int(sb)*b.n+j
			if a.valid[ia] == b.valid[ib] && a.vals[ia] == b.vals[ib] {
				rep.Attributes[j].Matches++
			} else {
				rep.Attributes[j].Conflicts++
				differs = true
			}
		}
		if differs {
			rep.ConflictingKeys++
			conflicting = append(conflicting, pair{k, sa, sb})
		}
	}
	rep.OnlyB = int64(len(b.slot) - matchedB)
	sort.Slice(conflicting, func(i, j int) bool { return conflicting[i].key < conflicting[j].key })
	for _, p := range conflicting {
		for j, attr := range req.Attributes {
			if len(rep.Sample) == req.SampleLimit {
				return
			}
			ia, ib := int(p.sa)*a.n+j, int(p.sb)*b.n+j
			if a.valid[ia] == b.valid[ib] && a.vals[ia] == b.vals[ib] {
				continue
			}
			rep.Sample = append(rep.Sample, Conflict{Key: p.key, Attribute: attr.Name,
				A: ptr(a.vals[ia], a.valid[ia]), B: ptr(b.vals[ib], b.valid[ib])})
		}
	}
}

package aggregate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
)

// RuleCheck is what one dataset rule found in the current version.
type RuleCheck struct {
	Rule       string   `json:"rule"`
	Kind       string   `json:"kind"`
	Columns    []string `json:"columns"`
	Ref        string   `json:"ref,omitempty"`
	Violations int64    `json:"violations"`
	// Sample lists up to 20 violating rows: the row of the load that
	// wrote it and the values in the rule's columns.
	Sample []RuleViolation `json:"sample"`
}

// RuleViolation is one row that breaks a dataset rule.
type RuleViolation struct {
	Version   int64    `json:"loaded_in_version"`
	SourceRow int64    `json:"source_row"`
	Values    []string `json:"values"`
	// FirstRow is, for a unique rule, the source row of the earlier row
	// with the same values.
	FirstRow int64 `json:"first_source_row,omitempty"`
}

// DatasetCheck is an on-demand run of a dataset's dataset rules (unique
// and reference) over its current version.
type DatasetCheck struct {
	Dataset string      `json:"dataset"`
	Version int64       `json:"version"`
	Rows    int64       `json:"rows"`
	Rules   []RuleCheck `json:"rules"`
	Elapsed float64     `json:"elapsed_s"`
}

const checkSample = 20

// CheckDataset runs the resource's dataset rules over the current version
// of its dataset: every unique rule (the key's too, which loads enforce)
// and every reference rule, against the referenced dataset's current
// keys. Values are held in memory: about 60 bytes a row per unique rule.
func (s *Service) CheckDataset(ctx context.Context, resourceID string) (*DatasetCheck, error) {
	start := time.Now()
	res, err := s.resourceFor(ctx, resourceID, authz.RecordsRead) // the sample shows values
	if err != nil {
		return nil, err
	}
	pub, err := s.cat.Published(ctx, res.ID)
	if err != nil {
		return nil, err
	}
	rules, err := s.rules(ctx, s.db, res.ID)
	if err != nil {
		return nil, err
	}
	spec := SpecFor(pub, rules)
	prog, err := quality.CompileAt(spec.Columns, spec.Rules, s.now())
	if err != nil {
		return nil, err
	}
	name := DatasetName(res.ID)
	cur, err := s.rec.Current(ctx, name)
	if err != nil {
		return nil, err
	}
	stored, err := s.rec.Dataset(ctx, name)
	if err != nil {
		return nil, err
	}
	// Capacity for every rule up front: the checks below point into it.
	out := &DatasetCheck{Dataset: name, Version: cur.Number, Rules: make([]RuleCheck, 0, len(prog.Dataset()))}

	type uniq struct {
		check *RuleCheck
		cols  []int
		first map[string]int64
	}
	type ref struct {
		check *RuleCheck
		cols  []int
		keys  map[string]struct{}
	}
	var uniqs []*uniq
	var refs []*ref
	// The stored columns are matched to the spec's by position: the
	// dataset's columns are the published items, in order.
	if len(stored.Columns) != len(spec.Columns) {
		return nil, fmt.Errorf("dataset %s has %d columns, the published resource %d: load it again", name, len(stored.Columns), len(spec.Columns))
	}
	for _, d := range prog.Dataset() {
		rc := &RuleCheck{Rule: d.Rule.Name, Kind: string(d.Kind), Ref: d.Ref, Sample: []RuleViolation{}}
		if rc.Rule == "" {
			rc.Rule = string(d.Kind)
		}
		for _, c := range d.Cols {
			rc.Columns = append(rc.Columns, spec.Columns[c].Name)
		}
		out.Rules = append(out.Rules, *rc)
		rc = &out.Rules[len(out.Rules)-1]
		switch d.Kind {
		case quality.KindUnique:
			uniqs = append(uniqs, &uniq{check: rc, cols: d.Cols, first: map[string]int64{}})
		case quality.KindReference:
			keys, err := ingest.KeySet(ctx, s.rec, d.Ref)
			if err != nil {
				return nil, err
			}
			refs = append(refs, &ref{check: rc, cols: d.Cols, keys: keys})
		}
	}
	var b strings.Builder
	key := func(vals []any, cols []int) (string, []string, bool) {
		b.Reset()
		texts := make([]string, len(cols))
		blank := true
		for i, c := range cols {
			if i > 0 {
				b.WriteByte(0x1f)
			}
			t := ingest.ValueText(vals[c])
			texts[i] = t
			if t != "" {
				blank = false
			}
			b.WriteString(t)
		}
		return b.String(), texts, !blank
	}
	err = s.rec.Scan(ctx, name, cur.Number, func(r records.Row) error {
		out.Rows++
		for _, u := range uniqs {
			k, texts, ok := key(r.Values, u.cols)
			if !ok {
				continue
			}
			if first, seen := u.first[k]; seen {
				u.check.Violations++
				if len(u.check.Sample) < checkSample {
					u.check.Sample = append(u.check.Sample, RuleViolation{Version: r.Version, SourceRow: r.SourceRow, Values: texts, FirstRow: first})
				}
				continue
			}
			u.first[strings.Clone(k)] = r.SourceRow
		}
		for _, rf := range refs {
			k, texts, ok := key(r.Values, rf.cols)
			if !ok {
				continue
			}
			if _, found := rf.keys[k]; !found {
				rf.check.Violations++
				if len(rf.check.Sample) < checkSample {
					rf.check.Sample = append(rf.check.Sample, RuleViolation{Version: r.Version, SourceRow: r.SourceRow, Values: texts})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", name, err)
	}
	out.Elapsed = time.Since(start).Seconds()
	if err := appendAction(ctx, s.db, s.now(), "dataset.check", "dataset", name, res.OrgID, nil,
		map[string]any{"version": cur.Number, "rules": len(out.Rules)}); err != nil {
		return nil, err
	}
	return out, nil
}

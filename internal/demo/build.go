package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/workday"
)

// seeded is a resource ready to store: its working copy and its history.
type seeded struct {
	r    catalog.Resource
	hist []catalog.Version
	in   *instance
	lc   lifecycle
}

// published reports whether the resource has a published version.
func (s *seeded) published() bool { return s.r.PublishedVersion > 0 }

// builder turns planned instances into resources with histories.
type builder struct {
	rnd *rand.Rand
	cal *workday.Calendar
	now time.Time
	ref catalog.Reference
}

// lifecycles assigns a path to every instance: pinned ones are published,
// the others drawn by weight, and every path occurs at least once.
func (b *builder) lifecycles(plan []instance) []lifecycle {
	out := make([]lifecycle, len(plan))
	var free []int
	for i := range plan {
		if plan[i].pinned {
			out[i] = lcPublished
			continue
		}
		out[i] = pickLifecycle(b.rnd)
		free = append(free, i)
	}
	b.rnd.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	for k, w := range lifecycleWeights {
		if k < len(free) {
			out[free[k]] = w.lc
		}
	}
	return out
}

// revisionTime is when a pending revision was made: within the last few
// working days, so that the update events it answers are still open.
func (b *builder) revisionTime() time.Time {
	d := b.cal.AddWorkdays(b.now, -(1 + b.rnd.IntN(5)))
	return time.Date(d.Year(), d.Month(), d.Day(), 9+b.rnd.IntN(8), b.rnd.IntN(60), 0, 0, d.Location())
}

// build builds every planned resource and checks it against the standard:
// the demo must show conforming entries, so any error fails the seeding.
func (b *builder) build(plan []instance) ([]seeded, error) {
	lcs := b.lifecycles(plan)
	out := make([]seeded, len(plan))
	for i := range plan {
		in := &plan[i]
		final := content(in)
		final.ID = uuid.Must(uuid.NewV7()).String()
		if err := conform(&final, b.ref); err != nil {
			return nil, err
		}
		code := strings.ToLower(in.org.ProviderCode)
		f := &flow{cal: b.cal, rnd: b.rnd, now: b.now}
		if err := replay(f, lcs[i], final, actors{code + ".editor", code + ".reviewer", "admin"}, b.revisionTime()); err != nil {
			return nil, err
		}
		r := f.cur
		if err := conform(&r, b.ref); err != nil {
			return nil, err
		}
		for _, v := range f.hist {
			if v.Action != "create" && v.Action != "update" {
				continue // a transition changes the status only
			}
			if err := conform(v.Resource, b.ref); err != nil {
				return nil, fmt.Errorf("version %d: %w", v.Version, err)
			}
		}
		out[i] = seeded{r: r, hist: f.hist, in: in, lc: lcs[i]}
	}
	return out, nil
}

// conform normalises and grades r and returns its conformance errors.
func conform(r *catalog.Resource, ref catalog.Reference) error {
	catalog.Normalize(r)
	catalog.Grade(r)
	var msgs []string
	for _, f := range catalog.Check(r, ref) {
		if f.Severity == catalog.SevError {
			msgs = append(msgs, f.Field+": "+f.Message)
		}
	}
	if len(msgs) > 0 {
		return fmt.Errorf("demo resource %s (%s) does not conform: %s", r.Name, r.ProviderCode, strings.Join(msgs, "; "))
	}
	return nil
}

package aggregate

import (
	"math"
	"time"

	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/quality"
)

// Scores are the quality scores of a dataset version (GOV-1), each
// between 0 and 1, computed from the load that made it.
type Scores struct {
	// Completeness is the share of filled cells among the rows that could
	// be split into cells.
	Completeness float64 `json:"completeness"`
	// Validity is the share of rows read that broke no error rule.
	Validity float64 `json:"validity"`
	// Uniqueness is the share of rows read whose key was not repeated.
	Uniqueness float64 `json:"uniqueness"`
	// Consistency is the share of rows read that broke no cross-field
	// rule (ID number against birth date and sex, date order), errors and
	// warnings alike.
	Consistency float64 `json:"consistency"`
	// Timeliness is 1 when the load came within its update cycle after
	// the previous one, falling linearly to 0 at one more cycle late.
	Timeliness float64 `json:"timeliness"`
	// LateDays is how many days after the cycle's due date the load came.
	LateDays float64 `json:"late_days,omitempty"`
	// Overall is the mean of the five.
	Overall float64 `json:"overall"`
}

// cycleDays is the length of an update cycle in days.
func cycleDays(cycle string) float64 {
	switch cycle {
	case "realtime", "daily":
		return 1
	case "weekly":
		return 7
	case "monthly":
		return 31
	case "quarterly":
		return 92
	case "yearly":
		return 366
	}
	return 0
}

// scoresOf computes a finished load's scores. prev is when the previous
// successful load of the dataset finished (zero for the first).
func scoresOf(res *ingest.Result, rules []quality.Rule, cycle string, prev, now time.Time) Scores {
	kind := map[string]quality.Kind{}
	for _, r := range rules {
		name := r.Name
		if name == "" {
			name = string(r.Kind)
		}
		kind[name] = r.Kind
	}
	ratio := func(bad, all int64) float64 {
		if all <= 0 {
			return 1
		}
		return 1 - float64(bad)/float64(all)
	}
	var dup, inconsistent int64
	for name, n := range res.Rejections {
		switch k := kind[name]; {
		case name == "unique" || k == quality.KindUnique:
			dup += n
		case k == quality.KindIDBirthSex || k == quality.KindDateOrder:
			inconsistent += n
		}
	}
	for name, n := range res.Warnings {
		if k := kind[name]; k == quality.KindIDBirthSex || k == quality.KindDateOrder {
			inconsistent += n
		}
	}
	s := Scores{Validity: ratio(res.RowsRejected, res.RowsRead), Uniqueness: ratio(dup, res.RowsRead),
		Consistency: ratio(inconsistent, res.RowsRead), Completeness: 1, Timeliness: 1}
	if res.Parsed > 0 && len(res.Filled) > 0 {
		var filled int64
		for _, f := range res.Filled {
			filled += f
		}
		s.Completeness = float64(filled) / float64(res.Parsed*int64(len(res.Filled)))
	}
	if days := cycleDays(cycle); days > 0 && !prev.IsZero() {
		late := now.Sub(prev).Hours()/24 - days
		if late > 0 {
			s.LateDays = math.Round(late*10) / 10
			s.Timeliness = math.Max(0, 1-late/days)
		}
	}
	s.Overall = (s.Completeness + s.Validity + s.Uniqueness + s.Consistency + s.Timeliness) / 5
	for _, p := range []*float64{&s.Completeness, &s.Validity, &s.Uniqueness, &s.Consistency, &s.Timeliness, &s.Overall} {
		*p = math.Round(*p*10000) / 10000
	}
	return s
}

package aggregate

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// TrendPoint is the quality of one dataset version.
type TrendPoint struct {
	LoadID   string    `json:"load_id"`
	Version  int64     `json:"version"`
	Finished time.Time `json:"finished_at"`
	RowsRead int64     `json:"rows_read"`
	Scores   Scores    `json:"scores"`
}

// QualityTrend is a dataset's quality over its versions, oldest first.
type QualityTrend struct {
	ResourceID   string       `json:"resource_id"`
	ResourceCode string       `json:"resource_code"`
	Points       []TrendPoint `json:"points"`
}

// Quality returns the quality scores of a resource's loads over time.
func (s *Service) Quality(ctx context.Context, resourceID string) (*QualityTrend, error) {
	res, err := s.resourceFor(ctx, resourceID, authz.LoadRead)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, version, finished_at, rows_read, result FROM loads
		WHERE resource_id = ? AND state = ? ORDER BY finished_at, id`, res.ID, Succeeded)
	if err != nil {
		return nil, fmt.Errorf("quality of %s: %w", res.Code, err)
	}
	defer rows.Close()
	t := &QualityTrend{ResourceID: res.ID, ResourceCode: res.Code, Points: []TrendPoint{}}
	for rows.Next() {
		var p TrendPoint
		var fin, result string
		if err := rows.Scan(&p.LoadID, &p.Version, &fin, &p.RowsRead, &result); err != nil {
			return nil, err
		}
		var out Outcome
		if json.Unmarshal([]byte(result), &out) != nil || out.Scores == nil {
			continue
		}
		p.Finished, p.Scores = store.ParseTime(fin), *out.Scores
		t.Points = append(t.Points, p)
	}
	return t, rows.Err()
}

// OrgStats are one organisation's aggregation figures (AGG-3).
type OrgStats struct {
	OrgID   string `json:"org_id"`
	OrgName string `json:"org_name"`
	// Registered counts published resources with structured data;
	// WithData those with a dataset version; Records the rows of their
	// current versions.
	Registered int   `json:"registered"`
	WithData   int   `json:"with_data"`
	Records    int64 `json:"records"`
	// Loads in the period, and what they did.
	Loads        int   `json:"loads"`
	Succeeded    int   `json:"succeeded"`
	Failed       int   `json:"failed"`
	RowsLoaded   int64 `json:"rows_loaded"`
	RowsRejected int64 `json:"rows_rejected"`
	// OnTime is the share of the period's successful loads that came
	// within their update cycle; Quality the mean overall score of the
	// latest version of each dataset with data. -1 when there is none.
	OnTime  float64 `json:"on_time_rate"`
	Quality float64 `json:"quality"`
	// Coverage is WithData / Registered.
	Coverage float64 `json:"coverage"`
}

// Statistics are the aggregation figures of a period, per organisation.
type Statistics struct {
	Period string     `json:"period"` // YYYY-MM
	From   time.Time  `json:"from"`
	To     time.Time  `json:"to"`
	Orgs   []OrgStats `json:"orgs"`
	Total  OrgStats   `json:"total"`
}

// Statistics computes a month's aggregation figures for the organisations
// the caller may report on (ReportRead).
func (s *Service) Statistics(ctx context.Context, period string) (*Statistics, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if period == "" {
		period = s.now().In(cst).Format("2006-01")
	}
	from, err := time.ParseInLocation("2006-01", period, cst)
	if err != nil {
		return nil, fieldErr("period", "period must be a month as YYYY-MM", "统计期须为年月，格式为YYYY-MM")
	}
	st := &Statistics{Period: period, From: from, To: from.AddDate(0, 1, 0)}
	orgs := map[string]*OrgStats{}
	var order []string
	get := func(id string) *OrgStats {
		o, ok := orgs[id]
		if !ok {
			o = &OrgStats{OrgID: id, OnTime: -1, Quality: -1}
			orgs[id] = o
			order = append(order, id)
		}
		return o
	}
	visible := func(org string) bool { return p.Can(authz.ReportRead, org) }

	// Published resources with structured data, per organisation.
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.org_id, v.doc FROM resources r
		JOIN resource_versions v ON v.resource_id = r.id AND v.version = r.published_version
		WHERE r.published_version IS NOT NULL AND r.status <> 'retired'`)
	if err != nil {
		return nil, fmt.Errorf("statistics: resources: %w", err)
	}
	for rows.Next() {
		var id, org, doc string
		if err := rows.Scan(&id, &org, &doc); err != nil {
			rows.Close()
			return nil, err
		}
		if !visible(org) {
			continue
		}
		var r struct {
			FormatClass string `json:"format_class"`
		}
		if json.Unmarshal([]byte(doc), &r) == nil && (r.FormatClass == "2" || r.FormatClass == "3" || r.FormatClass == "6" || r.FormatClass == "7") {
			get(org).Registered++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Datasets with data: the latest successful load of each.
	type latest struct {
		org, dataset string
		result       string
	}
	lat := map[string]latest{}
	rows, err = s.db.QueryContext(ctx, `SELECT org_id, dataset, result FROM loads WHERE state = ? ORDER BY finished_at, id`, Succeeded)
	if err != nil {
		return nil, fmt.Errorf("statistics: datasets: %w", err)
	}
	for rows.Next() {
		var l latest
		if err := rows.Scan(&l.org, &l.dataset, &l.result); err != nil {
			rows.Close()
			return nil, err
		}
		if visible(l.org) {
			lat[l.dataset] = l
		}
	}
	rows.Close()
	quality := map[string][]float64{}
	for ds, l := range lat {
		o := get(l.org)
		if cur, err := s.rec.Current(ctx, ds); err == nil {
			o.WithData++
			o.Records += cur.Rows
		}
		var out Outcome
		if json.Unmarshal([]byte(l.result), &out) == nil && out.Scores != nil {
			quality[l.org] = append(quality[l.org], out.Scores.Overall)
		}
	}

	// The period's loads.
	onTime := map[string][2]int{}
	rows, err = s.db.QueryContext(ctx, `SELECT org_id, state, rows_accepted, rows_rejected, result FROM loads
		WHERE created_at >= ? AND created_at < ? AND state IN (?, ?)`,
		store.FormatTime(st.From), store.FormatTime(st.To), Succeeded, Failed)
	if err != nil {
		return nil, fmt.Errorf("statistics: loads: %w", err)
	}
	for rows.Next() {
		var org, state, result string
		var acc, rej int64
		if err := rows.Scan(&org, &state, &acc, &rej, &result); err != nil {
			rows.Close()
			return nil, err
		}
		if !visible(org) {
			continue
		}
		o := get(org)
		o.Loads++
		if state == Failed {
			o.Failed++
			continue
		}
		o.Succeeded++
		o.RowsLoaded += acc
		o.RowsRejected += rej
		var out Outcome
		if json.Unmarshal([]byte(result), &out) == nil && out.Scores != nil {
			c := onTime[org]
			c[1]++
			if out.Scores.Timeliness >= 1 {
				c[0]++
			}
			onTime[org] = c
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	names, err := s.orgNames(ctx)
	if err != nil {
		return nil, err
	}
	tot := &st.Total
	tot.OrgName, tot.OnTime, tot.Quality = "合计", -1, -1
	var totOn [2]int
	var totQ []float64
	for _, id := range order {
		o := orgs[id]
		o.OrgName = names[id]
		if c := onTime[id]; c[1] > 0 {
			o.OnTime = round4(float64(c[0]) / float64(c[1]))
			totOn[0] += c[0]
			totOn[1] += c[1]
		}
		if q := quality[id]; len(q) > 0 {
			o.Quality = round4(mean(q))
			totQ = append(totQ, q...)
		}
		if o.Registered > 0 {
			o.Coverage = round4(float64(o.WithData) / float64(o.Registered))
		}
		tot.Registered += o.Registered
		tot.WithData += o.WithData
		tot.Records += o.Records
		tot.Loads += o.Loads
		tot.Succeeded += o.Succeeded
		tot.Failed += o.Failed
		tot.RowsLoaded += o.RowsLoaded
		tot.RowsRejected += o.RowsRejected
		st.Orgs = append(st.Orgs, *o)
	}
	if totOn[1] > 0 {
		tot.OnTime = round4(float64(totOn[0]) / float64(totOn[1]))
	}
	if len(totQ) > 0 {
		tot.Quality = round4(mean(totQ))
	}
	if tot.Registered > 0 {
		tot.Coverage = round4(float64(tot.WithData) / float64(tot.Registered))
	}
	// Organisations with data first, by coverage then records; then the
	// rest by name.
	sort.SliceStable(st.Orgs, func(i, j int) bool {
		a, b := st.Orgs[i], st.Orgs[j]
		if a.Coverage != b.Coverage {
			return a.Coverage > b.Coverage
		}
		if a.Records != b.Records {
			return a.Records > b.Records
		}
		return a.OrgName < b.OrgName
	})
	if st.Orgs == nil {
		st.Orgs = []OrgStats{}
	}
	return st, nil
}

func (s *Service) orgNames(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name FROM organisations`)
	if err != nil {
		return nil, fmt.Errorf("organisation names: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// cst is China Standard Time: periods are calendar months there.
var cst = time.FixedZone("CST", 8*3600)

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func round4(x float64) float64 { return float64(int64(x*10000+0.5)) / 10000 }

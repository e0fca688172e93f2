package aggregate_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/demo"
	"github.com/pubdata/pubdata/internal/gen"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/tabular"
)

// population publishes 人口基本信息 of org A with the demo's data items.
func population(t *testing.T, a *app.App) *catalog.Resource {
	t.Helper()
	r := apptest.Resource()
	r.Name = demo.PopulationName
	r.FormatClass, r.FormatType = "3", "数据库表"
	r.Items = slices.Clone(demo.PopulationItems)
	return publish(t, a, r)
}

func publish(t *testing.T, a *app.App, r catalog.Resource) *catalog.Resource {
	t.Helper()
	created, err := a.Catalog.Create(apptest.As(t, a, "a.editor"), r)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	for _, s := range []struct{ who, action string }{{"a.editor", "submit"}, {"a.reviewer", "org_approve"}, {"admin", "approve"}, {"admin", "publish"}} {
		if _, err := a.Catalog.Transition(apptest.As(t, a, s.who), created.ID, s.action, ""); err != nil {
			t.Fatalf("%s %s: %v", s.who, s.action, err)
		}
	}
	return created
}

// wait polls a load until it ends.
func wait(t *testing.T, ctx context.Context, s *aggregate.Service, id string) *aggregate.Load {
	t.Helper()
	return apptest.WaitLoad(t, ctx, s, id)
}

func genPopulation(t *testing.T, rows int, rate float64, enc string) ([]byte, map[int]string) {
	t.Helper()
	var data, truth bytes.Buffer
	if _, err := gen.Population(&data, &truth, gen.PopulationOptions{Rows: rows, ErrorRate: rate, Seed: 7, Encoding: enc}); err != nil {
		t.Fatalf("gen.Population: %v", err)
	}
	bad := map[int]string{}
	recs, err := csv.NewReader(&truth).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		n, _ := strconv.Atoi(r[0])
		bad[n] = r[1]
	}
	return data.Bytes(), bad
}

// TestSpecMatchesGenerator: the demo's population items compile to the
// generator's schema, so its files load with exactly its truth rejected.
func TestSpecMatchesGenerator(t *testing.T) {
	r := &catalog.Resource{ID: "x", Items: demo.PopulationItems}
	got := aggregate.SpecFor(r, nil).Columns
	want := gen.PopulationSchema().Columns
	if len(got) != len(want) {
		t.Fatalf("%d columns, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("column %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestLoadGB18030WithTruth(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		apptest.Seed(t, a)
		res := population(t, a)
		data, bad := genPopulation(t, 20_000, 0.02, "gb18030")
		ctx := apptest.As(t, a, "a.editor")
		l, err := a.Aggregate.Submit(ctx, res.ID, aggregate.Upload{Body: bytes.NewReader(data), Name: "pop.csv",
			Format: tabular.CSV, Encoding: tabular.GB18030})
		if err != nil {
			t.Fatalf("Submit: %v", err)
		}
		if l.State != aggregate.Queued || l.TotalBytes != int64(len(data)) {
			t.Errorf("submitted = %+v, want queued with %d bytes", l, len(data))
		}
		l = wait(t, ctx, a.Aggregate, l.ID)
		if l.State != aggregate.Succeeded {
			t.Fatalf("load = %s: %+v", l.State, l.Error)
		}
		if l.RowsRead != 20_000 || l.RowsRejected != int64(len(bad)) || l.RowsAccepted+l.RowsRejected != l.RowsRead || l.Version != 1 {
			t.Errorf("read %d accepted %d rejected %d version %d; want 20000 read, %d rejected, version 1",
				l.RowsRead, l.RowsAccepted, l.RowsRejected, l.Version, len(bad))
		}
		f, _, err := a.Aggregate.Rejects(ctx, l.ID)
		if err != nil {
			t.Fatalf("Rejects: %v", err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatalf("rejects CSV: %v", err)
		}
		got := map[int]bool{}
		for _, r := range recs[1:] {
			n, _ := strconv.Atoi(r[0])
			got[n] = true
			if reason := r[len(r)-1]; reason == "" {
				t.Errorf("row %d has no reason", n)
			}
		}
		for n := range bad {
			if !got[n] {
				t.Errorf("row %d (%s) was not rejected", n, bad[n])
			}
		}
		if len(got) != len(bad) {
			t.Errorf("%d rows rejected, truth has %d", len(got), len(bad))
		}

		// The dataset: version 1 with the accepted rows, readable by the
		// provider and recorded.
		d, err := a.Aggregate.Dataset(ctx, res.ID)
		if err != nil {
			t.Fatalf("Dataset: %v", err)
		}
		if d.Current == nil || d.Current.Number != 1 || d.Current.Rows != l.RowsAccepted || len(d.Columns) != 12 {
			t.Errorf("dataset = %+v", d)
		}
		page, err := a.Aggregate.Rows(ctx, res.ID, aggregate.RowQuery{Limit: 5})
		if err != nil {
			t.Fatalf("Rows: %v", err)
		}
		if len(page.Rows) != 5 || page.Total != l.RowsAccepted {
			t.Errorf("page = %d rows of %d", len(page.Rows), page.Total)
		}
		if birth, ok := page.Rows[0].Values[3].(string); !ok || len(birth) != 10 {
			t.Errorf("出生日期 = %#v, want YYYY-MM-DD", page.Rows[0].Values[3])
		}
		// Quality scores of the version, and the month's statistics.
		sc := l.Outcome.Scores
		wantValid := float64(l.RowsAccepted) / float64(l.RowsRead)
		if sc == nil || sc.Validity < wantValid-0.0001 || sc.Validity > wantValid+0.0001 || sc.Uniqueness >= 1 || sc.Consistency >= 1 ||
			sc.Completeness <= 0.5 || sc.Completeness >= 1 || sc.Timeliness != 1 {
			t.Errorf("scores = %+v, want validity %.4f, some duplicates, inconsistencies and blanks, on time", sc, wantValid)
		}
		trend, err := a.Aggregate.Quality(ctx, res.ID)
		if err != nil || len(trend.Points) != 1 || trend.Points[0].Scores != *sc {
			t.Errorf("Quality = %+v, %v", trend, err)
		}
		st, err := a.Aggregate.Statistics(ctx, "")
		if err != nil {
			t.Fatalf("Statistics: %v", err)
		}
		if len(st.Orgs) != 1 || st.Orgs[0].OrgID != res.OrgID || st.Orgs[0].WithData != 1 || st.Orgs[0].Records != l.RowsAccepted ||
			st.Orgs[0].Loads != 1 || st.Orgs[0].RowsRejected != l.RowsRejected || st.Orgs[0].OnTime != 1 {
			t.Errorf("statistics for the editor = %+v", st.Orgs)
		}
		if _, err := a.Aggregate.Statistics(ctx, "2026-13"); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("Statistics(2026-13) = %v, want invalid", err)
		}
		var html, xlsx bytes.Buffer
		if err := aggregate.WriteBulletinHTML(&html, st); err != nil || !strings.Contains(html.String(), "公共数据汇聚情况通报") ||
			!strings.Contains(html.String(), st.Orgs[0].OrgName) {
			t.Errorf("bulletin HTML: %v", err)
		}
		if err := aggregate.WriteBulletinXLSX(&xlsx, st); err != nil || !bytes.HasPrefix(xlsx.Bytes(), []byte("PK")) {
			t.Errorf("bulletin XLSX: %v", err)
		}

		prov, err := a.Aggregate.Provenance(ctx, res.ID, []string{page.Rows[0].Values[0].(string)})
		if err != nil || len(prov) != 1 || prov[0].LoadID != l.ID || prov[0].Source != "pop.csv" {
			t.Errorf("Provenance = %+v, %v", prov, err)
		}
	})
}

func TestLoadRefusals(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		apptest.Seed(t, a)
		res := population(t, a)
		editor := apptest.As(t, a, "a.editor")
		csvBody := func(s string) aggregate.Upload {
			return aggregate.Upload{Body: strings.NewReader(s), Name: "x.csv"}
		}
		for _, tt := range []struct {
			name string
			who  string
			up   aggregate.Upload
			kind apperr.Kind
		}{
			{"another organisation", "b.editor", csvBody("公民身份号码\n1\n"), apperr.Forbidden},
			{"a reviewer", "a.reviewer", csvBody("公民身份号码\n1\n"), apperr.Forbidden},
			{"empty body", "a.editor", csvBody(""), apperr.Invalid},
			{"bad mode", "a.editor", aggregate.Upload{Body: strings.NewReader("x"), Mode: "sometimes"}, apperr.Invalid},
			{"bad encoding", "a.editor", aggregate.Upload{Body: strings.NewReader("x"), Encoding: "latin1"}, apperr.Invalid},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := a.Aggregate.Submit(apptest.As(t, a, tt.who), res.ID, tt.up)
				if apperr.KindOf(err) != tt.kind {
					t.Errorf("Submit = %v, want %s", err, tt.kind)
				}
			})
		}
		// A draft resource has no published items to load against.
		draft, err := a.Catalog.Create(editor, apptest.Resource())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Aggregate.Submit(editor, draft.ID, csvBody("a\n1\n")); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("Submit to a draft = %v, want conflict", err)
		}

		// A file without the required columns fails, naming them, and
		// publishes nothing.
		l, err := a.Aggregate.Submit(editor, res.ID, csvBody("姓名,性别\n张三,1\n"))
		if err != nil {
			t.Fatalf("Submit: %v", err)
		}
		l = wait(t, editor, a.Aggregate, l.ID)
		if l.State != aggregate.Failed || l.Error == nil || l.Error.Code != apperr.Invalid || l.Attempts != 1 ||
			!strings.Contains(l.Error.Fields[0].ZH, "公民身份号码") {
			t.Errorf("load = %s %+v after %d attempts; want failed for good, naming 公民身份号码", l.State, l.Error, l.Attempts)
		}
		if d, err := a.Aggregate.Dataset(editor, res.ID); err != nil || d.Current != nil {
			t.Errorf("dataset after a failed load = %+v, %v; want no version", d, err)
		}
		if _, _, err := a.Aggregate.Rejects(editor, l.ID); apperr.KindOf(err) != apperr.Conflict {
			t.Errorf("Rejects of a failed load = %v, want conflict", err)
		}
		// Loads and record data are the provider's: others see nothing.
		if _, err := a.Aggregate.Get(apptest.As(t, a, "b.editor"), l.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("Get by another organisation = %v, want not found", err)
		}
		if _, err := a.Aggregate.Rows(apptest.As(t, a, "b.consumer"), res.ID, aggregate.RowQuery{}); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("Rows by a consumer = %v, want forbidden", err)
		}
		if items, total, err := a.Aggregate.List(apptest.As(t, a, "b.editor"), aggregate.LoadFilter{}); err != nil || total != 0 || len(items) != 0 {
			t.Errorf("List by another organisation = %d items, %v", total, err)
		}
		if _, total, err := a.Aggregate.List(apptest.As(t, a, "auditor"), aggregate.LoadFilter{ResourceID: res.ID}); err != nil || total != 1 {
			t.Errorf("List by the auditor = %d, %v; want 1", total, err)
		}
	})
}

func TestIncrementalAndPushIdempotency(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		apptest.Seed(t, a)
		res := population(t, a)
		ctx := apptest.As(t, a, "a.editor")
		data, bad := genPopulation(t, 2_000, 0, "utf-8")
		if len(bad) != 0 {
			t.Fatalf("error rate 0 injected %d errors", len(bad))
		}
		l, err := a.Aggregate.Submit(ctx, res.ID, aggregate.Upload{Body: bytes.NewReader(data), Name: "full.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if l = wait(t, ctx, a.Aggregate, l.ID); l.State != aggregate.Succeeded || l.RowsAccepted != 2000 {
			t.Fatalf("full load = %s %+v, %d accepted", l.State, l.Error, l.RowsAccepted)
		}
		page, err := a.Aggregate.Rows(ctx, res.ID, aggregate.RowQuery{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		id0, id1 := page.Rows[0].Values[0].(string), page.Rows[1].Values[0].(string)
		// A pushed NDJSON batch: one row changed, one deleted.
		batch := `{"_op":"U","公民身份号码":"` + id0 + `","姓名":"王小二","性别":"` + page.Rows[0].Values[2].(string) +
			`","出生日期":"` + strings.ReplaceAll(page.Rows[0].Values[3].(string), "-", "") + `"}` + "\n" +
			`{"_op":"D","公民身份号码":"` + id1 + `","姓名":"x","性别":"1","出生日期":"19900101"}` + "\n"
		push := func() *aggregate.Load {
			l, err := a.Aggregate.Submit(ctx, res.ID, aggregate.Upload{Body: strings.NewReader(batch), Format: tabular.NDJSON,
				Mode: records.Incremental, Kind: aggregate.SourcePush, IdempotencyKey: "batch-0001", Name: "push.ndjson"})
			if err != nil {
				t.Fatalf("push: %v", err)
			}
			return l
		}
		first := push()
		again := push()
		if again.ID != first.ID {
			t.Errorf("a retried batch made load %s, want the first, %s", again.ID, first.ID)
		}
		l = wait(t, ctx, a.Aggregate, first.ID)
		if l.State != aggregate.Succeeded || l.RowsAccepted != 2 || l.RowsDeleted != 1 || l.RowsRejected != 0 {
			t.Fatalf("push = %s %+v: accepted %d deleted %d rejected %d", l.State, l.Error, l.RowsAccepted, l.RowsDeleted, l.RowsRejected)
		}
		d, err := a.Aggregate.Dataset(ctx, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Current.Number != 2 || d.Current.Rows != 1999 || len(d.Versions) != 2 {
			t.Errorf("after the push: current %+v, %d versions; want version 2 with 1999 rows", d.Current, len(d.Versions))
		}
		prov, err := a.Aggregate.Provenance(ctx, res.ID, []string{id0})
		if err != nil || len(prov) != 2 || prov[0].Until != 2 || prov[1].Version != 2 {
			t.Errorf("provenance of the changed row = %+v, %v", prov, err)
		}
	})
}

// TestRecoverRequeues: a load left running by a killed process is queued
// again and runs to completion; the store shows no partial version.
func TestRecoverRequeues(t *testing.T) {
	a := apptest.Open(t, "", nil)
	apptest.Seed(t, a)
	res := population(t, a)
	ctx := apptest.As(t, a, "a.editor")
	data, _ := genPopulation(t, 1_000, 0.01, "utf-8")
	a.Aggregate.Stop()
	l, err := a.Aggregate.Submit(ctx, res.ID, aggregate.Upload{Body: bytes.NewReader(data), Name: "p.csv"})
	if err != nil {
		t.Fatal(err)
	}
	// What a crash mid-load leaves: the job marked running.
	if _, err := a.DB.ExecContext(context.Background(), `UPDATE loads SET state = 'running', attempts = 1 WHERE id = ?`, l.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Aggregate.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := a.Aggregate.Get(ctx, l.ID)
	if err != nil || got.State != aggregate.Queued {
		t.Fatalf("after Recover: %+v, %v; want queued", got, err)
	}
	restarted := aggregate.New(a.DB, a.Catalog, a.Records, aggregate.Config{Dir: a.Aggregate.Dir(), Poll: 20 * time.Millisecond}, slogDiscard(), nil)
	if err := restarted.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer restarted.Stop()
	got = wait(t, ctx, restarted, l.ID)
	if got.State != aggregate.Succeeded || got.Attempts != 2 || got.RowsRead != 1000 {
		t.Errorf("rerun = %s after %d attempts, %d read; want succeeded on attempt 2", got.State, got.Attempts, got.RowsRead)
	}
}

func slogDiscard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestRetention keeps the newest versions only.
func TestRetention(t *testing.T) {
	a := apptest.Open(t, "", nil)
	apptest.Seed(t, a)
	res := population(t, a)
	ctx := apptest.As(t, a, "a.editor")
	svc := aggregate.New(a.DB, a.Catalog, a.Records, aggregate.Config{Dir: a.Aggregate.Dir(), Poll: 20 * time.Millisecond, Retain: 2}, slogDiscard(), nil)
	a.Aggregate.Stop()
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	data, _ := genPopulation(t, 200, 0, "utf-8")
	for range 3 {
		l, err := svc.Submit(ctx, res.ID, aggregate.Upload{Body: bytes.NewReader(data), Name: "p.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if l = wait(t, ctx, svc, l.ID); l.State != aggregate.Succeeded {
			t.Fatalf("load: %s %+v", l.State, l.Error)
		}
	}
	d, err := svc.Dataset(ctx, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	var nums []int64
	for _, v := range d.Versions {
		nums = append(nums, v.Number)
	}
	if !slices.Equal(nums, []int64{3, 2}) {
		t.Errorf("retained versions = %v, want [3 2]", nums)
	}
}

// TestCheckDataset runs the dataset rules on demand: a unique rule on a
// column that is not the key, which the load checked as a warning (rows
// kept, counted) and the check lists.
func TestCheckDataset(t *testing.T) {
	a := apptest.Open(t, "", nil)
	apptest.Seed(t, a)
	res := population(t, a)
	ctx := apptest.As(t, a, "a.editor")
	if _, err := a.Aggregate.SetRules(ctx, res.ID, []quality.Rule{{Kind: quality.KindUnique, Name: "手机号唯一", Columns: []string{"手机号码"}, Severity: quality.Warning}}); err != nil {
		t.Fatalf("SetRules: %v", err)
	}
	data, _ := genPopulation(t, 2_000, 0, "utf-8")
	recs, _ := csv.NewReader(bytes.NewReader(data)).ReadAll()
	// Rows 3 and 4 take row 2's mobile number.
	recs[3][7], recs[4][7] = recs[2][7], recs[2][7]
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(recs)
	l, err := a.Aggregate.Submit(ctx, res.ID, aggregate.Upload{Body: &buf, Name: "p.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if l = wait(t, ctx, a.Aggregate, l.ID); l.State != aggregate.Succeeded || l.RowsAccepted != 2000 ||
		len(l.Outcome.Unchecked) != 0 || l.Outcome.Warnings["手机号唯一"] != 2 {
		t.Fatalf("load = %s, accepted %d, unchecked %v, warnings %v", l.State, l.RowsAccepted, l.Outcome.Unchecked, l.Outcome.Warnings)
	}
	c, err := a.Aggregate.CheckDataset(ctx, res.ID)
	if err != nil {
		t.Fatalf("CheckDataset: %v", err)
	}
	var mobile *aggregate.RuleCheck
	for i := range c.Rules {
		if c.Rules[i].Rule == "手机号唯一" {
			mobile = &c.Rules[i]
		}
	}
	if c.Rows != 2000 || mobile == nil || mobile.Violations != 2 || len(mobile.Sample) != 2 {
		t.Fatalf("check = %+v", c)
	}
	// Rows are scanned in no particular order: whichever of rows 2, 3
	// and 4 comes first is the first, the other two are the violations.
	rows := map[int64]bool{mobile.Sample[0].SourceRow: true, mobile.Sample[1].SourceRow: true, mobile.Sample[0].FirstRow: true}
	if !rows[2] || !rows[3] || !rows[4] || mobile.Sample[0].FirstRow != mobile.Sample[1].FirstRow {
		t.Errorf("sample = %+v, want rows 2, 3 and 4", mobile.Sample)
	}
	if _, err := a.Aggregate.CheckDataset(apptest.As(t, a, "b.consumer"), res.ID); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("CheckDataset by a consumer = %v, want forbidden", err)
	}
}

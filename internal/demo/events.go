package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/workday"
)

// event is an update event (CAT-4) to insert.
type event struct {
	org        identity.Organisation
	res        *seeded // nil for an organisation-level event
	kind       string
	title      string
	occurred   time.Time // civil day, CST
	recordedAt time.Time
	resolvedAt time.Time // zero while open
}

// resourceTitles are the events that can concern a resource; when says
// which resources (nil: any).
var resourceTitles = []struct {
	kind, title string
	when        func(r *catalog.Resource) bool
}{
	{"law", "《福建省公共数据资源开发利用管理办法》施行,需复核「%s」的开放属性", nil},
	{"law", "个人信息保护配套标准发布,需复核「%s」个人信息项的敏感级别", personal},
	{"law", "《福建省电子证照管理办法》修订,需补充「%s」的证照状态信息", licence},
	{"law", "政务数据共享新规施行,需更新「%s」的共享条件和共享方式", nil},
	{"law", "《数据安全技术 数据分类分级规则》实施,需复核「%s」的分类分级", nil},
	{"duty", "“高效办成一件事”新增联办事项,需扩充「%s」的信息项", personal},
	{"duty", "机构职能调整,需重新确认「%s」的数据提供责任", nil},
	{"other", "业务系统升级改造,「%s」的更新周期发生变化", nil},
}

func personal(r *catalog.Resource) bool { return r.Sensitivity >= "L3" }
func licence(r *catalog.Resource) bool  { return strings.HasPrefix(r.ClassCode, "105") }

var orgTitles = []struct{ kind, title string }{
	{"duty", "机构改革后新增数据要素市场培育职责,需补充编制相关目录"},
	{"duty", "新增公共数据授权运营职责,需梳理可开放目录清单"},
	{"duty", "部门“三定”方案调整,部分职责划出,需核对目录提供单位"},
	{"law", "《福建省大数据发展条例》修订施行,需全面复核目录共享属性"},
	{"other", "省级公共数据质量通报问题清单下发,需按期整改目录"},
}

// planEvents draws update events: resolved ones answered by a published
// version (mostly on time), open ones still within their 10 working days
// (the pending revisions answer them), and overdue ones across several
// organisations.
func planEvents(rnd *rand.Rand, cal *workday.Calendar, now time.Time, rs []seeded, orgs []identity.Organisation) []event {
	var published, revisions []*seeded
	for i := range rs {
		s := &rs[i]
		switch {
		case s.lc == lcRevisionDraft || s.lc == lcRevisionSubmitted:
			revisions = append(revisions, s)
		case s.r.Status == catalog.Published && s.in.level != levelArchive:
			published = append(published, s)
		}
	}
	rnd.Shuffle(len(published), func(i, j int) { published[i], published[j] = published[j], published[i] })
	day := func(t time.Time) time.Time {
		y, m, d := t.In(cst).Date()
		return workday.Date(y, m, d)
	}
	at := func(d time.Time, minH, maxH int) time.Time {
		t := d.Add(time.Duration(minH*60+rnd.IntN((maxH-minH)*60)) * time.Minute)
		if !t.Before(now) {
			t = now.Add(-time.Duration(1+rnd.IntN(60)) * time.Minute)
		}
		return t
	}
	onResource := func(s *seeded) event {
		for {
			t := resourceTitles[rnd.IntN(len(resourceTitles))]
			if t.when == nil || t.when(&s.r) {
				return event{org: s.in.org, res: s, kind: t.kind, title: fmt.Sprintf(t.title, s.r.Name)}
			}
		}
	}
	var out []event
	// Resolved: the event came some working days before the publication
	// that answered it; a few were answered late.
	for _, s := range take(&published, 16, nil) {
		e := onResource(s)
		back := 2 + rnd.IntN(7)
		if rnd.IntN(4) == 0 {
			back = 11 + rnd.IntN(5)
		}
		e.occurred = day(cal.AddWorkdays(pubTime(s), -back))
		e.recordedAt = at(e.occurred, 9, 17)
		e.resolvedAt = pubTime(s)
		out = append(out, e)
	}
	// Open, within the deadline: the revision drafted since answers it.
	for _, s := range revisions[:min(len(revisions), 12)] {
		e := onResource(s)
		e.occurred = day(cal.AddWorkdays(s.r.UpdatedAt, -1-rnd.IntN(2)))
		e.recordedAt = at(e.occurred, 9, 17)
		out = append(out, e)
	}
	// Overdue: more than 10 working days ago, and nothing done since.
	overdueDay := day(cal.AddWorkdays(now, -(12 + rnd.IntN(20))))
	for _, s := range take(&published, 10, func(s *seeded) bool { return pubTime(s).Before(overdueDay.AddDate(0, 0, -10)) }) {
		e := onResource(s)
		e.occurred = overdueDay.AddDate(0, 0, -rnd.IntN(10))
		e.recordedAt = at(e.occurred, 9, 40)
		out = append(out, e)
	}
	// Organisation-level events, open and overdue.
	for i, o := range orgs {
		if i%6 != 1 {
			continue
		}
		t := orgTitles[rnd.IntN(len(orgTitles))]
		e := event{org: o, kind: t.kind, title: t.title}
		back := 1 + rnd.IntN(6)
		if i%12 == 1 {
			back = 13 + rnd.IntN(15)
		}
		e.occurred = day(cal.AddWorkdays(now, -back))
		e.recordedAt = at(e.occurred, 9, 17)
		out = append(out, e)
	}
	return out
}

// take removes and returns up to n resources of distinct organisations
// for which ok (if set) holds.
func take(rs *[]*seeded, n int, ok func(*seeded) bool) []*seeded {
	var out []*seeded
	seen := map[string]bool{}
	rest := (*rs)[:0]
	for _, s := range *rs {
		if len(out) < n && !seen[s.r.OrgID] && (ok == nil || ok(s)) {
			seen[s.r.OrgID] = true
			out = append(out, s)
			continue
		}
		rest = append(rest, s)
	}
	*rs = rest
	return out
}

// pubTime is when the resource's current published version was published.
func pubTime(s *seeded) time.Time {
	for _, v := range s.hist {
		if v.Action == catalog.ActPublish && v.Version == s.r.PublishedVersion {
			return v.Resource.UpdatedAt
		}
	}
	return s.r.UpdatedAt
}

// insertEvents stores events in tx with their deadlines.
func insertEvents(ctx context.Context, tx *store.Tx, cal *workday.Calendar, evs []event) error {
	for _, e := range evs {
		var res, resolved, version any
		if e.res != nil {
			res = e.res.r.ID
		}
		if !e.resolvedAt.IsZero() {
			resolved, version = store.FormatTime(e.resolvedAt), e.res.r.PublishedVersion
		}
		deadline := cal.AddWorkdays(e.occurred, catalog.UpdateWindow).Format(time.DateOnly)
		editor := strings.ToLower(e.org.ProviderCode) + ".editor"
		if _, err := tx.ExecContext(ctx, `INSERT INTO update_events (id, node_id, org_id, resource_id, kind, title, occurred_on, recorded_at,
			deadline, resolved_at, resolved_version, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			uuid.Must(uuid.NewV7()).String(), e.org.NodeID, e.org.ID, res, e.kind, e.title, e.occurred.Format(time.DateOnly),
			store.FormatTime(e.recordedAt), deadline, resolved, version, editor); err != nil {
			return fmt.Errorf("insert update event: %w", err)
		}
	}
	return nil
}

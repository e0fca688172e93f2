package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/workday"
)

// lifecycle is the path a seeded resource has taken so far.
type lifecycle int

const (
	lcPublished         lifecycle = iota // create, submit, org_approve, approve, publish
	lcPublishedReturned                  // ... returned once on the way, fixed, then published
	lcRevisionDraft                      // published, then edited: a newer draft is pending
	lcRevisionSubmitted                  // published, then edited and submitted again
	lcDraft
	lcSubmitted
	lcReturned
	lcOrgApproved
	lcApproved
	lcRetired
)

// lifecycleWeights are the shares of each path among unpinned resources.
var lifecycleWeights = []struct {
	lc     lifecycle
	weight int
}{
	{lcPublished, 62}, {lcPublishedReturned, 10}, {lcRevisionDraft, 4}, {lcRevisionSubmitted, 2},
	{lcDraft, 6}, {lcSubmitted, 4}, {lcReturned, 3}, {lcOrgApproved, 3}, {lcApproved, 2}, {lcRetired, 3},
}

func pickLifecycle(rnd *rand.Rand) lifecycle {
	total := 0
	for _, w := range lifecycleWeights {
		total += w.weight
	}
	n := rnd.IntN(total)
	for _, w := range lifecycleWeights {
		if n < w.weight {
			return w.lc
		}
		n -= w.weight
	}
	return lcPublished
}

// amendment is how an earlier version of a resource differed from the
// later one, with what the reviewer said and what the editor wrote.
type amendment struct {
	returnReason, fixReason, reviseReason string
}

// amend derives the earlier content from the final one.
func amend(rnd *rand.Rand, final catalog.Resource) (catalog.Resource, amendment) {
	early := cloneResource(final)
	for range 6 {
		switch rnd.IntN(6) {
		case 0:
			if n := len(early.Items); n > 4 && !early.Items[n-1].PrimaryKey {
				name := early.Items[n-1].Name
				early.Items = early.Items[:n-1]
				return early, amendment{"信息项不完整,请补充「" + name + "」", "按审核意见补充信息项「" + name + "」",
					"新增信息项「" + name + "」,满足跨部门共享需求"}
			}
		case 1:
			if i := strings.Index(early.Summary, ",用于"); i > 0 {
				early.Summary = early.Summary[:i] + "。"
				return early, amendment{"摘要未说明数据用途,请补充完善", "按审核意见补充摘要中的数据用途说明", "完善资源摘要,补充数据用途说明"}
			}
		case 2:
			if len(early.Keywords) > 2 {
				early.Keywords = early.Keywords[:1]
				return early, amendment{"关键词过少,不利于检索,请补充", "按审核意见补充关键词", "补充检索关键词"}
			}
		case 3:
			early.UpdateCycle = "monthly"
			if final.UpdateCycle == "monthly" {
				early.UpdateCycle = "quarterly"
			}
			return early, amendment{"更新周期与数据实际产生频率不一致,请核实后修改", "按审核意见调整更新周期", "根据数据实际产生频率调整更新周期"}
		case 4:
			if early.Share.Type == "2" {
				early.Share.Conditions = "按需共享"
				return early, amendment{"共享条件表述不清,请明确共享对象、用途和方式", "按审核意见细化共享条件", "依据最新共享管理要求细化共享条件"}
			}
		case 5:
			for i, it := range early.Items {
				if it.Category == "general" && (it.Sensitivity == "L3" || it.Sensitivity == "L4") {
					early.Items[i].Sensitivity = "L2"
					catalog.Grade(&early)
					return early, amendment{"信息项「" + it.Name + "」敏感级别定级偏低,请按分级规则调整",
						"按审核意见调整「" + it.Name + "」敏感级别", "按数据分类分级规则调整信息项「" + it.Name + "」敏感级别"}
				}
			}
		}
	}
	early.Keywords = early.Keywords[:1]
	return early, amendment{"关键词过少,不利于检索,请补充", "按审核意见补充关键词", "补充检索关键词"}
}

func cloneResource(r catalog.Resource) catalog.Resource {
	r.Items = slices.Clone(r.Items)
	r.Keywords = slices.Clone(r.Keywords)
	r.Related = slices.Clone(r.Related)
	return r
}

// flow replays a resource's review lifecycle, recording every version
// with its author, reason and diff, at plausible office hours.
type flow struct {
	cal  *workday.Calendar
	rnd  *rand.Rand
	now  time.Time
	at   time.Time
	cur  catalog.Resource
	hist []catalog.Version
	pub  time.Time // when last published
}

var cst = time.FixedZone("CST", 8*3600)

// officeHours moves t into working hours (9:00-18:00 CST on a working day).
func (f *flow) officeHours(t time.Time) time.Time {
	t = t.In(cst)
	if t.Hour() >= 18 {
		t = time.Date(t.Year(), t.Month(), t.Day()+1, 9, f.rnd.IntN(120), 0, 0, cst)
	} else if t.Hour() < 9 {
		t = time.Date(t.Year(), t.Month(), t.Day(), 9, f.rnd.IntN(120), 0, 0, cst)
	}
	for !f.cal.IsWorkday(t) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// wait advances the clock by minH..maxH hours of elapsed time, kept
// before now.
func (f *flow) wait(minH, maxH int) {
	t := f.officeHours(f.at.Add(time.Duration(minH*60+f.rnd.IntN((maxH-minH)*60+1)) * time.Minute))
	if !t.Before(f.now) {
		t = f.at.Add(f.now.Sub(f.at) / 2)
	}
	if !t.After(f.at) {
		t = f.at.Add(time.Minute)
	}
	f.at = t
}

func (f *flow) start(r catalog.Resource, at time.Time, editor string) {
	f.at = f.officeHours(at)
	if !f.at.Before(f.now) {
		f.at = at
	}
	f.cur = cloneResource(r)
	f.cur.Status, f.cur.Version, f.cur.PublishedVersion = catalog.Draft, 1, 0
	f.cur.CreatedBy, f.cur.CreatedAt, f.cur.UpdatedAt = editor, f.at.UTC(), f.at.UTC()
	f.record("create", "", editor, nil)
}

func (f *flow) record(action, reason, author string, diff []catalog.Change) {
	snap := cloneResource(f.cur)
	f.hist = append(f.hist, catalog.Version{Version: f.cur.Version, Status: f.cur.Status, Action: action, Reason: reason,
		AuthorName: author, At: store.FormatTime(f.at), Diff: diff, Resource: &snap})
}

// step applies a transition of the review lifecycle. A transition
// changes only the status (and, on first publication, the release date),
// so its diff is computed on those fields alone: the same changes a diff
// of the whole entries finds, at a fraction of the cost.
func (f *flow) step(action string, to catalog.Status, author, reason string) {
	prev := catalog.Resource{Status: f.cur.Status, ReleaseDate: f.cur.ReleaseDate}
	f.cur.Status, f.cur.Version, f.cur.UpdatedAt = to, f.cur.Version+1, f.at.UTC()
	switch action {
	case catalog.ActPublish:
		f.cur.PublishedVersion = f.cur.Version
		if f.cur.ReleaseDate == "" {
			f.cur.ReleaseDate = f.at.In(cst).Format(time.DateOnly)
		}
		f.pub = f.at
	case catalog.ActRetire:
		f.cur.PublishedVersion = 0
	}
	f.record(action, reason, author, catalog.Diff(&prev, &catalog.Resource{Status: f.cur.Status, ReleaseDate: f.cur.ReleaseDate}))
}

// update replaces the content with next, as an editor's save does: a
// published or returned entry becomes a draft again.
func (f *flow) update(next catalog.Resource, author, reason string) {
	prev := cloneResource(f.cur)
	n := cloneResource(next)
	n.ID, n.Code, n.CreatedBy, n.CreatedAt = prev.ID, prev.Code, prev.CreatedBy, prev.CreatedAt
	n.ReleaseDate, n.PublishedVersion = prev.ReleaseDate, prev.PublishedVersion
	n.Status, n.Version, n.UpdatedAt = catalog.Draft, prev.Version+1, f.at.UTC()
	f.cur = n
	f.record("update", reason, author, catalog.Diff(&prev, &f.cur))
}

// actors are the user names that act on an organisation's resources.
type actors struct{ editor, reviewer, platform string }

// replay builds the history of a resource following lc. final is the
// content the resource ends with; paths with an amendment (returned once,
// returned, pending revision) start from an earlier content derived from
// it, and a returned resource keeps that earlier content. revisedAt is when
// a pending revision was made.
func replay(f *flow, lc lifecycle, final catalog.Resource, a actors, revisedAt time.Time) error {
	ago := func(minDays, maxDays int) time.Time {
		return f.now.Add(-time.Duration(minDays*24*60+f.rnd.IntN((maxDays-minDays)*24*60)) * time.Minute)
	}
	review := func() {
		f.wait(2, 72)
		f.step(catalog.ActSubmit, catalog.Submitted, a.editor, "")
		f.wait(4, 96)
		f.step(catalog.ActOrgApprove, catalog.OrgApproved, a.reviewer, "")
	}
	publish := func() {
		f.wait(4, 120)
		f.step(catalog.ActApprove, catalog.Approved, a.platform, "")
		f.wait(1, 48)
		f.step(catalog.ActPublish, catalog.Published, a.platform, "")
	}
	switch lc {
	case lcPublished:
		f.start(final, ago(60, 720), a.editor)
		review()
		publish()
	case lcPublishedReturned:
		early, am := amend(f.rnd, final)
		f.start(early, ago(90, 720), a.editor)
		f.wait(2, 72)
		f.step(catalog.ActSubmit, catalog.Submitted, a.editor, "")
		f.wait(4, 96)
		if f.rnd.IntN(2) == 0 {
			f.step(catalog.ActReturn, catalog.Returned, a.reviewer, am.returnReason)
		} else {
			f.step(catalog.ActOrgApprove, catalog.OrgApproved, a.reviewer, "")
			f.wait(4, 96)
			f.step(catalog.ActReturn, catalog.Returned, a.platform, am.returnReason)
		}
		f.wait(4, 120)
		f.update(final, a.editor, am.fixReason)
		review()
		publish()
	case lcRevisionDraft, lcRevisionSubmitted:
		early, am := amend(f.rnd, final)
		f.start(early, ago(120, 720), a.editor)
		review()
		publish()
		f.at = f.officeHours(revisedAt)
		if !f.at.After(f.pub) || !f.at.Before(f.now) {
			return fmt.Errorf("revision of %s at %s is not between publication %s and now", final.Name, f.at, f.pub)
		}
		f.update(final, a.editor, am.reviseReason)
		if lc == lcRevisionSubmitted {
			f.wait(1, 24)
			f.step(catalog.ActSubmit, catalog.Submitted, a.editor, "")
		}
	case lcDraft:
		f.start(final, ago(1, 30), a.editor)
	case lcSubmitted:
		f.start(final, ago(3, 30), a.editor)
		f.wait(2, 48)
		f.step(catalog.ActSubmit, catalog.Submitted, a.editor, "")
	case lcReturned:
		early, am := amend(f.rnd, final)
		f.start(early, ago(5, 40), a.editor)
		f.wait(2, 48)
		f.step(catalog.ActSubmit, catalog.Submitted, a.editor, "")
		f.wait(4, 72)
		f.step(catalog.ActReturn, catalog.Returned, a.reviewer, am.returnReason)
	case lcOrgApproved:
		f.start(final, ago(5, 40), a.editor)
		review()
	case lcApproved:
		f.start(final, ago(7, 40), a.editor)
		review()
		f.wait(4, 96)
		f.step(catalog.ActApprove, catalog.Approved, a.platform, "")
	case lcRetired:
		f.start(final, ago(300, 720), a.editor)
		review()
		publish()
		f.at = f.officeHours(f.pub.Add(time.Duration(60+f.rnd.IntN(150)) * 24 * time.Hour))
		if !f.at.Before(f.now) {
			f.at = f.pub.Add(f.now.Sub(f.pub) / 2)
		}
		f.step(catalog.ActRetire, catalog.Retired, a.platform, retireReasons[f.rnd.IntN(len(retireReasons))])
	}
	return nil
}

var retireReasons = []string{
	"该资源已由省级统一归集的资源替代,停止更新",
	"职能调整后相关业务不再开展,数据不再产生",
	"源业务系统下线,数据已迁移至新系统对应资源",
	"与同类资源重复编目,经核实予以下线",
}

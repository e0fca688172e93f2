package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apperr"
)

// loadView is one load: its source and state, live progress while it is
// queued or running, and what it found once it ended.
type loadView struct {
	L            *aggregate.Load
	ResourceName string
	OrgName      string
	SubmittedBy  string // the submitter's display name
	Live         bool   // queued or running: the progress part polls
	Percent      int    // of the source's bytes read
	Rejections   []ruleCount
	Warnings     []ruleCount
	Error        *errorView
	Rejects      bool // the quarantine can be downloaded
}

// ruleCount is how many rows broke a rule.
type ruleCount struct {
	Rule, Label string
	Rows        int64
}

// loadShow shows a load. While it runs, an htmx request aimed at
// #load-live gets that part only, every second, until the load ends.
func (p *portal) loadShow(w http.ResponseWriter, r *http.Request) error {
	if p.Aggregate == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ctx := r.Context()
	l, err := p.Aggregate.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	lang := state(r).lang
	v := loadView{L: l, Live: l.State == aggregate.Queued || l.State == aggregate.Running}
	switch {
	case l.State == aggregate.Succeeded:
		v.Percent = 100
	case l.TotalBytes > 0:
		v.Percent = int(min(100, l.Bytes*100/l.TotalBytes))
	}
	if o := l.Outcome; o != nil {
		v.Rejections = ruleCounts(lang, o.Rejections)
		v.Warnings = ruleCounts(lang, o.Warnings)
		v.Rejects = l.State == aggregate.Succeeded && o.QuarantineFile != "" && l.RowsRejected > 0
	}
	if e := l.Error; e != nil {
		ev := newErrorView(lang, &apperr.Error{Kind: e.Code, Message: e.Message, ZH: e.ZH, Fields: e.Fields})
		v.Error = &ev
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "load-live" {
		return p.renderPartial(w, r, "load", "load-live", v)
	}
	v.SubmittedBy = p.userNames(ctx)(l.SubmittedBy)
	v.ResourceName = p.resourceNames(ctx)(l.ResourceID, l.ResourceCode)
	if o, err := p.Identity.Org(ctx, l.OrgID); err == nil {
		v.OrgName = localName(lang, o.Name, o.NameEN)
	}
	return p.render(w, r, http.StatusOK, "load", "load.title", v)
}

// userNames returns a function naming users by id, their display name
// where there is one, remembering the names it looked up.
func (p *portal) userNames(ctx context.Context) func(id string) string {
	seen := map[string]string{}
	return func(id string) string {
		if n, ok := seen[id]; ok {
			return n
		}
		n := id
		if u, err := p.Identity.User(ctx, id); err == nil {
			n = cmp.Or(u.DisplayName, u.Username)
		}
		seen[id] = n
		return n
	}
}

// ruleCounts lists counts by rule, the most frequent first, with the
// rule's name in lang where it is one of the built-in kinds.
func ruleCounts(lang string, m map[string]int64) []ruleCount {
	out := make([]ruleCount, 0, len(m))
	for rule, n := range m {
		if n <= 0 {
			continue
		}
		label := rule
		if s, ok := catalogs[lang]["rule."+rule]; ok {
			label = s
		}
		out = append(out, ruleCount{Rule: rule, Label: label, Rows: n})
	}
	slices.SortFunc(out, func(a, b ruleCount) int {
		return cmp.Or(cmp.Compare(b.Rows, a.Rows), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

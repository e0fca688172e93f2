package api_test

import (
	"testing"
	"time"
)

// TestAPIUpdateClock checks the 10-working-day update clock through the
// API with the node's clock stopped on Monday 20 October 2025: an event of
// Friday 26 September 2025 is due on 16 October (the National Day holiday
// and its make-up workdays counted) and is two working days overdue.
func TestAPIUpdateClock(t *testing.T) {
	now := time.Date(2025, 10, 20, 10, 0, 0, 0, cst)
	eachNodeAt(t, now, func(t *testing.T, n *node) {
		vars := map[string]string{"orgA": n.fix.OrgA.ID, "orgB": n.fix.OrgB.ID}
		n.run(t, vars, clockScenarios())
	})
}

func clockScenarios() []scenario {
	event := func(title, day string) map[string]string {
		return map[string]string{"kind": "law", "title": title, "occurred_on": day}
	}
	return []scenario{
		{name: "calendar deadline", method: "GET", path: "/api/v1/calendar?from=2025-09-26&days=10", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"deadline": is("2025-10-16"), "days": is(10), "is_workday": is(true), "covered": is(true)}},
		{name: "ten working days by default", method: "GET", path: "/api/v1/calendar?from=2025-09-26", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"deadline": is("2025-10-16"), "days": is(10)}},
		{name: "a holiday is not a working day", method: "GET", path: "/api/v1/calendar?from=2025-10-03&days=1", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"is_workday": is(false), "deadline": is("2025-10-09")}},
		{name: "calendar with a bad date", method: "GET", path: "/api/v1/calendar?from=26/09/2025", user: "b.consumer", want: 400,
			wantJSON: invalidField("from")},
		{name: "record an event", method: "POST", path: "/api/v1/events", user: "a.editor",
			body: event("《福建省公共数据资源管理办法》修订", "2025-09-26"), want: 201,
			wantJSON: map[string]check{"id": nonEmpty, "org_id": is("{orgA}"), "deadline": is("2025-10-16"), "occurred_on": is("2025-09-26")},
			save:     map[string]string{"ev": "id"}},
		{name: "an event in the future", method: "POST", path: "/api/v1/events", user: "a.editor",
			body: event("明日生效", "2025-10-21"), want: 400, wantJSON: invalidField("occurred_on")},
		{name: "an event of an unknown kind", method: "POST", path: "/api/v1/events", user: "a.editor",
			body: map[string]string{"kind": "rumour", "title": "x", "occurred_on": "2025-09-26"}, want: 400, wantJSON: invalidField("kind")},
		{name: "a consumer may not record events", method: "POST", path: "/api/v1/events", user: "b.consumer",
			body: event("x", "2025-09-26"), want: 403, wantJSON: refusedAtRoute()},
		{name: "the event is overdue", method: "GET", path: "/api/v1/events", user: "a.editor", want: 200,
			wantJSON: map[string]check{"total": is(1), "items.0.id": is("{ev}"), "items.0.deadline": is("2025-10-16"),
				"items.0.overdue": is(true), "items.0.working_days_late": is(2), "items.0.org_name": is("福建省公安厅")}},
		{name: "overdue by organisation", method: "GET", path: "/api/v1/reports/overdue", user: "a.admin", want: 200,
			wantJSON: map[string]check{"total": is(1), "items.0.org_id": is("{orgA}"), "items.0.org_name": is("福建省公安厅"),
				"items.0.count": is(1), "items.0.events.0.id": is("{ev}")}},
		{name: "an auditor sees every organisation", method: "GET", path: "/api/v1/reports/overdue", user: "auditor", want: 200,
			wantJSON: map[string]check{"total": is(1), "items.0.org_id": is("{orgA}")}},
		{name: "another organisation has nothing overdue", method: "GET", path: "/api/v1/reports/overdue", user: "b.reviewer", want: 200,
			wantJSON: map[string]check{"total": is(0), "items": is([]any{})}},
		{name: "nor may it look at this one's", method: "GET", path: "/api/v1/reports/overdue?org={orgA}", user: "b.reviewer",
			want: 403, wantJSON: forbidden()},
		{name: "a consumer gets no overdue report", method: "GET", path: "/api/v1/reports/overdue", user: "b.consumer",
			want: 403, wantJSON: refusedAtRoute()},
		{name: "another organisation cannot resolve it", method: "POST", path: "/api/v1/events/{ev}/resolve", user: "b.editor",
			want: 403, wantJSON: forbidden()},
		{name: "resolve", method: "POST", path: "/api/v1/events/{ev}/resolve", user: "a.editor", want: 200,
			wantJSON: map[string]check{"resolved_at": nonEmpty}},
		{name: "resolve twice", method: "POST", path: "/api/v1/events/{ev}/resolve", user: "a.editor", want: 409, wantJSON: conflict()},
		{name: "no such event", method: "POST", path: "/api/v1/events/nope/resolve", user: "a.editor", want: 404, wantJSON: notFound()},
		{name: "nothing overdue once resolved", method: "GET", path: "/api/v1/reports/overdue", user: "a.admin", want: 200,
			wantJSON: map[string]check{"total": is(0)}},
		{name: "no open events", method: "GET", path: "/api/v1/events?open=true", user: "a.editor", want: 200,
			wantJSON: map[string]check{"total": is(0)}},
		{name: "the resolved event stays listed", method: "GET", path: "/api/v1/events", user: "a.editor", want: 200,
			wantJSON: map[string]check{"total": is(1), "items.0.overdue": is(false)}},
		{name: "only platform administrators change the calendar", method: "POST", path: "/api/v1/calendar/days", user: "a.admin",
			body: map[string]string{"day": "2025-10-15", "kind": "holiday", "name": "测试假日"}, want: 403, wantJSON: refusedAtRoute()},
		{name: "add a holiday", method: "POST", path: "/api/v1/calendar/days", user: "admin",
			body: map[string]string{"day": "2025-10-15", "kind": "holiday", "name": "测试假日"}, want: 201,
			wantJSON: map[string]check{"day": is("2025-10-15"), "kind": is("holiday")}},
		{name: "a bad calendar day", method: "POST", path: "/api/v1/calendar/days", user: "admin",
			body: map[string]string{"day": "2025-10-15", "kind": "festival", "name": "x"}, want: 400, wantJSON: invalidField("kind")},
		{name: "the holiday moves the deadline", method: "GET", path: "/api/v1/calendar?from=2025-09-26", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"deadline": is("2025-10-17"),
				"overrides": is([]map[string]string{{"day": "2025-10-15", "kind": "holiday", "name": "测试假日"}})}},
	}
}

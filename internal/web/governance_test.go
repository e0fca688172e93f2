package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/demo"
	"github.com/pubdata/pubdata/internal/gen"
	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/store/storetest"
	"github.com/pubdata/pubdata/internal/verify"
)

// publishAs publishes a resource with 人口基本信息's data items as org's
// ("a" or "b") resource named name.
func (p *portal) publishAs(org, name string) *catalog.Resource {
	p.t.Helper()
	r := apptest.Resource()
	r.Name = name
	r.FormatClass, r.FormatType = "3", "数据库表"
	r.Items = slices.Clone(demo.PopulationItems)
	created, err := p.app.Catalog.Create(apptest.As(p.t, p.app, org+".editor"), r)
	if err != nil {
		p.t.Fatalf("Create(%s): %v", name, err)
	}
	for _, s := range []struct{ who, action string }{{org + ".editor", "submit"}, {org + ".reviewer", "org_approve"},
		{"admin", "approve"}, {"admin", "publish"}} {
		if _, err := p.app.Catalog.Transition(apptest.As(p.t, p.app, s.who), created.ID, s.action, ""); err != nil {
			p.t.Fatalf("%s %s: %v", s.who, s.action, err)
		}
	}
	return created
}

// populationSource generates source src (0 or 1) of a population that
// two providers hold, the second disagreeing on 10% of the people.
func populationSource(t *testing.T, src int) []byte {
	t.Helper()
	var data, truth bytes.Buffer
	if _, err := gen.Population(&data, &truth, gen.PopulationOptions{Rows: 120, Seed: 7, Source: src, ConflictRate: 0.1,
		Encoding: "utf-8"}); err != nil {
		t.Fatalf("gen.Population: %v", err)
	}
	return data.Bytes()
}

// governed is a node with two providers' population resources loaded
// with data that disagrees.
type governed struct {
	*portal
	resA, resB *catalog.Resource
}

func newGoverned(t *testing.T, dsn string) *governed {
	t.Helper()
	g := &governed{portal: newPortalOn(t, dsn)}
	g.resA = g.publishAs("a", demo.PopulationName)
	g.resB = g.publishAs("b", "社会保险参保人员基本信息")
	for _, l := range []struct {
		user string
		res  *catalog.Resource
		src  int
	}{{"a.editor", g.resA, 0}, {"b.editor", g.resB, 1}} {
		if got := g.loadAs(l.user, l.res.ID, populationSource(t, l.src)); got.State != aggregate.Succeeded {
			t.Fatalf("load into %s = %s: %+v", l.res.Name, got.State, got.Error)
		}
	}
	return g
}

// loadAs loads data into a resource as user and waits for the load.
func (p *portal) loadAs(user, resourceID string, data []byte) *aggregate.Load {
	p.t.Helper()
	ctx := apptest.As(p.t, p.app, user)
	l, err := p.app.Aggregate.Submit(ctx, resourceID, aggregate.Upload{Body: bytes.NewReader(data), Name: "pop.csv"})
	if err != nil {
		p.t.Fatalf("Submit: %v", err)
	}
	return apptest.WaitLoad(p.t, ctx, p.app.Aggregate, l.ID)
}

func password(user string) string {
	if user == "admin" {
		return apptest.AdminPassword
	}
	return apptest.UserPassword
}

// TestGovernanceRoutesAuthorization calls every governance route as every
// fixture role: the route-level gate (rectify:read, rectify:raise and the
// ticket-moving actions, verify:read, verify:run, lineage:read), then the
// object-level one (a ticket between org A's own people is not found by
// org B; who may not verify a ticket is refused), and what the pages and
// the navigation offer each role.
func TestGovernanceRoutesAuthorization(t *testing.T) {
	g := newGoverned(t, "")
	admin := apptest.As(t, g.app, "admin")
	run, err := g.app.Verify.Run(admin, verify.Request{
		A:   verify.Side{Dataset: aggregate.DatasetName(g.resA.ID), ResourceID: g.resA.ID},
		B:   verify.Side{Dataset: aggregate.DatasetName(g.resB.ID), ResourceID: g.resB.ID},
		Key: verify.Field{Name: "公民身份号码"}, Attributes: []verify.Field{{Name: "姓名"}, {Name: "出生日期"}}})
	if err != nil || run.ConflictingKeys == 0 {
		t.Fatalf("Verify.Run = %v; want a run with conflicts", err)
	}
	// A ticket raised and provided within org A: org B knows nothing of it.
	own, err := g.app.Rectify.Raise(apptest.As(t, g.app, "a.editor"), rectify.Issue{ResourceID: g.resA.ID, Title: "出生日期有误"})
	if err != nil {
		t.Fatalf("Raise: %v", err)
	}

	const ok, see, forbidden, notFound, conflict = http.StatusOK, http.StatusSeeOther, http.StatusForbidden, http.StatusNotFound, http.StatusConflict
	tests := []struct {
		user       string
		wantTicket int // GET /tickets/{own}
		wantVerify int // POST /tickets/{own}/transition action=verify (an open ticket: 409 for who may)
		wantRaise  int // POST /catalog/{resA}/tickets
		wantRuns   int // GET /verifications and /verifications/{run}
		wantRun    int // POST /verifications
		sample     bool
	}{
		{user: "admin", wantTicket: ok, wantVerify: conflict, wantRaise: see, wantRuns: ok, wantRun: see, sample: true},
		{user: "a.admin", wantTicket: ok, wantVerify: conflict, wantRaise: see, wantRuns: ok, wantRun: forbidden},
		{user: "a.editor", wantTicket: ok, wantVerify: conflict, wantRaise: see, wantRuns: ok, wantRun: forbidden},
		{user: "a.reviewer", wantTicket: ok, wantVerify: forbidden, wantRaise: see, wantRuns: ok, wantRun: forbidden},
		{user: "a.security", wantTicket: ok, wantVerify: forbidden, wantRaise: see, wantRuns: ok, wantRun: forbidden},
		{user: "auditor", wantTicket: ok, wantVerify: forbidden, wantRaise: forbidden, wantRuns: ok, wantRun: forbidden},
		{user: "b.editor", wantTicket: notFound, wantVerify: notFound, wantRaise: see, wantRuns: ok, wantRun: forbidden},
		{user: "b.reviewer", wantTicket: notFound, wantVerify: notFound, wantRaise: see, wantRuns: ok, wantRun: forbidden},
		{user: "b.consumer", wantTicket: notFound, wantVerify: notFound, wantRaise: see, wantRuns: forbidden, wantRun: forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			c := g.login(tt.user, password(tt.user))
			gets := map[string]int{
				"/tickets": ok, "/tickets?scope=raised&status=open&overdue=1": ok, "/tickets/" + own.ID: tt.wantTicket,
				"/reports/rectification": ok,
				"/verifications":         tt.wantRuns, "/verifications/" + run.ID: tt.wantRuns,
				"/lineage": ok, "/lineage?resource=" + g.resA.ID + "&depth=1": ok, "/lineage/graph.json?resource=" + g.resA.ID: ok,
			}
			for path, want := range gets {
				if got, body := c.get(path); got.StatusCode != want {
					t.Errorf("GET %s as %s = %d, want %d: %s", path, tt.user, got.StatusCode, want, errorText(body))
				}
			}
			got, body := c.post("/tickets/"+own.ID+"/transition", url.Values{"csrf": {c.csrf}, "action": {"verify"}})
			if got.StatusCode != tt.wantVerify {
				t.Errorf("POST verify on an open ticket as %s = %d, want %d: %s", tt.user, got.StatusCode, tt.wantVerify, errorText(body))
			}
			got, body = c.post("/catalog/"+g.resA.ID+"/tickets", url.Values{"csrf": {c.csrf}, "title": {"姓名有误，来自 " + tt.user}})
			if got.StatusCode != tt.wantRaise {
				t.Errorf("POST /catalog/{id}/tickets as %s = %d, want %d: %s", tt.user, got.StatusCode, tt.wantRaise, errorText(body))
			}
			got, body = c.post("/verifications", url.Values{"csrf": {c.csrf}, "a": {g.resA.Code}, "b": {g.resB.Code},
				"key": {"DE00001"}, "attributes": {"姓名"}})
			if got.StatusCode != tt.wantRun {
				t.Errorf("POST /verifications as %s = %d, want %d: %s", tt.user, got.StatusCode, tt.wantRun, errorText(body))
			}
			if tt.wantRuns == ok {
				_, page := c.get("/verifications/" + run.ID)
				if has := strings.Contains(page, `id="conflict-sample"`); has != tt.sample {
					t.Errorf("run page as %s shows the conflict sample: %v, want %v", tt.user, has, tt.sample)
				}
				if has := strings.Contains(page, `id="sample-withheld"`); has == tt.sample {
					t.Errorf("run page as %s says the sample is withheld: %v, want %v", tt.user, has, !tt.sample)
				}
			}

			_, page := c.get("/catalog/" + g.resA.ID)
			checks := []struct {
				what, marker string
				want         bool
			}{
				{"the raise form", `action="/catalog/` + g.resA.ID + `/tickets"`, tt.wantRaise == see},
				{"the graph link", `href="/lineage?resource=` + g.resA.ID + `"`, true},
				{"the tickets entry", `href="/tickets"`, true},
				{"the report entry", `href="/reports/rectification"`, true},
				{"the verification entry", `href="/verifications"`, tt.wantRuns == ok},
				{"the graph entry", `href="/lineage"`, true},
				{"the run form", `action="/verifications"`, false},
			}
			for _, ck := range checks {
				if has := strings.Contains(page, ck.marker); has != ck.want {
					t.Errorf("resource page as %s shows %s: %v, want %v", tt.user, ck.what, has, ck.want)
				}
			}
			if tt.wantRuns == ok {
				_, list := c.get("/verifications")
				if has := strings.Contains(list, `action="/verifications"`); has != (tt.wantRun == see) {
					t.Errorf("run list as %s offers the run form: %v, want %v", tt.user, has, tt.wantRun == see)
				}
			}
		})
	}

	// Without a session every governance route leads to the login page.
	anon := g.client()
	for _, path := range []string{"/tickets", "/tickets/" + own.ID, "/reports/rectification", "/verifications", "/verifications/" + run.ID,
		"/lineage", "/lineage/graph.json"} {
		if got, _ := anon.get(path); got.StatusCode != see || !strings.HasPrefix(got.Header.Get("Location"), "/login?next=") {
			t.Errorf("GET %s without a session = %d to %q, want 303 to the login page", path, got.StatusCode, got.Header.Get("Location"))
		}
	}
	for _, path := range []string{"/tickets/" + own.ID + "/transition", "/catalog/" + g.resA.ID + "/tickets", "/verifications"} {
		if got, _ := anon.post(path, url.Values{}); got.StatusCode != see || got.Header.Get("Location") != "/login" {
			t.Errorf("POST %s without a session = %d to %q, want 303 to /login", path, got.StatusCode, got.Header.Get("Location"))
		}
	}
	// A forged form moves nothing.
	c := g.login("a.editor", apptest.UserPassword)
	if got, body := c.post("/tickets/"+own.ID+"/transition", url.Values{"csrf": {"forged"}, "action": {"acknowledge"}}); got.StatusCode != forbidden ||
		!strings.Contains(body, "表单已失效") {
		t.Errorf("POST acknowledge with a forged token = %d, want 403 with the CSRF message", got.StatusCode)
	}
	if got, _ := g.app.Rectify.Get(apptest.As(t, g.app, "a.editor"), own.ID); got.Status != rectify.Open {
		t.Errorf("after a forged acknowledge the ticket is %s, want open", got.Status)
	}
}

var ticketPathRE = regexp.MustCompile(`^/tickets/([0-9a-f-]{36})\?msg=raised$`)

// TestTicketThroughPages walks a consumer's issue through the pages, on
// every control-store backend: raised on a published resource, refused
// without a title, acknowledged and fixed by the provider's editor (a
// rejection without a reason refused), verified and closed by the raiser,
// while users who may not move it are refused.
func TestTicketThroughPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		p := newPortalOn(t, dsn)
		res := p.publishAs("a", demo.PopulationName)
		testTicketThroughPages(t, p, res)
	})
}

func testTicketThroughPages(t *testing.T, p *portal, res *catalog.Resource) {
	consumer := p.login("b.consumer", apptest.UserPassword)
	_, page := consumer.get("/catalog/" + res.ID)
	for _, want := range []string{"数据治理", "反馈数据问题", `name="record_key"`, `<option value="出生日期">`, "关系图谱"} {
		if !strings.Contains(page, want) {
			t.Errorf("resource page for the consumer lacks %q", want)
		}
	}
	raise := url.Values{"csrf": {consumer.csrf}, "title": {""}, "description": {"户籍登记的出生日期与身份证不一致"},
		"record_key": {"350102199001011234"}, "item": {"出生日期"}}
	got, body := consumer.post("/catalog/"+res.ID+"/tickets", raise)
	if got.StatusCode != http.StatusBadRequest || !strings.Contains(body, "问题概述") || !strings.Contains(body, "不能为空") ||
		!strings.Contains(body, "户籍登记的出生日期与身份证不一致") || !strings.Contains(body, `<details class="raise" open>`) {
		t.Errorf("raise without a title = %d; want 400 naming the title, the form open with its values kept: %s", got.StatusCode, errorText(body))
	}
	raise.Set("item", "不存在的信息项")
	raise.Set("title", "出生日期有误")
	if got, _ := consumer.post("/catalog/"+res.ID+"/tickets", raise); got.StatusCode != http.StatusBadRequest {
		t.Errorf("raise on an item the resource lacks = %d, want 400", got.StatusCode)
	}
	raise.Set("item", "出生日期")
	got, body = consumer.post("/catalog/"+res.ID+"/tickets", raise)
	m := ticketPathRE.FindStringSubmatch(got.Header.Get("Location"))
	if got.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("raise = %d to %q, want 303 to the new ticket: %s", got.StatusCode, got.Header.Get("Location"), errorText(body))
	}
	path := "/tickets/" + m[1]
	_, page = consumer.get(got.Header.Get("Location"))
	for _, want := range []string{"已生成整改工单", "出生日期有误", "待签收", "剩余 10 个工作日", "福建省公安厅", "350102199001011234",
		"使用反馈", "提出问题", "您当前无需办理此工单"} {
		if !strings.Contains(page, want) {
			t.Errorf("the new ticket's page lacks %q", want)
		}
	}

	// The provider's editor finds it among the tickets to their
	// organisation, and may acknowledge or reject it.
	editor := p.login("a.editor", apptest.UserPassword)
	_, list := editor.get("/tickets?scope=provided")
	if !strings.Contains(list, `href="`+path+`"`) || !strings.Contains(list, "剩余 10 个工作日") {
		t.Errorf("a.editor's tickets to their organisation lack the ticket and its working days")
	}
	if _, raised := editor.get("/tickets?scope=raised"); strings.Contains(raised, `href="`+path+`"`) {
		t.Errorf("a.editor's tickets raised by their organisation list org B's ticket")
	}
	_, page = editor.get(path)
	for _, want := range []string{`name="action" value="acknowledge"`, `name="action" value="reject"`, `name="note"`, "须填写说明"} {
		if !strings.Contains(page, want) {
			t.Errorf("the ticket's page for the provider lacks %q", want)
		}
	}
	if strings.Contains(page, `value="verify"`) || strings.Contains(page, `value="close"`) {
		t.Errorf("the provider is offered the raiser's transitions")
	}
	got, body = editor.post(path+"/transition", url.Values{"csrf": {editor.csrf}, "action": {"reject"}, "note": {"  "}})
	if got.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请填写理由") {
		t.Errorf("reject without a note = %d, want 400 asking for a reason: %s", got.StatusCode, errorText(body))
	}
	// walk makes each step through the ticket's form and checks the
	// notice and the status it leads to.
	type step struct {
		c                  *client
		action, note       string
		flash, statusLabel string
	}
	walk := func(steps ...step) {
		t.Helper()
		for _, s := range steps {
			got, body := s.c.post(path+"/transition", url.Values{"csrf": {s.c.csrf}, "action": {s.action}, "note": {s.note}})
			if got.StatusCode != http.StatusSeeOther || got.Header.Get("Location") != path+"?msg=ticket_"+s.action {
				t.Fatalf("%s = %d to %q, want 303 back to the ticket: %s", s.action, got.StatusCode, got.Header.Get("Location"), errorText(body))
			}
			_, page := s.c.get(got.Header.Get("Location"))
			if !strings.Contains(page, s.flash) || statusOf(page) != s.statusLabel {
				t.Errorf("after %s the page shows status %q, want the notice %q and status %q", s.action, statusOf(page), s.flash, s.statusLabel)
			}
		}
	}
	walk(step{editor, "acknowledge", "", "工单已签收", "整改中"},
		step{editor, "fix", "已按户籍档案更正", "已标记为完成整改", "已整改待核验"})

	// Who may not verify it is refused: the provider's own editor and
	// reviewer, and the auditor (who may move no ticket at all).
	for _, u := range []string{"a.editor", "a.reviewer", "b.reviewer", "auditor"} {
		c := p.login(u, apptest.UserPassword)
		if got, body := c.post(path+"/transition", url.Values{"csrf": {c.csrf}, "action": {"verify"}}); got.StatusCode != http.StatusForbidden {
			t.Errorf("%s verifies the fix = %d, want 403: %s", u, got.StatusCode, errorText(body))
		}
	}
	// A ticket within org A is not found by the consumer of org B.
	own, err := p.app.Rectify.Raise(apptest.As(t, p.app, "a.editor"), rectify.Issue{ResourceID: res.ID, Title: "内部核对"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := consumer.get("/tickets/" + own.ID); got.StatusCode != http.StatusNotFound {
		t.Errorf("b.consumer GET org A's own ticket = %d, want 404", got.StatusCode)
	}
	if got, _ := consumer.post("/tickets/"+own.ID+"/transition", url.Values{"csrf": {consumer.csrf}, "action": {"acknowledge"}}); got.StatusCode != http.StatusNotFound {
		t.Errorf("b.consumer acknowledges org A's own ticket = %d, want 404", got.StatusCode)
	}

	// The raiser verifies and closes it.
	_, page = consumer.get(path)
	for _, want := range []string{`value="verify"`, `value="reopen"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the raiser's page of the fixed ticket lacks %q", want)
		}
	}
	walk(step{consumer, "verify", "已核对", "整改已核验通过", "已核验"},
		step{consumer, "close", "", "工单已关闭", "已关闭"})
	_, page = consumer.get(path)
	for _, want := range []string{"已按户籍档案更正", "已核对", "签收", "完成整改", "核验通过", "关闭时间", "您当前无需办理此工单"} {
		if !strings.Contains(page, want) {
			t.Errorf("the closed ticket's page lacks %q", want)
		}
	}
	if got, _ := consumer.post(path+"/transition", url.Values{"csrf": {consumer.csrf}, "action": {"reopen"}, "note": {"再看看"}}); got.StatusCode != http.StatusConflict {
		t.Errorf("reopen a closed ticket = %d, want 409", got.StatusCode)
	}

	// The list filters and the report count it.
	_, closed := consumer.get("/tickets?status=closed")
	if !strings.Contains(closed, `href="`+path+`"`) {
		t.Errorf("the closed tickets list lacks the ticket")
	}
	if _, open := consumer.get("/tickets?status=open"); strings.Contains(open, `href="`+path+`"`) {
		t.Errorf("the open tickets list shows the closed ticket")
	}
	if got, _ := consumer.get("/tickets?status=bogus"); got.StatusCode != http.StatusBadRequest {
		t.Errorf("GET /tickets?status=bogus = %d, want 400", got.StatusCode)
	}
	_, report := p.admin().get("/reports/rectification")
	if !strings.Contains(report, "福建省公安厅") || !strings.Contains(report, `id="rectification"`) {
		t.Errorf("the rectification report lacks org A's row")
	}

	// In English.
	editor.get("/lang/en")
	_, page = editor.get(path)
	for _, want := range []string{"Closed", "User feedback", "Acknowledge", "Mark fixed", "History"} {
		if !strings.Contains(page, want) {
			t.Errorf("the ticket's page in English lacks %q", want)
		}
	}
}

var statusRE = regexp.MustCompile(`(?s)<span id="ticket-status">(.*?)</span></span>`)

// statusOf is the ticket page's status badge text.
func statusOf(page string) string {
	if m := statusRE.FindStringSubmatch(page); m != nil {
		return strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], ""))
	}
	return ""
}

// TestVerificationThroughPages runs a verification through the form as
// the platform administrator, with tickets from its conflicts, and reads
// it back: match rates, conflicts, the authoritative side (org A is the
// declared source of 公民身份号码) and the sample, which org A's editor
// may not see.
func TestVerificationThroughPages(t *testing.T) {
	g := newGoverned(t, "")
	if _, err := g.app.Catalog.DeclareSource(apptest.As(t, g.app, "a.editor"), catalog.SourceClaim{ResourceID: g.resA.ID, ItemCode: "GMSFHM"}); err != nil {
		t.Fatalf("DeclareSource: %v", err)
	}
	admin := g.admin()
	_, page := admin.get("/verifications")
	if !strings.Contains(page, `action="/verifications"`) || !strings.Contains(page, `value="DE00001"`) {
		t.Errorf("the run list offers the administrator no run form with the default key")
	}
	bad := url.Values{"csrf": {admin.csrf}, "a": {g.resA.Code}, "b": {"999999/999999"}, "key": {"DE00001"}, "attributes": {"姓名、学历"}}
	got, body := admin.post("/verifications", bad)
	if got.StatusCode != http.StatusBadRequest || !strings.Contains(body, "资源乙") || !strings.Contains(body, "没有该代码的已发布资源") ||
		!strings.Contains(body, `value="999999/999999"`) {
		t.Errorf("run with an unknown resource = %d; want 400 naming side B with the values kept: %s", got.StatusCode, errorText(body))
	}
	bad.Set("b", g.resB.Code)
	if got, body := admin.post("/verifications", bad); got.StatusCode != http.StatusBadRequest || !strings.Contains(body, "学历") {
		t.Errorf("run on an item neither side has = %d; want 400 naming it: %s", got.StatusCode, errorText(body))
	}
	got, body = admin.post("/verifications", url.Values{"csrf": {admin.csrf}, "a": {g.resA.Code}, "b": {g.resB.Code}, "key": {"公民身份号码"},
		"attributes": {"姓名，CSRQ DE00006"}, "tickets": {"1"}})
	loc := got.Header.Get("Location")
	if got.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/verifications/") {
		t.Fatalf("run = %d to %q, want 303 to the run: %s", got.StatusCode, loc, errorText(body))
	}
	_, page = admin.get(loc)
	loc = strings.TrimSuffix(loc, "?msg=verification")
	for _, want := range []string{"校核已完成", demo.PopulationName, "社会保险参保人员基本信息", `id="attribute-rates"`, "姓名", "出生日期", "户籍地址",
		`id="conflict-sample"`, "是比对主键的权威来源", `<meter`} {
		if !strings.Contains(page, want) {
			t.Errorf("the run's page lacks %q", want)
		}
	}
	if strings.Contains(page, `id="run-conflicting">0<`) {
		t.Errorf("the run found no conflicting keys")
	}
	// Org A is authoritative: the tickets go to org B only. Its editor,
	// who may read org B's records, sees the sample on the ticket; its
	// reviewer, who may not, sees the conflicts without the people's data.
	bed := g.login("b.editor", apptest.UserPassword)
	_, list := bed.get("/tickets?scope=provided&status=open")
	ids := regexp.MustCompile(`href="/tickets/([0-9a-f-]{36})"`).FindAllStringSubmatch(list, -1)
	if len(ids) != 1 || !strings.Contains(list, "多源校核：") {
		t.Fatalf("org B's open tickets = %d, want the one from the verification", len(ids))
	}
	ticket := "/tickets/" + ids[0][1]
	_, page = bed.get(ticket)
	for _, want := range []string{`id="ticket-conflicts"`, `id="attribute-rates"`, `id="conflict-sample"`, `href="` + loc + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("org B's verification ticket for its editor lacks %q", want)
		}
	}
	_, page = g.login("b.reviewer", apptest.UserPassword).get(ticket)
	if !strings.Contains(page, `id="sample-withheld"`) || strings.Contains(page, `id="conflict-sample"`) || !strings.Contains(page, `id="attribute-rates"`) {
		t.Errorf("b.reviewer's verification ticket: want the rates without the sample")
	}
	if _, list := g.login("a.editor", apptest.UserPassword).get("/tickets?scope=provided"); strings.Contains(list, "多源校核：") {
		t.Errorf("the authoritative side got a verification ticket")
	}
	// The editor of org A reads the run without the sample.
	_, page = g.login("a.editor", apptest.UserPassword).get(loc)
	if !strings.Contains(page, `id="sample-withheld"`) || strings.Contains(page, `id="conflict-sample"`) || !strings.Contains(page, `id="attribute-rates"`) {
		t.Errorf("a.editor's run page: want the rates without the sample")
	}
	if _, list := admin.get("/verifications?resource=" + g.resB.ID); !strings.Contains(list, `href="`+loc+`"`) {
		t.Errorf("the runs of resource B lack the run")
	}
}

// TestLineageGraphJSON: the graph route returns, centred on a resource,
// the resource, the key-element hub it shares with another provider's
// resource, and that resource, in the shape the chart draws; the page
// holds the chart container pointing at it and no inline script.
func TestLineageGraphJSON(t *testing.T) {
	p := newPortal(t)
	resA := p.publishAs("a", demo.PopulationName)
	resB := p.publishAs("b", "社会保险参保人员基本信息")
	draft := p.createResource()
	c := p.login("b.consumer", apptest.UserPassword)
	got, body := c.get("/lineage/graph.json?resource=" + url.QueryEscape(resA.Code) + "&depth=1")
	if got.StatusCode != http.StatusOK || !strings.HasPrefix(got.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET graph.json = %d, %q; want JSON", got.StatusCode, got.Header.Get("Content-Type"))
	}
	var g struct {
		Center     string
		Categories []struct{ Kind, Name string }
		Nodes      []struct {
			ID, Name, Kind, Org, Href string
			Category, Depth           int
		}
		Links []struct{ Source, Target, Kind, Label string }
	}
	if err := json.Unmarshal([]byte(body), &g); err != nil {
		t.Fatalf("graph.json: %v", err)
	}
	centre, hub := "resource:"+resA.ID, "element:DE00001"
	if g.Center != centre {
		t.Errorf("centre = %q, want %q", g.Center, centre)
	}
	kinds := []string{}
	for _, c := range g.Categories {
		kinds = append(kinds, c.Kind+"="+c.Name)
	}
	if want := []string{"source=数据来源", "resource=目录资源", "dataset=数据集", "element=关键数据元"}; !slices.Equal(kinds, want) {
		t.Errorf("categories = %v, want %v", kinds, want)
	}
	nodes := map[string]string{}
	for _, n := range g.Nodes {
		nodes[n.ID] = n.Kind + "|" + n.Name + "|" + g.Categories[n.Category].Kind + "|" + n.Href
	}
	for id, want := range map[string]string{
		centre:                 "resource|" + demo.PopulationName + "|resource|/catalog/" + resA.ID,
		hub:                    "element|公民身份号码|element|",
		"resource:" + resB.ID:  "resource|社会保险参保人员基本信息|resource|/catalog/" + resB.ID,
		"resource:" + draft.ID: "",
	} {
		if nodes[id] != want {
			t.Errorf("node %s = %q, want %q", id, nodes[id], want)
		}
	}
	var shares int
	for _, l := range g.Links {
		if l.Target == hub && l.Kind == "shares_key" && strings.HasPrefix(l.Label, "共用数据元：") {
			shares++
		}
	}
	if shares != 2 {
		t.Errorf("the hub has %d shares_key links, want 2: %+v", shares, g.Links)
	}
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/lineage/graph.json", http.StatusOK},
		{"/lineage/graph.json?depth=9", http.StatusBadRequest},
		{"/lineage/graph.json?resource=" + draft.ID, http.StatusNotFound},
		{"/lineage?resource=no-such-resource", http.StatusNotFound},
	} {
		if got, _ := c.get(tt.path); got.StatusCode != tt.want {
			t.Errorf("GET %s = %d, want %d", tt.path, got.StatusCode, tt.want)
		}
	}
	_, page := c.get("/lineage?resource=" + resA.ID)
	wants := []string{demo.PopulationName, `href="/lineage/graph.json?depth=2&amp;resource=` + resA.ID + `"`}
	if _, err := os.Stat("static/npm/echarts.min.js"); err == nil {
		// Built with scripts/assets.sh: the chart.
		wants = append(wants, `id="lineage-chart"`, `data-src="/lineage/graph.json?depth=2&amp;resource=`+resA.ID+`"`,
			`src="/static/npm/echarts.min.`, `src="/static/lineage.`)
	}
	for _, want := range wants {
		if !strings.Contains(page, want) {
			t.Errorf("the lineage page lacks %s", want)
		}
	}
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).MatchString(page) || strings.Contains(page, " onclick=") {
		t.Errorf("the lineage page holds inline script")
	}
}

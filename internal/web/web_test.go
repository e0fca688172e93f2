package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/catalogio"
)

// portal is a running node with the fixture organisations and users.
type portal struct {
	t   *testing.T
	app *app.App
	srv *httptest.Server
	fx  *apptest.Fixture
}

func newPortal(t *testing.T) *portal { return newPortalOn(t, "") }

// newPortalOn starts the portal on the control store at dsn ("" = SQLite
// in a temporary directory; see storetest.Each).
func newPortalOn(t *testing.T, dsn string) *portal {
	t.Helper()
	a := apptest.Open(t, dsn, nil)
	fx := apptest.Seed(t, a)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &portal{t: t, app: a, srv: srv, fx: fx}
}

// client is one browser: a cookie jar that does not follow redirects.
type client struct {
	p    *portal
	http *http.Client
	csrf string // the session's token, read from the last page
}

func (p *portal) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{p: p, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// login logs in as username and returns the client.
func (p *portal) login(username, password string) *client {
	p.t.Helper()
	c := p.client()
	res, body := c.get("/login")
	if res.StatusCode != http.StatusOK {
		p.t.Fatalf("GET /login = %d", res.StatusCode)
	}
	res, _ = c.post("/login", url.Values{"csrf": {hidden(body, "csrf")}, "username": {username}, "password": {password}, "next": {"/catalog"}})
	if res.StatusCode != http.StatusSeeOther {
		p.t.Fatalf("POST /login as %s = %d, want 303", username, res.StatusCode)
	}
	_, body = c.get("/catalog")
	c.csrf = hidden(body, "csrf")
	if c.csrf == "" {
		p.t.Fatalf("no CSRF token on /catalog after login as %s", username)
	}
	return c
}

func (p *portal) admin() *client { return p.login("admin", apptest.AdminPassword) }

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.p.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.p.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) get(path string, headers ...string) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodGet, c.p.srv.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values, headers ...string) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodPost, c.p.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

var hiddenRE = regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`)

// hidden returns the value of the first input named name in body.
func hidden(body, name string) string {
	for _, m := range hiddenRE.FindAllStringSubmatch(body, -1) {
		if m[1] == name {
			return m[2]
		}
	}
	return ""
}

// createResource registers the fixture's resource as a.editor.
func (p *portal) createResource() *catalog.Resource {
	p.t.Helper()
	r, err := p.app.Catalog.Create(apptest.As(p.t, p.app, "a.editor"), apptest.Resource())
	if err != nil {
		p.t.Fatalf("Create: %v", err)
	}
	return r
}

func TestRedirectsToLoginWithoutSession(t *testing.T) {
	p := newPortal(t)
	c := p.client()
	tests := []struct {
		method, path string
		want         string
	}{
		{"GET", "/", "/login"},
		{"GET", "/catalog?q=%E7%94%B5%E5%AD%90", "/login?next=%2Fcatalog%3Fq%3D%25E7%2594%25B5%25E5%25AD%2590"},
		{"GET", "/review", "/login?next=%2Freview"},
		{"GET", "/catalog/new", "/login?next=%2Fcatalog%2Fnew"},
		{"GET", "/no/such/page", "/login?next=%2Fno%2Fsuch%2Fpage"},
		{"POST", "/catalog/new", "/login"},
		{"POST", "/logout", "/login"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, p.srv.URL+tt.path, nil)
		res, _ := c.do(req)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tt.want {
			t.Errorf("%s %s = %d to %q, want 303 to %q", tt.method, tt.path, res.StatusCode, res.Header.Get("Location"), tt.want)
		}
	}
	res, _ := c.get("/catalog", "HX-Request", "true")
	if res.StatusCode != http.StatusUnauthorized || res.Header.Get("HX-Redirect") != "/login?next=%2Fcatalog" {
		t.Errorf("htmx GET /catalog = %d, HX-Redirect %q; want 401 with HX-Redirect to the login page", res.StatusCode, res.Header.Get("HX-Redirect"))
	}
	// Public: the login page, its stylesheet, the language switch.
	res, body := c.get("/login")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "福建省公共数据资源统一平台") {
		t.Fatalf("GET /login = %d; want 200 with the platform name", res.StatusCode)
	}
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(body)
	if css == nil {
		t.Fatal("the login page links no content-hashed stylesheet")
	}
	res, _ = c.get(css[1])
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("GET %s = %d, %q, %q; want 200 text/css cached immutable", css[1], res.StatusCode,
			res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
	if res, _ := c.get("/static/app.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /static/app.css (unhashed) = %d, want 404", res.StatusCode)
	}
}

func TestLogin(t *testing.T) {
	p := newPortal(t)
	c := p.client()
	_, body := c.get("/login?next=/review")
	token := hidden(body, "csrf")
	if hidden(body, "next") != "/review" {
		t.Errorf("login form next = %q, want /review", hidden(body, "next"))
	}
	res, body := c.post("/login", url.Values{"csrf": {token}, "username": {"admin"}, "password": {"wrong-password-1"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") || !strings.Contains(body, `value="admin"`) {
		t.Errorf("POST /login with a wrong password = %d; want 401 with the message and the username kept", res.StatusCode)
	}
	res, _ = c.post("/login", url.Values{"csrf": {token}, "username": {"admin"}, "password": {apptest.AdminPassword}, "next": {"//evil.example/x"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/catalog" {
		t.Errorf("POST /login with next=//evil.example/x = %d to %q, want 303 to /catalog", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "pubdata_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Secure {
		t.Errorf("session cookie = %+v; want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", session)
	}
	if res, _ := c.get("/login"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /login with a session = %d, want 303 onwards", res.StatusCode)
	}
	_, body = c.get("/catalog")
	res, _ = c.post("/logout", url.Values{"csrf": {hidden(body, "csrf")}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("POST /logout = %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := c.get("/catalog"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /catalog after logout = %d, want 303 to the login page", res.StatusCode)
	}
}

func TestSecureCookieBehindTLSProxy(t *testing.T) {
	p := newPortal(t)
	c := p.client()
	res, _ := c.get("/login", "X-Forwarded-Proto", "https")
	for _, ck := range res.Cookies() {
		if ck.Name == "pubdata_login_csrf" && !ck.Secure {
			t.Errorf("login CSRF cookie behind an https proxy is not Secure")
		}
	}
}

func TestCSRFRejected(t *testing.T) {
	p := newPortal(t)
	c := p.admin()
	r := p.createResource()
	tests := []struct {
		name    string
		path    string
		form    url.Values
		headers []string
	}{
		{"no token", "/catalog/new", url.Values{"name": {"x"}}, nil},
		{"wrong token", "/catalog/new", url.Values{"csrf": {"not-the-token"}, "name": {"x"}}, nil},
		{"wrong header", "/catalog/validate", url.Values{"name": {"x"}}, []string{"X-CSRF-Token", "nope", "HX-Request", "true"}},
		{"transition", "/catalog/" + r.ID + "/transition", url.Values{"action": {"submit"}}, nil},
		{"logout", "/logout", url.Values{}, nil},
	}
	for _, tt := range tests {
		res, body := c.post(tt.path, tt.form, tt.headers...)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "表单已失效") {
			t.Errorf("%s: POST %s = %d, want 403 with the CSRF message", tt.name, tt.path, res.StatusCode)
		}
	}
	if got, _ := p.app.Catalog.Get(apptest.As(t, p.app, "a.editor"), r.ID); got.Status != catalog.Draft {
		t.Errorf("after a forged submit the status is %s, want draft", got.Status)
	}
	// The login form's double-submit cookie.
	anon := p.client()
	res, _ := anon.post("/login", url.Values{"csrf": {"forged"}, "username": {"admin"}, "password": {apptest.AdminPassword}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("POST /login without the double-submit cookie = %d, want 403", res.StatusCode)
	}
	// The right token in the htmx header is accepted.
	res, _ = c.post("/catalog/validate", url.Values{"name": {"x"}}, "X-CSRF-Token", c.csrf, "HX-Request", "true")
	if res.StatusCode != http.StatusOK {
		t.Errorf("htmx POST /catalog/validate with the session's token = %d, want 200", res.StatusCode)
	}
}

func TestLanguageSwitch(t *testing.T) {
	p := newPortal(t)
	c := p.admin()
	res, _ := c.get("/lang/en?next=" + url.QueryEscape("/catalog?q=x"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/catalog?q=x" {
		t.Fatalf("GET /lang/en = %d to %q, want 303 to /catalog?q=x", res.StatusCode, res.Header.Get("Location"))
	}
	_, body := c.get("/catalog")
	for _, want := range []string{"Fujian Public Data Platform", "Review queue", `lang="en"`, "Public data catalog"} {
		if !strings.Contains(body, want) {
			t.Errorf("/catalog in English lacks %q", want)
		}
	}
	if strings.Contains(body, "审核队列") {
		t.Errorf("/catalog in English still shows 审核队列")
	}
	res, _ = c.get("/lang/zh-CN?next=//evil.example")
	if res.Header.Get("Location") != "/catalog" {
		t.Errorf("GET /lang/zh-CN?next=//evil.example goes to %q, want /catalog", res.Header.Get("Location"))
	}
	if _, body = c.get("/catalog"); !strings.Contains(body, "审核队列") {
		t.Errorf("/catalog after switching back lacks 审核队列")
	}
	if res, _ := c.get("/lang/fr"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /lang/fr = %d, want 404", res.StatusCode)
	}
}

func TestPagesRenderForAdmin(t *testing.T) {
	p := newPortal(t)
	r := p.createResource()
	ed := apptest.As(t, p.app, "a.editor")
	if _, err := p.app.Catalog.Transition(ed, r.ID, catalog.ActSubmit, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := p.app.Catalog.Transition(apptest.As(t, p.app, "a.reviewer"), r.ID, catalog.ActOrgApprove, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		zh   []string
		en   []string
	}{
		{"/", []string{"公共数据目录", "居民身份证电子证照信息", "提供单位", "福建省公安厅", "重要数据"}, []string{"Public data catalog", "Important data"}},
		{"/catalog?q=" + url.QueryEscape("电子证照"), []string{"居民身份证电子证照信息", "有条件共享"}, []string{"Conditional sharing"}},
		{"/catalog/" + r.ID, []string{r.Code, "公民身份号码", "DE00001", "电子证照", "版本历史", "平台审核通过", "退回修改"},
			[]string{"Data items", "Version history", "Approve (platform)", "Return for changes"}},
		{"/catalog/" + r.ID + "/versions/2", []string{"第 2 版", "提交审核", "待单位审核"}, []string{"Version 2", "Submit for review"}},
		{"/catalog/new", []string{"新建目录", "添加信息项", "公民身份号码"}, []string{"New catalog entry", "Add data item"}},
		{"/review", []string{"待平台审核", "居民身份证电子证照信息"}, []string{"Awaiting platform review"}},
		{"/overdue", []string{"逾期更新", "没有逾期未更新的目录"}, []string{"Overdue catalog updates"}},
		{"/conformance", []string{"目录符合性报告", "符合率"}, []string{"Catalog conformance report", "Conformance"}},
		{"/conformance?org=" + p.fx.OrgA.ID, []string{"福建省公安厅"}, []string{"Entries"}},
		{"/import", []string{"目录批量导入", "/import/template.xlsx"}, []string{"Catalog import"}},
	}
	c := p.admin()
	for _, lang := range []string{"zh-CN", "en"} {
		c.get("/lang/" + lang)
		for _, tt := range tests {
			res, body := c.get(tt.path)
			if res.StatusCode != http.StatusOK {
				t.Errorf("[%s] GET %s = %d, want 200", lang, tt.path, res.StatusCode)
				continue
			}
			want := tt.zh
			if lang == "en" {
				want = tt.en
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("[%s] GET %s lacks %q", lang, tt.path, w)
				}
			}
		}
	}
}

func TestConsumerCannotSeeReviewQueue(t *testing.T) {
	p := newPortal(t)
	c := p.login("b.consumer", apptest.UserPassword)
	res, body := c.get("/review")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "无权访问") {
		t.Errorf("consumer GET /review = %d, want 403 page", res.StatusCode)
	}
	for _, path := range []string{"/catalog/new", "/overdue", "/conformance", "/import"} {
		if res, _ := c.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("consumer GET %s = %d, want 403", path, res.StatusCode)
		}
	}
	_, body = c.get("/catalog")
	if strings.Contains(body, `href="/review"`) || strings.Contains(body, `href="/catalog/new"`) {
		t.Errorf("the consumer's navigation links to pages they may not open")
	}
	// A draft of another organisation is not theirs to see.
	r := p.createResource()
	if res, _ := c.get("/catalog/" + r.ID); res.StatusCode != http.StatusNotFound {
		t.Errorf("consumer GET a draft = %d, want 404", res.StatusCode)
	}
	// An organisation reviewer sees their organisation's submitted entries.
	if _, err := p.app.Catalog.Transition(apptest.As(t, p.app, "a.editor"), r.ID, catalog.ActSubmit, ""); err != nil {
		t.Fatal(err)
	}
	rv := p.login("a.reviewer", apptest.UserPassword)
	res, body = rv.get("/review")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "待单位审核") || !strings.Contains(body, r.Name) {
		t.Errorf("reviewer GET /review = %d; want 200 listing %s awaiting organisation review", res.StatusCode, r.Name)
	}
}

// itemForm is the create form's values for the fixture resource.
func itemForm(csrf string) url.Values {
	r := apptest.Resource()
	v := url.Values{"csrf": {csrf}, "op": {"save"}, "name": {r.Name}, "class_code": {r.ClassCode}, "summary": {r.Summary},
		"format_class": {r.FormatClass}, "format_type": {r.FormatType}, "update_cycle": {r.UpdateCycle},
		"release_date": {r.ReleaseDate}, "system": {r.System}, "keywords": {strings.Join(r.Keywords, "，")},
		"share.type": {r.Share.Type}, "share.conditions": {r.Share.Conditions}, "share.method": {r.Share.Method},
		"open.type": {r.Open.Type}}
	v.Set("items[0].name", "证照编号")
	v.Set("items[0].code", "ZZBH")
	v.Set("items[0].data_type", "C")
	v.Set("items[0].length", "64")
	v.Set("items[0].primary_key", "1")
	v.Set("items[0].element", "DE00013")
	v.Set("items[0].category", "general")
	v.Set("items[0].sensitivity", "L2")
	return v
}

func TestCreateEditAndSubmitThroughForms(t *testing.T) {
	p := newPortal(t)
	c := p.login("a.editor", apptest.UserPassword)

	// A refused save keeps every value and puts the errors next to fields.
	bad := itemForm(c.csrf)
	bad.Set("share.type", "2")
	bad.Set("share.conditions", "")
	bad.Set("items[1].name", "")
	bad.Set("items[1].code", "9bad")
	res, body := c.post("/catalog/new", bad)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("POST /catalog/new with errors = %d, want 400", res.StatusCode)
	}
	for _, want := range []string{`id="err-share-conditions"`, "有条件共享须填写共享条件", `id="err-items-1-code"`,
		"须以字母开头", `value="居民身份证电子证照信息"`, `value="9bad"`} {
		if !strings.Contains(body, want) {
			t.Errorf("refused form lacks %q", want)
		}
	}

	// Add a row without saving.
	add := itemForm(c.csrf)
	add.Set("op", "add_row")
	_, body = c.post("/catalog/new", add)
	if !strings.Contains(body, `name="items[1].name"`) || !strings.Contains(body, `value="ZZBH"`) {
		t.Errorf("add_row did not render a second row with the first one kept")
	}

	// Save.
	res, _ = c.post("/catalog/new", itemForm(c.csrf))
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/catalog/") || !strings.HasSuffix(loc, "?msg=created") {
		t.Fatalf("POST /catalog/new = %d to %q, want 303 to the new entry", res.StatusCode, loc)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/catalog/"), "?msg=created")
	_, body = c.get(loc)
	for _, want := range []string{"目录已创建为草稿", "居民身份证电子证照信息", "草稿", "提交审核", "修改目录"} {
		if !strings.Contains(body, want) {
			t.Errorf("new entry's page lacks %q", want)
		}
	}

	// Edit with a reason: a new version with its diff.
	_, body = c.get("/catalog/" + id + "/edit")
	edit := itemForm(hidden(body, "csrf"))
	edit.Set("name", "居民身份证电子证照基本信息")
	edit.Set("reason", "按职责调整名称")
	res, _ = c.post("/catalog/"+id+"/edit", edit)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST edit = %d, want 303", res.StatusCode)
	}
	_, body = c.get("/catalog/" + id)
	for _, want := range []string{"居民身份证电子证照基本信息", "按职责调整名称", "第 2 版"} {
		if !strings.Contains(body, want) {
			t.Errorf("edited entry's page lacks %q", want)
		}
	}

	// A return needs a reason; the refusal shows on the page.
	res, _ = c.post("/catalog/"+id+"/transition", url.Values{"csrf": {c.csrf}, "action": {"submit"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d, want 303", res.StatusCode)
	}
	rv := p.login("a.reviewer", apptest.UserPassword)
	res, body = rv.post("/catalog/"+id+"/transition", url.Values{"csrf": {rv.csrf}, "action": {"return"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "须填写理由") {
		t.Errorf("return without a reason = %d, want 400 with the message", res.StatusCode)
	}
	res, _ = rv.post("/catalog/"+id+"/transition", url.Values{"csrf": {rv.csrf}, "action": {"org_approve"}, "next": {"/review"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/review?msg=org_approve" {
		t.Errorf("org_approve = %d to %q, want 303 to /review?msg=org_approve", res.StatusCode, res.Header.Get("Location"))
	}
	// The editor may not edit it now.
	if res, _ := c.get("/catalog/" + id + "/edit"); res.StatusCode != http.StatusConflict {
		t.Errorf("GET edit of an entry under review = %d, want 409", res.StatusCode)
	}
}

func TestInlineValidation(t *testing.T) {
	p := newPortal(t)
	c := p.login("a.editor", apptest.UserPassword)
	v := itemForm(c.csrf)
	v.Set("items[0].code", "9x")
	v.Set("summary", "")
	res, body := c.post("/catalog/validate", v, "HX-Request", "true", "HX-Trigger-Name", "items[0].code")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("htmx validate = %d", res.StatusCode)
	}
	if strings.Contains(body, "<html") {
		t.Errorf("htmx validate returned a whole page")
	}
	for _, want := range []string{`id="err-items-0-code" hx-swap-oob="true"`, "须以字母开头", `id="err-name" hx-swap-oob="true"`, `id="form-summary"`} {
		if !strings.Contains(body, want) {
			t.Errorf("htmx validate lacks %q", want)
		}
	}
	if strings.Contains(body, "不能为空") {
		t.Errorf("inline validation reports an empty field the user has not reached yet")
	}
	// Only slots the editor's create form has: no provider choice, no reason.
	for _, absent := range []string{`id="err-org_id"`, `id="err-reason"`} {
		if strings.Contains(body, absent) {
			t.Errorf("htmx validate updates %s, which the form does not have", absent)
		}
	}
	// Without htmx the same post renders the form with every finding.
	c.get("/lang/en")
	res, body = c.post("/catalog/validate", v)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "<html") || !strings.Contains(body, "must start with a letter") ||
		!strings.Contains(body, "is required") {
		t.Errorf("plain validate = %d; want the whole form with English findings", res.StatusCode)
	}
}

func TestFacetClickIsPartialForHTMX(t *testing.T) {
	p := newPortal(t)
	p.createResource()
	c := p.admin()
	path := "/catalog?level=important"
	_, full := c.get(path)
	res, part := c.get(path, "HX-Request", "true", "HX-Target", "search-results")
	if res.StatusCode != http.StatusOK || strings.Contains(part, "<html") || !strings.HasPrefix(strings.TrimSpace(part), `<div id="search-results"`) {
		t.Errorf("htmx facet click = %d; want only the #search-results part", res.StatusCode)
	}
	if !strings.Contains(full, "<html") || !strings.Contains(full, "居民身份证电子证照信息") || !strings.Contains(part, "居民身份证电子证照信息") {
		t.Errorf("the filtered search misses the important-data entry")
	}
	// A selected facet value links to its removal.
	if !strings.Contains(part, `class="chip" href="/catalog"`) {
		t.Errorf("the active filter has no link removing it")
	}
}

func TestImport(t *testing.T) {
	p := newPortal(t)
	c := p.login("a.editor", apptest.UserPassword)
	res, body := c.get("/import/template.xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") || !strings.HasPrefix(body, "PK") {
		t.Errorf("GET /import/template.xlsx = %d, %q; want an XLSX file", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var csv bytes.Buffer
	if err := catalogio.WriteSynthetic(&csv, "csv", 3, 7, []string{"SGAT"}, []string{"105001"}); err != nil {
		t.Fatal(err)
	}
	res, body = c.upload("catalog.csv", csv.Bytes(), url.Values{})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "导入成功") {
		t.Errorf("import of 3 valid rows = %d; want 200 reporting success", res.StatusCode)
	}
	broken := strings.Replace(csv.String(), "105001", "999999", 1)
	res, body = c.upload("broken.csv", []byte(broken), url.Values{})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "错误明细") {
		t.Errorf("import with a bad row = %d; want 400 with the row errors", res.StatusCode)
	}
	res, body = c.upload("catalog.txt", []byte("x"), url.Values{})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "仅支持") {
		t.Errorf("import of a .txt = %d; want 400", res.StatusCode)
	}
}

func (c *client) upload(filename string, data []byte, fields url.Values) (*http.Response, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, c.p.srv.URL+"/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

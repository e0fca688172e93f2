package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/demo"
	"github.com/pubdata/pubdata/internal/gen"
	"github.com/pubdata/pubdata/internal/store/storetest"
	"github.com/pubdata/pubdata/internal/tabular"
)

// publishPopulation publishes 人口基本信息 of org A with the demo's data
// items, so the generator's files load into it.
func (p *portal) publishPopulation() *catalog.Resource {
	p.t.Helper()
	r := apptest.Resource()
	r.Name = demo.PopulationName
	r.FormatClass, r.FormatType = "3", "数据库表"
	r.Items = slices.Clone(demo.PopulationItems)
	created, err := p.app.Catalog.Create(apptest.As(p.t, p.app, "a.editor"), r)
	if err != nil {
		p.t.Fatalf("Create: %v", err)
	}
	for _, s := range []struct{ who, action string }{{"a.editor", "submit"}, {"a.reviewer", "org_approve"}, {"admin", "approve"}, {"admin", "publish"}} {
		if _, err := p.app.Catalog.Transition(apptest.As(p.t, p.app, s.who), created.ID, s.action, ""); err != nil {
			p.t.Fatalf("%s %s: %v", s.who, s.action, err)
		}
	}
	return created
}

// population generates a population CSV of rows rows with injected errors
// and returns it with the source rows the generator's truth file says must
// be rejected.
func population(t *testing.T, rows int) ([]byte, map[int]bool) {
	t.Helper()
	var data, truth bytes.Buffer
	if _, err := gen.Population(&data, &truth, gen.PopulationOptions{Rows: rows, ErrorRate: 0.05, Seed: 11, Encoding: "utf-8"}); err != nil {
		t.Fatalf("gen.Population: %v", err)
	}
	recs, err := csv.NewReader(&truth).ReadAll()
	if err != nil {
		t.Fatalf("truth file: %v", err)
	}
	bad := map[int]bool{}
	for _, r := range recs[1:] {
		n, _ := strconv.Atoi(r[0])
		bad[n] = true
	}
	return data.Bytes(), bad
}

// part is one part of a multipart form: a field, or the file when
// filename is set.
type part struct {
	name, value string
	filename    string
	data        []byte
}

// postParts posts a multipart form with its parts in the order given.
func (c *client) postParts(path string, parts ...part) (*http.Response, string) {
	c.p.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, pt := range parts {
		if pt.filename != "" || pt.data != nil {
			fw, _ := mw.CreateFormFile(pt.name, pt.filename)
			fw.Write(pt.data)
			continue
		}
		mw.WriteField(pt.name, pt.value)
	}
	mw.Close()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, c.p.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// uploadData posts a data file through the resource page's upload form.
func (c *client) uploadData(resourceID, filename string, data []byte, fields ...string) (*http.Response, string) {
	c.p.t.Helper()
	parts := []part{{name: "csrf", value: c.csrf}}
	for i := 0; i+1 < len(fields); i += 2 {
		parts = append(parts, part{name: fields[i], value: fields[i+1]})
	}
	parts = append(parts, part{name: "file", filename: filename, data: data})
	return c.postParts("/catalog/"+resourceID+"/loads", parts...)
}

var loadPathRE = regexp.MustCompile(`^/loads/([0-9a-f-]{36})\?msg=queued$`)

// loadID is the load a submission redirected to.
func loadID(t *testing.T, res *http.Response, body string) string {
	t.Helper()
	m := loadPathRE.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("upload = %d to %q, want 303 to the load page: %s", res.StatusCode, res.Header.Get("Location"), errorText(body))
	}
	return m[1]
}

var noticeRE = regexp.MustCompile(`(?s)<div class="notice notice-err"[^>]*>(.*?)</div>`)

// errorText is the error notice of a page, for failure messages.
func errorText(body string) string {
	if m := noticeRE.FindStringSubmatch(body); m != nil {
		return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], " ")), " ")
	}
	return ""
}

// waitLoad polls the load page's live part, as htmx does, until the load
// ends, and returns the last part.
func (c *client) waitLoad(id string) string {
	c.p.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		res, body := c.get("/loads/"+id, "HX-Request", "true", "HX-Target", "load-live")
		if res.StatusCode != http.StatusOK {
			c.p.t.Fatalf("poll /loads/%s = %d", id, res.StatusCode)
		}
		if strings.Contains(body, "lstate-succeeded") || strings.Contains(body, "lstate-failed") {
			return body
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.p.t.Fatalf("load %s did not end within a minute", id)
	return ""
}

// submitLoad loads data as a.editor through the service and waits for it.
func (p *portal) submitLoad(resourceID string, data []byte) *aggregate.Load {
	p.t.Helper()
	return p.loadAs("a.editor", resourceID, data)
}

// TestLoadRoutesAuthorization calls the data routes as every fixture role:
// the route-level gate (LoadRead, LoadSubmit), then the object-level one
// (another organisation's load is not found, another organisation's
// resource takes no upload), and what the resource page and navigation
// offer each role.
func TestLoadRoutesAuthorization(t *testing.T) {
	p := newPortal(t)
	res := p.publishPopulation()
	data, _ := population(t, 60)
	l := p.submitLoad(res.ID, data)
	if l.State != aggregate.Succeeded || l.RowsRejected == 0 {
		t.Fatalf("fixture load = %s with %d rejected, want succeeded with rejects: %+v", l.State, l.RowsRejected, l.Error)
	}

	const ok, see, forbidden, notFound = http.StatusOK, http.StatusSeeOther, http.StatusForbidden, http.StatusNotFound
	tests := []struct {
		user                string
		wantList, wantLoad  int // GET /loads, GET /loads/{id} and its rejects
		wantSubmit          int // POST /catalog/{id}/loads
		section, form, rows bool
	}{
		{user: "admin", wantList: ok, wantLoad: ok, wantSubmit: see, section: true, form: true, rows: true},
		{user: "a.admin", wantList: ok, wantLoad: ok, wantSubmit: see, section: true, form: true, rows: true},
		{user: "a.editor", wantList: ok, wantLoad: ok, wantSubmit: see, section: true, form: true, rows: true},
		{user: "a.reviewer", wantList: ok, wantLoad: ok, wantSubmit: forbidden, section: true},
		{user: "a.security", wantList: ok, wantLoad: ok, wantSubmit: forbidden, section: true},
		{user: "auditor", wantList: ok, wantLoad: ok, wantSubmit: forbidden, section: true},
		{user: "b.editor", wantList: ok, wantLoad: notFound, wantSubmit: forbidden},
		{user: "b.reviewer", wantList: ok, wantLoad: notFound, wantSubmit: forbidden},
		{user: "b.consumer", wantList: forbidden, wantLoad: forbidden, wantSubmit: forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			pw := apptest.UserPassword
			if tt.user == "admin" {
				pw = apptest.AdminPassword
			}
			c := p.login(tt.user, pw)
			for _, path := range []string{"/loads", "/loads?state=succeeded"} {
				if got, _ := c.get(path); got.StatusCode != tt.wantList {
					t.Errorf("GET %s as %s = %d, want %d", path, tt.user, got.StatusCode, tt.wantList)
				}
			}
			for _, path := range []string{"/loads/" + l.ID, "/loads/" + l.ID + "/rejects.csv", "/loads/" + l.ID + "/rejects.xlsx"} {
				if got, _ := c.get(path); got.StatusCode != tt.wantLoad {
					t.Errorf("GET %s as %s = %d, want %d", path, tt.user, got.StatusCode, tt.wantLoad)
				}
			}
			got, body := c.uploadData(res.ID, "pop.csv", data)
			if got.StatusCode != tt.wantSubmit {
				t.Errorf("POST /catalog/{id}/loads as %s = %d, want %d: %s", tt.user, got.StatusCode, tt.wantSubmit, errorText(body))
			}

			_, page := c.get("/catalog/" + res.ID)
			checks := []struct {
				what, marker string
				want         bool
			}{
				{"the data section", `id="data"`, tt.section},
				{"the upload form", `action="/catalog/` + res.ID + `/loads"`, tt.form},
				{"the row preview", `id="data-preview"`, tt.rows},
				{"the navigation entry", `href="/loads"`, tt.wantList == ok},
			}
			for _, ck := range checks {
				if has := strings.Contains(page, ck.marker); has != ck.want {
					t.Errorf("resource page as %s shows %s: %v, want %v", tt.user, ck.what, has, ck.want)
				}
			}
		})
	}

	// Without a session every data route leads to the login page.
	anon := p.client()
	for _, path := range []string{"/loads", "/loads/" + l.ID, "/loads/" + l.ID + "/rejects.csv", "/loads/" + l.ID + "/rejects.xlsx"} {
		if got, _ := anon.get(path); got.StatusCode != see || !strings.HasPrefix(got.Header.Get("Location"), "/login?next=") {
			t.Errorf("GET %s without a session = %d to %q, want 303 to the login page", path, got.StatusCode, got.Header.Get("Location"))
		}
	}
	if got, _ := anon.uploadData(res.ID, "pop.csv", data); got.StatusCode != see || got.Header.Get("Location") != "/login" {
		t.Errorf("POST upload without a session = %d to %q, want 303 to /login", got.StatusCode, got.Header.Get("Location"))
	}
}

// TestUploadThroughForm uploads a generated population file through the
// resource page's form, follows the load until it succeeds, and downloads
// exactly the rows the generator's truth file says are bad; on every
// control-store backend.
func TestUploadThroughForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) { testUploadThroughForm(t, newPortalOn(t, dsn)) })
}

func testUploadThroughForm(t *testing.T, p *portal) {
	res := p.publishPopulation()
	const rows = 400
	data, bad := population(t, rows)
	c := p.login("a.editor", apptest.UserPassword)

	_, page := c.get("/catalog/" + res.ID)
	for _, want := range []string{"数据汇聚", "尚未汇聚数据", "上传数据文件", `name="mode"`, `value="gb18030"`} {
		if !strings.Contains(page, want) {
			t.Errorf("resource page before any load lacks %q", want)
		}
	}
	c.csrf = hidden(page, "csrf")
	resp, body := c.uploadData(res.ID, "人口.csv", data, "mode", "full", "encoding", "", "sheet", "")
	id := loadID(t, resp, body)

	_, first := c.get("/loads/" + id + "?msg=queued")
	for _, want := range []string{"加载任务已排队", "人口.csv", demo.PopulationName, "全量", `id="load-live"`} {
		if !strings.Contains(first, want) {
			t.Errorf("load page after the upload lacks %q", want)
		}
	}
	if (strings.Contains(first, "lstate-queued") || strings.Contains(first, "lstate-running")) && !strings.Contains(first, `hx-trigger="every 1s"`) {
		t.Errorf("the load page of a load in progress does not poll")
	}

	live := c.waitLoad(id)
	if !strings.Contains(live, "lstate-succeeded") {
		t.Fatalf("load ended as failed: %s", errorText(live))
	}
	if strings.Contains(live, "<html") || strings.Contains(live, "hx-trigger") {
		t.Errorf("the live part of a finished load is a whole page or still polls")
	}
	accepted := rows - len(bad)
	for _, want := range []string{
		`id="rows-read">` + strconv.Itoa(rows) + `<`,
		`id="rows-accepted">` + strconv.Itoa(accepted) + `<`,
		`id="rows-rejected">` + strconv.Itoa(len(bad)) + `<`,
		`value="100"`, "第 1 版", `id="load-rules"`, "公民身份号码",
		`href="/loads/` + id + `/rejects.csv"`, `href="/loads/` + id + `/rejects.xlsx"`,
	} {
		if !strings.Contains(live, want) {
			t.Errorf("finished load lacks %q", want)
		}
	}

	// The rejects, as CSV: the truth file's rows, no more, no fewer.
	resp, csvBody := c.get("/loads/" + id + "/rejects.csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET rejects.csv = %d, %q, %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if err != nil {
		t.Fatalf("rejects CSV: %v", err)
	}
	if len(recs)-1 != len(bad) {
		t.Errorf("rejects CSV has %d rows, want the truth file's %d", len(recs)-1, len(bad))
	}
	for _, r := range recs[1:] {
		if n, _ := strconv.Atoi(r[0]); !bad[n] {
			t.Errorf("rejects CSV holds row %s, which the truth file does not list", r[0])
		}
	}

	// As XLSX: the same rows.
	resp, xlsx := c.get("/loads/" + id + "/rejects.xlsx")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("GET rejects.xlsx = %d, %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if n := xlsxRows(t, []byte(xlsx)); n != len(bad) {
		t.Errorf("rejects XLSX has %d rows, want %d", n, len(bad))
	}

	// Another organisation's editor learns nothing of it.
	b := p.login("b.editor", apptest.UserPassword)
	for _, path := range []string{"/loads/" + id, "/loads/" + id + "/rejects.csv", "/loads/" + id + "/rejects.xlsx"} {
		if resp, _ := b.get(path); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden {
			t.Errorf("b.editor GET %s = %d, want 403 or 404", path, resp.StatusCode)
		}
	}
	if _, list := b.get("/loads"); strings.Contains(list, id) {
		t.Errorf("b.editor's load list shows org A's load")
	}

	// The list, the resource page with the new version and its preview.
	_, list := c.get("/loads")
	if !strings.Contains(list, `href="/loads/`+id+`"`) || !strings.Contains(list, "人口.csv") {
		t.Errorf("a.editor's load list lacks the load")
	}
	if _, failed := c.get("/loads?state=failed"); strings.Contains(failed, `href="/loads/`+id+`"`) {
		t.Errorf("the failed loads list shows a succeeded load")
	}
	_, page = c.get("/catalog/" + res.ID)
	for _, want := range []string{`id="data-version">第 1 版<`, `id="data-rows">` + strconv.Itoa(accepted) + `<`, `id="data-preview"`,
		"<th>公民身份号码</th>", "<th>出生日期</th>", "前 20 行", `href="/loads/` + id + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("resource page after the load lacks %q", want)
		}
	}
	if n := strings.Count(page[strings.Index(page, `id="data-preview"`):], "<tr><td class=\"muted\">"); n != 20 {
		t.Errorf("the preview shows %d rows, want 20", n)
	}
	c.get("/lang/en")
	_, page = c.get("/catalog/" + res.ID)
	for _, want := range []string{">Data<", "Version 1", "Upload a data file", "first 20 of"} {
		if !strings.Contains(page, want) {
			t.Errorf("resource page in English lacks %q", want)
		}
	}
	if _, en := c.get("/loads/" + id); !strings.Contains(en, "Succeeded") || !strings.Contains(en, "Rows rejected") {
		t.Errorf("load page in English lacks its state and counts")
	}
}

// xlsxRows counts the data rows of a workbook's first sheet.
func xlsxRows(t *testing.T, b []byte) int {
	t.Helper()
	wb, err := tabular.OpenXLSX(bytes.NewReader(b), int64(len(b)), tabular.XLSXOptions{})
	if err != nil {
		t.Fatalf("open rejects XLSX: %v", err)
	}
	defer wb.Close()
	rd, err := wb.Sheet(wb.Sheets()[0])
	if err != nil {
		t.Fatalf("rejects XLSX sheet: %v", err)
	}
	n := 0
	for {
		if _, err := rd.Next(); err == io.EOF {
			return n
		} else if err != nil {
			t.Fatalf("rejects XLSX row %d: %v", n+1, err)
		}
		n++
	}
}

// TestUploadRefused: what the form refuses shows next to it, and a load
// that fails shows why, in the page's language.
func TestUploadRefused(t *testing.T) {
	p := newPortal(t)
	res := p.publishPopulation()
	c := p.login("a.editor", apptest.UserPassword)
	csvFile := []byte("公民身份号码,姓名\n11010519491231002X,张三\n")
	path := "/catalog/" + res.ID + "/loads"

	tests := []struct {
		name   string
		parts  []part
		status int
		want   string
	}{
		{"no token", []part{{name: "file", filename: "a.csv", data: csvFile}}, http.StatusForbidden, "表单已失效"},
		{"wrong token", []part{{name: "csrf", value: "forged"}, {name: "file", filename: "a.csv", data: csvFile}}, http.StatusForbidden, "表单已失效"},
		{"token after the file", []part{{name: "file", filename: "a.csv", data: csvFile}, {name: "csrf", value: c.csrf}}, http.StatusForbidden, "表单已失效"},
		{"no file", []part{{name: "csrf", value: c.csrf}, {name: "mode", value: "full"}}, http.StatusBadRequest, "请选择要上传的数据文件"},
		{"empty file input", []part{{name: "csrf", value: c.csrf}, {name: "file", data: []byte{}}}, http.StatusBadRequest, "请选择要上传的数据文件"},
		{"unknown format", []part{{name: "csrf", value: c.csrf}, {name: "file", filename: "a.doc", data: csvFile}}, http.StatusBadRequest, "未知的文件格式"},
		{"xls", []part{{name: "csrf", value: c.csrf}, {name: "file", filename: "a.xls", data: csvFile}}, http.StatusBadRequest, "另存为 .xlsx"},
		{"unknown encoding", []part{{name: "csrf", value: c.csrf}, {name: "encoding", value: "latin1"}, {name: "file", filename: "a.csv", data: csvFile}},
			http.StatusBadRequest, "未知的字符编码"},
		{"unknown mode", []part{{name: "csrf", value: c.csrf}, {name: "mode", value: "append"}, {name: "file", filename: "a.csv", data: csvFile}},
			http.StatusBadRequest, "加载方式须为"},
		{"empty file", []part{{name: "csrf", value: c.csrf}, {name: "file", filename: "a.csv", data: []byte{}}}, http.StatusBadRequest, "文件为空"},
	}
	for _, tt := range tests {
		resp, body := c.postParts(path, tt.parts...)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s: POST %s = %d, want %d with %q; notice: %s", tt.name, path, resp.StatusCode, tt.status, tt.want, errorText(body))
		}
	}
	// A refusal keeps the form's choices.
	_, body := c.postParts(path, part{name: "csrf", value: c.csrf}, part{name: "mode", value: "incremental"},
		part{name: "encoding", value: "gbk"}, part{name: "sheet", value: "人口"}, part{name: "file", filename: "a.doc", data: csvFile})
	for _, want := range []string{`value="incremental" selected`, `value="gbk" selected`, `value="人口"`} {
		if !strings.Contains(body, want) {
			t.Errorf("refused upload form lacks %q", want)
		}
	}
	// A resource that is not published takes no data.
	draft := p.createResource()
	resp, body := c.uploadData(draft.ID, "a.csv", csvFile)
	if resp.StatusCode != http.StatusConflict && resp.StatusCode != http.StatusBadRequest {
		t.Errorf("upload to a draft = %d, want 400 or 409: %s", resp.StatusCode, errorText(body))
	}
	if n, _, err := p.app.Aggregate.List(apptest.As(t, p.app, "admin"), aggregate.LoadFilter{}); err != nil || len(n) != 0 {
		t.Errorf("after refused uploads there are %d loads (%v), want none", len(n), err)
	}

	// A file without the required columns fails, with the field named.
	resp, body = c.uploadData(res.ID, "bad.csv", []byte("甲,乙\n1,2\n"))
	id := loadID(t, resp, body)
	live := c.waitLoad(id)
	for _, want := range []string{"lstate-failed", "加载失败", "表头", "公民身份号码"} {
		if !strings.Contains(live, want) {
			t.Errorf("failed load lacks %q", want)
		}
	}
	if resp, _ := c.get("/loads/" + id + "/rejects.csv"); resp.StatusCode != http.StatusConflict {
		t.Errorf("rejects of a failed load = %d, want 409", resp.StatusCode)
	}
	c.get("/lang/en")
	_, en := c.get("/loads/" + id)
	for _, want := range []string{"Failed", "The load failed", "Header", "the file has no column for the required item"} {
		if !strings.Contains(en, want) {
			t.Errorf("failed load in English lacks %q", want)
		}
	}
	if _, list := c.get("/loads?state=failed"); !strings.Contains(list, `href="/loads/`+id+`"`) {
		t.Errorf("the failed loads list lacks the failed load")
	}
	if resp, _ := c.get("/loads?state=bogus"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("GET /loads?state=bogus = %d, want 400", resp.StatusCode)
	}
}

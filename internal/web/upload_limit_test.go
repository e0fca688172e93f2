package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/ingest"
)

// chunked hides a reader's length, so the client sends it chunked.
type chunked struct{ io.Reader }

// uploadForm is the upload form's body with a file of size bytes.
func uploadForm(csrf string, size int) (body []byte, contentType string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf)
	mw.WriteField("mode", "full")
	fw, _ := mw.CreateFormFile("file", "big.csv")
	line := "11010519491231002X,张三\n"
	fw.Write([]byte("公民身份号码,姓名\n" + strings.Repeat(line, size/len(line)+1)))
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// TestUploadOverLimit: an upload over the service's limit is refused with
// 413 and the limit named on the resource page: before a byte is read
// when the form's length says so, and at the limit when it is sent
// chunked or its file alone is over. No load is recorded and nothing
// stays staged.
func TestUploadOverLimit(t *testing.T) {
	const limit = 4 << 10
	a := apptest.OpenWith(t, "", nil, func(c *app.Config) { c.Aggregation.MaxUpload = limit })
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	p := &portal{t: t, app: a, srv: srv, fx: apptest.Seed(t, a)}
	res := p.publishPopulation()
	c := p.login("a.editor", apptest.UserPassword)
	path := "/catalog/" + res.ID + "/loads"
	if _, page := c.get("/catalog/" + res.ID); !strings.Contains(page, "单个文件不超过 4.0 KiB") {
		t.Errorf("the upload form does not state the limit")
	}
	u, _ := url.Parse(srv.URL)
	cookies := c.http.Jar.Cookies(u)

	// Declared too large: refused before the body is read.
	form, ct := uploadForm(c.csrf, 200<<10)
	body := &ingest.CountingReader{R: bytes.NewReader(form)}
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.ContentLength = int64(len(form))
	req.Header.Set("Content-Type", ct)
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || body.N != 0 {
		t.Errorf("POST %s of %d bytes = %d after reading %d bytes, want 413 before reading any", path, len(form), rec.Code, body.N)
	}
	if got := errorText(rec.Body.String()); !strings.Contains(got, "文件超过4 KiB的上限") {
		t.Errorf("declared too large: notice %q, want the limit named", got)
	}

	tests := []struct {
		name string
		lang string
		size int
		send func(form []byte) io.Reader
		want string
	}{
		{"chunked, past the form's allowance", "zh-CN", 200 << 10, func(b []byte) io.Reader { return chunked{bytes.NewReader(b)} }, "文件超过4 KiB的上限"},
		{"chunked, file over the limit", "zh-CN", 8 << 10, func(b []byte) io.Reader { return chunked{bytes.NewReader(b)} }, "单个文件不得超过4 KiB"},
		{"declared, file over the limit", "zh-CN", 8 << 10, func(b []byte) io.Reader { return bytes.NewReader(b) }, "文件超过4 KiB的上限"},
		{"in English", "en", 200 << 10, func(b []byte) io.Reader { return chunked{bytes.NewReader(b)} }, "the file is larger than the limit of 4 KiB"},
	}
	for _, tt := range tests {
		c.get("/lang/" + tt.lang)
		form, ct := uploadForm(c.csrf, tt.size)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, tt.send(form))
		req.Header.Set("Content-Type", ct)
		resp, page := c.do(req)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(errorText(page), tt.want) {
			t.Errorf("%s: POST %s = %d, notice %q; want 413 with %q", tt.name, path, resp.StatusCode, errorText(page), tt.want)
		}
	}

	if items, total, err := a.Aggregate.List(apptest.As(t, a, "admin"), aggregate.LoadFilter{}); err != nil || total != 0 {
		t.Errorf("after the refused uploads there are %d loads (%v): %+v; want none", total, err, items)
	}
	if staged, err := os.ReadDir(filepath.Join(a.Aggregate.Dir(), "loads")); len(staged) != 0 {
		t.Errorf("staged load directories = %v (%v), want none", staged, err)
	}
}

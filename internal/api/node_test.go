package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

// node is a running pubdata node under test, reached over HTTP.
type node struct {
	app    *app.App
	fix    *apptest.Fixture
	url    string
	tokens map[string]string // username -> bearer token
}

// startNode seeds a and serves its whole HTTP surface on a local port.
func startNode(t *testing.T, a *app.App) *node {
	t.Helper()
	fix := apptest.Seed(t, a)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &node{app: a, fix: fix, url: srv.URL, tokens: map[string]string{}}
}

// eachNodeAt runs fn on a fresh node per control-store backend, with the
// clock stopped at now (apptest.Each with an injected clock).
func eachNodeAt(t *testing.T, now time.Time, fn func(t *testing.T, n *node)) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		fn(t, startNode(t, apptest.Open(t, dsn, func() time.Time { return now })))
	})
}

// cst is China Standard Time, in which the platform counts working days.
var cst = time.FixedZone("CST", 8*3600)

func passwordOf(user string) string {
	if user == "admin" {
		return apptest.AdminPassword
	}
	return apptest.UserPassword
}

// login opens a new API session for user through the API.
func (n *node) login(t *testing.T, user string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": passwordOf(user)})
	status, out := n.call(t, "POST", "/api/v1/auth/login", "", body, nil)
	if status != http.StatusOK {
		t.Fatalf("login(%s) = %d %s, want 200", user, status, out)
	}
	var r struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(out, &r); err != nil || r.Token == "" {
		t.Fatalf("login(%s) body %s: no token (%v)", user, out, err)
	}
	return r.Token
}

// token returns user's session, logging in once.
func (n *node) token(t *testing.T, user string) string {
	t.Helper()
	if user == "" {
		return ""
	}
	if tok, ok := n.tokens[user]; ok {
		return tok
	}
	tok := n.login(t, user)
	n.tokens[user] = tok
	return tok
}

// call sends one request; a nil body sends none.
func (n *node) call(t *testing.T, method, path, token string, body []byte, header map[string]string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, n.url+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// apiError is the API's error body.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		ZH      string `json:"message_zh"`
		Fields  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"fields"`
	} `json:"error"`
}

func decodeError(body []byte) apiError {
	var e apiError
	_ = json.Unmarshal(body, &e)
	return e
}

// short trims a response body for failure messages.
func short(b []byte) string {
	s := strings.TrimSpace(string(b))
	if r := []rune(s); len(r) > 400 {
		return string(r[:400]) + "..."
	}
	return s
}

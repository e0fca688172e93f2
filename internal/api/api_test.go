package api_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/uscc"
)

// scenario is one API call and what it must answer. Scenarios of a table
// run in order on one node and may use what earlier ones saved.
type scenario struct {
	name   string
	method string
	path   string // {var} is replaced by a saved or seeded variable
	user   string // "" sends no token
	body   any    // nil: none; string: as is; else JSON. {var} is replaced.
	header map[string]string
	want   int
	// wantJSON checks values at dotted paths of the JSON response
	// ("error.fields", "items.0.id").
	wantJSON map[string]check
	wantText []string          // substrings of the response body
	save     map[string]string // variable -> dotted path in the response
}

// check judges one value of a response; fill replaces {var} in expected
// strings.
type check func(got any, fill func(string) string) error

// is wants exactly v (compared as JSON; strings may hold {var}).
func is(v any) check {
	return func(got any, fill func(string) string) error {
		if s, ok := v.(string); ok {
			v = fill(s)
		}
		raw, _ := json.Marshal(v)
		var want any
		_ = json.Unmarshal(raw, &want)
		if !cmp.Equal(got, want) {
			return fmt.Errorf("= %v, want %v", got, want)
		}
		return nil
	}
}

// atLeast wants an array of at least n elements, or a number >= n.
func atLeast(n int) check {
	return func(got any, _ func(string) string) error {
		switch x := got.(type) {
		case []any:
			if len(x) >= n {
				return nil
			}
			return fmt.Errorf("has %d elements, want at least %d", len(x), n)
		case float64:
			if x >= float64(n) {
				return nil
			}
		}
		return fmt.Errorf("= %v, want at least %d", got, n)
	}
}

// hasField wants an array of objects one of which has "field": name (error
// fields, diffs).
func hasField(name string) check {
	return func(got any, _ func(string) string) error {
		arr, _ := got.([]any)
		var fields []string
		for _, e := range arr {
			if m, ok := e.(map[string]any); ok {
				f, _ := m["field"].(string)
				if f == name {
					return nil
				}
				fields = append(fields, f)
			}
		}
		return fmt.Errorf("names fields %q, want %q among them", fields, name)
	}
}

// contains wants a string holding sub.
func contains(sub string) check {
	return func(got any, fill func(string) string) error {
		if s, ok := got.(string); ok && strings.Contains(s, fill(sub)) {
			return nil
		}
		return fmt.Errorf("= %v, want it to contain %q", got, fill(sub))
	}
}

// nonEmpty wants a value that is not "", null, false, 0, [] or {}.
func nonEmpty(got any, _ func(string) string) error {
	switch x := got.(type) {
	case nil:
	case string:
		if x != "" {
			return nil
		}
	case bool:
		if x {
			return nil
		}
	case float64:
		if x != 0 {
			return nil
		}
	case []any:
		if len(x) > 0 {
			return nil
		}
	case map[string]any:
		if len(x) > 0 {
			return nil
		}
	}
	return fmt.Errorf("= %v, want a value", got)
}

// every wants each element of an array to pass c at path.
func every(path string, c check) check {
	return func(got any, fill func(string) string) error {
		arr, ok := got.([]any)
		if !ok {
			return fmt.Errorf("= %v, want an array", got)
		}
		for i, e := range arr {
			v, ok := lookup(e, path)
			if !ok {
				return fmt.Errorf("[%d] has no %s", i, path)
			}
			if err := c(v, fill); err != nil {
				return fmt.Errorf("[%d].%s %v", i, path, err)
			}
		}
		return nil
	}
}

// all wants every check to pass.
func all(cs ...check) check {
	return func(got any, fill func(string) string) error {
		for _, c := range cs {
			if err := c(got, fill); err != nil {
				return err
			}
		}
		return nil
	}
}

// lookup follows a dotted path through decoded JSON; numeric steps index
// arrays.
func lookup(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	for _, step := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[step]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// run plays a table in order. A scenario that saves a variable stops the
// table when it fails, since later ones need it.
func (n *node) run(t *testing.T, vars map[string]string, table []scenario) {
	t.Helper()
	for _, tt := range table {
		if !t.Run(tt.name, func(t *testing.T) { n.play(t, vars, tt) }) && len(tt.save) > 0 {
			t.Fatalf("%q failed; the scenarios after it depend on it", tt.name)
		}
	}
}

func (n *node) play(t *testing.T, vars map[string]string, tt scenario) {
	t.Helper()
	fill := func(s string, escape func(string) string) string {
		for k, v := range vars {
			s = strings.ReplaceAll(s, "{"+k+"}", escape(v))
		}
		return s
	}
	plain := func(s string) string { return fill(s, func(v string) string { return v }) }
	path, query, _ := strings.Cut(tt.path, "?")
	u, err := url.Parse(fill(path, url.PathEscape))
	if err != nil {
		t.Fatalf("bad path %q: %v", tt.path, err)
	}
	if query != "" {
		q, err := url.ParseQuery(plain(query))
		if err != nil {
			t.Fatalf("bad query %q: %v", query, err)
		}
		u.RawQuery = q.Encode()
	}
	var body []byte
	switch b := tt.body.(type) {
	case nil:
	case string:
		body = []byte(plain(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = []byte(plain(string(raw)))
	}
	who := tt.user
	if who == "" {
		who = "no token"
	}
	call := fmt.Sprintf("%s %s as %s", tt.method, u, who)
	status, out := n.call(t, tt.method, u.String(), n.token(t, tt.user), body, tt.header)
	if status != tt.want {
		t.Fatalf("%s = %d %s, want %d", call, status, short(out), tt.want)
	}
	for _, s := range tt.wantText {
		if s = plain(s); !strings.Contains(string(out), s) {
			t.Errorf("%s = %s, want it to contain %q", call, short(out), s)
		}
	}
	if len(tt.wantJSON) == 0 && len(tt.save) == 0 {
		return
	}
	var doc any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("%s: response is not JSON: %v: %s", call, err, short(out))
	}
	for _, p := range slices.Sorted(maps.Keys(tt.wantJSON)) {
		v, ok := lookup(doc, p)
		if !ok {
			t.Errorf("%s: response has no %s: %s", call, p, short(out))
			continue
		}
		if err := tt.wantJSON[p](v, plain); err != nil {
			t.Errorf("%s: %s %v", call, p, err)
		}
	}
	for name, p := range tt.save {
		v, ok := lookup(doc, p)
		if !ok || v == nil {
			t.Fatalf("%s: response has no %s to save as {%s}: %s", call, p, name, short(out))
		}
		if s, ok := v.(string); ok {
			vars[name] = s
		} else {
			vars[name] = fmt.Sprint(v)
		}
	}
}

// resource is apptest.Resource changed by edit.
func resource(edit func(r *catalog.Resource)) catalog.Resource {
	r := apptest.Resource()
	if edit != nil {
		edit(&r)
	}
	return r
}

// revision is an edit request: an entry and the reason for the change.
type revision struct {
	catalog.Resource
	Reason string `json:"reason"`
}

// The error checks every invalid answer needs.
func invalidField(field string) map[string]check {
	return map[string]check{"error.code": is("invalid"), "error.fields": hasField(field)}
}

func refusedAtRoute() map[string]check {
	return map[string]check{"error.code": is("forbidden"), "error.message": is(routeForbidden)}
}

func forbidden() map[string]check { return map[string]check{"error.code": is("forbidden")} }

func notFound() map[string]check { return map[string]check{"error.code": is("not_found")} }

func conflict() map[string]check { return map[string]check{"error.code": is("conflict")} }

func transition(action, reason string) map[string]string {
	return map[string]string{"action": action, "reason": reason}
}

// TestAPIScenarios walks the API as its users do, on every control-store
// backend: validation and its error shape, the review lifecycle, search,
// history, "one data, one source", reports, file transfer and the action
// log.
func TestAPIScenarios(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		n := startNode(t, a)
		vars := map[string]string{"orgA": n.fix.OrgA.ID, "orgB": n.fix.OrgB.ID}
		for _, tbl := range []struct {
			name  string
			table []scenario
		}{
			{"validation", validationScenarios()},
			{"lifecycle", lifecycleScenarios()},
			{"search", searchScenarios()},
			{"history", historyScenarios()},
			{"sources", sourceScenarios()},
			{"reports", reportScenarios()},
			{"transfer", transferScenarios()},
			{"actions", actionScenarios()},
		} {
			t.Run(tbl.name, func(t *testing.T) { n.run(t, vars, tbl.table) })
		}
	})
}

func validationScenarios() []scenario {
	rnd := rand.New(rand.NewPCG(3, 5))
	org := func(code string) identity.Organisation {
		return identity.Organisation{Name: "福建省数据测试中心", ProviderCode: "SJCS", USCC: code, Kind: "institution", RegionCode: "350000"}
	}
	good := uscc.Generate(rnd, "350000")
	// The same code with another check character.
	badCheck := good[:17] + map[bool]string{true: "1", false: "2"}[good[17] != '1']
	return []scenario{
		{name: "login with a wrong password", method: "POST", path: "/api/v1/auth/login",
			body: map[string]string{"username": "a.editor", "password": "Wrong-Pass-1"}, want: 401,
			wantJSON: map[string]check{"error.code": is("unauthenticated"), "error.message": is("wrong username or password")}},
		{name: "login as an unknown user answers the same", method: "POST", path: "/api/v1/auth/login",
			body: map[string]string{"username": "nobody", "password": "Wrong-Pass-1"}, want: 401,
			wantJSON: map[string]check{"error.message": is("wrong username or password")}},
		{name: "login without a password", method: "POST", path: "/api/v1/auth/login",
			body: map[string]string{"username": "a.editor"}, want: 400, wantJSON: invalidField("password")},
		{name: "login with an unknown field", method: "POST", path: "/api/v1/auth/login",
			body: `{"username":"a.editor","password":"x","otp":"123456"}`, want: 400, wantJSON: invalidField("otp")},
		{name: "login", method: "POST", path: "/api/v1/auth/login",
			body: map[string]string{"username": "a.editor", "password": apptest.UserPassword}, want: 200,
			wantJSON: map[string]check{"token": nonEmpty, "expires_at": nonEmpty, "user.username": is("a.editor"),
				"user.roles": is([]string{"catalog_editor"}), "user.org_id": is("{orgA}")}},
		{name: "who am I", method: "GET", path: "/api/v1/auth/me", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"username": is("b.consumer"), "org_id": is("{orgB}"), "roles": is([]string{"data_consumer"})}},
		{name: "create without a token", method: "POST", path: "/api/v1/resources", body: apptest.Resource(), want: 401,
			wantJSON: map[string]check{"error.code": is("unauthenticated")}},
		{name: "create an empty entry", method: "POST", path: "/api/v1/resources", user: "a.editor", body: `{}`, want: 400,
			wantJSON: map[string]check{"error.code": is("invalid"), "error.message": nonEmpty, "error.message_zh": nonEmpty,
				"error.fields": all(atLeast(1), hasField("name"), hasField("class_code"), every("message", nonEmpty))}},
		{name: "errors in Chinese", method: "POST", path: "/api/v1/resources", user: "a.editor", body: `{}`,
			header: map[string]string{"Accept-Language": "zh-CN"}, want: 400,
			wantJSON: map[string]check{"error.message": is("校验未通过"), "error.fields": every("message_zh", nonEmpty)}},
		{name: "conditional share without conditions", method: "POST", path: "/api/v1/resources", user: "a.editor",
			body: resource(func(r *catalog.Resource) { r.Share.Conditions = "" }), want: 400, wantJSON: invalidField("share.conditions")},
		{name: "not shared without a legal basis", method: "POST", path: "/api/v1/resources", user: "a.editor",
			body: resource(func(r *catalog.Resource) { r.Share = catalog.Share{Type: "3"} }), want: 400, wantJSON: invalidField("share.legal_basis")},
		{name: "unknown JSON field", method: "POST", path: "/api/v1/resources", user: "a.editor",
			body: `{"nmae":"居民身份证电子证照信息"}`, want: 400,
			wantJSON: map[string]check{"error.code": is("invalid"), "error.message": is("unknown field"), "error.fields": hasField("nmae")}},
		{name: "unknown JSON field inside an item", method: "POST", path: "/api/v1/resources/validate", user: "a.editor",
			body: `{"items":[{"name":"姓名","colour":"red"}]}`, want: 400, wantJSON: invalidField("colour")},
		{name: "wrong JSON type", method: "POST", path: "/api/v1/resources", user: "a.editor",
			body: `{"name":5}`, want: 400, wantJSON: invalidField("name")},
		{name: "trailing data", method: "POST", path: "/api/v1/resources", user: "a.editor",
			body: `{} {}`, want: 400, wantJSON: invalidField("body")},
		{name: "malformed JSON", method: "POST", path: "/api/v1/resources", user: "a.editor",
			body: `{"name":`, want: 400, wantJSON: invalidField("body")},
		{name: "no body", method: "POST", path: "/api/v1/resources", user: "a.editor", want: 400, wantJSON: invalidField("body")},
		{name: "validate reports without saving", method: "POST", path: "/api/v1/resources/validate", user: "b.consumer",
			body: resource(func(r *catalog.Resource) { r.Keywords = nil }), want: 200,
			wantJSON: map[string]check{"valid": is(true), "findings": all(hasField("keywords"), every("severity", is("warning")))}},
		{name: "validate reports errors", method: "POST", path: "/api/v1/resources/validate", user: "a.editor",
			body: resource(func(r *catalog.Resource) { r.UpdateCycle = "hourly" }), want: 200,
			wantJSON: map[string]check{"valid": is(false), "findings": hasField("update_cycle")}},
		{name: "malformed USCC", method: "POST", path: "/api/v1/organisations", user: "admin",
			body: org("91350000ABC"), want: 400, wantJSON: invalidField("uscc")},
		{name: "USCC with a wrong check character", method: "POST", path: "/api/v1/organisations", user: "admin",
			body: org(badCheck), want: 400, wantJSON: invalidField("uscc")},
		{name: "register an organisation", method: "POST", path: "/api/v1/organisations", user: "admin",
			body: org(good), want: 201,
			wantJSON: map[string]check{"id": nonEmpty, "uscc": is(good), "node_id": nonEmpty}, save: map[string]string{"orgC": "id"}},
		{name: "register it twice", method: "POST", path: "/api/v1/organisations", user: "admin",
			body: org(good), want: 409, wantJSON: map[string]check{"error.code": is("conflict"), "error.fields": hasField("uscc")}},
		{name: "an editor may not register organisations", method: "POST", path: "/api/v1/organisations", user: "a.editor",
			body: org(good), want: 403, wantJSON: refusedAtRoute()},
		{name: "the new organisation", method: "GET", path: "/api/v1/organisations/{orgC}", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"name": is("福建省数据测试中心"), "provider_code": is("SJCS")}},
		{name: "no such organisation", method: "GET", path: "/api/v1/organisations/nope", user: "b.consumer", want: 404, wantJSON: notFound()},
		{name: "a new organisation can own entries at once", method: "POST", path: "/api/v1/resources", user: "admin",
			body: resource(func(r *catalog.Resource) { r.OrgID = "{orgC}"; r.Name = "测试中心证照目录" }), want: 201,
			wantJSON: map[string]check{"org_id": is("{orgC}"), "org_name": is("福建省数据测试中心")}},
		{name: "query too long", method: "GET", path: "/api/v1/resources?q=" + strings.Repeat("证", 201), user: "b.consumer",
			want: 400, wantJSON: invalidField("q")},
		{name: "limit out of range", method: "GET", path: "/api/v1/resources?limit=500", user: "b.consumer",
			want: 400, wantJSON: invalidField("limit")},
		{name: "an organisation administrator lists own users", method: "GET", path: "/api/v1/users", user: "a.admin", want: 200,
			wantJSON: map[string]check{"items": all(atLeast(4), every("org_id", is("{orgA}")))}},
		{name: "and may not list another organisation's", method: "GET", path: "/api/v1/users?org={orgB}", user: "a.admin",
			want: 403, wantJSON: forbidden()},
		{name: "an organisation administrator creates a user", method: "POST", path: "/api/v1/users", user: "a.admin",
			body: identity.NewUser{Username: "a.editor2", DisplayName: "编目员二", Password: "Editor-Pass-2", Roles: []authz.Role{authz.CatalogEditor}},
			want: 201, wantJSON: map[string]check{"org_id": is("{orgA}"), "roles": is([]string{"catalog_editor"})}},
		{name: "but may not grant platform roles", method: "POST", path: "/api/v1/users", user: "a.admin",
			body: identity.NewUser{Username: "a.auditor", DisplayName: "审计", Password: "Editor-Pass-2", Roles: []authz.Role{authz.Auditor}},
			want: 400, wantJSON: invalidField("roles")},
		{name: "a weak password is refused", method: "POST", path: "/api/v1/users", user: "a.admin",
			body: identity.NewUser{Username: "a.weak", DisplayName: "弱", Password: "password", Roles: []authz.Role{authz.CatalogEditor}},
			want: 400, wantJSON: invalidField("password")},
	}
}

func lifecycleScenarios() []scenario {
	return []scenario{
		{name: "create", method: "POST", path: "/api/v1/resources", user: "a.editor", body: apptest.Resource(), want: 201,
			wantJSON: map[string]check{"code": contains("105001/"), "status": is("draft"), "version": is(1),
				"level": is("important"), "sensitivity": is("L4"), "flagged": is(true), "org_id": is("{orgA}")},
			save: map[string]string{"res": "id", "code": "code"}},
		{name: "a consumer cannot see a draft", method: "GET", path: "/api/v1/resources/{res}", user: "b.consumer", want: 404, wantJSON: notFound()},
		{name: "the owner's reviewer can", method: "GET", path: "/api/v1/resources/{res}", user: "a.reviewer", want: 200,
			wantJSON: map[string]check{"status": is("draft")}},
		{name: "another organisation's editor cannot edit it", method: "PUT", path: "/api/v1/resources/{res}", user: "b.editor",
			body: revision{apptest.Resource(), "x"}, want: 404, wantJSON: notFound()},
		{name: "submit", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "a.editor",
			body: transition("submit", ""), want: 200, wantJSON: map[string]check{"status": is("submitted"), "version": is(2)}},
		{name: "a submitted entry cannot be edited", method: "PUT", path: "/api/v1/resources/{res}", user: "a.editor",
			body: revision{apptest.Resource(), "x"}, want: 409, wantJSON: conflict()},
		{name: "an editor cannot approve", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "a.editor",
			body: transition("org_approve", ""), want: 403, wantJSON: forbidden()},
		{name: "return needs a reason", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "a.reviewer",
			body: transition("return", ""), want: 400, wantJSON: invalidField("reason")},
		{name: "return", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "a.reviewer",
			body: transition("return", "摘要需说明更新频率"), want: 200, wantJSON: map[string]check{"status": is("returned")}},
		{name: "edit after return", method: "PUT", path: "/api/v1/resources/{res}", user: "a.editor",
			body: revision{resource(func(r *catalog.Resource) { r.Summary += "每日更新。" }), "按审核意见补充"}, want: 200,
			wantJSON: map[string]check{"status": is("draft"), "version": is(4), "summary": contains("每日更新")}},
		{name: "submit again", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "a.editor",
			body: transition("submit", ""), want: 200, wantJSON: map[string]check{"status": is("submitted")}},
		{name: "another organisation's reviewer cannot approve", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "b.reviewer",
			body: transition("org_approve", ""), want: 404, wantJSON: notFound()},
		{name: "organisation approval", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "a.reviewer",
			body: transition("org_approve", ""), want: 200, wantJSON: map[string]check{"status": is("org_approved")}},
		{name: "an organisation reviewer cannot approve for the platform", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "a.reviewer",
			body: transition("approve", ""), want: 403, wantJSON: forbidden()},
		{name: "platform approval", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "admin",
			body: transition("approve", ""), want: 200, wantJSON: map[string]check{"status": is("approved")}},
		{name: "publish", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "admin",
			body: transition("publish", ""), want: 200,
			wantJSON: map[string]check{"status": is("published"), "version": is(8), "published_version": is(8)}},
		{name: "publish twice", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "admin",
			body: transition("publish", ""), want: 409, wantJSON: conflict()},
		{name: "unknown action", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "admin",
			body: transition("delete", ""), want: 400, wantJSON: invalidField("action")},
		{name: "unknown field in a transition", method: "POST", path: "/api/v1/resources/{res}/transitions", user: "admin",
			body: `{"action":"retire","comment":"x"}`, want: 400, wantJSON: invalidField("comment")},
		{name: "a consumer sees it published", method: "GET", path: "/api/v1/resources/{res}", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"id": is("{res}"), "status": is("published"), "name": is("居民身份证电子证照信息")}},
		{name: "by code", method: "GET", path: "/api/v1/resources/{code}", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"id": is("{res}")}},
		{name: "no such resource", method: "GET", path: "/api/v1/resources/00000000-0000-0000-0000-000000000000", user: "admin",
			want: 404, wantJSON: notFound()},
	}
}

func searchScenarios() []scenario {
	found := func(total int) map[string]check {
		return map[string]check{"total": is(total),
			"items": all(atLeast(total), every("id", nonEmpty), every("code", nonEmpty), every("name", nonEmpty))}
	}
	return []scenario{
		{name: "a draft is not found by others", method: "POST", path: "/api/v1/resources", user: "b.editor",
			body: resource(func(r *catalog.Resource) { r.Name = "社会保障卡电子证照信息" }), want: 201, save: map[string]string{"draftB": "id"}},
		{name: "search", method: "GET", path: "/api/v1/resources?q=电子证照", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"total": is(1), "items.0.id": is("{res}"), "items.0.code": is("{code}"),
				"items.0.name": is("居民身份证电子证照信息"), "facets.share.0.value": is("2"), "facets.share.0.count": is(1),
				"offset": is(0), "limit": is(20)}},
		{name: "the draft's owner finds it too", method: "GET", path: "/api/v1/resources?q=电子证照", user: "b.editor", want: 200,
			wantJSON: found(2)},
		{name: "traditional characters", method: "GET", path: "/api/v1/resources?q=電子證照", user: "b.consumer", want: 200,
			wantJSON: found(1)},
		{name: "by an item name", method: "GET", path: "/api/v1/resources?q=公民身份号码", user: "b.consumer", want: 200,
			wantJSON: found(1)},
		{name: "filters", method: "GET", path: "/api/v1/resources?q=电子证照&share=2&org={orgA}&level=important&cycle=daily&library=base&status=published",
			user: "b.consumer", want: 200, wantJSON: found(1)},
		{name: "comma-separated values are alternatives", method: "GET", path: "/api/v1/resources?share=1,2&region=350000", user: "b.consumer",
			want: 200, wantJSON: found(1)},
		{name: "a filter that excludes", method: "GET", path: "/api/v1/resources?q=电子证照&share=1", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"total": is(0), "items": is([]any{})}},
		{name: "another organisation's filter", method: "GET", path: "/api/v1/resources?org={orgB}", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"total": is(0)}},
		{name: "paging past the end", method: "GET", path: "/api/v1/resources?q=电子证照&page=2&size=1", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"total": is(1), "items": is([]any{}), "offset": is(1), "limit": is(1)}},
		{name: "offset and limit", method: "GET", path: "/api/v1/resources?offset=0&limit=1", user: "admin", want: 200,
			wantJSON: map[string]check{"total": atLeast(3), "items": all(atLeast(1), every("id", nonEmpty))}},
	}
}

func historyScenarios() []scenario {
	return []scenario{
		{name: "revise the published entry", method: "PUT", path: "/api/v1/resources/{res}", user: "a.editor",
			body: revision{resource(func(r *catalog.Resource) { r.Name = "居民身份证电子证照"; r.Summary += "每日更新。" }), "更名"}, want: 200,
			wantJSON: map[string]check{"status": is("draft"), "version": is(9), "published_version": is(8)}},
		{name: "consumers keep the published version", method: "GET", path: "/api/v1/resources/{res}", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"name": is("居民身份证电子证照信息"), "version": is(8)}},
		{name: "history", method: "GET", path: "/api/v1/resources/{res}/versions", user: "a.editor", want: 200,
			wantJSON: map[string]check{"total": is(9), "items.0.version": is(9), "items.0.action": is("update"),
				"items.0.reason": is("更名"), "items.0.author": is("a.editor"), "items.0.diff": hasField("name"),
				"items.6.action": is("return"), "items.6.reason": is("摘要需说明更新频率"), "items.8.action": is("create")}},
		{name: "consumers see the published versions only", method: "GET", path: "/api/v1/resources/{res}/versions", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"total": is(1), "items.0.action": is("publish"), "items.0.version": is(8)}},
		{name: "one version", method: "GET", path: "/api/v1/resources/{res}/versions/1", user: "a.reviewer", want: 200,
			wantJSON: map[string]check{"version": is(1), "action": is("create"), "resource.name": is("居民身份证电子证照信息"),
				"resource.status": is("draft")}},
		{name: "an unpublished version is not for consumers", method: "GET", path: "/api/v1/resources/{res}/versions/1", user: "b.consumer",
			want: 404, wantJSON: notFound()},
		{name: "version zero", method: "GET", path: "/api/v1/resources/{res}/versions/0", user: "a.editor", want: 400, wantJSON: invalidField("version")},
		{name: "version not a number", method: "GET", path: "/api/v1/resources/{res}/versions/latest", user: "a.editor", want: 400, wantJSON: invalidField("version")},
		{name: "no such version", method: "GET", path: "/api/v1/resources/{res}/versions/99", user: "a.editor", want: 404, wantJSON: notFound()},
	}
}

func sourceScenarios() []scenario {
	claim := func(res, item string) catalog.SourceClaim {
		return catalog.SourceClaim{ResourceID: "{" + res + "}", ItemCode: item}
	}
	return []scenario{
		{name: "declare", method: "POST", path: "/api/v1/sources", user: "a.editor", body: claim("res", "ZZBH"), want: 201,
			wantJSON: map[string]check{"element": is("DE00013"), "region_code": is("350000"), "org_id": is("{orgA}"),
				"org_name": is("福建省公安厅"), "resource_id": is("{res}"), "declared_by": is("a.editor")}},
		{name: "the second claim names the first source", method: "POST", path: "/api/v1/sources", user: "b.editor",
			body: claim("draftB", "ZZBH"), want: 409, wantText: []string{"福建省公安厅"},
			wantJSON: map[string]check{"error.code": is("conflict"), "error.fields": hasField("item_code"), "error.message_zh": contains("福建省公安厅")}},
		{name: "no claim on another organisation's entry", method: "POST", path: "/api/v1/sources", user: "b.editor",
			body: claim("res", "XM"), want: 403, wantJSON: forbidden()},
		{name: "an item without a standard element", method: "POST", path: "/api/v1/sources", user: "a.editor",
			body: claim("res", "YXQX"), want: 400, wantJSON: invalidField("item_code")},
		{name: "no such item", method: "POST", path: "/api/v1/sources", user: "a.editor",
			body: claim("res", "NOPE"), want: 400, wantJSON: invalidField("item_code")},
		{name: "a consumer may not declare", method: "POST", path: "/api/v1/sources", user: "b.consumer",
			body: claim("res", "XM"), want: 403, wantJSON: refusedAtRoute()},
		{name: "list", method: "GET", path: "/api/v1/sources", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"total": is(1), "items.0.org_name": is("福建省公安厅"), "items.0.item_code": is("ZZBH")}},
		{name: "only a platform administrator transfers", method: "POST", path: "/api/v1/sources/transfer", user: "a.editor",
			body: claim("draftB", "ZZBH"), want: 403, wantJSON: refusedAtRoute()},
		{name: "transfer", method: "POST", path: "/api/v1/sources/transfer", user: "admin", body: claim("draftB", "ZZBH"), want: 200,
			wantJSON: map[string]check{"org_id": is("{orgB}"), "org_name": is("福建省人力资源和社会保障厅"), "resource_id": is("{draftB}")}},
		{name: "nothing to transfer", method: "POST", path: "/api/v1/sources/transfer", user: "admin", body: claim("res", "XM"),
			want: 404, wantJSON: notFound()},
	}
}

func reportScenarios() []scenario {
	return []scenario{
		{name: "conformance of the own organisation", method: "GET", path: "/api/v1/reports/conformance", user: "a.reviewer", want: 200,
			wantJSON: map[string]check{"org_id": is("{orgA}"), "org_name": is("福建省公安厅"), "total": is(1),
				"with_errors": is(0), "conformance": is(1)}},
		{name: "conformance of another organisation", method: "GET", path: "/api/v1/reports/conformance?org={orgB}", user: "a.reviewer",
			want: 403, wantJSON: forbidden()},
		{name: "platform-wide conformance", method: "GET", path: "/api/v1/reports/conformance", user: "auditor", want: 200,
			wantJSON: map[string]check{"total": atLeast(3), "conformance": is(1)}},
		{name: "a consumer gets no reports", method: "GET", path: "/api/v1/reports/conformance", user: "b.consumer",
			want: 403, wantJSON: refusedAtRoute()},
		{name: "nothing overdue", method: "GET", path: "/api/v1/reports/overdue", user: "auditor", want: 200,
			wantJSON: map[string]check{"total": is(0), "items": is([]any{})}},
		{name: "code tables", method: "GET", path: "/api/v1/codes", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"share_type": atLeast(3), "event_kind": atLeast(3), "status": atLeast(7)}},
		{name: "classifications", method: "GET", path: "/api/v1/classifications", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"items": all(atLeast(1), every("code", nonEmpty), every("library", nonEmpty))}},
		{name: "elements", method: "GET", path: "/api/v1/elements", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"items": atLeast(1)}},
		{name: "regions", method: "GET", path: "/api/v1/regions", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"items": atLeast(1)}},
		{name: "nodes", method: "GET", path: "/api/v1/nodes", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"items.0.local": is(true)}},
	}
}

func transferScenarios() []scenario {
	jsonFile := map[string]string{"Content-Type": "application/json"}
	return []scenario{
		{name: "template", method: "GET", path: "/api/v1/catalog/template?format=csv", user: "a.editor", want: 200},
		{name: "template in an unknown format", method: "GET", path: "/api/v1/catalog/template?format=pdf", user: "a.editor",
			want: 400, wantJSON: invalidField("format")},
		{name: "export", method: "GET", path: "/api/v1/catalog/export?format=json&q=电子证照", user: "b.consumer", want: 200,
			wantText: []string{"居民身份证电子证照信息", "{code}"}},
		{name: "export in an unknown format", method: "GET", path: "/api/v1/catalog/export?format=pdf", user: "b.consumer",
			want: 400, wantJSON: invalidField("format")},
		{name: "import", method: "POST", path: "/api/v1/catalog/import?reason=批量导入", user: "a.editor", header: jsonFile,
			body: []catalog.Resource{resource(func(r *catalog.Resource) { r.Name = "居民户口簿电子证照信息" })}, want: 201,
			wantJSON: map[string]check{"rows": is(1), "imported": is(1), "rejected": is(0)}},
		{name: "an import with only bad rows imports nothing", method: "POST", path: "/api/v1/catalog/import", user: "a.editor", header: jsonFile,
			body: []catalog.Resource{resource(func(r *catalog.Resource) { r.Share.Conditions = "" })}, want: 400,
			wantJSON: map[string]check{"error.code": is("invalid"), "error.fields": atLeast(1), "report.imported": is(0), "report.rejected": is(1)}},
		{name: "an import in an unknown format", method: "POST", path: "/api/v1/catalog/import", user: "a.editor",
			header: map[string]string{"Content-Type": "text/plain"}, body: "名称", want: 400, wantJSON: invalidField("format")},
		{name: "a consumer may not import", method: "POST", path: "/api/v1/catalog/import", user: "b.consumer", header: jsonFile,
			body: `[]`, want: 403, wantJSON: refusedAtRoute()},
		{name: "reindex", method: "POST", path: "/api/v1/catalog/reindex", user: "admin", want: 200,
			wantJSON: map[string]check{"indexed": atLeast(4)}},
		{name: "search after reindexing", method: "GET", path: "/api/v1/resources?q=电子证照", user: "b.consumer", want: 200,
			wantJSON: map[string]check{"total": is(1), "items.0.id": is("{res}")}},
	}
}

func actionScenarios() []scenario {
	return []scenario{
		{name: "an auditor reads the action log", method: "GET", path: "/api/v1/actions", user: "auditor", want: 200,
			wantText: []string{`"resource.create"`, `"resource.update"`, `"resource.submit"`, `"resource.return"`, `"resource.org_approve"`,
				`"resource.approve"`, `"resource.publish"`, `"source.declare"`, `"source.transfer"`, `"org.create"`, `"user.create"`, `"auth.login"`}},
		{name: "the writes to one entry", method: "GET", path: "/api/v1/actions?entity_type=resource&entity_id={res}", user: "auditor", want: 200,
			wantJSON: map[string]check{"items": all(atLeast(9), every("entity_id", is("{res}")), every("actor_name", nonEmpty), every("at", nonEmpty)),
				"items.0.action": is("resource.update"), "items.0.actor_name": is("a.editor")}},
		{name: "a consumer may not read it", method: "GET", path: "/api/v1/actions", user: "b.consumer", want: 403, wantJSON: refusedAtRoute()},
		{name: "a security officer reads the own organisation's", method: "GET", path: "/api/v1/actions", user: "a.security", want: 200,
			wantJSON: map[string]check{"items": all(atLeast(1), every("org_id", is("{orgA}")))}},
		{name: "but not another's", method: "GET", path: "/api/v1/actions?org={orgB}", user: "a.security", want: 403, wantJSON: forbidden()},
		{name: "paging", method: "GET", path: "/api/v1/actions?limit=2", user: "auditor", want: 200,
			wantJSON: map[string]check{"items": all(atLeast(2), every("seq", nonEmpty))}, save: map[string]string{"seq": "items.1.seq"}},
		{name: "the next page", method: "GET", path: "/api/v1/actions?limit=1&before={seq}", user: "auditor", want: 200,
			wantJSON: map[string]check{"items": atLeast(1)}},
		{name: "limit out of range", method: "GET", path: "/api/v1/actions?limit=501", user: "auditor", want: 400, wantJSON: invalidField("limit")},
	}
}

package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/api"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/uscc"
)

// roleUsers are the fixture users holding exactly one role each.
var roleUsers = []struct {
	role authz.Role
	user string
}{
	{authz.PlatformAdmin, "admin"},
	{authz.OrgAdmin, "a.admin"},
	{authz.CatalogEditor, "a.editor"},
	{authz.CatalogReviewer, "a.reviewer"},
	{authz.DataConsumer, "b.consumer"},
	{authz.SecurityOfficer, "a.security"},
	{authz.Auditor, "auditor"},
}

// The route-level refusal, as api.Server renders it.
const (
	routeForbidden   = "your roles do not allow this"
	routeForbiddenZH = "您的角色无权执行此操作"
)

// payload is a request body and its content type.
type payload struct {
	body        string
	contentType string
}

// routeBodies builds a plausible request body per route; every call gives
// fresh unique values, since several roles may succeed in turn. Routes
// absent here get "{}" (POST, PUT) or no body.
func routeBodies(res string) map[string]func(i int) payload {
	rnd := rand.New(rand.NewPCG(7, 11))
	js := func(v any) payload {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return payload{body: string(b), contentType: "application/json"}
	}
	return map[string]func(i int) payload{
		"POST /api/v1/auth/login": func(int) payload {
			return js(map[string]string{"username": "b.consumer", "password": apptest.UserPassword})
		},
		"POST /api/v1/classifications": func(i int) payload {
			return js(catalog.Classification{Code: "399", Name: fmt.Sprintf("测试分类%d", i), Library: "department"})
		},
		"POST /api/v1/elements": func(i int) payload {
			return js(catalog.Element{Code: fmt.Sprintf("DE9%04d", i), Name: fmt.Sprintf("测试数据元%d", i), DataType: "C", Length: 20})
		},
		"POST /api/v1/calendar/days": func(i int) payload {
			return js(map[string]string{"day": "2026-12-31", "kind": "holiday", "name": "测试"})
		},
		"POST /api/v1/organisations": func(i int) payload {
			return js(identity.Organisation{Name: fmt.Sprintf("测试单位%d", i), ProviderCode: fmt.Sprintf("TEST%03d", i),
				USCC: uscc.Generate(rnd, "350000"), Kind: "bureau", RegionCode: "350000"})
		},
		"POST /api/v1/users": func(i int) payload {
			return js(identity.NewUser{Username: fmt.Sprintf("new.user%d", i), DisplayName: "新用户", Password: "Another-Pass-9",
				Roles: []authz.Role{authz.DataConsumer}})
		},
		"PUT /api/v1/users/{id}/roles": func(int) payload {
			return js(map[string]any{"roles": []authz.Role{authz.DataConsumer}})
		},
		"PUT /api/v1/users/{id}/password": func(int) payload {
			return js(map[string]string{"password": "Another-Pass-9"})
		},
		"POST /api/v1/resources":          func(int) payload { return js(apptest.Resource()) },
		"POST /api/v1/resources/validate": func(int) payload { return js(apptest.Resource()) },
		"PUT /api/v1/resources/{id}": func(i int) payload {
			r := apptest.Resource()
			r.Summary += fmt.Sprintf("第%d次修订。", i)
			return js(struct {
				catalog.Resource
				Reason string `json:"reason"`
			}{r, "测试修订"})
		},
		"POST /api/v1/resources/{id}/transitions": func(int) payload {
			return js(map[string]string{"action": "submit"})
		},
		"POST /api/v1/sources":          func(int) payload { return js(catalog.SourceClaim{ResourceID: res, ItemCode: "ZZBH"}) },
		"POST /api/v1/sources/transfer": func(int) payload { return js(catalog.SourceClaim{ResourceID: res, ItemCode: "ZZBH"}) },
		"POST /api/v1/events": func(i int) payload {
			return js(map[string]string{"kind": "law", "title": fmt.Sprintf("测试法规%d", i), "occurred_on": "2025-09-26"})
		},
		"POST /api/v1/catalog/import": func(int) payload { return payload{body: "[]", contentType: "application/json"} },
		// The resource has no data loaded: a run is refused, not a crash.
		"POST /api/v1/verifications": func(int) payload {
			return js(map[string]any{"a": map[string]string{"resource": res}, "b": map[string]string{"resource": res},
				"key": "DE00001", "attributes": []string{"姓名"}, "open_tickets": true})
		},
		"POST /api/v1/tickets": func(i int) payload {
			return js(map[string]any{"resource_id": res, "record_key": "ZZ0001", "item": "姓名", "title": fmt.Sprintf("姓名有误%d", i)})
		},
		"POST /api/v1/tickets/{id}/transitions": func(int) payload {
			return js(map[string]string{"action": "acknowledge"})
		},
		"POST /api/v1/lineage/edges": func(i int) payload {
			return js(map[string]any{"from": map[string]string{"kind": "source", "ref": fmt.Sprintf("sys-%d", i), "label": "外部系统"},
				"to": map[string]string{"kind": "resource", "ref": res}, "kind": "pull_source", "note": "测试"})
		},
	}
}

// pathParam finds the value for a wildcard by the collection it follows.
var pathParamRE = regexp.MustCompile(`([a-z_]+)/\{([A-Za-z_]+)(\.\.\.)?\}`)

func fillPath(t *testing.T, pattern string, byCollection map[string]string) string {
	t.Helper()
	var missing string
	out := pathParamRE.ReplaceAllStringFunc(pattern, func(m string) string {
		sub := pathParamRE.FindStringSubmatch(m)
		v, ok := byCollection[sub[1]]
		if !ok {
			missing = m
		}
		return sub[1] + "/" + v
	})
	if missing != "" {
		t.Fatalf("%s: no test value for %s; add one to the authorization test", pattern, missing)
	}
	return out
}

// TestRouteAuthorization calls every route in the table as every role and
// without a token, and checks the route-level gate against the policy
// matrix: no token is 401, a role without the route's action anywhere is
// 403 with the route-level message, and a role with it passes the gate
// (what happens next depends on the object).
func TestRouteAuthorization(t *testing.T) {
	now := time.Date(2025, 10, 20, 10, 0, 0, 0, cst)
	eachNodeAt(t, now, func(t *testing.T, n *node) {
		ctx := context.Background()
		editor := apptest.As(t, n.app, "a.editor")
		r, err := n.app.Catalog.Create(editor, apptest.Resource())
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		for _, s := range []struct{ who, action string }{{"a.editor", "submit"}, {"a.reviewer", "org_approve"}, {"admin", "approve"}, {"admin", "publish"}} {
			if _, err := n.app.Catalog.Transition(apptest.As(t, n.app, s.who), r.ID, s.action, ""); err != nil {
				t.Fatalf("%s %s: %v", s.who, s.action, err)
			}
		}
		ev, err := n.app.Catalog.RecordEvent(editor, catalog.Event{Kind: "duty", Title: "职责调整", OccurredOn: "2025-09-26"})
		if err != nil {
			t.Fatalf("RecordEvent: %v", err)
		}
		target, err := n.app.Identity.SeedUser(ctx, identity.NewUser{Username: "x.target", DisplayName: "x.target",
			Password: apptest.UserPassword, OrgID: n.fix.OrgA.ID, Roles: []authz.Role{authz.CatalogEditor}})
		if err != nil {
			t.Fatalf("SeedUser: %v", err)
		}
		params := map[string]string{"resources": r.ID, "organisations": n.fix.OrgA.ID, "users": target.ID,
			"events": ev.ID, "versions": "1", "loads": "0190f000-0000-7000-8000-000000000000",
			"pulls": "0190f000-0000-7000-8000-000000000001", "verifications": "0190f000-0000-7000-8000-000000000002",
			"tickets": "0190f000-0000-7000-8000-000000000003", "edges": "1"}
		bodies := routeBodies(r.ID)

		seq := 0
		for _, rt := range (&api.Server{}).Routes() {
			t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
				path := fillPath(t, rt.Path, params)
				send := func(token string) (int, []byte) {
					seq++
					p := payload{}
					if mk, ok := bodies[rt.Method+" "+rt.Path]; ok {
						p = mk(seq)
					} else if rt.Method == "POST" || rt.Method == "PUT" {
						p = payload{body: "{}", contentType: "application/json"}
					}
					if p.contentType == "" {
						return n.call(t, rt.Method, path, token, nil, nil)
					}
					return n.call(t, rt.Method, path, token, []byte(p.body), map[string]string{"Content-Type": p.contentType})
				}

				for _, tok := range []struct{ name, token string }{{"no token", ""}, {"unknown token", "not-a-token"}} {
					status, body := send(tok.token)
					switch {
					case rt.Public && status == http.StatusUnauthorized:
						t.Errorf("%s %s with %s = 401 %s, want the public route to answer", rt.Method, path, tok.name, short(body))
					case !rt.Public && status != http.StatusUnauthorized:
						t.Errorf("%s %s with %s = %d %s, want 401", rt.Method, path, tok.name, status, short(body))
					case !rt.Public && decodeError(body).Error.Code != "unauthenticated":
						t.Errorf("%s %s with %s: error.code = %q, want unauthenticated", rt.Method, path, tok.name, decodeError(body).Error.Code)
					}
				}

				for _, ru := range roleUsers {
					// A fresh session per call: logout ends it, and no call
					// can disturb the next role's.
					status, body := send(n.login(t, ru.user))
					e := decodeError(body)
					routeRefused := status == http.StatusForbidden && e.Error.Message == routeForbidden
					granted := rt.Public || (&authz.Principal{Roles: []authz.Role{ru.role}}).CanSome(rt.Action)
					switch {
					case status >= 500:
						t.Errorf("%s %s as %s (%s) = %d %s, want no server error", rt.Method, path, ru.user, ru.role, status, short(body))
					case status == http.StatusUnauthorized:
						t.Errorf("%s %s as %s (%s) = 401 %s, want the token accepted", rt.Method, path, ru.user, ru.role, short(body))
					case granted && routeRefused:
						t.Errorf("%s %s as %s (%s) = route-level 403, but %s grants %s", rt.Method, path, ru.user, ru.role, ru.role, rt.Action)
					case !granted && !routeRefused:
						t.Errorf("%s %s as %s (%s) = %d %s, want 403 %q: %s lacks %s", rt.Method, path, ru.user, ru.role, status, short(body), routeForbidden, ru.role, rt.Action)
					case !granted && (e.Error.Code != "forbidden" || e.Error.ZH != routeForbiddenZH):
						t.Errorf("%s %s as %s: error = %+v, want code forbidden with message_zh %q", rt.Method, path, ru.user, e.Error, routeForbiddenZH)
					}
				}
			})
		}

		// Paths outside the table are not found, and only after
		// authentication, so probing without a token learns nothing.
		for _, tt := range []struct {
			method, path, user string
			want               int
		}{
			{"GET", "/api/v1/no/such/route", "", http.StatusUnauthorized},
			{"POST", "/api/v1/admin", "", http.StatusUnauthorized},
			{"DELETE", "/api/v1/resources/" + r.ID, "", http.StatusUnauthorized},
			{"GET", "/api/v1/no/such/route", "b.consumer", http.StatusNotFound},
			{"DELETE", "/api/v1/resources/" + r.ID, "admin", http.StatusNotFound},
		} {
			status, body := n.call(t, tt.method, tt.path, n.token(t, tt.user), nil, nil)
			if status != tt.want {
				t.Errorf("%s %s as %q = %d %s, want %d", tt.method, tt.path, tt.user, status, short(body), tt.want)
			}
		}
	})
}

// TestRoutesHavePolicies checks the table itself: one entry per method and
// path, an action from the policy on every non-public route, and only
// login public.
func TestRoutesHavePolicies(t *testing.T) {
	known := map[authz.Action]bool{}
	for _, a := range authz.Actions() {
		known[a] = true
	}
	seen := map[string]bool{}
	for _, rt := range (&api.Server{}).Routes() {
		key := rt.Method + " " + rt.Path
		if seen[key] {
			t.Errorf("%s appears twice in the route table", key)
		}
		seen[key] = true
		switch {
		case rt.Public && key != "POST /api/v1/auth/login":
			t.Errorf("%s is public; only login should be", key)
		case !rt.Public && !known[rt.Action]:
			t.Errorf("%s needs action %q, which no role is granted", key, rt.Action)
		}
		if rt.Summary == "" {
			t.Errorf("%s has no summary", key)
		}
	}
}

package api_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/api"
)

// openapiDoc reads the hand-written document the API serves (it is
// embedded from this file).
func openapiDoc(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	return doc
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// wildcardRE matches a Go 1.22 pattern wildcard, {name} or {name...}.
var wildcardRE = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}`)

// openapiPath turns a route pattern into an OpenAPI path template.
func openapiPath(pattern string) string {
	return wildcardRE.ReplaceAllString(pattern, "{$1}")
}

func TestOpenAPIVersion(t *testing.T) {
	doc := openapiDoc(t)
	v, _ := doc["openapi"].(string)
	if !strings.HasPrefix(v, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	info, _ := doc["info"].(map[string]any)
	for _, k := range []string{"title", "version", "description"} {
		if s, _ := info[k].(string); s == "" {
			t.Errorf("info.%s is missing", k)
		}
	}
	// The description is in English and Chinese.
	if d, _ := info["description"].(string); !strings.Contains(d, "Bearer") || !regexp.MustCompile(`\p{Han}`).MatchString(d) {
		t.Errorf("info.description = %.60q..., want English and Chinese", d)
	}
	schemes, _ := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	if b, _ := schemes["bearer"].(map[string]any); b["type"] != "http" || b["scheme"] != "bearer" {
		t.Errorf("securitySchemes.bearer = %v, want http bearer", schemes["bearer"])
	}
	if got := doc["security"]; !cmp.Equal(got, []any{map[string]any{"bearer": []any{}}}) {
		t.Errorf("security = %v, want global bearer", got)
	}
}

// TestOpenAPIMatchesRoutes checks that every route is documented and every
// documented operation exists, that only public routes drop the bearer
// requirement, and that every path parameter is declared.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := openapiDoc(t)
	paths, _ := doc["paths"].(map[string]any)
	if len(paths) == 0 {
		t.Fatal("openapi.json has no paths")
	}
	var routes, documented []string
	public := map[string]bool{}
	for _, rt := range (&api.Server{}).Routes() {
		op := rt.Method + " " + openapiPath(rt.Path)
		routes = append(routes, op)
		public[op] = rt.Public
	}
	ops := map[string]map[string]any{}
	for p, item := range paths {
		m, _ := item.(map[string]any)
		for _, method := range httpMethods {
			if o, ok := m[method].(map[string]any); ok {
				op := strings.ToUpper(method) + " " + p
				documented = append(documented, op)
				ops[op] = o
			}
		}
	}
	slices.Sort(routes)
	slices.Sort(documented)
	if diff := cmp.Diff(routes, documented); diff != "" {
		t.Errorf("routes.go (-) and openapi.json (+) disagree on operations:\n%s", diff)
	}

	for op, o := range ops {
		sec, overridden := o["security"]
		isPublic := overridden && cmp.Equal(sec, []any{})
		if isPublic != public[op] {
			t.Errorf("%s: security override %v, want public=%v", op, sec, public[op])
		}
		if s, _ := o["summary"].(string); s == "" {
			t.Errorf("%s: no summary", op)
		}
		if _, ok := o["operationId"].(string); !ok {
			t.Errorf("%s: no operationId", op)
		}
		resp, _ := o["responses"].(map[string]any)
		if !public[op] {
			if _, ok := resp["401"]; !ok {
				t.Errorf("%s: no 401 response", op)
			}
		}
		// Every {param} of the path is declared as a path parameter.
		path := strings.SplitN(op, " ", 2)[1]
		declared := map[string]bool{}
		params, _ := o["parameters"].([]any)
		for _, p := range params {
			pm := resolve(t, doc, p)
			if pm["in"] == "path" {
				declared[pm["name"].(string)] = true
				if pm["required"] != true {
					t.Errorf("%s: path parameter %v is not required", op, pm["name"])
				}
			}
		}
		for _, m := range wildcardRE.FindAllStringSubmatch(path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter {%s} is not declared", op, m[1])
			}
			delete(declared, m[1])
		}
		for name := range declared {
			t.Errorf("%s: declares path parameter %s that is not in the path", op, name)
		}
	}
}

// resolve follows a $ref (once) to the object it names.
func resolve(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	m, _ := v.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		target, err := pointer(doc, ref)
		if err != nil {
			t.Fatalf("$ref %s: %v", ref, err)
		}
		m, _ = target.(map[string]any)
	}
	return m
}

// pointer resolves a local reference "#/a/b" (RFC 6901).
func pointer(doc map[string]any, ref string) (any, error) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, &refError{ref, "is not a local reference"}
	}
	var cur any = doc
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, &refError{ref, "has no " + strconv.Quote(tok)}
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, &refError{ref, "has no index " + tok}
			}
			cur = c[i]
		default:
			return nil, &refError{ref, "steps into a scalar at " + strconv.Quote(tok)}
		}
	}
	return cur, nil
}

type refError struct{ ref, msg string }

func (e *refError) Error() string { return e.ref + " " + e.msg }

func TestOpenAPIRefsResolve(t *testing.T) {
	doc := openapiDoc(t)
	n := 0
	used := map[string]bool{}
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				n++
				used[ref] = true
				if _, err := pointer(doc, ref); err != nil {
					t.Errorf("%s: %v", at, err)
				}
			}
			for k, val := range x {
				walk(at+"/"+k, val)
			}
		case []any:
			for i, val := range x {
				walk(at+"/"+strconv.Itoa(i), val)
			}
		}
	}
	walk("#", doc)
	if n == 0 {
		t.Fatal("no $ref found; the walk is broken")
	}
	// The schemas the API promises exist, and nothing in components is dead.
	comps, _ := doc["components"].(map[string]any)
	schemas, _ := comps["schemas"].(map[string]any)
	for _, name := range []string{"Resource", "DataItem", "Share", "Open", "Finding", "Version", "Change", "Source",
		"SourceClaim", "Event", "Organisation", "User", "NewUser", "Region", "Node", "Classification", "Element",
		"ConformanceReport", "ImportReport", "RowError", "ActionEntry", "LoginRequest", "LoginResponse", "Error"} {
		if _, ok := schemas[name]; !ok {
			t.Errorf("components.schemas.%s is missing", name)
		}
	}
	for _, kind := range []string{"schemas", "parameters", "responses"} {
		m, _ := comps[kind].(map[string]any)
		for name := range m {
			if ref := "#/components/" + kind + "/" + name; !used[ref] {
				t.Errorf("%s is never referenced", ref)
			}
		}
	}
}

func TestOpenAPIErrorShape(t *testing.T) {
	doc := openapiDoc(t)
	detail := resolve(t, doc, map[string]any{"$ref": "#/components/schemas/ErrorDetail"})
	codes, _ := detail["properties"].(map[string]any)["code"].(map[string]any)["enum"].([]any)
	want := []any{"invalid", "not_found", "conflict", "forbidden", "unauthenticated", "too_large", "internal"}
	if !cmp.Equal(codes, want) {
		t.Errorf("ErrorDetail.code enum = %v, want %v", codes, want)
	}
	// Every operation documents its error responses with the Error shape.
	paths, _ := doc["paths"].(map[string]any)
	for p, item := range paths {
		for method, o := range item.(map[string]any) {
			resp, _ := o.(map[string]any)["responses"].(map[string]any)
			for code, r := range resp {
				if code[0] != '4' {
					continue
				}
				rm := resolve(t, doc, r)
				raw, _ := json.Marshal(rm["content"])
				if !strings.Contains(string(raw), "#/components/schemas/Error") && !strings.Contains(string(raw), "ImportRejected") {
					t.Errorf("%s %s: response %s does not use the Error schema", strings.ToUpper(method), p, code)
				}
			}
		}
	}
}

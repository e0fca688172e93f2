package pull

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/tabular"
)

// api is a test JSON API of n records; page writes the response to a
// request and reports the records it sent.
type api struct {
	n    int
	page func(w http.ResponseWriter, r *http.Request, recs []map[string]any)

	mu       sync.Mutex
	requests []string // the query of each request
}

func (a *api) records(from, to int) []map[string]any {
	var out []map[string]any
	for i := from; i < min(to, a.n); i++ {
		out = append(out, map[string]any{"id": i + 1, "name": fmt.Sprintf("名称%d", i+1), "tags": []string{"a"}})
	}
	return out
}

func (a *api) start(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.requests = append(a.requests, r.URL.RawQuery)
		a.mu.Unlock()
		if r.Header.Get("X-Api-Key") != "secret" {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		a.page(w, r, nil)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func intParam(r *http.Request, name string, def int) int {
	if v, err := strconv.Atoi(r.URL.Query().Get(name)); err == nil {
		return v
	}
	return def
}

// pullHTTP reads a pull to its end with internal/tabular, as ingest does.
func pullHTTP(t *testing.T, s HTTPSource) ([]string, [][]string, error) {
	t.Helper()
	src, closer, err := s.Open(context.Background())
	if err != nil {
		return nil, nil, err
	}
	defer closer.Close()
	if src.Format != tabular.NDJSON {
		t.Errorf("Format = %q, want ndjson", src.Format)
	}
	r, err := tabular.OpenNDJSON(src.R)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var rows [][]string
	for {
		row, err := r.Next()
		if err == io.EOF {
			return r.Header(), rows, nil
		}
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, row.Cells)
	}
}

func wantRows(n int) [][]string {
	var out [][]string
	for i := 1; i <= n; i++ {
		out = append(out, []string{strconv.Itoa(i), fmt.Sprintf("名称%d", i), `["a"]`})
	}
	return out
}

var key = map[string]string{"X-Api-Key": "secret"}

func TestHTTPPaging(t *testing.T) {
	for _, tt := range []struct {
		name   string
		page   func(a *api) func(w http.ResponseWriter, r *http.Request, _ []map[string]any)
		source func(url string) HTTPSource
		want   []string // the queries of the requests
	}{
		{
			name: "page numbers, short last page",
			page: func(a *api) func(http.ResponseWriter, *http.Request, []map[string]any) {
				return func(w http.ResponseWriter, r *http.Request, _ []map[string]any) {
					p, size := intParam(r, "p", 0), intParam(r, "size", 0)
					json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"items": a.records((p-1)*size, p*size)}})
				}
			},
			source: func(url string) HTTPSource {
				return HTTPSource{URL: url + "/items?q=x", Records: "data.items", Headers: key,
					Paging: Paging{Kind: PageNumber, Param: "p", SizeParam: "size", Size: 10}}
			},
			want: []string{"p=1&q=x&size=10", "p=2&q=x&size=10", "p=3&q=x&size=10"},
		},
		{
			name: "page numbers from 0, empty last page",
			page: func(a *api) func(http.ResponseWriter, *http.Request, []map[string]any) {
				return func(w http.ResponseWriter, r *http.Request, _ []map[string]any) {
					p := intParam(r, "page", 0)
					json.NewEncoder(w).Encode(a.records(p*10, (p+1)*10))
				}
			},
			source: func(url string) HTTPSource {
				return HTTPSource{URL: url, Headers: key, Paging: Paging{Kind: PageNumber, ZeroBased: true}}
			},
			want: []string{"page=0", "page=1", "page=2", "page=3"},
		},
		{
			name: "offset and limit",
			page: func(a *api) func(http.ResponseWriter, *http.Request, []map[string]any) {
				return func(w http.ResponseWriter, r *http.Request, _ []map[string]any) {
					off, limit := intParam(r, "offset", 0), intParam(r, "limit", 0)
					json.NewEncoder(w).Encode(map[string]any{"total": a.n, "rows": a.records(off, off+min(limit, 8))}) // the server caps pages at 8
				}
			},
			source: func(url string) HTTPSource {
				return HTTPSource{URL: url, Records: "rows", Headers: key, Paging: Paging{Kind: OffsetLimit, Size: 8}}
			},
			want: []string{"limit=8&offset=0", "limit=8&offset=8", "limit=8&offset=16", "limit=8&offset=24"},
		},
		{
			name: "next link, relative",
			page: func(a *api) func(http.ResponseWriter, *http.Request, []map[string]any) {
				return func(w http.ResponseWriter, r *http.Request, _ []map[string]any) {
					after := intParam(r, "after", 0)
					var next any
					if after+10 < a.n {
						next = fmt.Sprintf("/items?after=%d", after+10)
					}
					json.NewEncoder(w).Encode(map[string]any{"items": a.records(after, after+10), "links": map[string]any{"next": next}})
				}
			},
			source: func(url string) HTTPSource {
				return HTTPSource{URL: url + "/items", Records: "items", Headers: key, Paging: Paging{Kind: NextLink, Next: "links.next"}}
			},
			want: []string{"", "after=10", "after=20"},
		},
		{
			name: "next cursor",
			page: func(a *api) func(http.ResponseWriter, *http.Request, []map[string]any) {
				return func(w http.ResponseWriter, r *http.Request, _ []map[string]any) {
					c, size := intParam(r, "cursor", 0), intParam(r, "n", 0)
					resp := map[string]any{"result": []any{map[string]any{"records": a.records(c, c+size)}}}
					if c+size < a.n {
						resp["cursor"] = c + size // a number
					}
					json.NewEncoder(w).Encode(resp)
				}
			},
			source: func(url string) HTTPSource {
				return HTTPSource{URL: url, Records: "result.0.records", Headers: key,
					Paging: Paging{Kind: NextLink, Next: "cursor", Cursor: "cursor", Size: 12, SizeParam: "n"}}
			},
			want: []string{"n=12", "cursor=12&n=12", "cursor=24&n=12"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := &api{n: 25}
			a.page = tt.page(a)
			srv := a.start(t)
			header, rows, err := pullHTTP(t, tt.source(srv.URL))
			if err != nil {
				t.Fatalf("pull: %v", err)
			}
			if diff := cmp.Diff([]string{"id", "name", "tags"}, header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantRows(25), rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, a.requests); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHTTPErrors(t *testing.T) {
	for _, tt := range []struct {
		name     string
		handler  http.HandlerFunc
		source   func(url string) HTTPSource
		want     string
		wantKind apperr.Kind
	}{
		{
			name: "server error on page 2",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("page") == "2" {
					http.Error(w, "database down", http.StatusInternalServerError)
					return
				}
				fmt.Fprint(w, `[{"id": 1}]`)
			},
			source: func(url string) HTTPSource {
				return HTTPSource{URL: url + "/x?key=k", Paging: Paging{Kind: PageNumber}}
			},
			want:     "page 2 (GET 127.0.0.1", // and not the query with its key
			wantKind: apperr.Internal,         // retried
		},
		{
			name:     "not found",
			handler:  func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			source:   func(url string) HTTPSource { return HTTPSource{URL: url} },
			want:     "status 404 Not Found",
			wantKind: apperr.Invalid,
		},
		{
			name:     "not JSON",
			handler:  func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>") },
			source:   func(url string) HTTPSource { return HTTPSource{URL: url} },
			want:     "page 1 (GET 127.0.0.1",
			wantKind: apperr.Invalid,
		},
		{
			name:     "no records path",
			handler:  func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"data": {}}`) },
			source:   func(url string) HTTPSource { return HTTPSource{URL: url, Records: "data.items"} },
			want:     `has no "data.items"`,
			wantKind: apperr.Invalid,
		},
		{
			name:     "records not objects",
			handler:  func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `[{"a": 1}, 2]`) },
			source:   func(url string) HTTPSource { return HTTPSource{URL: url} },
			want:     "record 2 is not an object",
			wantKind: apperr.Invalid,
		},
		{
			name: "more pages than the cap",
			handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, `{"items": [{"a": 1}], "next": "/more"}`)
			},
			source: func(url string) HTTPSource {
				return HTTPSource{URL: url, Records: "items", MaxPages: 3, Paging: Paging{Kind: NextLink, Next: "next"}}
			},
			want:     "more than 3 pages",
			wantKind: apperr.Invalid,
		},
		{
			name: "next link to another host",
			handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, `{"items": [{"a": 1}], "next": "https://evil.example/steal"}`)
			},
			source: func(url string) HTTPSource {
				return HTTPSource{URL: url, Records: "items", Headers: key, Paging: Paging{Kind: NextLink, Next: "next"}}
			},
			want:     "does not stay on",
			wantKind: apperr.Invalid,
		},
		{
			name: "redirect to another host",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://localhost:1/steal", http.StatusFound)
			},
			source:   func(url string) HTTPSource { return HTTPSource{URL: url, Headers: key} },
			want:     "refused a redirect to another host from 127.0.0.1",
			wantKind: apperr.Invalid,
		},
		{
			name: "timeout",
			handler: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			source:   func(url string) HTTPSource { return HTTPSource{URL: url, Timeout: 50 * time.Millisecond} },
			want:     "deadline exceeded",
			wantKind: apperr.Internal,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			_, _, err := pullHTTP(t, tt.source(srv.URL))
			if err == nil {
				t.Fatalf("pull = nil error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "key=k") {
				t.Errorf("pull error = %v, want it to contain %q (and no query)", err, tt.want)
			}
			if k := apperr.KindOf(err); k != tt.wantKind {
				t.Errorf("kind of %v = %s, want %s", err, k, tt.wantKind)
			}
		})
	}
}

func TestHTTPValidate(t *testing.T) {
	for _, tt := range []struct {
		give HTTPSource
		want []string // the fields in error
	}{
		{HTTPSource{URL: "https://api.example/x", Records: "a.b", Paging: Paging{Kind: PageNumber, Size: 10}}, nil},
		{HTTPSource{URL: "ftp://x/y"}, []string{"url"}},
		{HTTPSource{URL: "/relative"}, []string{"url"}},
		{HTTPSource{URL: "http://x", Records: "a..b"}, []string{"records"}},
		{HTTPSource{URL: "http://x", Paging: Paging{Kind: NextLink}}, []string{"paging.next"}},
		{HTTPSource{URL: "http://x", Paging: Paging{Kind: "scroll", Size: -1}}, []string{"paging.kind", "paging.size"}},
		{HTTPSource{URL: "http://x", MaxPages: -1, Headers: map[string]string{"Bad Name": "v"}}, []string{"max_pages", "headers"}},
	} {
		if got := fieldsOf(tt.give.Validate()); !cmp.Equal(got, tt.want) {
			t.Errorf("Validate(%+v) fields = %v, want %v", tt.give, got, tt.want)
		}
	}
}

// TestHTTPLoad loads an API through the real load engine.
func TestHTTPLoad(t *testing.T) {
	a := &api{n: 95}
	a.page = func(w http.ResponseWriter, r *http.Request, _ []map[string]any) {
		p := intParam(r, "page", 0)
		json.NewEncoder(w).Encode(map[string]any{"data": a.records((p-1)*20, p*20)})
	}
	srv := a.start(t)
	ctx := context.Background()
	store, err := records.OpenDuckDB(ctx, filepath.Join(t.TempDir(), "r.duckdb"))
	if err != nil {
		t.Fatalf("OpenDuckDB: %v", err)
	}
	defer store.Close()
	spec := ingest.Spec{Dataset: "api", Columns: []quality.Column{
		{Name: "编号", Code: "ID", DataType: "I", PrimaryKey: true},
		{Name: "名称", Code: "NAME", DataType: "C", Length: 20},
	}}
	if err := store.EnsureDataset(ctx, spec.DatasetSpec()); err != nil {
		t.Fatalf("EnsureDataset: %v", err)
	}
	src, closer, err := HTTPSource{URL: srv.URL, Records: "data", Headers: key,
		Paging: Paging{Kind: PageNumber, Size: 20, SizeParam: "size"}}.Open(ctx)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer closer.Close()
	res, err := ingest.Load(ctx, store, spec, src, ingest.Options{QuarantineDir: t.TempDir()}, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if res.RowsRead != 95 || res.RowsAccepted != 95 || res.Version.Rows != 95 {
		t.Errorf("Load = read %d, accepted %d, version rows %d; want 95 each", res.RowsRead, res.RowsAccepted, res.Version.Rows)
	}
	if diff := cmp.Diff([]string{"tags"}, res.Ignored); diff != "" {
		t.Errorf("ignored columns (-want +got):\n%s", diff)
	}
}

// TestHTTPClose stops a pull whose reader went away.
func TestHTTPClose(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"items": [{"a": %q}], "next": "/more"}`, strings.Repeat("x", 4096)) // endless
	}))
	defer srv.Close()
	src, closer, err := HTTPSource{URL: srv.URL, Records: "items", MaxPages: 1 << 30,
		Paging: Paging{Kind: NextLink, Next: "next"}}.Open(context.Background())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if _, err := src.R.Read(make([]byte, 10)); err != nil {
		t.Fatalf("Read: %v", err)
	}
	done := make(chan struct{})
	go func() { closer.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
}

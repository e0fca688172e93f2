package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/demo"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

// chunked hides a reader's length, so the client sends it chunked,
// without a Content-Length.
type chunked struct{ io.Reader }

// TestUploadLimit: a load or a pushed batch over the upload limit is
// refused with 413: at once, before a byte is read, when its
// Content-Length says so, and at the limit when it is sent chunked. No
// load is recorded and nothing stays staged.
func TestUploadLimit(t *testing.T) {
	const limit = 4 << 10
	storetest.Each(t, func(t *testing.T, dsn string) {
		a := apptest.OpenWith(t, dsn, nil, func(c *app.Config) { c.Aggregation.MaxUpload = limit })
		n := startNode(t, a)
		res := publishPopulation(t, a, "a", demo.PopulationName)
		token := n.token(t, "a.editor")
		big := []byte("公民身份号码,姓名\n" + strings.Repeat("11010519491231002X,张三\n", 2*limit/25))
		bigBatch := []byte(strings.Repeat(`{"公民身份号码":"11010519491231002X","姓名":"张三"}`+"\n", 2*limit/50))
		loads := "/api/v1/resources/" + res.ID + "/loads"
		push := "/api/v1/resources/" + res.ID + "/push"
		tests := []struct {
			name        string
			path        string
			contentType string
			body        []byte
		}{
			{"load", loads, "text/csv", big},
			{"pushed batch", push, "application/x-ndjson", bigBatch},
		}
		for _, tt := range tests {
			t.Run(tt.name+" declared too large", func(t *testing.T) {
				body := &ingest.CountingReader{R: bytes.NewReader(tt.body)}
				req := httptest.NewRequest(http.MethodPost, tt.path, body)
				req.ContentLength = int64(len(tt.body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", tt.contentType)
				req.Header.Set("Idempotency-Key", "declared-"+tt.name)
				rec := httptest.NewRecorder()
				a.Handler().ServeHTTP(rec, req)
				if rec.Code != http.StatusRequestEntityTooLarge || body.N != 0 {
					t.Errorf("POST %s of %d bytes = %d %s after reading %d bytes; want 413 before reading any",
						tt.path, len(tt.body), rec.Code, short(rec.Body.Bytes()), body.N)
				}
				checkTooLarge(t, rec.Body.Bytes())
			})
			t.Run(tt.name+" sent chunked", func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodPost, n.url+tt.path, chunked{bytes.NewReader(tt.body)})
				if req.ContentLength != 0 {
					t.Fatalf("request length %d, want it unknown (sent chunked)", req.ContentLength)
				}
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", tt.contentType)
				req.Header.Set("Idempotency-Key", "chunked-"+tt.name)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatalf("POST %s: %v", tt.path, err)
				}
				out, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusRequestEntityTooLarge {
					t.Errorf("POST %s of %d bytes, chunked = %d %s, want 413", tt.path, len(tt.body), resp.StatusCode, short(out))
				}
				checkTooLarge(t, out)
			})
		}

		// Within the limit, a load is queued as before.
		status, out := n.call(t, "POST", loads, token, []byte("公民身份号码,姓名\n11010519491231002X,张三\n"),
			map[string]string{"Content-Type": "text/csv"})
		var ok aggregate.Load
		if err := json.Unmarshal(out, &ok); status != http.StatusAccepted || err != nil {
			t.Fatalf("POST %s of a small file = %d %s, want 202", loads, status, short(out))
		}
		items, total, err := a.Aggregate.List(apptest.As(t, a, "admin"), aggregate.LoadFilter{})
		if err != nil || total != 1 || items[0].ID != ok.ID {
			t.Errorf("loads after the refusals = %d (%v), want only the small one", total, err)
		}
		staged, err := os.ReadDir(filepath.Join(a.Aggregate.Dir(), "loads"))
		if err != nil || len(staged) != 1 || staged[0].Name() != ok.ID {
			var names []string
			for _, e := range staged {
				names = append(names, e.Name())
			}
			t.Errorf("staged load directories = %v (%v), want only %s", names, err, ok.ID)
		}
	})
}

// checkTooLarge wants the too_large error in both languages, on the body.
func checkTooLarge(t *testing.T, body []byte) {
	t.Helper()
	e := decodeError(body)
	if e.Error.Code != "too_large" || e.Error.ZH == "" || len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != "body" {
		t.Errorf("error = %+v, want code too_large with a Chinese message, on field body", e.Error)
	}
	if !strings.Contains(e.Error.Message, fmt.Sprint(4<<10)) && !strings.Contains(e.Error.Message, "4 KiB") &&
		!strings.Contains(e.Error.Fields[0].Message, fmt.Sprint(4<<10)) {
		t.Errorf("error %q / %q does not name the limit", e.Error.Message, e.Error.Fields[0].Message)
	}
}

package api_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/demo"
	"github.com/pubdata/pubdata/internal/idcard"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

// TestPushMissingMembers: a pushed batch whose objects leave out data
// items loads: a missing member is an empty value, so an object without a
// required item is rejected (kept in quarantine, the item named in the
// rejects download) and one without an optional item is stored; a member
// that names no data item rejects its object, naming the member; the
// batch does not fail on its header.
func TestPushMissingMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dsn string) {
		a := apptest.Open(t, dsn, nil)
		n := startNode(t, a)
		res := publishPopulation(t, a, "a", demo.PopulationName)
		token := n.token(t, "a.editor")
		rnd := rand.New(rand.NewPCG(3, 5))
		born := time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC)
		person := func(name string, omit ...string) string {
			m := map[string]string{"公民身份号码": idcard.Generate(rnd, "350102", born, idcard.Male), "姓名": name, "性别": "1",
				"出生日期": "19900102", "民族": "01"}
			for _, k := range omit {
				delete(m, k)
			}
			b, _ := json.Marshal(m)
			return string(b)
		}
		tests := []struct {
			name        string
			contentType string
			body        string
			wantRead    int64
			wantRej     int64
			wantRejects []string // in the rejects download
		}{
			{"NDJSON: the 2nd lacks a required item, the 3rd an optional one", "application/x-ndjson",
				person("张三") + "\n" + person("", "姓名") + "\n" + person("王五", "民族") + "\n",
				3, 1, []string{"\n2,", "姓名：必填项为空", "姓名: a value is required"}},
			{"JSON: no object has a required item", "application/json",
				"[" + person("", "姓名") + "]",
				1, 1, []string{"\n1,", "姓名：必填项为空"}},
			{"NDJSON: a member that is no data item", "application/x-ndjson",
				person("赵六") + "\n" + strings.Replace(person("钱七"), `"民族"`, `"民 族"`, 1) + "\n",
				2, 1, []string{"\n2,", "成员“民 族”不是本资源的数据项", "is not a data item of the resource"}},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, out := n.call(t, "POST", "/api/v1/resources/"+res.ID+"/push", token, []byte(tt.body),
					map[string]string{"Content-Type": tt.contentType, "Idempotency-Key": fmt.Sprintf("batch-%d", i)})
				var l aggregate.Load
				if err := json.Unmarshal(out, &l); status != http.StatusAccepted || err != nil {
					t.Fatalf("push = %d %s, want 202", status, short(out))
				}
				waitFor(t, func() bool {
					_, out := n.call(t, "GET", "/api/v1/loads/"+l.ID, token, nil, nil)
					l = aggregate.Load{}
					json.Unmarshal(out, &l)
					return l.State == aggregate.Succeeded || l.State == aggregate.Failed
				})
				if l.State != aggregate.Succeeded || l.RowsRead != tt.wantRead || l.RowsRejected != tt.wantRej ||
					l.RowsAccepted != tt.wantRead-tt.wantRej {
					t.Fatalf("load = %s %+v: read %d, accepted %d, rejected %d; want succeeded, %d read, %d rejected",
						l.State, l.Error, l.RowsRead, l.RowsAccepted, l.RowsRejected, tt.wantRead, tt.wantRej)
				}
				status, out = n.call(t, "GET", "/api/v1/loads/"+l.ID+"/rejects", token, nil, nil)
				for _, want := range tt.wantRejects {
					if status != http.StatusOK || !strings.Contains(string(out), want) {
						t.Errorf("rejects = %d %q, want it to hold %q", status, out, want)
					}
				}
			})
		}
	})
}

package ingest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/tabular"
)

// TestJSONMembers: the header of a JSON or NDJSON source is shaped by the
// dataset's items. A missing member is an empty value for the rules (a
// required item rejects its row, naming the item; an optional one is
// empty); an item is one column whether a member names it by name or code;
// a member naming no item is ignored, or, for a strict source (a pushed
// batch), rejects its row naming the member.
func TestJSONMembers(t *testing.T) {
	mapped := small
	mapped.Mapping = map[string]string{"name": "姓名"}
	tests := []struct {
		name      string
		spec      Spec
		format    tabular.Format
		strict    bool
		give      string
		wantRead  int64
		wantRej   int64
		wantWhy   map[string]string // quarantined row -> part of its reasons
		wantIgnor []string
	}{
		{"a missing required, then a missing optional member", small, tabular.NDJSON, true,
			`{"编号":"0001","姓名":"张三","出生日期":"1990-01-02","金额":"1"}` + "\n" +
				`{"编号":"0002","出生日期":"1990-01-02","金额":"2"}` + "\n" +
				`{"编号":"0003","姓名":"李四","金额":"3"}` + "\n",
			3, 1, map[string]string{"2": "姓名：必填项为空"}, nil},
		{"a required member no object has", small, tabular.NDJSON, true,
			`{"编号":"0001","金额":"1"}` + "\n",
			1, 1, map[string]string{"1": "姓名：必填项为空"}, nil},
		{"by name and by code", small, tabular.JSON, true,
			`[{"编号":"0001","姓名":"张三"},{"BH":"0002","XM":"李四","je":"2"}]`,
			2, 0, nil, nil},
		{"name and code in one object", small, tabular.JSON, true,
			`[{"编号":"0001","姓名":"张三","XM":"张三"},{"编号":"0002","姓名":"李四"}]`,
			2, 1, map[string]string{"1": "同一列"}, nil},
		{"an unknown member, strict", small, tabular.NDJSON, true,
			`{"编号":"0001","姓名":"张三","备注":"x"}` + "\n" + `{"编号":"0002","姓名":"李四"}` + "\n",
			2, 1, map[string]string{"1": "成员“备注”不是本资源的数据项"}, nil},
		{"an unknown member, strict, in a JSON array", small, tabular.JSON, true,
			`[{"编号":"0001","姓名":"张三"},{"编号":"0002","姓名":"李四","备注":"x"}]`,
			2, 1, map[string]string{"2": "成员“备注”不是本资源的数据项"}, nil},
		{"an unknown member, not strict", small, tabular.NDJSON, false,
			`{"编号":"0001","姓名":"张三","备注":"x"}` + "\n" + `{"编号":"0002","姓名":"李四"}` + "\n",
			2, 0, nil, []string{"备注"}},
		{"the operation and a mapped member, strict", mapped, tabular.NDJSON, true,
			`{"_op":"U","编号":"0001","name":"张三"}` + "\n",
			1, 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := Source{Name: "batch." + string(tt.format), R: strings.NewReader(tt.give), Format: tt.format, StrictMembers: tt.strict}
			res, err := Load(context.Background(), openDuck(t), tt.spec, src, Options{QuarantineDir: t.TempDir(), LoadID: "J"}, nil)
			if err != nil {
				t.Fatalf("Load = %v, want the batch loaded", err)
			}
			if res.RowsRead != tt.wantRead || res.RowsRejected != tt.wantRej || res.RowsAccepted != tt.wantRead-tt.wantRej {
				t.Errorf("read/accepted/rejected = %d/%d/%d, want %d/%d/%d", res.RowsRead, res.RowsAccepted, res.RowsRejected,
					tt.wantRead, tt.wantRead-tt.wantRej, tt.wantRej)
			}
			_, q := quarantined(t, res.QuarantinePath)
			for row, why := range tt.wantWhy {
				if got := strings.Join(q[row], ","); !strings.Contains(got, why) {
					t.Errorf("quarantined row %s = %q, want it to say %q", row, got, why)
				}
			}
			if !slices.Equal(res.Ignored, tt.wantIgnor) {
				t.Errorf("ignored = %q, want %q", res.Ignored, tt.wantIgnor)
			}
		})
	}
}

// TestJSONNoObjects: a JSON source without objects has no header, so a
// full load of it fails instead of publishing an empty version.
func TestJSONNoObjects(t *testing.T) {
	for _, f := range []tabular.Format{tabular.JSON, tabular.NDJSON} {
		give := map[tabular.Format]string{tabular.JSON: "[]", tabular.NDJSON: "\n"}[f]
		src := Source{Name: "empty." + string(f), R: strings.NewReader(give), Format: f, StrictMembers: true}
		if _, err := Load(context.Background(), openDuck(t), small, src, Options{QuarantineDir: t.TempDir()}, nil); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("Load(%s without objects) = %v, want invalid (no header)", f, err)
		}
	}
}

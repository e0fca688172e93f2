package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
)

// small is a resource of four items.
var small = Spec{Dataset: "small", Columns: []quality.Column{
	{Name: "编号", Code: "BH", DataType: "C", Length: 4, Required: true, PrimaryKey: true},
	{Name: "姓名", Code: "XM", DataType: "C", Length: 10, Required: true},
	{Name: "出生日期", Code: "CSRQ", DataType: "D"},
	{Name: "金额", Code: "JE", DataType: "N", Length: 8},
}}

func openDuck(t *testing.T) records.Store {
	t.Helper()
	s, err := records.OpenDuckDB(context.Background(), filepath.Join(t.TempDir(), "records.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func csvSource(name, text string) Source {
	return Source{Name: name, R: strings.NewReader(text), Size: int64(len(text))}
}

// rowsOf returns the stored rows as text, sorted.
func rowsOf(t *testing.T, s records.Store, dataset string) []string {
	t.Helper()
	var out []string
	err := s.Scan(context.Background(), dataset, 0, func(r records.Row) error {
		var b strings.Builder
		for i, v := range r.Values {
			if i > 0 {
				b.WriteByte('|')
			}
			b.WriteString(format(v))
		}
		out = append(out, b.String())
		return nil
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	slices.Sort(out)
	return out
}

// rowNumbers returns the row numbers of a quarantine read by quarantined,
// in order.
func rowNumbers(q map[string][]string) []int64 {
	var rows []int64
	for k := range q {
		r, _ := strconv.ParseInt(k, 10, 64)
		rows = append(rows, r)
	}
	slices.Sort(rows)
	return rows
}

// quarantined reads a quarantine file: row number -> reasons (zh).
func quarantined(t *testing.T, path string) (header []string, rows map[string][]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\uFEFF")) {
		t.Errorf("quarantine file has no byte order mark")
	}
	cr := csv.NewReader(bytes.NewReader(data[3:]))
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("quarantine is not CSV: %v", err)
	}
	rows = map[string][]string{}
	for _, r := range recs[1:] {
		rows[r[0]] = r[1:]
	}
	return recs[0], rows
}

func TestLoadSmallCSV(t *testing.T) {
	s := openDuck(t)
	text := "说明：测试数据,,\r\n" +
		"编号,姓名,出生日期,金额,备注\r\n" +
		"0001,张三,1990-01-02,12.5,x\r\n" +
		"0002,,1990-01-02,1,\r\n" + // missing name
		"\r\n" + // blank: skipped, but counted in row numbers
		"0003,\"王,五\",19900230,2,\r\n" + // bad date
		"0004,\"李\"\"四\",20000101,,\r\n" +
		"0001,重复,2001-01-01,3,\r\n" + // duplicate key
		"0005,赵六,2001-01-01,3,x,extra\r\n" + // value right of the header
		"0006,\"钱\n七\",2001-01-01,4,\r\n" +
		"0007,a\"b,2001-01-01,4,\r\n" // bare quote
	dir := t.TempDir()
	res, err := Load(context.Background(), s, small, csvSource("small.csv", text), Options{QuarantineDir: dir, LoadID: "L1"}, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if res.RowsRead != 8 || res.RowsAccepted != 3 || res.RowsRejected != 5 {
		t.Errorf("read/accepted/rejected = %d/%d/%d, want 8/3/5", res.RowsRead, res.RowsAccepted, res.RowsRejected)
	}
	want := []string{
		"0001|张三|1990-01-02|12.5",
		"0004|李\"四|2000-01-01|NULL",
		"0006|钱\n七|2001-01-01|4",
	}
	if diff := cmp.Diff(want, rowsOf(t, s, "small")); diff != "" {
		t.Errorf("stored rows (-want +got):\n%s", diff)
	}
	header, q := quarantined(t, res.QuarantinePath)
	if want := []string{"行号", "编号", "姓名", "出生日期", "金额", "备注", "错误原因", "reasons"}; !slices.Equal(header, want) {
		t.Errorf("quarantine header = %q, want %q", header, want)
	}
	var nums []string
	for k := range q {
		nums = append(nums, k)
	}
	slices.Sort(nums)
	if want := []string{"2", "4", "6", "7", "9"}; !slices.Equal(nums, want) {
		t.Errorf("quarantined rows = %v, want %v", nums, want)
	}
	if got := q["6"]; got[0] != "0001" || !strings.Contains(got[5], "第1行") || !strings.Contains(got[6], "row 1") {
		t.Errorf("duplicate row in quarantine = %q", got)
	}
	if got := q["4"]; got[1] != "王,五" || got[2] != "19900230" {
		t.Errorf("bad-date row keeps its cells: got %q", got)
	}
	if res.Rejections["required"] != 1 || res.Rejections["unique"] != 1 {
		t.Errorf("rejections = %v", res.Rejections)
	}
	if !slices.Equal(res.Ignored, []string{"备注"}) {
		t.Errorf("ignored = %v, want [备注]", res.Ignored)
	}
}

// valueCollider is a duplicate checker that claims a row with value in
// column col repeats row 1: a hash collision.
type valueCollider struct {
	*checkerParts
	col   int
	value string
	hits  *int
}

func (c valueCollider) Lookup(row []string) (int, bool) {
	if row[c.col] == c.value {
		*c.hits++
		return 1, true
	}
	return c.u.Lookup(row)
}

func (c valueCollider) Add(row []string, num int) (int, bool) {
	if row[c.col] == c.value {
		*c.hits++
		return 1, true
	}
	return c.u.Add(row, num)
}

// TestUniqueRulesOnOtherColumns: a unique rule on columns other than the
// key is checked on every row as it streams: an error rejects the later
// row, a warning counts it; blanks never repeat; typed values compare as
// values; only accepted rows' values count; and a hash collision is
// confirmed away and its row loaded.
func TestUniqueRulesOnOtherColumns(t *testing.T) {
	const names = "编号,姓名\n1,a\n2,a\n3,b\n4,a\n2,c\n"
	for _, tc := range []struct {
		name     string
		rule     quality.Rule
		csv      string
		collide  string // the 姓名 checker claims a row with this 姓名 repeats row 1
		rejected []string
		reasons  map[string]string // row -> part of its zh reason
		warnings int64
	}{
		{name: "error", rule: quality.Rule{Kind: quality.KindUnique, Name: "unique_name", Columns: []string{"姓名"}}, csv: names,
			// Row 5 has row 2's key, but row 2 was rejected.
			rejected: []string{"2", "4"}, reasons: map[string]string{"2": "姓名：值与前面的行重复（该项须唯一）（第1行）", "4": "第1行"}},
		{name: "warning", rule: quality.Rule{Kind: quality.KindUnique, Name: "unique_name", Columns: []string{"姓名"}, Severity: quality.Warning}, csv: names,
			rejected: []string{"5"}, reasons: map[string]string{"5": "主键与前面的行重复（第2行）"}, warnings: 2},
		{name: "typed with blanks", rule: quality.Rule{Kind: quality.KindUnique, Name: "unique_birth", Columns: []string{"出生日期"}},
			csv:      "编号,姓名,出生日期\n1,a,19900101\n2,b,\n3,c,\n4,d,1990-01-01\n5,e,1990-01-02\n",
			rejected: []string{"4"}, reasons: map[string]string{"4": "出生日期：值与前面的行重复"}},
		{name: "collision", rule: quality.Rule{Kind: quality.KindUnique, Name: "unique_name", Columns: []string{"姓名"}}, csv: names, collide: "b",
			rejected: []string{"2", "4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			collided := 0
			if tc.collide != "" {
				old := newDupChecker
				newDupChecker = func(cols []int) dupChecker {
					if slices.Equal(cols, []int{1}) {
						return valueCollider{checkerParts: &checkerParts{quality.NewUnique(cols)}, col: 1, value: tc.collide, hits: &collided}
					}
					return old(cols)
				}
				defer func() { newDupChecker = old }()
			}
			eachStore(t, func(t *testing.T, s records.Store) {
				spec := small
				spec.Rules = []quality.Rule{tc.rule}
				res, err := Load(context.Background(), s, spec, csvSource("u.csv", tc.csv), Options{QuarantineDir: t.TempDir()}, nil)
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if len(res.Unchecked) != 0 {
					t.Errorf("unchecked = %v, want none", res.Unchecked)
				}
				_, q := quarantined(t, res.QuarantinePath)
				var rows []string
				for k := range q {
					rows = append(rows, k)
				}
				slices.Sort(rows)
				if !slices.Equal(rows, tc.rejected) || res.RowsRejected != int64(len(tc.rejected)) || res.Version.Rows != res.RowsAccepted {
					t.Errorf("quarantined %v (rejected %d, stored %d of %d accepted), want %v", rows, res.RowsRejected, res.Version.Rows, res.RowsAccepted, tc.rejected)
				}
				for row, want := range tc.reasons {
					if got := q[row]; len(got) < 2 || !strings.Contains(got[len(got)-2], want) {
						t.Errorf("row %s reason = %q, want it to contain %q", row, got, want)
					}
				}
				if got := res.Warnings[tc.rule.Name]; got != tc.warnings {
					t.Errorf("warnings %s = %d, want %d", tc.rule.Name, got, tc.warnings)
				}
				if tc.collide != "" && collided == 0 {
					t.Errorf("the collider was never asked")
				}
				if tc.warnings == 0 && res.Rejections[tc.rule.Name] != int64(len(tc.rejected)) {
					t.Errorf("rejections = %v, want %s: %d", res.Rejections, tc.rule.Name, len(tc.rejected))
				}
			})
		})
	}
}

func TestReferenceRule(t *testing.T) {
	ctx := context.Background()
	s := openDuck(t)
	spec := small
	spec.Dataset = "child"
	spec.Rules = []quality.Rule{{Kind: quality.KindReference, Name: "ref_parent", Columns: []string{"姓名"}, Ref: "small"}}
	opts := Options{QuarantineDir: t.TempDir()}
	if _, err := Load(ctx, s, spec, csvSource("c.csv", "编号,姓名\n1,a\n"), opts, nil); apperr.KindOf(err) != apperr.Invalid ||
		!strings.Contains(err.Error(), "small") {
		t.Errorf("Load before the referenced dataset exists = %v, want invalid naming it", err)
	}
	// The referenced dataset's keys are its 编号 values: 10 and 20.
	if _, err := Load(ctx, s, small, csvSource("p.csv", "编号,姓名\n10,x\n20,y\n"), opts, nil); err != nil {
		t.Fatalf("Load parent: %v", err)
	}
	res, err := Load(ctx, s, spec, csvSource("c.csv", "编号,姓名\n1,10\n2,30\n3,20\n"), opts, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if res.RowsAccepted != 2 || res.RowsRejected != 1 || res.Rejections["ref_parent"] != 1 || len(res.Unchecked) != 0 {
		t.Errorf("accepted %d rejected %d rejections %v unchecked %v; want 2, 1 by ref_parent", res.RowsAccepted, res.RowsRejected,
			res.Rejections, res.Unchecked)
	}
	_, q := quarantined(t, res.QuarantinePath)
	if r2, ok := q["2"]; len(q) != 1 || !ok || !strings.Contains(r2[len(r2)-1], "small") {
		t.Errorf("quarantine = %v, want row 2 naming the dataset small", q)
	}
	// A warning keeps the row and counts it.
	spec.Rules[0].Severity = quality.Warning
	res, err = Load(ctx, s, spec, csvSource("c.csv", "编号,姓名\n1,10\n2,30\n"), opts, nil)
	if err != nil || res.RowsAccepted != 2 || res.Warnings["ref_parent"] != 1 {
		t.Errorf("warning: accepted %d warnings %v, %v", res.RowsAccepted, res.Warnings, err)
	}
}

func TestProgress(t *testing.T) {
	data, bad := generate(t, 30_000, 0.02, "utf-8")
	s := openDuck(t)
	var reports []Progress
	res, err := Load(context.Background(), s, populationSpec(), Source{Name: "p.csv", R: bytes.NewReader(data), Size: int64(len(data))},
		Options{QuarantineDir: t.TempDir(), ProgressInterval: time.Nanosecond}, func(p Progress) { reports = append(reports, p) })
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(reports) < 2 {
		t.Fatalf("%d progress reports, want several", len(reports))
	}
	for i := 1; i < len(reports); i++ {
		a, b := reports[i-1], reports[i]
		if b.RowsRead < a.RowsRead || b.RowsRejected < a.RowsRejected || b.Bytes < a.Bytes || a.Done {
			t.Errorf("report %d = %+v after %+v", i, b, a)
		}
	}
	last := reports[len(reports)-1]
	if !last.Done || last.RowsRead != res.RowsRead || last.RowsAccepted+last.RowsRejected != last.RowsRead ||
		last.RowsRejected != int64(len(bad)) || last.Bytes != int64(len(data)) || last.TotalBytes != int64(len(data)) {
		t.Errorf("last report = %+v, want done with %d read, %d rejected, %d bytes", last, res.RowsRead, len(bad), len(data))
	}
}

func TestCompletenessCounts(t *testing.T) {
	s := openDuck(t)
	res, err := Load(context.Background(), s, small, csvSource("c.csv", "编号,姓名,出生日期,金额\n1,a,,3\n2,,19900101,\n\n\"3,x\n"),
		Options{QuarantineDir: t.TempDir()}, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	// The blank line is skipped and the malformed record is not parsed.
	if res.Parsed != 2 || !slices.Equal(res.Filled, []int64{2, 1, 1, 1}) {
		t.Errorf("parsed %d, filled %v; want 2, [2 1 1 1]", res.Parsed, res.Filled)
	}
}

// TestTypedKeyRepeats: a numeric key compares as a number, so 007 repeats
// 7 and is rejected.
func TestTypedKeyRepeats(t *testing.T) {
	spec := Spec{Dataset: "numbered", Columns: []quality.Column{
		{Name: "编号", Code: "BH", DataType: "N", Length: 8, Required: true, PrimaryKey: true},
		{Name: "姓名", Code: "XM", DataType: "C", Length: 10},
	}}
	eachStore(t, func(t *testing.T, s records.Store) {
		res, err := Load(context.Background(), s, spec, csvSource("n.csv", "编号,姓名\n7,a\n8,b\n007,c\n"), Options{QuarantineDir: t.TempDir()}, nil)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		_, q := quarantined(t, res.QuarantinePath)
		if got := q["3"]; res.RowsRejected != 1 || got == nil || !strings.Contains(got[len(got)-2], "第1行") {
			t.Errorf("rejected %d, row 3 = %q; want row 3 rejected as a repeat of row 1", res.RowsRejected, got)
		}
	})
}

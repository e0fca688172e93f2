package verify

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
)

// The generator's injected conflicts are exactly what a comparison finds,
// on every store and by every method.
func TestCompareFindsTheGeneratorsConflicts(t *testing.T) {
	const rows = 20_000
	pf := PopulationFiles{Dir: t.TempDir(), Rows: rows, ErrorRate: 0.01, ConflictRate: 0.02, Seed: 3}
	if err := pf.Generate(); err != nil {
		t.Fatal(err)
	}
	want, err := pf.TruthConflicts()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 300 {
		t.Fatalf("the generator injected %d conflicts, want about 400", len(want))
	}
	eachRecordStore(t, func(t *testing.T, s records.Store, methods []string) {
		ctx := context.Background()
		if err := pf.Load(ctx, s, BenchDatasetA, BenchDatasetB); err != nil {
			t.Fatalf("Load: %v", err)
		}
		accepted, err := s.Count(ctx, BenchDatasetA, 0)
		if err != nil {
			t.Fatal(err)
		}
		var reports []*Report
		for _, m := range methods {
			req := BenchRequest(m)
			req.SampleLimit = MaxSampleLimit
			rep, err := Compare(ctx, s, req)
			if err != nil {
				t.Fatalf("Compare(%s): %v", m, err)
			}
			if diff := cmp.Diff(want, rep.Sample); diff != "" {
				t.Errorf("Compare(%s) conflicts differ from the truth (-want +got):\n%s", m, diff)
			}
			if rep.ConflictingKeys != int64(len(want)) || rep.Conflicts != int64(len(want)) || rep.Truncated {
				t.Errorf("Compare(%s) = %d conflicting keys, %d conflicts, truncated %v; want %d, %d, false",
					m, rep.ConflictingKeys, rep.Conflicts, rep.Truncated, len(want), len(want))
			}
			if rep.MatchedKeys != accepted || rep.OnlyA != 0 || rep.OnlyB != 0 || rep.A.Rows != accepted || rep.B.Rows != accepted {
				t.Errorf("Compare(%s) matched/onlyA/onlyB/rows = %d/%d/%d/%d, want %d/0/0/%d",
					m, rep.MatchedKeys, rep.OnlyA, rep.OnlyB, rep.A.Rows, accepted, accepted)
			}
			if birth := rep.Attributes[1]; birth.Conflicts != 0 || birth.MatchRate != 1 {
				t.Errorf("Compare(%s) 出生日期 = %+v, want no conflicts", m, birth)
			}
			if rep.Method != m || rep.Authoritative != SideA {
				t.Errorf("Compare(%s) method, authoritative = %s, %s", m, rep.Method, rep.Authoritative)
			}
			reports = append(reports, rep)
		}
		for _, r := range reports[1:] {
			if diff := cmp.Diff(reports[0], r, cmpopts.IgnoreFields(Report{}, "Method", "DurationMS")); diff != "" {
				t.Errorf("%s and %s reports differ (-%s +%s):\n%s", reports[0].Method, r.Method, reports[0].Method, r.Method, diff)
			}
		}
	})
}

var (
	// people: keyed by 公民身份号码.
	peopleSpec = records.DatasetSpec{Name: "people", Columns: []records.Column{
		{Name: "gmsfhm", Label: "公民身份号码", Type: records.Text, Key: true},
		{Name: "xm", Label: "姓名", Type: records.Text},
		{Name: "csrq", Label: "出生日期", Type: records.Date},
		{Name: "hjdz", Label: "户籍地址", Type: records.Text},
	}}
	// licences: keyed by 证照编号; the ID number may repeat, the birth
	// date is text.
	licenceSpec = records.DatasetSpec{Name: "licences", Columns: []records.Column{
		{Name: "zzbh", Label: "证照编号", Type: records.Text, Key: true},
		{Name: "sfzh", Label: "身份证号", Type: records.Text},
		{Name: "xm", Label: "姓名", Type: records.Text},
		{Name: "csrq", Label: "出生日期", Type: records.Text},
		{Name: "hjdz", Label: "户籍地址", Type: records.Text},
	}}
)

func str(s string) *string { return &s }

// Keys on one side, NULLs, repeated keys, columns of different types and
// incremental versions (tombstoned rows) count as documented.
func TestCompareSemantics(t *testing.T) {
	req := func(version int64, limit int) Request {
		return Request{
			A: Side{Dataset: "people", Version: version}, B: Side{Dataset: "licences"},
			Key:         Field{Name: "公民身份号码", B: "身份证号"},
			Attributes:  []Field{{Name: "姓名"}, {Name: "出生日期"}, {Name: "户籍地址", A: "hjdz", B: "hjdz"}},
			SampleLimit: limit,
		}
	}
	sideB := SideReport{Dataset: "licences", Version: 1, KeyColumn: "sfzh", Rows: 9, Keys: 6, NullKeys: 1, DuplicateKeys: 2}
	attrs := func(m ...int64) []AttributeReport {
		return []AttributeReport{
			{Name: "姓名", ColumnA: "xm", ColumnB: "xm", Matches: m[0], Conflicts: m[1], MatchRate: float64(m[0]) / 3},
			{Name: "出生日期", ColumnA: "csrq", ColumnB: "csrq", Matches: m[2], Conflicts: m[3], MatchRate: float64(m[2]) / 3},
			{Name: "户籍地址", ColumnA: "hjdz", ColumnB: "hjdz", Matches: m[4], Conflicts: m[5], MatchRate: float64(m[4]) / 3},
		}
	}
	tests := []struct {
		name string
		give Request
		want Report
	}{{
		name: "current version",
		give: req(0, 0),
		want: Report{
			A: SideReport{Dataset: "people", Version: 2, KeyColumn: "gmsfhm", Rows: 4, Keys: 4}, B: sideB,
			Key: "公民身份号码", Attributes: attrs(3, 0, 1, 2, 2, 1),
			MatchedKeys: 4, OnlyB: 2, AmbiguousKeys: 1, ComparedKeys: 3, ConflictingKeys: 2, Conflicts: 3,
			Sample: []Conflict{
				{Key: "111", Attribute: "出生日期", A: str("1991-01-01"), B: str("1991-01-02")},
				{Key: "112", Attribute: "出生日期", A: nil, B: str("1992-03-03")},
				{Key: "112", Attribute: "户籍地址", A: str("乙路2号"), B: str("乙路9号")},
			},
			SampleLimit: DefaultSampleLimit,
		},
	}, {
		name: "first version",
		give: req(1, 2),
		want: Report{
			A: SideReport{Dataset: "people", Version: 1, KeyColumn: "gmsfhm", Rows: 5, Keys: 5}, B: sideB,
			Key: "公民身份号码", Attributes: attrs(2, 1, 1, 2, 2, 1),
			MatchedKeys: 4, OnlyA: 1, OnlyB: 2, AmbiguousKeys: 1, ComparedKeys: 3, ConflictingKeys: 2, Conflicts: 4,
			Sample: []Conflict{
				{Key: "111", Attribute: "出生日期", A: str("1991-01-01"), B: str("1991-01-02")},
				{Key: "112", Attribute: "姓名", A: str("王五"), B: str("王五五")},
			},
			SampleLimit: 2, Truncated: true,
		},
	}}
	eachRecordStore(t, func(t *testing.T, s records.Store, methods []string) {
		writeVersion(t, s, peopleSpec, records.Full, [][]any{
			{"110", "张三", "1990-01-01", "甲路1号"},
			{"111", "李四", "1991-01-01", nil},
			{"112", "王五", nil, "乙路2号"},
			{"113", "赵六", "1993-01-01", "丙路3号"},
			{"116", "孙七", "1996-01-01", "丁路6号"},
		})
		writeVersion(t, s, peopleSpec, records.Incremental, [][]any{{"112", "王五五", nil, "乙路2号"}}, "113")
		writeVersion(t, s, licenceSpec, records.Full, [][]any{
			{"L1", "110", "张三", "1990-01-01", "甲路1号"},
			{"L2", "111", "李四", "1991-01-02", nil},
			{"L3", "112", "王五五", "1992-03-03", "乙路9号"},
			{"L4", "114", "周八", "1994-01-01", "戊路4号"},
			{"L5", nil, "吴九", "1995-01-01", "己路5号"},
			{"L6", "115", "郑十", "1995-01-01", "庚路1号"},
			{"L7", "115", "郑十", "1995-01-01", "庚路1号"},
			{"L8", "116", "孙七", "1996-01-01", "丁路6号"},
			{"L9", "116", "孙七", "1996-01-01", "丁路7号"},
		})
		for _, tt := range tests {
			for _, m := range methods {
				t.Run(tt.name+"/"+m, func(t *testing.T) {
					give := tt.give
					give.Method = m
					got, err := Compare(context.Background(), s, give)
					if err != nil {
						t.Fatalf("Compare: %v", err)
					}
					want := tt.want
					want.Method = m
					if diff := cmp.Diff(&want, got, cmpopts.IgnoreFields(Report{}, "DurationMS")); diff != "" {
						t.Errorf("Compare (-want +got):\n%s", diff)
					}
				})
			}
		}
	})
}

func TestCompareRefusesBadRequests(t *testing.T) {
	s := recordStores()[0].Open(t)
	writeVersion(t, s, peopleSpec, records.Full, [][]any{{"110", "张三", "1990-01-01", "甲路1号"}})
	ok := Request{A: Side{Dataset: "people"}, B: Side{Dataset: "people"}, Key: Field{Name: "公民身份号码"}, Attributes: []Field{{Name: "姓名"}}}
	tests := []struct {
		name       string
		give       func(r *Request)
		wantKind   apperr.Kind
		wantFields []string
	}{
		{"no datasets", func(r *Request) { r.A.Dataset, r.B.Dataset = "", "" }, apperr.Invalid, []string{"a.dataset", "b.dataset"}},
		{"no key", func(r *Request) { r.Key = Field{} }, apperr.Invalid, []string{"key"}},
		{"no attributes", func(r *Request) { r.Attributes = nil }, apperr.Invalid, []string{"attributes"}},
		{"repeated attribute", func(r *Request) { r.Attributes = append(r.Attributes, Field{Name: "姓名"}) }, apperr.Invalid, []string{"attributes[1]"}},
		{"bad side", func(r *Request) { r.Authoritative = "c" }, apperr.Invalid, []string{"authoritative"}},
		{"bad sample", func(r *Request) { r.SampleLimit = MaxSampleLimit + 1 }, apperr.Invalid, []string{"sample_limit"}},
		{"bad method", func(r *Request) { r.Method = "magic" }, apperr.Invalid, []string{"method"}},
		{"method of another store", func(r *Request) { r.Method = MethodPostgresSQL }, apperr.Invalid, []string{"method"}},
		{"unknown items", func(r *Request) { r.Key.B = "证件号"; r.Attributes[0].A = "名字" }, apperr.Invalid, []string{"a.attributes", "b.key"}},
		{"unknown dataset", func(r *Request) { r.B.Dataset = "nobody" }, apperr.NotFound, nil},
		{"unknown version", func(r *Request) { r.A.Version = 7 }, apperr.NotFound, nil},
	}
	for _, tt := range tests {
		for _, m := range []string{MethodScan, MethodDuckDBSQL} {
			t.Run(tt.name+"/"+m, func(t *testing.T) {
				r := ok
				r.Attributes = []Field{{Name: "姓名"}}
				r.Method = m
				tt.give(&r)
				_, err := Compare(context.Background(), s, r)
				if apperr.KindOf(err) != tt.wantKind {
					t.Fatalf("Compare = %v, want %s", err, tt.wantKind)
				}
				var fields []string
				for _, f := range apperr.As(err).Fields {
					fields = append(fields, f.Field)
					if f.ZH == "" {
						t.Errorf("field %s has no Chinese message", f.Field)
					}
				}
				if diff := cmp.Diff(tt.wantFields, fields); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestFormatFloatIsDuckDBs(t *testing.T) {
	tests := []struct {
		give float64
		want string
	}{
		{1, "1.0"}, {0.1, "0.1"}, {1e20, "1e+20"}, {123456789, "123456789.0"}, {1e15, "1000000000000000.0"},
		{1e16, "1e+16"}, {0, "0.0"}, {2.5e-7, "2.5e-07"}, {1234567.125, "1234567.125"}, {-3.5, "-3.5"}, {0.0001, "0.0001"},
	}
	for _, tt := range tests {
		if got := formatFloat(tt.give); got != tt.want {
			t.Errorf("formatFloat(%v) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

// A side without rows has every key of the other side to itself.
func TestCompareWithAnEmptySide(t *testing.T) {
	eachRecordStore(t, func(t *testing.T, s records.Store, methods []string) {
		writeVersion(t, s, peopleSpec, records.Full, [][]any{{"110", "张三", "1990-01-01", "甲路1号"}, {"111", "李四", nil, nil}})
		writeVersion(t, s, licenceSpec, records.Full, nil)
		for _, m := range methods {
			rep, err := Compare(context.Background(), s, Request{A: Side{Dataset: "people"}, B: Side{Dataset: "licences"},
				Key: Field{Name: "公民身份号码", B: "sfzh"}, Attributes: []Field{{Name: "姓名"}}, Method: m})
			if err != nil {
				t.Fatalf("Compare(%s): %v", m, err)
			}
			if rep.OnlyA != 2 || rep.OnlyB != 0 || rep.MatchedKeys != 0 || rep.B.Rows != 0 || len(rep.Sample) != 0 || rep.Attributes[0].MatchRate != 0 {
				t.Errorf("Compare(%s) = %+v, want 2 keys only in A", m, rep)
			}
		}
	})
}

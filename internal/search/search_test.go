package search

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/apperr"
)

func TestSearchText(t *testing.T) {
	tests := []struct {
		give string
		want []string // sorted
	}{
		// Traditional and simplified find the same entries.
		{"电子证照", []string{"r05", "r08"}},
		{"電子證照", []string{"r05", "r08"}},
		{"营业执照", []string{"r02"}},
		{"營業執照", []string{"r02"}},
		{"ＧＡＪ", nil},
		// Two characters; one character.
		{"人口", []string{"r01", "r06"}},
		{"税", []string{"r07"}},
		// Abbreviations.
		{"社保", []string{"r03"}},
		{"社保参保", []string{"r03"}},
		// Items and keywords.
		{"统一社会信用代码", []string{"r02"}},
		{"市场主体", []string{"r02"}},
		// Words are ANDed; within a word pairs spanning two words may miss.
		{"福州 人口", []string{"r01", "r06"}},
		{"厦门 登记", []string{"r04", "r07"}},
		{"福州人口", []string{"r01", "r06"}},
		// Every pair of a word must match, unless none does.
		{"登记信息", []string{"r04", "r07"}},
		{"厦门登记", []string{"r04", "r07"}},
		// ANDed words matching nothing fall back to any word.
		{"不动产 卫星遥感", []string{"r04"}},
		{"卫星遥感", nil},
	}
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		for _, tt := range tests {
			res := search(t, ix, Query{Text: tt.give})
			got := sortedIDs(res)
			if diff := cmp.Diff(tt.want, got, cmpEmpty); diff != "" {
				t.Errorf("Search(%q) IDs (-want +got):\n%s", tt.give, diff)
			}
			if res.Total != len(tt.want) {
				t.Errorf("Search(%q).Total = %d, want %d", tt.give, res.Total, len(tt.want))
			}
		}
	})
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool {
	return len(a) == 0 && len(b) == 0 || cmp.Equal([]string(a), []string(b))
})

func TestSearchRelevance(t *testing.T) {
	tests := []struct {
		give          string
		better, worse []string // every better hit ranks above every worse hit
	}{
		// r06 has 人口 in its name, r01 only in its summary.
		{"人口", []string{"r06"}, []string{"r01"}},
		// Both in the name; r05 also in keywords, items and summary.
		{"證照", []string{"r05"}, []string{"r08"}},
		// Name beats summary.
		{"登记", []string{"r04", "r07"}, []string{"r02", "r03"}},
		// Keywords weigh more than items and summary.
		{"户籍", []string{"r01"}, []string{"r06"}},
	}
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		for _, tt := range tests {
			got := ids(search(t, ix, Query{Text: tt.give}))
			rank := map[string]int{}
			for i, id := range got {
				rank[id] = i + 1
			}
			for _, b := range tt.better {
				for _, w := range tt.worse {
					if rank[b] == 0 || rank[w] == 0 || rank[b] > rank[w] {
						t.Errorf("Search(%q) = %v, want %s above %s", tt.give, got, b, w)
					}
				}
			}
		}
	})
}

func TestSearchCode(t *testing.T) {
	tests := []struct {
		give string
		want []string // best first
	}{
		{"101001/000123", []string{"r01"}},
		{"１０１００１／０００１２３", []string{"r01"}},
		{" 201001/000001 ", []string{"r03"}},
		// A code's start finds the entries under it.
		{"1010", []string{"r01", "r05", "r08"}},
	}
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		for _, tt := range tests {
			got := ids(search(t, ix, Query{Text: tt.give}))
			if tt.give == "1010" {
				got = sortedIDs(search(t, ix, Query{Text: tt.give}))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Search(%q) (-want +got):\n%s", tt.give, diff)
			}
		}
	})
}

func TestSearchFilters(t *testing.T) {
	tests := []struct {
		name string
		give Query
		want []string // sorted
	}{
		{"one value", Query{Filters: map[string][]string{"region": {"350100"}}}, []string{"r01", "r03", "r06"}},
		{"values ORed", Query{Filters: map[string][]string{"region": {"350100", "350200"}}},
			[]string{"r01", "r03", "r04", "r06", "r07"}},
		{"keys ANDed", Query{Filters: map[string][]string{"region": {"350100"}, "level": {"core"}}},
			[]string{"r01", "r06"}},
		{"with text", Query{Text: "人口", Filters: map[string][]string{"library": {"theme"}}}, []string{"r06"}},
		{"org", Query{Filters: map[string][]string{"org": {"dsj"}}}, []string{"r05", "r08"}},
		{"classification", Query{Filters: map[string][]string{"classification": {"101"}}}, []string{"r01", "r05", "r08"}},
		{"share open cycle", Query{Filters: map[string][]string{"share": {"2"}, "open": {"3"}, "cycle": {"daily"}}},
			[]string{"r01", "r04"}},
		{"status", Query{Filters: map[string][]string{"status": {"draft", "approved"}}}, []string{"r04", "r07"}},
		{"visibility", Query{Filters: map[string][]string{"visibility": {"public", "org:swj"}}},
			[]string{"r01", "r02", "r03", "r05", "r06", "r07", "r08"}},
		{"sensitivity", Query{Filters: map[string][]string{"sensitivity": {"L3"}}}, []string{"r01"}},
		{"empty values ignored", Query{Filters: map[string][]string{"org": {}, "region": {" "}}},
			[]string{"r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08"}},
		{"no match", Query{Filters: map[string][]string{"region": {"999999"}}}, nil},
		{"exclude a facet value", Query{Exclude: map[string][]string{"region": {"350100"}}},
			[]string{"r02", "r04", "r05", "r07", "r08"}},
		{"exclude a set value", Query{Filters: map[string][]string{"visibility": {"public", "org:swj"}},
			Exclude: map[string][]string{"visibility": {"org:swj"}}}, []string{"r01", "r02", "r03", "r05", "r06", "r08"}},
		{"exclude with text", Query{Text: "人口", Exclude: map[string][]string{"library": {"theme"}}}, []string{"r01"}},
	}
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		for _, tt := range tests {
			got := sortedIDs(search(t, ix, tt.give))
			if diff := cmp.Diff(tt.want, got, cmpEmpty); diff != "" {
				t.Errorf("%s: Search(%+v) (-want +got):\n%s", tt.name, tt.give, diff)
			}
		}
	})
}

func TestSearchUnknownFilter(t *testing.T) {
	ix := openT(t, "", fixture()...)
	_, err := ix.Search(context.Background(), Query{Filters: map[string][]string{"colour": {"red"}}})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.Invalid {
		t.Errorf("Search(filter colour) error = %v, want an invalid apperr.Error", err)
	}
}

func TestSearchFacets(t *testing.T) {
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		got := search(t, ix, Query{Filters: map[string][]string{"region": {"350000", "350100"}}}).Facets
		want := map[string][]FacetCount{
			"org":            {{"dsj", 2}, {"gaj", 2}, {"rsj", 1}, {"scj", 1}},
			"region":         {{"350000", 3}, {"350100", 3}},
			"classification": {{"101", 3}, {"102", 1}, {"201", 1}, {"202", 1}},
			"library":        {{"base", 4}, {"theme", 2}},
			"level":          {{"important", 3}, {"core", 2}, {"general", 1}},
			"share":          {{"1", 3}, {"2", 3}},
			"open":           {{"3", 3}, {"2", 2}, {"1", 1}},
			"cycle":          {{"daily", 3}, {"monthly", 2}, {"weekly", 1}},
			"status":         {{"published", 6}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Search(region 350000|350100).Facets (-want +got):\n%s", diff)
		}

		got = search(t, ix, Query{Text: "证照"}).Facets
		if diff := cmp.Diff([]FacetCount{{"dsj", 2}}, got["org"]); diff != "" {
			t.Errorf("Search(证照).Facets[org] (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]FacetCount{}, search(t, ix, Query{Text: "卫星遥感"}).Facets["org"]); diff != "" {
			t.Errorf("Search(卫星遥感).Facets[org] (-want +got):\n%s", diff)
		}
	})
}

func TestSearchPaging(t *testing.T) {
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		newestFirst := []string{"r08", "r07", "r06", "r05", "r04", "r03", "r02", "r01"}
		tests := []struct {
			give Query
			want []string
		}{
			{Query{}, newestFirst},
			{Query{Limit: 3}, newestFirst[:3]},
			{Query{Offset: 3, Limit: 3}, newestFirst[3:6]},
			{Query{Offset: 6, Limit: 3}, newestFirst[6:]},
			{Query{Offset: 8, Limit: 3}, nil},
			{Query{Offset: -5, Limit: 2}, newestFirst[:2]},
			{Query{Limit: 10_000}, newestFirst},
		}
		for _, tt := range tests {
			res := search(t, ix, tt.give)
			if diff := cmp.Diff(tt.want, ids(res), cmpEmpty); diff != "" {
				t.Errorf("Search(%+v) (-want +got):\n%s", tt.give, diff)
			}
			if res.Total != len(newestFirst) {
				t.Errorf("Search(%+v).Total = %d, want %d", tt.give, res.Total, len(newestFirst))
			}
		}
	})
}

func TestSearchLimits(t *testing.T) {
	docs := make([]Doc, 250)
	for i := range docs {
		docs[i] = Doc{ID: string(rune('a'+i%26)) + string(rune('a'+i/26)), Name: "人口信息", UpdatedAt: t0}
	}
	ix := openT(t, "", docs...)
	tests := []struct {
		give Query
		want int
	}{
		{Query{Text: "人口"}, DefaultLimit},
		{Query{Text: "人口", Limit: 500}, MaxLimit},
		{Query{Text: "人口", Offset: 240, Limit: 50}, 10},
	}
	for _, tt := range tests {
		if got := len(search(t, ix, tt.give).Hits); got != tt.want {
			t.Errorf("len(Search(%+v).Hits) = %d, want %d", tt.give, got, tt.want)
		}
	}
}

// Facets and filters follow writes: the columns are read again for each
// new snapshot.
func TestSearchAfterWrites(t *testing.T) {
	modes(t, func(t *testing.T, dir string) {
		ix := openT(t, dir, fixture()...)
		region := func() []FacetCount { return search(t, ix, Query{}).Facets["region"] }
		want := []FacetCount{{"350000", 3}, {"350100", 3}, {"350200", 2}}
		if diff := cmp.Diff(want, region()); diff != "" {
			t.Errorf("Facets[region] (-want +got):\n%s", diff)
		}
		moved := fixture()[0]
		moved.Region = "350200"
		moved.UpdatedAt = t0.Add(48 * time.Hour)
		if err := ix.Put(moved); err != nil {
			t.Fatal(err)
		}
		if err := ix.Delete("r02"); err != nil {
			t.Fatal(err)
		}
		want = []FacetCount{{"350200", 3}, {"350000", 2}, {"350100", 2}}
		if diff := cmp.Diff(want, region()); diff != "" {
			t.Errorf("Facets[region] after writes (-want +got):\n%s", diff)
		}
		got := ids(search(t, ix, Query{Filters: map[string][]string{"region": {"350200"}}}))
		if diff := cmp.Diff([]string{"r01", "r07", "r04"}, got); diff != "" {
			t.Errorf("Search(region 350200) after writes, newest first (-want +got):\n%s", diff)
		}
	})
}

func TestPutWithoutID(t *testing.T) {
	ix := openT(t, "")
	if err := ix.Put(Doc{Name: "无编号"}); err == nil {
		t.Errorf("Put(doc without ID) error = nil, want an error")
	}
}

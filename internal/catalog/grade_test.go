package catalog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGrade(t *testing.T) {
	tests := []struct {
		name     string
		give     []DataItem
		wantLvl  string
		wantSens string
		wantFlag bool
	}{
		{"no items", nil, "general", "L1", false},
		{"general only", []DataItem{{Category: "general", Sensitivity: "L2"}, {Category: "general", Sensitivity: "L3"}}, "general", "L3", false},
		{"one important item wins", []DataItem{{Category: "general", Sensitivity: "L1"}, {Category: "important"}}, "important", "L4", true},
		{"core beats important", []DataItem{{Category: "important"}, {Category: "core"}}, "core", "L4", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Resource{Items: tt.give}
			Grade(r)
			if r.Level != tt.wantLvl || r.Sensitivity != tt.wantSens || r.Flagged != tt.wantFlag {
				t.Errorf("Grade(%v) = %s %s %v, want %s %s %v", tt.give, r.Level, r.Sensitivity, r.Flagged, tt.wantLvl, tt.wantSens, tt.wantFlag)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	before := &Resource{Name: "人口基本信息", Version: 1, Share: Share{Type: "1", Method: "api"},
		Items: []DataItem{{Name: "姓名", Code: "XM", DataType: "C", Length: 50}}}
	after := &Resource{Name: "人口基础信息", Version: 2, Share: Share{Type: "2", Conditions: "依法履职", Method: "api"},
		Items: []DataItem{{Name: "姓名", Code: "XM", DataType: "C", Length: 100}, {Name: "性别", Code: "XB", DataType: "C", Length: 1}}}
	want := []Change{
		{Field: "items[0].length", Before: "50", After: "100"},
		{Field: "items[1].code", After: "XB"},
		{Field: "items[1].data_type", After: "C"},
		{Field: "items[1].length", After: "1"},
		{Field: "items[1].name", After: "性别"},
		{Field: "name", Before: "人口基本信息", After: "人口基础信息"},
		{Field: "share.conditions", After: "依法履职"},
		{Field: "share.type", Before: "1", After: "2"},
	}
	if diff := cmp.Diff(want, Diff(before, after)); diff != "" {
		t.Errorf("Diff mismatch (-want +got):\n%s", diff)
	}
	if got := Diff(after, after); len(got) != 0 {
		t.Errorf("Diff(x, x) = %v, want none", got)
	}
}

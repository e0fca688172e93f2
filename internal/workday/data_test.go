package workday

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestEmbeddedDayCounts checks the embedded file against the length of each
// holiday period and the make-up workdays as worded in the notices
// ("共8天", "2月4日(星期日)、2月18日(星期日)上班").
func TestEmbeddedDayCounts(t *testing.T) {
	type period struct {
		Off      int
		Workdays []string
	}
	want := map[int]map[string]period{
		2024: {
			"元旦":  {1, nil},
			"春节":  {8, []string{"2024-02-04 Sunday", "2024-02-18 Sunday"}},
			"清明节": {3, []string{"2024-04-07 Sunday"}},
			"劳动节": {5, []string{"2024-04-28 Sunday", "2024-05-11 Saturday"}},
			"端午节": {1, nil},
			"中秋节": {3, []string{"2024-09-14 Saturday"}},
			"国庆节": {7, []string{"2024-09-29 Sunday", "2024-10-12 Saturday"}},
		},
		2025: {
			"元旦":      {1, nil},
			"春节":      {8, []string{"2025-01-26 Sunday", "2025-02-08 Saturday"}},
			"清明节":     {3, nil},
			"劳动节":     {5, []string{"2025-04-27 Sunday"}},
			"端午节":     {3, nil},
			"国庆节、中秋节": {8, []string{"2025-09-28 Sunday", "2025-10-11 Saturday"}},
		},
		2026: {
			"元旦":  {3, []string{"2026-01-04 Sunday"}},
			"春节":  {9, []string{"2026-02-14 Saturday", "2026-02-28 Saturday"}},
			"清明节": {3, nil},
			"劳动节": {5, []string{"2026-05-09 Saturday"}},
			"端午节": {3, nil},
			"中秋节": {3, nil},
			"国庆节": {7, []string{"2026-09-20 Sunday", "2026-10-10 Saturday"}},
		},
	}

	var f calendarFile
	if err := json.Unmarshal(calendarJSON, &f); err != nil {
		t.Fatal(err)
	}
	got := map[int]map[string]period{}
	for _, y := range f.Years {
		got[y.Year] = map[string]period{}
		for _, h := range y.Holidays {
			p := period{Off: len(h.Off)}
			for _, s := range h.Workdays {
				d, err := time.Parse(time.DateOnly, s)
				if err != nil {
					t.Fatal(err)
				}
				p.Workdays = append(p.Workdays, s+" "+d.Weekday().String())
			}
			got[y.Year][h.Name] = p
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("embedded calendar mismatch (-want +got):\n%s", diff)
	}
}

// TestEmbeddedOffDaysConsecutive checks that each holiday period is one
// unbroken run of days, as every notice describes it ("2月15日至23日").
func TestEmbeddedOffDaysConsecutive(t *testing.T) {
	var f calendarFile
	if err := json.Unmarshal(calendarJSON, &f); err != nil {
		t.Fatal(err)
	}
	for _, y := range f.Years {
		for _, h := range y.Holidays {
			for i := 1; i < len(h.Off); i++ {
				a, _ := time.Parse(time.DateOnly, h.Off[i-1])
				b, _ := time.Parse(time.DateOnly, h.Off[i])
				if b.Sub(a) != 24*time.Hour {
					t.Errorf("%d %s: %s follows %s", y.Year, h.Name, h.Off[i], h.Off[i-1])
				}
			}
		}
	}
}

func TestDefaultSameValue(t *testing.T) {
	if Default() != Default() {
		t.Error("Default() returned two different calendars")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		give string
		want string // substring of the error
	}{
		{"not json", `{`, "unexpected end"},
		{"bad date", `{"years":[{"year":2024,"notice":{"title":"t"},"holidays":[{"name":"元旦","off":["2024-13-01"]}]}]}`, "month out of range"},
		{"day twice", `{"years":[{"year":2024,"notice":{"title":"t"},"holidays":[{"name":"元旦","off":["2024-01-01","2024-01-01"]}]}]}`, "listed twice"},
		{"weekday make-up", `{"years":[{"year":2024,"notice":{"title":"t"},"holidays":[{"name":"春节","off":[],"workdays":["2024-02-05"]}]}]}`, "is a Monday"},
		{"no notice", `{"years":[{"year":2024,"holidays":[]}]}`, "notice title missing"},
		{"year twice", `{"years":[{"year":2024,"notice":{"title":"t"}},{"year":2024,"notice":{"title":"t"}}]}`, "year 2024 listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse([]byte(tt.give))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parse(%s) = %v, want error containing %q", tt.give, err, tt.want)
			}
		})
	}
}

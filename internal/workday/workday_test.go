package workday

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pubdata/pubdata/internal/apperr"
)

func TestIsWorkday(t *testing.T) {
	tests := []struct {
		name string
		give time.Time
		want bool
	}{
		{"ordinary Monday", Date(2025, 3, 10), true},
		{"ordinary Saturday", Date(2025, 3, 8), false},
		{"ordinary Sunday", Date(2025, 3, 9), false},

		{"2024 元旦 Monday", Date(2024, 1, 1), false},
		{"2024 除夕 Friday is a workday", Date(2024, 2, 9), true},
		{"2024 春节 first day Saturday", Date(2024, 2, 10), false},
		{"2024 春节 Wednesday", Date(2024, 2, 14), false},
		{"2024 春节 last day Saturday", Date(2024, 2, 17), false},
		{"2024 春节 make-up Sunday before", Date(2024, 2, 4), true},
		{"2024 春节 make-up Sunday after", Date(2024, 2, 18), true},
		{"2024 春节 Monday after", Date(2024, 2, 19), true},
		{"2024 端午 Monday", Date(2024, 6, 10), false},
		{"2024 中秋 make-up Saturday", Date(2024, 9, 14), true},
		{"2024 国庆 make-up Sunday", Date(2024, 9, 29), true},
		{"2024 国庆 Monday", Date(2024, 10, 7), false},
		{"2024 国庆 make-up Saturday", Date(2024, 10, 12), true},

		{"2025 元旦 Wednesday", Date(2025, 1, 1), false},
		{"2025 Thursday after 元旦", Date(2025, 1, 2), true},
		{"2025 春节 make-up Sunday", Date(2025, 1, 26), true},
		{"2025 Monday before 除夕", Date(2025, 1, 27), true},
		{"2025 除夕 Tuesday", Date(2025, 1, 28), false},
		{"2025 春节 last day Tuesday", Date(2025, 2, 4), false},
		{"2025 Wednesday after 春节", Date(2025, 2, 5), true},
		{"2025 春节 make-up Saturday", Date(2025, 2, 8), true},
		{"2025 劳动节 make-up Sunday", Date(2025, 4, 27), true},
		{"2025 端午 Monday", Date(2025, 6, 2), false},
		{"2025 国庆 make-up Sunday", Date(2025, 9, 28), true},
		{"2025 国庆中秋 Wednesday 8 Oct", Date(2025, 10, 8), false},
		{"2025 Thursday 9 Oct", Date(2025, 10, 9), true},
		{"2025 国庆 make-up Saturday", Date(2025, 10, 11), true},
		{"2025 Sunday 12 Oct", Date(2025, 10, 12), false},

		{"2026 元旦 Friday", Date(2026, 1, 2), false},
		{"2026 元旦 make-up Sunday", Date(2026, 1, 4), true},
		{"2026 春节 make-up Saturday before", Date(2026, 2, 14), true},
		{"2026 春节 first day Sunday", Date(2026, 2, 15), false},
		{"2026 春节 last day Monday", Date(2026, 2, 23), false},
		{"2026 Tuesday after 春节", Date(2026, 2, 24), true},
		{"2026 春节 make-up Saturday after", Date(2026, 2, 28), true},
		{"2026 清明 Monday", Date(2026, 4, 6), false},
		{"2026 劳动节 Tuesday", Date(2026, 5, 5), false},
		{"2026 劳动节 make-up Saturday", Date(2026, 5, 9), true},
		{"2026 端午 Friday", Date(2026, 6, 19), false},
		{"2026 国庆 make-up Sunday", Date(2026, 9, 20), true},
		{"2026 中秋 Friday", Date(2026, 9, 25), false},
		{"2026 国庆 Wednesday 7 Oct", Date(2026, 10, 7), false},
		{"2026 Thursday 8 Oct", Date(2026, 10, 8), true},
		{"2026 国庆 make-up Saturday", Date(2026, 10, 10), true},

		{"2027 weekday, no data", Date(2027, 10, 1), true},
		{"2023 weekend, no data", Date(2023, 12, 31), false},

		{"UTC evening is next day in China", time.Date(2025, 9, 30, 20, 0, 0, 0, time.UTC), false},
		{"UTC morning same day in China", time.Date(2025, 9, 30, 1, 0, 0, 0, time.UTC), true},
	}
	c := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkday(tt.give); got != tt.want {
				t.Errorf("IsWorkday(%v) = %v, want %v", tt.give, got, tt.want)
			}
		})
	}
}

func TestCovers(t *testing.T) {
	tests := []struct {
		give time.Time
		want bool
	}{
		{Date(2023, 12, 31), false},
		{Date(2024, 1, 1), true},
		{Date(2025, 6, 15), true},
		{Date(2026, 12, 31), true},
		{Date(2027, 1, 1), false},
		// 2026-12-31T16:00Z is already 2027 in China.
		{time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), false},
	}
	c := Default()
	for _, tt := range tests {
		if got := c.Covers(tt.give); got != tt.want {
			t.Errorf("Covers(%v) = %v, want %v", tt.give, got, tt.want)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		give   time.Time
		want   Override
		wantOK bool
	}{
		{Date(2026, 2, 17), Override{Date: Date(2026, 2, 17), Kind: Holiday, Name: "春节"}, true},
		{time.Date(2026, 2, 14, 3, 0, 0, 0, time.UTC), Override{Date: Date(2026, 2, 14), Kind: Workday, Name: "春节"}, true},
		{Date(2025, 10, 8), Override{Date: Date(2025, 10, 8), Kind: Holiday, Name: "国庆节、中秋节"}, true},
		{Date(2025, 10, 9), Override{}, false},
	}
	c := Default()
	for _, tt := range tests {
		got, ok := c.Lookup(tt.give)
		if ok != tt.wantOK || !got.Date.Equal(tt.want.Date) || got.Kind != tt.want.Kind || got.Name != tt.want.Name {
			t.Errorf("Lookup(%v) = %+v, %v, want %+v, %v", tt.give, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestWith(t *testing.T) {
	base := Default()
	c := base.With(
		// Made-up 2027 entries, as an administrator would add them.
		Override{Date: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Kind: Holiday, Name: "元旦"},
		Override{Date: time.Date(2027, 1, 9, 0, 0, 0, 0, time.UTC), Kind: Workday, Name: "元旦"},
		// A local decision: the 2024 除夕 (a Friday) off.
		Override{Date: Date(2024, 2, 9), Kind: Holiday, Name: "除夕"},
		// Later override of the same day wins.
		Override{Date: Date(2026, 5, 9), Kind: Holiday, Name: "x"},
		Override{Date: Date(2026, 5, 9), Kind: Workday, Name: "劳动节"},
		// A make-up Saturday taken back.
		Override{Date: Date(2025, 10, 11), Kind: Holiday, Name: "国庆节"},
	)
	tests := []struct {
		give time.Time
		want bool
	}{
		{Date(2027, 1, 1), false},
		{Date(2027, 1, 9), true},
		{Date(2024, 2, 9), false},
		{Date(2026, 5, 9), true},
		{Date(2025, 10, 11), false},
		{Date(2025, 10, 10), true},
	}
	for _, tt := range tests {
		if got := c.IsWorkday(tt.give); got != tt.want {
			t.Errorf("With(...).IsWorkday(%v) = %v, want %v", tt.give, got, tt.want)
		}
	}
	if !c.Covers(Date(2027, 6, 1)) {
		t.Errorf("With(2027 entries).Covers(2027-06-01) = false, want true")
	}
	if o, _ := c.Lookup(Date(2026, 5, 9)); o.Name != "劳动节" {
		t.Errorf("With(...).Lookup(2026-05-09).Name = %q, want %q", o.Name, "劳动节")
	}

	// The receiver is unchanged.
	if !base.IsWorkday(Date(2024, 2, 9)) || base.Covers(Date(2027, 1, 1)) || !base.IsWorkday(Date(2025, 10, 11)) {
		t.Error("With modified its receiver")
	}
}

func TestWithPanicsOnInvalid(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("With(Override{Kind: 0}) did not panic")
		}
	}()
	Default().With(Override{Date: Date(2027, 1, 1)})
}

func TestOverrideValidate(t *testing.T) {
	tests := []struct {
		name       string
		give       Override
		wantFields []string
	}{
		{"ok", Override{Date: Date(2027, 1, 1), Kind: Holiday, Name: "元旦"}, nil},
		{"ok without name", Override{Date: Date(2027, 1, 9), Kind: Workday}, nil},
		{"no date", Override{Kind: Holiday}, []string{"date"}},
		{"no kind", Override{Date: Date(2027, 1, 1)}, []string{"kind"}},
		{"bad kind", Override{Date: Date(2027, 1, 1), Kind: 7}, []string{"kind"}},
		{"nothing", Override{}, []string{"date", "kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.give.Validate()
			var got []string
			if err != nil {
				if !apperr.Is(err, apperr.Invalid) {
					t.Fatalf("Validate(%+v) kind = %v, want %v", tt.give, apperr.KindOf(err), apperr.Invalid)
				}
				for _, f := range apperr.As(err).Fields {
					got = append(got, f.Field)
				}
			}
			if diff := cmp.Diff(tt.wantFields, got); diff != "" {
				t.Errorf("Validate(%+v) fields (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		give Kind
		want string
	}{
		{Holiday, "holiday"},
		{Workday, "workday"},
		{0, "Kind(0)"},
	}
	for _, tt := range tests {
		if got := tt.give.String(); got != tt.want {
			t.Errorf("Kind(%d).String() = %q, want %q", uint8(tt.give), got, tt.want)
		}
	}
}

// TestCivilWeekday checks the day arithmetic against the time package over
// a wide range, including dates before 1970.
func TestCivilWeekday(t *testing.T) {
	for d := Date(1900, 1, 1); d.Year() < 2101; d = d.AddDate(0, 0, 1) {
		c := civilIn(d)
		if got := c.weekday(); got != d.Weekday() {
			t.Fatalf("civil(%v).weekday() = %v, want %v", d, got, d.Weekday())
		}
		if got, want := c.String(), d.Format(time.DateOnly); got != want {
			t.Fatalf("civil(%v).String() = %q, want %q", d, got, want)
		}
	}
}

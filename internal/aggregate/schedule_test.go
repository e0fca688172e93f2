package aggregate

import (
	"testing"
	"time"
)

func TestNextRun(t *testing.T) {
	at := time.Date(2026, 1, 30, 15, 4, 0, 0, cst) // a Friday afternoon
	for _, tt := range []struct {
		schedule, cycle string
		want            time.Time
		bad             bool
	}{
		{"", "daily", time.Time{}, false},
		{"cycle", "daily", time.Date(2026, 1, 31, 2, 0, 0, 0, cst), false},
		{"cycle", "weekly", time.Date(2026, 2, 6, 2, 0, 0, 0, cst), false},
		{"cycle", "monthly", time.Date(2026, 3, 2, 2, 0, 0, 0, cst), false}, // Jan 30 + 1 month, normalised
		{"cycle", "quarterly", time.Date(2026, 4, 30, 2, 0, 0, 0, cst), false},
		{"cycle", "yearly", time.Date(2027, 1, 30, 2, 0, 0, 0, cst), false},
		{"cycle", "realtime", at.Add(15 * time.Minute), false},
		{"0 2 * * *", "", time.Date(2026, 1, 31, 2, 0, 0, 0, cst), false},
		{"30 1 * * 1", "", time.Date(2026, 2, 2, 1, 30, 0, 0, cst), false}, // Mondays 01:30
		{"@hourly", "", time.Date(2026, 1, 30, 16, 0, 0, 0, cst), false},
		{"cycle", "sometimes", time.Time{}, true},
		{"every day", "", time.Time{}, true},
		{"61 * * * *", "", time.Time{}, true},
	} {
		got, err := nextRun(tt.schedule, tt.cycle, at)
		if (err != nil) != tt.bad || !got.Equal(tt.want) {
			t.Errorf("nextRun(%q, %q) = %v, %v; want %v (error %v)", tt.schedule, tt.cycle, got, err, tt.want, tt.bad)
		}
	}
}

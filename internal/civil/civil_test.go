package civil

import (
	"testing"
	"time"
)

// TestAgainstTime compares every day from 1600 to 2400 with time.Time.
func TestAgainstTime(t *testing.T) {
	start := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	for tm := start; tm.Year() < 2400; tm = tm.AddDate(0, 0, 1) {
		y, mo, d := tm.Date()
		want := tm.Unix() / 86400
		if got := Days(y, int(mo), d); got != want {
			t.Fatalf("Days(%d, %d, %d) = %d, want %d", y, mo, d, got, want)
		}
		if gy, gm, gd := FromDays(want); gy != y || gm != int(mo) || gd != d {
			t.Fatalf("FromDays(%d) = %d-%d-%d, want %v", want, gy, gm, gd, tm)
		}
		if last := time.Date(y, mo+1, 0, 0, 0, 0, 0, time.UTC).Day(); DaysIn(y, int(mo)) != last {
			t.Fatalf("DaysIn(%d, %d) = %d, want %d", y, mo, DaysIn(y, int(mo)), last)
		}
	}
}

func TestValidAndDigits(t *testing.T) {
	for _, tt := range []struct {
		y, m, d int
		ok      bool
	}{{2024, 2, 29, true}, {2023, 2, 29, false}, {1900, 2, 29, false}, {2000, 2, 29, true}, {2024, 13, 1, false}, {2024, 4, 31, false}, {2024, 1, 0, false}} {
		if Valid(tt.y, tt.m, tt.d) != tt.ok {
			t.Errorf("Valid(%d, %d, %d) = %v", tt.y, tt.m, tt.d, !tt.ok)
		}
	}
	for s, want := range map[string]int{"0": 0, "0042": 42, "2026": 2026} {
		if n, ok := Digits(s); !ok || n != want {
			t.Errorf("Digits(%q) = %d, %v", s, n, ok)
		}
	}
	for _, s := range []string{"", "-1", "1a", " 1"} {
		if _, ok := Digits(s); ok {
			t.Errorf("Digits(%q) accepted", s)
		}
	}
}

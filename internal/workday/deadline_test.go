package workday

import (
	"testing"
	"time"
)

func TestAddWorkdays(t *testing.T) {
	tests := []struct {
		name      string
		giveStart time.Time
		giveN     int
		want      time.Time // civil date of the deadline
	}{
		{"one day, ordinary Monday", Date(2025, 3, 10), 1, Date(2025, 3, 11)},
		{"Friday plus one skips the weekend", Date(2025, 3, 14), 1, Date(2025, 3, 17)},
		{"event on a Saturday", Date(2025, 3, 15), 1, Date(2025, 3, 17)},
		{"zero is the day itself", Date(2025, 3, 15), 0, Date(2025, 3, 15)},
		{"time of day does not matter", time.Date(2025, 3, 10, 23, 59, 0, 0, cst), 1, Date(2025, 3, 11)},

		// 2025 国庆中秋: 28 Sep (Sun) and 11 Oct (Sat) work, 1-8 Oct off.
		// Working days after Fri 26 Sep: 28, 29, 30 Sep, 9, 10, 11, 13, 14,
		// 15, 16 Oct.
		{"10 days from 2025-09-26 across 国庆", Date(2025, 9, 26), 10, Date(2025, 10, 16)},
		{"make-up Sunday is day 1", Date(2025, 9, 26), 1, Date(2025, 9, 28)},
		{"from 30 Sep to after the holiday", Date(2025, 9, 30), 1, Date(2025, 10, 9)},
		{"event during the holiday", Date(2025, 10, 3), 3, Date(2025, 10, 11)},

		// 2024 春节: 4 Feb (Sun) and 18 Feb (Sun) work, 10-17 Feb off.
		{"2024 春节 from Friday 2 Feb", Date(2024, 2, 2), 1, Date(2024, 2, 4)},
		{"2024 春节 from 除夕", Date(2024, 2, 9), 1, Date(2024, 2, 18)},
		{"2024 春节 5 days from 8 Feb", Date(2024, 2, 8), 5, Date(2024, 2, 21)},

		// 2025 春节: 26 Jan (Sun) and 8 Feb (Sat) work, 28 Jan-4 Feb off.
		{"2025 春节 from Friday 24 Jan", Date(2025, 1, 24), 2, Date(2025, 1, 27)},
		{"2025 春节 from 27 Jan", Date(2025, 1, 27), 5, Date(2025, 2, 10)},

		// 2026 春节: 14 Feb (Sat) and 28 Feb (Sat) work, 15-23 Feb off.
		{"2026 春节 from Friday 13 Feb", Date(2026, 2, 13), 1, Date(2026, 2, 14)},
		{"2026 春节 from Sat 14 Feb", Date(2026, 2, 14), 1, Date(2026, 2, 24)},
		{"2026 春节 15 days from 10 Feb", Date(2026, 2, 10), 15, Date(2026, 3, 9)},

		// 2026 国庆: 20 Sep (Sun) and 10 Oct (Sat) work; 中秋 25-27 Sep and
		// 国庆 1-7 Oct off.
		{"2026 国庆 20 days from 18 Sep", Date(2026, 9, 18), 20, Date(2026, 10, 22)},
		{"2024 国庆 from 30 Sep", Date(2024, 9, 30), 2, Date(2024, 10, 9)},

		{"across a year end", Date(2024, 12, 31), 1, Date(2025, 1, 2)},
		{"2026 元旦 make-up Sunday is day 1", Date(2025, 12, 31), 1, Date(2026, 1, 4)},
		{"2026 from 3 Jan", Date(2026, 1, 3), 1, Date(2026, 1, 4)},

		{"backwards one", Date(2025, 10, 9), -1, Date(2025, 9, 30)},
		{"backwards over the weekend", Date(2025, 3, 17), -1, Date(2025, 3, 14)},
		{"backwards from a holiday", Date(2025, 10, 5), -3, Date(2025, 9, 28)},
	}
	c := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkdays(tt.giveStart, tt.giveN)
			want := tt.want.Add(24*time.Hour - time.Nanosecond)
			if !got.Equal(want) {
				t.Errorf("AddWorkdays(%v, %d) = %v, want %v", tt.giveStart, tt.giveN, got, want)
			}
		})
	}
}

func TestAddWorkdaysEndOfDay(t *testing.T) {
	c := Default()
	deadline := c.AddWorkdays(Date(2025, 9, 26), 10)
	tests := []struct {
		give time.Time
		want bool // on time
	}{
		{time.Date(2025, 10, 16, 23, 59, 59, 0, cst), true},
		{time.Date(2025, 10, 16, 15, 59, 59, 999999999, time.UTC), true},
		{time.Date(2025, 10, 17, 0, 0, 0, 0, cst), false},
		{time.Date(2025, 10, 16, 16, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		if got := !tt.give.After(deadline); got != tt.want {
			t.Errorf("!(%v).After(%v) = %v, want %v", tt.give, deadline, got, tt.want)
		}
	}
	if name, _ := deadline.Zone(); name != "CST" {
		t.Errorf("AddWorkdays(...) zone = %q, want %q", name, "CST")
	}
}

func TestWorkdaysBetween(t *testing.T) {
	tests := []struct {
		name  string
		giveA time.Time
		giveB time.Time
		want  int
	}{
		{"same day", Date(2025, 3, 10), Date(2025, 3, 10), 0},
		{"same day, different times", Date(2025, 3, 10), time.Date(2025, 3, 10, 23, 0, 0, 0, cst), 0},
		{"next day", Date(2025, 3, 10), Date(2025, 3, 11), 1},
		{"over a weekend", Date(2025, 3, 14), Date(2025, 3, 17), 1},
		{"a week", Date(2025, 3, 10), Date(2025, 3, 17), 5},
		{"2025 国庆", Date(2025, 9, 26), Date(2025, 10, 16), 10},
		{"2025 国庆 holiday only", Date(2025, 9, 30), Date(2025, 10, 8), 0},
		{"2024 春节 week", Date(2024, 2, 9), Date(2024, 2, 18), 1},
		// 2-6, 9-13, 14 (Sat), 24-27, 28 (Sat) Feb.
		{"2026 春节 month", Date(2026, 2, 1), Date(2026, 3, 1), 16},
		{"reversed", Date(2025, 10, 16), Date(2025, 9, 26), -10},
		{"reversed over weekend", Date(2025, 3, 17), Date(2025, 3, 14), -1},
		// 2025: 365 days, 104 weekend days, 2 make-up Sundays + 2 make-up
		// Saturdays, holidays on weekdays: 1 (元旦) + 5 (春节) + 1 (清明)
		// + 3 (劳动) + 1 (端午) + 6 (国庆中秋) = 17.
		{"all of 2025", Date(2024, 12, 31), Date(2025, 12, 31), 365 - 104 + 4 - 17},
	}
	c := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkdaysBetween(tt.giveA, tt.giveB); got != tt.want {
				t.Errorf("WorkdaysBetween(%v, %v) = %d, want %d", tt.giveA, tt.giveB, got, tt.want)
			}
		})
	}
}

// TestWorkdaysBetweenInvertsAddWorkdays checks, from every day of the
// covered years, that counting the working days up to a deadline gives n
// back and that the deadline is a working day.
func TestWorkdaysBetweenInvertsAddWorkdays(t *testing.T) {
	c := Default()
	for d := Date(2024, 1, 1); d.Year() < 2027; d = d.AddDate(0, 0, 1) {
		for n := 0; n <= 25; n++ {
			deadline := c.AddWorkdays(d, n)
			if got := c.WorkdaysBetween(d, deadline); got != n {
				t.Fatalf("WorkdaysBetween(%v, AddWorkdays(%v, %d)) = %d, want %d", d, d, n, got, n)
			}
			if n > 0 && !c.IsWorkday(deadline) {
				t.Fatalf("IsWorkday(AddWorkdays(%v, %d) = %v) = false, want true", d, n, deadline)
			}
		}
	}
}

func BenchmarkAddWorkdays(b *testing.B) {
	c := Default()
	start := Date(2025, 9, 26)
	for b.Loop() {
		c.AddWorkdays(start, 20)
	}
}

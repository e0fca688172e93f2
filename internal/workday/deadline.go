package workday

import "time"

// AddWorkdays returns the deadline n working days after the day of start.
//
// The rule: for an event recorded on day D (in UTC+8), the first working
// day strictly after D is day 1, and the deadline is the end of the n-th
// working day, 23:59:59.999999999 in UTC+8. D itself never counts, whether
// or not it is a working day, nor does the time of day of start. A
// submission at instant s is on time if !s.After(deadline).
//
// For n == 0 the deadline is the end of D itself. For n < 0 the result is
// the end of the |n|-th working day before D, counted the same way
// backwards.
//
// Days in years that Covers reports false for are counted with weekends
// only.
func (c *Calendar) AddWorkdays(start time.Time, n int) time.Time {
	d := civilIn(start)
	step := civil(1)
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d += step
		if c.workday(d) {
			n--
		}
	}
	return d.endOfDay()
}

// WorkdaysBetween returns the number of working days after the day of a up
// to and including the day of b, or minus the number of working days after
// the day of b up to and including the day of a when b is before a. So
// WorkdaysBetween(a, c.AddWorkdays(a, n)) == n for n >= 0, and a
// submission at instant s is late by WorkdaysBetween(deadline, s) working
// days.
func (c *Calendar) WorkdaysBetween(a, b time.Time) int {
	from, to := civilIn(a), civilIn(b)
	sign := 1
	if to < from {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from + 1; d <= to; d++ {
		if c.workday(d) {
			n++
		}
	}
	return sign * n
}

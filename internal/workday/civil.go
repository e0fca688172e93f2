package workday

import "time"

// cst is China Standard Time. A fixed zone avoids depending on tzdata; China
// has not observed daylight saving time since 1991.
var cst = time.FixedZone("CST", 8*3600)

// Date returns midnight at the start of the given civil date in China
// Standard Time (UTC+8).
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, cst)
}

// civil is a calendar date counted in days since 1970-01-01.
type civil int32

// civilIn returns the civil date of t in China Standard Time.
func civilIn(t time.Time) civil {
	return civilOf(t.In(cst).Date())
}

// civilOf returns the civil date for year, month and day.
func civilOf(year int, month time.Month, day int) civil {
	// Midnight UTC is an exact multiple of a day, so the division is exact.
	return civil(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d civil) date() (year int, month time.Month, day int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

func (d civil) year() int {
	y, _, _ := d.date()
	return y
}

// weekday reports the day of the week; 1970-01-01 was a Thursday.
func (d civil) weekday() time.Weekday {
	return time.Weekday(((int(d)+4)%7 + 7) % 7)
}

func (d civil) weekend() bool {
	w := d.weekday()
	return w == time.Saturday || w == time.Sunday
}

// endOfDay returns the last instant of d in China Standard Time.
func (d civil) endOfDay() time.Time {
	y, m, day := d.date()
	return time.Date(y, m, day, 23, 59, 59, 999999999, cst)
}

func (d civil) String() string {
	y, m, day := d.date()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

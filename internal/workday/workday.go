// Package workday is the Chinese working-day calendar used for statutory
// deadlines: ordinary weekends, the public holidays (法定节假日) and the
// make-up workdays (调休上班) announced each year by the General Office of
// the State Council.
//
// All dates are civil dates in China Standard Time (UTC+8, Asia/Shanghai).
// A time.Time argument is first converted to UTC+8 and its date taken, so
// 2025-09-30T20:00:00Z counts as 1 October 2025.
//
// The calendar only knows the years it has data for (see Covers and
// calendar/README.md). Outside them every Monday to Friday counts as a
// working day; callers should warn when a computation leaves the covered
// years, and administrators can add a year's notice with With.
package workday

import (
	"fmt"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
)

// Kind says whether a listed day is a day off or a working day.
type Kind uint8

const (
	// Holiday is a day off, even if it falls on a Monday to Friday.
	Holiday Kind = iota + 1
	// Workday is a working day, even if it falls on a Saturday or Sunday
	// (a make-up workday, 调休上班).
	Workday
)

func (k Kind) String() string {
	switch k {
	case Holiday:
		return "holiday"
	case Workday:
		return "workday"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Override lists one day as a holiday or a working day, replacing whatever
// the calendar said about it.
type Override struct {
	// Date is the civil date. Its year, month and day are read in Date's
	// own location, so time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) means
	// 1 January 2027.
	Date time.Time
	Kind Kind
	// Name is the holiday the day belongs to, such as "春节"; for a
	// make-up workday, the holiday it makes up for.
	Name string
}

// Validate reports whether o can be passed to With. Check overrides that
// come from administrators with it.
func (o Override) Validate() error {
	var f apperr.Fields
	if o.Date.IsZero() {
		f.Add("date", "is required", "不能为空")
	}
	if o.Kind != Holiday && o.Kind != Workday {
		f.Add("kind", "must be holiday or workday", "须为节假日或调休上班日")
	}
	return f.Err()
}

type entry struct {
	kind Kind
	name string
}

// Calendar is an immutable working-day calendar; it is safe for concurrent
// use.
type Calendar struct {
	days  map[civil]entry
	years map[int]bool // years with complete data
}

// With returns a copy of c with the overrides applied in order, a later
// override of the same day winning. The year of every override counts as
// covered from then on (see Covers): an administrator adding a year is
// expected to enter all of that year's notice. With panics if an override
// fails Validate.
func (c *Calendar) With(overrides ...Override) *Calendar {
	n := &Calendar{
		days:  make(map[civil]entry, len(c.days)+len(overrides)),
		years: make(map[int]bool, len(c.years)+1),
	}
	for d, e := range c.days {
		n.days[d] = e
	}
	for y := range c.years {
		n.years[y] = true
	}
	for _, o := range overrides {
		if err := o.Validate(); err != nil {
			panic(fmt.Sprintf("workday: bad override %v: %v", o, err))
		}
		d := civilOf(o.Date.Date())
		n.days[d] = entry{kind: o.Kind, name: o.Name}
		n.years[d.year()] = true
	}
	return n
}

// IsWorkday reports whether the day of t is a working day: a listed
// make-up workday, or a Monday to Friday that is not a listed holiday.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.workday(civilIn(t))
}

func (c *Calendar) workday(d civil) bool {
	if e, ok := c.days[d]; ok {
		return e.kind == Workday
	}
	return !d.weekend()
}

// Lookup returns the listed holiday or make-up workday on the day of t.
// Ordinary weekdays and weekends are not listed.
func (c *Calendar) Lookup(t time.Time) (Override, bool) {
	d := civilIn(t)
	e, ok := c.days[d]
	if !ok {
		return Override{}, false
	}
	y, m, day := d.date()
	return Override{Date: Date(y, m, day), Kind: e.kind, Name: e.name}, true
}

// Covers reports whether the calendar has holiday data for the year of
// the day of t. For other years IsWorkday only knows about weekends.
func (c *Calendar) Covers(t time.Time) bool {
	return c.years[civilIn(t).year()]
}

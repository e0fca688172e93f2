package workday

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

//go:embed calendar/cn-2024-2026.json
var calendarJSON []byte

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := parse(calendarJSON)
	if err != nil {
		panic("workday: embedded calendar: " + err.Error())
	}
	return c
})

// Default returns the calendar built from the embedded data file
// calendar/cn-2024-2026.json, covering 2024 to 2026. The same value is
// returned on every call; it is immutable.
func Default() *Calendar { return defaultCalendar() }

// calendarFile is the layout of the data file.
type calendarFile struct {
	Years []struct {
		Year   int `json:"year"`
		Notice struct {
			Title  string `json:"title"`
			Number string `json:"number"`
			Date   string `json:"date"`
		} `json:"notice"`
		Holidays []struct {
			Name     string   `json:"name"`
			Off      []string `json:"off"`
			Workdays []string `json:"workdays"`
		} `json:"holidays"`
	} `json:"years"`
}

// parse reads a calendar file. It refuses a day listed twice and a make-up
// workday that is not a Saturday or Sunday, which would be a typing error.
func parse(data []byte) (*Calendar, error) {
	var f calendarFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	c := &Calendar{days: map[civil]entry{}, years: map[int]bool{}}
	add := func(s string, k Kind, name string) error {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		d := civilOf(t.Date())
		if _, dup := c.days[d]; dup {
			return fmt.Errorf("%s: %s listed twice", name, s)
		}
		if k == Workday && !d.weekend() {
			return fmt.Errorf("%s: make-up workday %s is a %s", name, s, d.weekday())
		}
		c.days[d] = entry{kind: k, name: name}
		return nil
	}
	for _, y := range f.Years {
		if y.Notice.Title == "" {
			return nil, fmt.Errorf("year %d: notice title missing", y.Year)
		}
		if c.years[y.Year] {
			return nil, fmt.Errorf("year %d listed twice", y.Year)
		}
		c.years[y.Year] = true
		for _, h := range y.Holidays {
			for _, s := range h.Off {
				if err := add(s, Holiday, h.Name); err != nil {
					return nil, fmt.Errorf("year %d: %w", y.Year, err)
				}
			}
			for _, s := range h.Workdays {
				if err := add(s, Workday, h.Name); err != nil {
					return nil, fmt.Errorf("year %d: %w", y.Year, err)
				}
			}
		}
	}
	return c, nil
}

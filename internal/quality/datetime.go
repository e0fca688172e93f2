package quality

import "github.com/pubdata/pubdata/internal/civil"

// Date and date-time parsing without allocations. Dates are civil dates
// from year 1000 to 9999 in the proleptic Gregorian calendar.

// date is a civil date as yyyymmdd, so that dates compare as integers.
type date int

// Date formats a date rule can require.
const (
	FormatCompact = "YYYYMMDD"
	FormatDashed  = "YYYY-MM-DD"
)

// parseDate reads "YYYYMMDD" or "YYYY-MM-DD"; format "" accepts either.
func parseDate(s, format string) (date, bool) {
	switch {
	case len(s) == 8 && format != FormatDashed:
		return ymd(s[0:4], s[4:6], s[6:8])
	case len(s) == 10 && format != FormatCompact && s[4] == '-' && s[7] == '-':
		return ymd(s[0:4], s[5:7], s[8:10])
	}
	return 0, false
}

// ymd checks year, month and day digits.
func ymd(ys, ms, ds string) (date, bool) {
	y, ok1 := civil.Digits(ys)
	m, ok2 := civil.Digits(ms)
	d, ok3 := civil.Digits(ds)
	if !ok1 || !ok2 || !ok3 || y < 1000 || m < 1 || m > 12 || d < 1 || d > civil.DaysIn(y, m) {
		return 0, false
	}
	return date(y*10000 + m*100 + d), true
}

// parseDateTime reads a date (either format) and a time of day: the date
// followed by ' ' or 'T' and HH:MM, HH:MM:SS or HH:MM:SS.fraction, with an
// optional zone Z or ±HH:MM; or 14 digits YYYYMMDDHHMMSS.
func parseDateTime(s string) bool {
	if len(s) == 14 {
		if _, ok := ymd(s[0:4], s[4:6], s[6:8]); !ok {
			return false
		}
		return hms(s[8:10], s[10:12], s[12:14])
	}
	var rest string
	switch {
	case len(s) > 10 && s[4] == '-' && s[7] == '-':
		if _, ok := ymd(s[0:4], s[5:7], s[8:10]); !ok {
			return false
		}
		rest = s[10:]
	case len(s) > 8:
		if _, ok := ymd(s[0:4], s[4:6], s[6:8]); !ok {
			return false
		}
		rest = s[8:]
	default:
		return false
	}
	if rest[0] != ' ' && rest[0] != 'T' || len(rest) < 6 || rest[3] != ':' {
		return false
	}
	hh, mm := rest[1:3], rest[4:6]
	ss := "00"
	rest = rest[6:]
	if len(rest) >= 3 && rest[0] == ':' {
		ss, rest = rest[1:3], rest[3:]
		if len(rest) > 0 && rest[0] == '.' {
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == 1 {
				return false
			}
			rest = rest[i:]
		}
	}
	if !hms(hh, mm, ss) {
		return false
	}
	switch {
	case rest == "" || rest == "Z":
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		h, ok1 := civil.Digits(rest[1:3])
		m, ok2 := civil.Digits(rest[4:6])
		return ok1 && ok2 && h <= 14 && m < 60
	}
	return false
}

func hms(hs, ms, ss string) bool {
	h, ok1 := civil.Digits(hs)
	m, ok2 := civil.Digits(ms)
	s, ok3 := civil.Digits(ss)
	return ok1 && ok2 && ok3 && h < 24 && m < 60 && s < 60
}

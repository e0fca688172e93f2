package ingest

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pubdata/pubdata/internal/civil"
	"github.com/pubdata/pubdata/internal/records"
)

// trim is strings.TrimSpace with fast paths for values that neither start
// nor end with white space, Chinese text included: a value whose first
// byte cannot start, and whose last byte cannot end, a white-space
// character is returned as it is.
func trim(s string) string {
	if s == "" {
		return s
	}
	if c, d := s[0], s[len(s)-1]; c > ' ' && d > ' ' && (c < utf8.RuneSelf || !spaceLead[c-0x80]) && (d < utf8.RuneSelf || !spaceTail[d-0x80]) {
		return s
	}
	return strings.TrimSpace(s)
}

// spaceLead and spaceTail mark the bytes (from 0x80) that start and end
// the UTF-8 encodings of non-ASCII white space (unicode.IsSpace: U+0085,
// U+00A0, U+1680, U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F,
// U+3000).
var spaceLead, spaceTail = func() (lead, tail [128]bool) {
	for r := rune(0x80); r <= 0x3000; r++ {
		if unicode.IsSpace(r) {
			b := []byte(string(r))
			lead[b[0]-0x80], tail[b[len(b)-1]-0x80] = true, true
		}
	}
	return
}()

// appendValue converts a trimmed cell to the column's type and appends it
// to v. A blank cell is NULL. It reports false when the value does not
// convert (then NULL is appended).
func appendValue(v *records.Vector, t records.Type, s string) bool {
	if s == "" {
		v.AppendNull(t)
		return true
	}
	switch t {
	case records.Text:
		v.AppendString(s)
		return true
	case records.Int:
		if n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64); err == nil {
			v.AppendInt(n)
			return true
		}
	case records.Float:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			v.AppendFloat(f)
			return true
		}
	case records.Date:
		if d, ok := parseDate(s); ok {
			v.AppendInt(d)
			return true
		}
	case records.Timestamp:
		if us, ok := parseTimestamp(s); ok {
			v.AppendInt(us)
			return true
		}
	case records.Bool:
		if b, ok := parseBool(s); ok {
			v.AppendBool(b)
			return true
		}
	}
	v.AppendNull(t)
	return false
}

// keyText returns a key cell as the SQL literal of the column's type, as
// records.VersionWriter.Delete and HasKeys take keys.
func keyText(t records.Type, cell string) (string, bool) {
	s := trim(cell)
	switch t {
	case records.Text:
		return s, s != ""
	case records.Int:
		n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
		return strconv.FormatInt(n, 10), err == nil
	case records.Float:
		f, err := strconv.ParseFloat(s, 64)
		return strconv.FormatFloat(f, 'g', -1, 64), err == nil
	case records.Date:
		d, ok := parseDate(s)
		y, m, dd := civil.FromDays(d)
		return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(dd, 2), ok
	case records.Timestamp:
		us, ok := parseTimestamp(s)
		days, rem := us/86400e6, us%86400e6
		if rem < 0 {
			days, rem = days-1, rem+86400e6
		}
		y, m, dd := civil.FromDays(days)
		sec := rem / 1e6
		return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(dd, 2) + " " + pad(int(sec/3600), 2) + ":" + pad(int(sec/60%60), 2) + ":" +
			pad(int(sec%60), 2) + "." + pad(int(rem%1e6), 6), ok
	case records.Bool:
		b, ok := parseBool(s)
		return strconv.FormatBool(b), ok
	}
	return s, s != ""
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// parseDate reads YYYYMMDD or YYYY-MM-DD as days since 1970-01-01.
func parseDate(s string) (int64, bool) {
	var y, m, d int
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		if !allDigits(s[:4]) || !allDigits(s[5:7]) || !allDigits(s[8:]) {
			return 0, false
		}
		y = digit(s[0])*1000 + digit(s[1])*100 + digit(s[2])*10 + digit(s[3])
		m = digit(s[5])*10 + digit(s[6])
		d = digit(s[8])*10 + digit(s[9])
	case len(s) == 8:
		if !allDigits(s) {
			return 0, false
		}
		y = digit(s[0])*1000 + digit(s[1])*100 + digit(s[2])*10 + digit(s[3])
		m = digit(s[4])*10 + digit(s[5])
		d = digit(s[6])*10 + digit(s[7])
	default:
		return 0, false
	}
	if y < 1000 || !civil.Valid(y, m, d) {
		return 0, false
	}
	return civil.Days(y, m, d), true
}

func digit(c byte) int { return int(c - '0') }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i]-'0' > 9 {
			return false
		}
	}
	return true
}

// parseTimestamp reads the date-times quality accepts (a date, ' ' or 'T',
// HH:MM[:SS[.fraction]], an optional zone Z or ±HH:MM; or YYYYMMDDHHMMSS)
// as microseconds since 1970-01-01 on the wall clock of China Standard
// Time: a value with a zone is converted to UTC+8.
func parseTimestamp(s string) (int64, bool) {
	var day int64
	var rest string
	var ok bool
	switch {
	case len(s) == 14:
		if day, ok = parseDate(s[:8]); !ok {
			return 0, false
		}
		h, ok1 := civil.Digits(s[8:10])
		m, ok2 := civil.Digits(s[10:12])
		sec, ok3 := civil.Digits(s[12:14])
		if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 59 {
			return 0, false
		}
		return (day*86400 + int64(h*3600+m*60+sec)) * 1e6, true
	case len(s) > 10 && s[4] == '-' && s[7] == '-':
		day, ok = parseDate(s[:10])
		rest = s[10:]
	case len(s) > 8:
		day, ok = parseDate(s[:8])
		rest = s[8:]
	}
	if !ok || len(rest) < 6 || rest[0] != ' ' && rest[0] != 'T' || rest[3] != ':' {
		return 0, false
	}
	h, ok1 := civil.Digits(rest[1:3])
	m, ok2 := civil.Digits(rest[4:6])
	sec, frac := 0, int64(0)
	ok3 := true
	rest = rest[6:]
	if len(rest) >= 3 && rest[0] == ':' {
		sec, ok3 = civil.Digits(rest[1:3])
		rest = rest[3:]
		if len(rest) > 0 && rest[0] == '.' {
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				if i <= 6 {
					frac = frac*10 + int64(rest[i]-'0')
				}
				i++
			}
			if i == 1 {
				return 0, false
			}
			for j := i; j <= 6; j++ {
				frac *= 10
			}
			rest = rest[i:]
		}
	}
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 59 {
		return 0, false
	}
	us := (day*86400+int64(h*3600+m*60+sec))*1e6 + frac
	switch {
	case rest == "":
	case rest == "Z":
		us += 8 * 3600e6
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		zh, ok1 := civil.Digits(rest[1:3])
		zm, ok2 := civil.Digits(rest[4:6])
		if !ok1 || !ok2 || zh > 14 || zm > 59 {
			return 0, false
		}
		off := int64(zh*3600+zm*60) * 1e6
		if rest[0] == '-' {
			off = -off
		}
		us += 8*3600e6 - off
	default:
		return 0, false
	}
	return us, true
}

func parseBool(s string) (bool, bool) {
	switch s {
	case "1", "true", "TRUE", "True", "T", "t", "Y", "y", "是":
		return true, true
	case "0", "false", "FALSE", "False", "F", "f", "N", "n", "否":
		return false, true
	}
	return false, false
}

package quality

import (
	"strings"
	"unicode/utf8"

	"github.com/pubdata/pubdata/internal/civil"
	"github.com/pubdata/pubdata/internal/idcard"
)

// issue is one finding of a row check.
type issue struct {
	col int
	key Key
}

// rowCheck checks several columns of a row together. It returns up to two
// issues and must not allocate. failed has bit i set when a cell rule on
// column i (below 64) failed in this row; the cell rules run first.
type rowCheck interface {
	check(row []string, failed uint64) (issues [2]issue, n int)
}

// cell returns the trimmed value of column i, "" if the row is short.
func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return trim(row[i])
}

// trim is strings.TrimSpace with a fast path for values that start and
// end with a character that is not white space, such as Chinese text,
// which strings.TrimSpace handles slowly.
func trim(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c < utf8.RuneSelf && asciiSpace[c] || c >= 0xC2 && c <= 0xE3 && (c == 0xC2 || c >= 0xE1) {
		return strings.TrimSpace(s)
	}
	n := len(s)
	c := s[n-1]
	if c < utf8.RuneSelf {
		if asciiSpace[c] {
			return strings.TrimSpace(s)
		}
		return s
	}
	// Non-ASCII white space is encoded as C2 xx or E1-E3 xx xx: anything
	// else at the end (Chinese is E4-E9 xx xx) cannot be white space.
	if n >= 2 && s[n-2] == 0xC2 || n >= 3 && s[n-3] >= 0xE1 && s[n-3] <= 0xE3 {
		return strings.TrimSpace(s)
	}
	return s
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// idBirthSex checks that the birth date and sex columns agree with a valid
// ID number. An invalid ID number, an invalid date and a sex code other
// than male or female are left to the other rules.
type idBirthSex struct {
	id, birth, sex int // -1 when absent
	// idChecked: an ID-number rule (KindIDCard) checks column id, so a
	// value that passed its cell rules is well formed.
	idChecked bool
}

func (c idBirthSex) check(row []string, failed uint64) (out [2]issue, n int) {
	id := cell(row, c.id)
	// A non-blank ID that passed the ID-number rule in this row is well
	// formed; else check it here.
	trusted := c.idChecked && id != "" && c.id < 64 && failed&(1<<c.id) == 0
	if !trusted && !wellFormedID(id) {
		return out, 0
	}
	if b := cell(row, c.birth); b != "" {
		if d, ok := parseDate(b, ""); ok {
			if want, _ := civil.Digits(id[6:14]); int(d) != want {
				out[n] = issue{c.birth, KeyIDBirthMismatch}
				n++
			}
		}
	}
	if s := sexOf(cell(row, c.sex)); s != 0 {
		idSex := idcard.Female
		if (id[16]-'0')%2 == 1 {
			idSex = idcard.Male
		}
		if s != idSex {
			out[n] = issue{c.sex, KeyIDSexMismatch}
			n++
		}
	}
	return out, n
}

// sexOf reads a GB/T 2261.1 sex code or one of its aliases; 0 for unknown
// (0, 9, blank or anything else).
func sexOf(v string) idcard.Sex {
	switch v {
	case "1", "男", "M", "m":
		return idcard.Male
	case "2", "女", "F", "f":
		return idcard.Female
	}
	return 0
}

// dateOrder checks that the date in column a is not after the one in b.
// Blank or invalid dates are left to the other rules.
type dateOrder struct{ a, b int }

func (c dateOrder) check(row []string, _ uint64) (out [2]issue, n int) {
	a, ok1 := parseDate(cell(row, c.a), "")
	b, ok2 := parseDate(cell(row, c.b), "")
	if ok1 && ok2 && a > b {
		out[0] = issue{c.b, KeyDateOrder}
		return out, 1
	}
	return out, 0
}

// wellFormedID reports whether id has 17 digits with a valid birth date and
// the right check character: what the cross-field rule needs to trust the
// birth date and sex in it. It is cheaper than idcard.Parse.
func wellFormedID(id string) bool {
	if len(id) != idcard.Length {
		return false
	}
	c := idcard.CheckChar(id[:17])
	if last := id[17]; c == 0 || last != c && !(c == 'X' && last == 'x') {
		return false
	}
	_, ok := ymd(id[6:10], id[10:12], id[12:14])
	return ok
}

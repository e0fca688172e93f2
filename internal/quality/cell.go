package quality

import (
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/pubdata/pubdata/internal/civil"
	"github.com/pubdata/pubdata/internal/idcard"
	"github.com/pubdata/pubdata/internal/region"
	"github.com/pubdata/pubdata/internal/uscc"
)

// cellCheck checks one value, trimmed and not blank. It returns "" when
// the value passes. Implementations must not allocate when it does.
type cellCheck interface {
	check(v string) Key
}

// charCheck is the type rule of a C column: at most max characters.
type charCheck struct{ max int }

func (c charCheck) check(v string) Key {
	if len(v) <= c.max || utf8.RuneCountInString(v) <= c.max {
		return ""
	}
	return KeyTooLong
}

// numberCheck is the type rule of N, Y, I and F columns.
type numberCheck struct {
	integer   bool // I: no fraction
	exponent  bool // F: an exponent is allowed
	maxDigits int  // 0: no limit
}

func (c numberCheck) check(v string) Key {
	i := 0
	if v[0] == '+' || v[0] == '-' {
		i++
	}
	n, frac := 0, false
	for ; i < len(v); i++ {
		switch ch := v[i]; {
		case ch >= '0' && ch <= '9':
			n++
		case ch == '.' && !frac && !c.integer:
			frac = true
		case (ch == 'e' || ch == 'E') && c.exponent && n > 0:
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return KeyNumber
			}
			return ""
		default:
			if c.integer {
				return KeyInteger
			}
			return KeyNumber
		}
	}
	if n == 0 {
		return KeyNumber
	}
	if c.maxDigits > 0 && n > c.maxDigits {
		return KeyTooManyDigits
	}
	return ""
}

// dateCheck is the type rule of D columns and the date rule.
type dateCheck struct {
	format string // "" for either
	key    Key
}

func (c dateCheck) check(v string) Key {
	if _, ok := parseDate(v, c.format); !ok {
		return c.key
	}
	return ""
}

type dateTimeCheck struct{}

func (dateTimeCheck) check(v string) Key {
	if !parseDateTime(v) {
		return KeyDateTime
	}
	return ""
}

type logicalCheck struct{}

func (logicalCheck) check(v string) Key {
	switch v {
	case "1", "0", "true", "false", "TRUE", "FALSE", "True", "False",
		"T", "F", "t", "f", "Y", "N", "y", "n", "是", "否":
		return ""
	}
	return KeyLogical
}

// enumList checks a short list by comparing values in turn, which is
// faster than a map for a handful of codes.
type enumList []string

func (l enumList) check(v string) Key {
	for _, s := range l {
		if s == v {
			return ""
		}
	}
	return KeyEnum
}

type enumSet map[string]struct{}

func (s enumSet) check(v string) Key {
	if _, ok := s[v]; ok {
		return ""
	}
	return KeyEnum
}

// enumCodes checks numeric codes of 1 or 2 digits with bit sets, and any
// other values (aliases such as 男) by comparing them in turn.
type enumCodes struct {
	one   uint16    // 1-digit codes
	two   [2]uint64 // 2-digit codes 00-99
	other []string
}

func (e *enumCodes) check(v string) Key {
	switch {
	case len(v) == 1 && v[0] >= '0' && v[0] <= '9':
		if e.one&(1<<(v[0]-'0')) != 0 {
			return ""
		}
		return KeyEnum
	case len(v) == 2 && v[0] >= '0' && v[0] <= '9' && v[1] >= '0' && v[1] <= '9':
		n := (v[0]-'0')*10 + v[1] - '0'
		if e.two[n/64]&(1<<(n%64)) != 0 {
			return ""
		}
		return KeyEnum
	}
	for _, s := range e.other {
		if s == v {
			return ""
		}
	}
	return KeyEnum
}

func newEnum(values []string) cellCheck {
	e := &enumCodes{}
	for _, v := range values {
		switch n, ok := civil.Digits(v); {
		case ok && len(v) == 1:
			e.one |= 1 << n
		case ok && len(v) == 2:
			e.two[n/64] |= 1 << (n % 64)
		default:
			e.other = append(e.other, v)
		}
	}
	if len(e.other) <= 8 {
		return e
	}
	if len(values) <= 8 {
		return enumList(values)
	}
	s := make(enumSet, len(values))
	for _, v := range values {
		s[v] = struct{}{}
	}
	return s
}

type regionCheck struct{}

func (regionCheck) check(v string) Key {
	if !region.Valid(v) {
		return KeyRegion
	}
	return ""
}

type regexCheck struct{ re *regexp.Regexp }

func (c regexCheck) check(v string) Key {
	if !c.re.MatchString(v) {
		return KeyRegex
	}
	return ""
}

type rangeCheck struct {
	min, max       float64
	hasMin, hasMax bool
}

func (c rangeCheck) check(v string) Key {
	// Reject what ParseFloat accepts but data should not hold: "NaN",
	// "Inf", hexadecimal and underscores.
	for i := 0; i < len(v); i++ {
		switch ch := v[i]; {
		case ch >= '0' && ch <= '9', ch == '.', ch == '-', ch == '+', ch == 'e', ch == 'E':
		default:
			return KeyRangeNumber
		}
	}
	f, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil:
		return KeyRangeNumber
	case c.hasMin && f < c.min:
		return KeyRangeLow
	case c.hasMax && f > c.max:
		return KeyRangeHigh
	}
	return ""
}

// idReasons maps the rules of idcard.Parse to message keys.
var idReasons = []struct {
	reason idcard.Reason
	key    Key
}{
	{idcard.BadLength, KeyIDLength},
	{idcard.BadChar, KeyIDChar},
	{idcard.BadDate, KeyIDDate},
	{idcard.FutureDate, KeyIDFuture},
	{idcard.BadCheck, KeyIDCheck},
}

func idKey(err error) Key {
	for _, r := range idReasons {
		if err == r.reason {
			return r.key
		}
	}
	return KeyIDChar
}

// ID region checks.
const (
	idRegionPrefix   = "prefix"
	idRegionProvince = "province"
	idRegionNone     = "none"
)

// idCheck checks a citizen ID number: length and characters, a valid
// birth date not after today, the check character, and the region part.
type idCheck struct {
	today  date
	region string
}

func (c idCheck) check(v string) Key {
	err := idcard.Validate(v, zeroTime)
	if err != nil && err != idcard.BadCheck {
		return idKey(err)
	}
	// Parse was not given a time, to avoid a time zone conversion per
	// row: compare the birth digits with today here, keeping Parse's
	// order of rules (a future date is reported before a bad check).
	if b, _ := civil.Digits(v[6:14]); date(b) > c.today {
		return KeyIDFuture
	}
	if err != nil {
		return KeyIDCheck
	}
	switch c.region {
	case idRegionProvince:
		if !region.Valid(v[:2] + "0000") {
			return KeyIDRegion
		}
	case idRegionNone:
	default:
		if !region.ValidPrefix(v[:6]) {
			return KeyIDRegion
		}
	}
	return ""
}

type usccCheck struct{}

func (usccCheck) check(v string) Key {
	if uscc.Validate(v) != nil {
		return KeyUSCC
	}
	return ""
}

// partyCheck accepts a citizen ID number or a USCC, for licence holders.
type partyCheck struct{ id idCheck }

func (c partyCheck) check(v string) Key {
	if c.id.check(v) == "" || uscc.Validate(v) == nil {
		return ""
	}
	return KeyParty
}

// mobileCheck accepts a mainland mobile number: 11 digits, 1 then 3-9.
type mobileCheck struct{}

func (mobileCheck) check(v string) Key {
	if len(v) != 11 || v[0] != '1' || v[1] < '3' || v[1] > '9' {
		return KeyMobile
	}
	for i := 2; i < 11; i++ {
		if v[i] < '0' || v[i] > '9' {
			return KeyMobile
		}
	}
	return ""
}

// emailCheck accepts local@domain with an ASCII dot-atom local part of at
// most 64 characters and a domain of at least two labels of letters,
// digits and hyphens, the last one at least 2 letters. Quoted local parts
// and internationalised addresses are rejected.
type emailCheck struct{}

func (emailCheck) check(v string) Key {
	if len(v) > 254 {
		return KeyEmail
	}
	at := -1
	for i := 0; i < len(v); i++ {
		if v[i] == '@' {
			if at >= 0 {
				return KeyEmail
			}
			at = i
		}
	}
	if at < 1 || at > 64 || !localPart(v[:at]) || !domain(v[at+1:]) {
		return KeyEmail
	}
	return ""
}

func localPart(s string) bool {
	if s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.':
			if s[i-1] == '.' {
				return false
			}
		case c < 0x80 && isAtext(c):
		default:
			return false
		}
	}
	return true
}

// atext are the symbols RFC 5322 allows in a dot-atom.
const atext = "!#$%&'*+/=?^_`{|}~-"

func isAtext(c byte) bool {
	for i := 0; i < len(atext); i++ {
		if atext[i] == c {
			return true
		}
	}
	return false
}

func domain(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	labels, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			c := s[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
			continue
		}
		l := s[start:i]
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		labels++
		start = i + 1
	}
	return labels >= 2 && tldOK(s)
}

// tldOK checks that the last label has at least 2 letters and only
// letters.
func tldOK(s string) bool {
	i := len(s) - 1
	for i >= 0 && s[i] != '.' {
		i--
	}
	t := s[i+1:]
	if len(t) < 2 {
		return false
	}
	for j := 0; j < len(t); j++ {
		if c := t[j]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

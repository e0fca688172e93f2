// Package idcard parses and generates citizen identity numbers
// (公民身份号码) as defined by GB 11643-1999: 18 characters made of a
// 6-digit administrative division code, the birth date as YYYYMMDD, a
// 3-digit sequence code whose parity gives the sex (odd male, even
// female), and an ISO 7064 MOD 11-2 check character, a digit or X.
//
// A lower-case x as check character is accepted and means X; Normalize
// rewrites it. The old 15-digit numbers are not accepted.
//
// Parse does not look the region code up; that is the caller's business.
// Identity numbers are personal data: errors from this package never
// contain the number, and callers must not log it unmasked.
package idcard

import (
	"strings"
	"time"
)

// Length is the number of characters in an identity number.
const Length = 18

// MinYear is the earliest birth year Parse accepts. GB 11643's own example
// 440524188001010014 was born in 1880.
const MinYear = 1800

// cst is China Standard Time, used to decide what "today" is.
var cst = time.FixedZone("CST", 8*3600)

// Sex is the sex encoded by the parity of the sequence code.
type Sex uint8

const (
	Male   Sex = 1 // odd sequence code; GB/T 2261.1 code 1
	Female Sex = 2 // even sequence code; GB/T 2261.1 code 2
)

func (s Sex) String() string {
	switch s {
	case Male:
		return "male"
	case Female:
		return "female"
	}
	return "unknown"
}

// ID is what a valid identity number says about its holder.
type ID struct {
	// Region is the 6-digit administrative division code where the
	// number was first issued (GB/T 2260), not necessarily a code still
	// in use.
	Region string
	// Birth is the date of birth, at midnight UTC.
	Birth time.Time
	Sex   Sex
}

// Province returns the 2-digit province-level part of the region code.
func (id ID) Province() string { return id.Region[:2] }

// Prefecture returns the 4-digit prefecture-level part of the region code.
func (id ID) Prefecture() string { return id.Region[:4] }

// Normalize trims surrounding white space and upper-cases a trailing x.
// It does not allocate when s needs no change.
func Normalize(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == Length && s[Length-1] == 'x' {
		return s[:Length-1] + "X"
	}
	return s
}

// Region returns the 6-digit region code of s without checking the rest
// of the number, for grouping rows cheaply. Use Parse to validate.
func Region(s string) (string, error) {
	if len(s) != Length {
		return "", BadLength
	}
	for i := 0; i < 6; i++ {
		if !isDigit(s[i]) {
			return "", BadChar
		}
	}
	return s[:6], nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

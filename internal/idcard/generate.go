package idcard

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Generate returns a random valid identity number for a person of the
// given sex born on the civil date of birth (read in birth's own
// location) in the 6-digit region, for demo data and test generators.
// The sequence code is drawn from 001-999 with the parity of sex.
// Generate panics if region is not 6 digits, the birth year is outside
// MinYear-9999, or sex is neither Male nor Female.
func Generate(rnd *rand.Rand, region string, birth time.Time, sex Sex) string {
	if len(region) != 6 {
		panic(fmt.Sprintf("idcard: region %q is not 6 digits", region))
	}
	for i := 0; i < 6; i++ {
		if !isDigit(region[i]) {
			panic(fmt.Sprintf("idcard: region %q is not 6 digits", region))
		}
	}
	y, m, d := birth.Date()
	if y < MinYear || y > 9999 {
		panic(fmt.Sprintf("idcard: birth year %d outside %d-9999", y, MinYear))
	}
	var seq int
	switch sex {
	case Male:
		seq = 2*rnd.IntN(500) + 1 // 1, 3, ..., 999
	case Female:
		seq = 2 * (rnd.IntN(499) + 1) // 2, 4, ..., 998
	default:
		panic(fmt.Sprintf("idcard: sex %d is neither Male nor Female", sex))
	}

	var b [Length]byte
	copy(b[:6], region)
	putDigits(b[6:10], y)
	putDigits(b[10:12], int(m))
	putDigits(b[12:14], d)
	putDigits(b[14:17], seq)
	b[17] = check(string(b[:17]))
	return string(b[:])
}

// putDigits writes n into b as zero-padded decimal digits.
func putDigits(b []byte, n int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
}

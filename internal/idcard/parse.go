package idcard

import "time"

// weights are the ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 for
// positions 1-17.
var weights = [Length - 1]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkChars maps the weighted sum mod 11 to the check character.
const checkChars = "10X98765432"

// Parse checks s and returns what it encodes. The rules are tried in this
// order and the first one broken is returned as a Reason: BadLength,
// BadChar, BadDate, FutureDate, BadCheck. A birth date is in the future if
// it is after the date of now in China (UTC+8); a zero now skips that rule.
//
// Parse does not allocate; ID.Region shares memory with s.
func Parse(s string, now time.Time) (ID, error) {
	year, month, day, err := validate(s, now)
	if err != nil {
		return ID{}, err
	}
	sex := Female
	if (s[16]-'0')%2 == 1 {
		sex = Male
	}
	return ID{
		Region: s[:6],
		Birth:  time.Date(year, month, day, 0, 0, 0, 0, time.UTC),
		Sex:    sex,
	}, nil
}

// Validate is Parse's checks without building the ID: what a load's
// rules need for every row.
func Validate(s string, now time.Time) error {
	_, _, _, err := validate(s, now)
	return err
}

func validate(s string, now time.Time) (year int, month time.Month, day int, err error) {
	if len(s) != Length {
		return 0, 0, 0, BadLength
	}
	for i := 0; i < Length-1; i++ {
		if !isDigit(s[i]) {
			return 0, 0, 0, BadChar
		}
	}
	last := s[Length-1]
	if last == 'x' {
		last = 'X'
	}
	if !isDigit(last) && last != 'X' {
		return 0, 0, 0, BadChar
	}

	year = num(s[6:10])
	month = time.Month(num(s[10:12]))
	day = num(s[12:14])
	if year < MinYear || month < time.January || month > time.December || day < 1 || day > daysIn(year, month) {
		return 0, 0, 0, BadDate
	}
	if !now.IsZero() {
		ny, nm, nd := now.In(cst).Date()
		if year > ny || year == ny && (month > nm || month == nm && day > nd) {
			return 0, 0, 0, FutureDate
		}
	}
	if check(s) != last {
		return 0, 0, 0, BadCheck
	}
	return year, month, day, nil
}

// CheckChar returns the check character for the first 17 characters of an
// identity number, or 0 if first17 is not 17 ASCII digits.
func CheckChar(first17 string) byte {
	if len(first17) != Length-1 {
		return 0
	}
	for i := 0; i < len(first17); i++ {
		if !isDigit(first17[i]) {
			return 0
		}
	}
	return check(first17)
}

// check computes the check character of s[:17], which must be digits.
func check(s string) byte {
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return checkChars[sum%11]
}

// num reads a string of digits.
func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func daysIn(year int, month time.Month) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

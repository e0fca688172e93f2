package idcard

// Reason is the rule an identity number breaks. Parse returns a Reason as
// its error, so callers can switch on it, compare it with errors.Is, or
// count failures by rule.
type Reason uint8

const (
	// BadLength: the number does not have 18 characters.
	BadLength Reason = iota + 1
	// BadChar: a character other than a digit in positions 1-17, or other
	// than a digit or X in position 18.
	BadChar
	// BadDate: positions 7-14 are not a calendar date from MinYear on.
	BadDate
	// FutureDate: the birth date is after today in China.
	FutureDate
	// BadCheck: the check character does not match positions 1-17.
	BadCheck
)

var reasonText = [...]struct{ en, zh string }{
	BadLength:  {"identity number must be 18 characters long", "身份证号码应为18位"},
	BadChar:    {"identity number must be 17 digits followed by a digit or X", "身份证号码前17位应为数字,末位应为数字或X"},
	BadDate:    {"identity number has an invalid birth date", "身份证号码中的出生日期无效"},
	FutureDate: {"identity number has a birth date in the future", "身份证号码中的出生日期晚于当前日期"},
	BadCheck:   {"identity number check character does not match", "身份证号码校验码错误"},
}

func (r Reason) Error() string {
	if int(r) < len(reasonText) && r != 0 {
		return reasonText[r].en
	}
	return "identity number is invalid"
}

// ZH returns the message in simplified Chinese.
func (r Reason) ZH() string {
	if int(r) < len(reasonText) && r != 0 {
		return reasonText[r].zh
	}
	return "身份证号码无效"
}

// String returns a short stable name for reports, such as "bad_check".
func (r Reason) String() string {
	switch r {
	case BadLength:
		return "bad_length"
	case BadChar:
		return "bad_char"
	case BadDate:
		return "bad_date"
	case FutureDate:
		return "future_date"
	case BadCheck:
		return "bad_check"
	}
	return "invalid"
}

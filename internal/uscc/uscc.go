// Package uscc validates and generates Unified Social Credit Codes
// (统一社会信用代码) as defined by GB 32100-2015.
//
// A code has 18 characters from the set 0-9 and A-Y without I, O, Z, S
// and V:
//
//	position 1      registration authority (1 机构编制, 5 民政, 9 市场监管, ...)
//	position 2      organisation type within that authority (91 = enterprise)
//	positions 3-8   administrative division code (GB/T 2260), 6 digits
//	positions 9-17  organisation code (GB 11714): an 8-character body and
//	                its own MOD 11 check character at position 17
//	position 18     check character over positions 1-17, MOD 31
//
// Validate checks the character set, the region digits and both check
// characters. It does not check that the authority and type codes or the
// region code are currently assigned: those tables change over time.
//
// Positions in messages are 1-based, as in the standard.
package uscc

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pubdata/pubdata/internal/apperr"
)

// Length is the number of characters in a code.
const Length = 18

// charset lists the code characters in the order of their values 0 to 30.
const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// values maps a byte to its value in charset, or -1.
var values = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(charset); i++ {
		v[charset[i]] = int8(i)
	}
	return v
}()

// weights for the check character at position 18: 3^i mod 31.
var weights = [Length - 1]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights for the GB 11714 check character at position 17.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// Normalize trims surrounding white space and upper-cases s. Validate
// itself accepts only upper-case codes; call Normalize first on input typed
// by people.
func Normalize(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// Validate reports what is wrong with code, or nil if it is a
// well-formed code. The error is an *apperr.Error of kind Invalid with one
// field error on "uscc" that names the first rule broken: the length, an
// illegal character and its position, a non-digit in the region code, the
// organisation code check character or the overall check character.
func Validate(code string) error {
	if n := utf8.RuneCountInString(code); n != Length || len(code) != Length {
		if n == Length {
			// Right number of characters but some are not ASCII.
			return charError(code)
		}
		return invalid(
			fmt.Sprintf("must be %d characters long, got %d", Length, n),
			fmt.Sprintf("应为%d位,实为%d位", Length, n))
	}
	for i := 0; i < Length; i++ {
		if values[code[i]] < 0 {
			return charError(code)
		}
	}
	for i := 2; i < 8; i++ {
		if c := code[i]; c < '0' || c > '9' {
			return invalid(
				fmt.Sprintf("positions 3-8 must be a 6-digit administrative division code, got %q at position %d", c, i+1),
				fmt.Sprintf("第3至8位须为6位数字的行政区划代码,第%d位为%q", i+1, c))
		}
	}
	if got, want := code[16], orgCheck(code[8:16]); got != want {
		return invalid(
			fmt.Sprintf("bad organisation code check character at position 17: got %q, want %q", got, want),
			fmt.Sprintf("第17位组织机构代码校验码错误:实为%q,应为%q", got, want))
	}
	if got, want := code[17], check(code[:17]); got != want {
		return invalid(
			fmt.Sprintf("bad check character at position 18: got %q, want %q", got, want),
			fmt.Sprintf("第18位校验码错误:实为%q,应为%q", got, want))
	}
	return nil
}

// CheckChar returns the check character (position 18) for the first 17
// characters of a code. It checks only their number and character set, not
// the organisation code check character.
func CheckChar(first17 string) (byte, error) {
	if n := utf8.RuneCountInString(first17); n != Length-1 || len(first17) != Length-1 {
		if n != Length-1 {
			return 0, invalid(
				fmt.Sprintf("need the first %d characters, got %d", Length-1, n),
				fmt.Sprintf("须为前%d位,实为%d位", Length-1, n))
		}
		return 0, charError(first17)
	}
	for i := 0; i < len(first17); i++ {
		if values[first17[i]] < 0 {
			return 0, charError(first17)
		}
	}
	return check(first17), nil
}

// check computes the MOD 31 check character of 17 valid characters.
func check(first17 string) byte {
	sum := 0
	for i := range weights {
		sum += int(values[first17[i]]) * weights[i]
	}
	return charset[(31-sum%31)%31]
}

// orgCheck computes the GB 11714 check character of an 8-character
// organisation code body. GB 11714 gives letters their alphabet position
// plus 9 (A = 10 ... Z = 35), unlike the USCC character values.
func orgCheck(body string) byte {
	sum := 0
	for i := range orgWeights {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * orgWeights[i]
	}
	switch r := 11 - sum%11; r {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + r)
	}
}

// charError reports the first character of s outside the code set.
func charError(s string) error {
	pos := 0
	for _, r := range s {
		pos++
		if r < utf8.RuneSelf && values[r] >= 0 {
			continue
		}
		en := fmt.Sprintf("illegal character %q at position %d", r, pos)
		zh := fmt.Sprintf("第%d位字符%q不合法", pos, r)
		switch {
		case r >= 'a' && r <= 'z':
			en += " (letters must be upper case)"
			zh += "(字母须大写)"
		case strings.ContainsRune("IOZSV", r):
			en += " (I, O, Z, S and V are not used)"
			zh += "(不使用I、O、Z、S、V)"
		}
		return invalid(en, zh)
	}
	panic("uscc: charError called without an illegal character")
}

func invalid(en, zh string) *apperr.Error {
	return apperr.New(apperr.Invalid, "invalid unified social credit code", "统一社会信用代码无效").
		With("uscc", en, zh)
}

package gen

import (
	"github.com/pubdata/pubdata/internal/idcard"
	"github.com/pubdata/pubdata/internal/region"
)

// checkChars are the possible ID number check characters.
const checkChars = "0123456789X"

// inject puts one error of the given kind into the columns of a
// population row (a duplicate is made by the caller).
func (g *popGen) inject(kind string, p *person) {
	r, c := g.r, &g.cols
	switch kind {
	case BadCheckChar:
		id := c[pID]
		id[17] = wrongCheck(id[17], r.IntN(10))
	case BadBirthDate:
		id := c[pID]
		// Keep the year, make month and day impossible, and give the
		// number the check character of its new digits.
		copy(id[10:14], [...]string{"1301", "0230", "0431", "0000", "0632", "1200"}[r.IntN(6)])
		id[17] = idcard.CheckChar(string(id[:17]))
	case MissingRequired:
		col := [...]int{pID, pName, pSex, pBirth}[r.IntN(4)]
		c[col] = c[col][:0]
	case BadMobile:
		m := c[pMobile]
		switch r.IntN(4) {
		case 0:
			c[pMobile] = m[:10] // 10 digits
		case 1:
			m[1] = '2' // 12x is no mobile block
		case 2:
			m[1] = '0'
		default:
			m[2+r.IntN(9)] = 'O' // a letter O typed for a zero
		}
	case CrossField:
		if r.IntN(2) == 0 {
			c[pSex][0] = '1' + '2' - c[pSex][0]
		} else {
			shift := 1 + r.IntN(365)
			if r.IntN(2) == 0 {
				shift = -shift
			}
			c[pBirth] = appendDate(c[pBirth][:0], p.birth+shift)
		}
	case BadRegion:
		code := c[pHukouRegion][:0]
		for {
			code = appendDigits(append(code[:0], '3', '5'), r.IntN(10000), 4)
			if !region.Valid(string(code)) {
				break
			}
		}
		c[pHukouRegion] = code
	case OverLength:
		c[pAddr] = g.appendLong(c[pAddr][:0], r, g.countyText[p.home.county])
	}
}

// wrongCheck returns a check character other than right.
func wrongCheck(right byte, k int) byte {
	i := 0
	for i < len(checkChars) && checkChars[i] != right {
		i++
	}
	return checkChars[(i+1+k)%len(checkChars)]
}

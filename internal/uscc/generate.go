package uscc

import (
	"math/rand/v2"
)

// prefixes are registration authority and organisation type pairs that
// GB 32100-2015 assigns; Generate draws enterprises (91) most often.
var prefixes = []string{
	"91", "91", "91", "91", "91", "91", // 市场监管: 企业
	"92", "93", // 市场监管: 个体工商户, 农民专业合作社
	"11", "12", "13", // 机构编制: 机关, 事业单位, 群众团体
	"51", "52", "53", // 民政: 社会团体, 民办非企业单位, 基金会
	"Y1", // 其他
}

// Generate returns a random valid code in the given 6-digit administrative
// division, for demo data and test generators. It panics if regionCode is
// not 6 ASCII digits.
func Generate(rnd *rand.Rand, regionCode string) string {
	if len(regionCode) != 6 {
		panic("uscc: region code " + regionCode + " is not 6 digits")
	}
	for i := 0; i < 6; i++ {
		if regionCode[i] < '0' || regionCode[i] > '9' {
			panic("uscc: region code " + regionCode + " is not 6 digits")
		}
	}
	var b [Length]byte
	copy(b[:2], prefixes[rnd.IntN(len(prefixes))])
	copy(b[2:8], regionCode)
	for i := 8; i < 16; i++ {
		b[i] = charset[rnd.IntN(len(charset))]
	}
	b[16] = orgCheck(string(b[8:16]))
	b[17] = check(string(b[:17]))
	return string(b[:])
}

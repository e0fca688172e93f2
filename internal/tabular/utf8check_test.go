package tabular

import (
	"testing"
	"unicode/utf8"

	asmutf8 "github.com/segmentio/asm/utf8"
)

// FuzzValidUTF8 checks that the SIMD validator used on loads
// (segmentio/asm) agrees with unicode/utf8 on every input: overlong
// forms, surrogates, code points past U+10FFFF and sequences cut at
// either end among them.
func FuzzValidUTF8(f *testing.F) {
	for _, s := range []string{
		"", "ascii only, 32 bytes or more....", "公民身份号码,姓名,性别,出生日期",
		"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98", "\x80abc",
		"福建省三明市永安市南屿镇鼓屏路177号福建省三明市永安市南屿镇鼓屏路177号\xe7\xa6",
		"𠮷野家 \U0010FFFF \u00e9\u0301",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := asmutf8.Valid(b), utf8.Valid(b); got != want {
			t.Errorf("Valid(%q) = %v, unicode/utf8 says %v", b, got, want)
		}
		// And at every offset, so that the SIMD blocks meet invalid bytes at
		// every position.
		for i := 1; i < len(b) && i < 70; i++ {
			if got, want := asmutf8.Valid(b[i:]), utf8.Valid(b[i:]); got != want {
				t.Errorf("Valid(%q) = %v, unicode/utf8 says %v", b[i:], got, want)
			}
		}
	})
}

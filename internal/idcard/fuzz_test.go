package idcard

import (
	"math/rand/v2"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", "440524188001010014",
		"31011520000229123X", "110105194902300025", "", "110105491231002",
		"１1010519491231002X", "\xff10105194912310020",
	} {
		f.Add(s)
	}
	today := time.Date(2025, 6, 15, 10, 0, 0, 0, cst)
	f.Fuzz(func(t *testing.T, s string) {
		id, err := Parse(s, today)
		if verr := Validate(s, today); verr != err {
			t.Fatalf("Validate(%q) = %v, Parse says %v", s, verr, err)
		}
		if err != nil {
			if r, ok := err.(Reason); !ok || r < BadLength || r > BadCheck {
				t.Fatalf("Parse(%q) error = %#v, want a Reason", s, err)
			}
			return
		}
		if want := CheckChar(s[:17]); want != s[17] && !(want == 'X' && s[17] == 'x') {
			t.Errorf("Parse(%q) = nil error, but CheckChar = %q", s, want)
		}
		if got := id.Birth.Format("20060102"); got != s[6:14] {
			t.Errorf("Parse(%q).Birth = %s, want %s", s, got, s[6:14])
		}
		if id.Region != s[:6] {
			t.Errorf("Parse(%q).Region = %q, want %q", s, id.Region, s[:6])
		}
		if id.Birth.After(today) {
			t.Errorf("Parse(%q).Birth = %v, after %v", s, id.Birth, today)
		}
		// Generating from what was parsed gives a number that parses the
		// same.
		g := Generate(rand.New(rand.NewPCG(uint64(len(s)), 0)), id.Region, id.Birth, id.Sex)
		back, err := Parse(g, today)
		if err != nil || back != id {
			t.Errorf("Parse(Generate(%+v) = %q) = %+v, %v, want %+v", id, g, back, err, id)
		}
	})
}

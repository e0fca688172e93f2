package uscc

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pubdata/pubdata/internal/apperr"
)

func FuzzValidate(f *testing.F) {
	f.Add("914403001922038216", uint64(0))
	f.Add("91440300708461136T", uint64(1))
	f.Add("91440300708461136t", uint64(2))
	f.Add("９14403001922038216", uint64(3))
	f.Add("", uint64(4))
	f.Add("\xff\xfe44030070846113\xc0T", uint64(5))
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		err := Validate(s)
		if err == nil {
			want, cerr := CheckChar(s[:17])
			if cerr != nil || want != s[17] {
				t.Errorf("Validate(%q) = nil but CheckChar(%q) = %q, %v", s, s[:17], want, cerr)
			}
		} else if e, ok := err.(*apperr.Error); !ok || e.Kind != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "uscc" {
			t.Errorf("Validate(%q) = %#v, want an Invalid *apperr.Error on field uscc", s, err)
		}

		region := fmt.Sprintf("%06d", seed%1000000)
		code := Generate(rand.New(rand.NewPCG(seed, seed>>32)), region)
		if err := Validate(code); err != nil {
			t.Errorf("Validate(Generate(seed %d, %q) = %q) = %v, want nil", seed, region, code, err)
		}
	})
}

package uscc

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pubdata/pubdata/internal/apperr"
)

// published are codes of well-known companies as shown in the national
// enterprise credit information system. Each passes two independent
// checks, which a mistyped code passes about once in 341 times.
var published = []struct {
	name string
	code string
}{
	{"华为技术有限公司", "914403001922038216"},
	{"深圳市腾讯计算机系统有限公司", "91440300708461136T"},
	{"中国石油天然气股份有限公司", "91110000710925462X"},
}

func TestValidatePublished(t *testing.T) {
	for _, tt := range published {
		if err := Validate(tt.code); err != nil {
			t.Errorf("Validate(%q) (%s) = %v, want nil", tt.code, tt.name, err)
		}
	}
}

// TestValidateHandComputed checks codes whose check characters were worked
// out by hand, so that a change to the algorithms cannot pass by changing
// both Generate and Validate.
func TestValidateHandComputed(t *testing.T) {
	tests := []string{
		// Body MA1K3JXJ in GB 11714 values (M=22 A=10 K=20 J=19 X=33):
		// 66+70+9+200+15+152+132+38 = 682 ≡ 0 (mod 11), so 11 gives '0'.
		// MOD 31 over 91310115MA1K3JXJ0 in code values (M=21 A=10 K=19
		// J=18 X=29): sum 2461 ≡ 12, 31-12 = 19 = 'K'.
		"91310115MA1K3JXJ0K",
		// All zeros: both sums are 0, giving '0' (11 -> '0') and '0'.
		"000000000000000000",
	}
	for _, give := range tests {
		if err := Validate(give); err != nil {
			t.Errorf("Validate(%q) = %v, want nil", give, err)
		}
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name   string
		give   string
		wantEN string
		wantZH string
	}{
		{"empty", "", "must be 18 characters long, got 0", "应为18位,实为0位"},
		{"too short", "91440300192203821", "must be 18 characters long, got 17", "应为18位,实为17位"},
		{"too long", "9144030019220382160", "must be 18 characters long, got 19", "应为18位,实为19位"},
		{"15-character registration number", "440301103167380", "must be 18 characters long, got 15", "应为18位,实为15位"},
		{"Chinese characters counted as characters", "统一社会信用代码", "must be 18 characters long, got 8", "应为18位,实为8位"},
		{"lower case", "91440300708461136t", "illegal character 't' at position 18 (letters must be upper case)",
			"第18位字符't'不合法(字母须大写)"},
		{"letter O", "9144030019220382O6", "illegal character 'O' at position 17 (I, O, Z, S and V are not used)",
			"第17位字符'O'不合法(不使用I、O、Z、S、V)"},
		{"letter I first", "I14403001922038216", "illegal character 'I' at position 1 (I, O, Z, S and V are not used)",
			"第1位字符'I'不合法(不使用I、O、Z、S、V)"},
		{"space", "91440300 922038216", "illegal character ' ' at position 9", "第9位字符' '不合法"},
		{"hyphen", "914403001922038-16", "illegal character '-' at position 16", "第16位字符'-'不合法"},
		{"full-width digit, 18 characters", "９14403001922038216", "illegal character '９' at position 1", "第1位字符'９'不合法"},
		{"letter in region", "9144A3001922038216", "positions 3-8 must be a 6-digit administrative division code, got 'A' at position 5",
			"第3至8位须为6位数字的行政区划代码,第5位为'A'"},
		{"organisation check", "914403001922038236", "bad organisation code check character at position 17: got '3', want '1'",
			"第17位组织机构代码校验码错误:实为'3',应为'1'"},
		// Body sum 164 + 2 = 166 ≡ 1 (mod 11): 11 - 1 = 10 gives 'X'.
		{"organisation code body changed", "914403001922038316", "bad organisation code check character at position 17: got '1', want 'X'",
			"第17位组织机构代码校验码错误:实为'1',应为'X'"},
		{"organisation check not a digit", "9144030070846113AT", "bad organisation code check character at position 17: got 'A', want '6'",
			"第17位组织机构代码校验码错误:实为'A',应为'6'"},
		{"check", "914403001922038217", "bad check character at position 18: got '7', want '6'",
			"第18位校验码错误:实为'7',应为'6'"},
		{"last two transposed", "914403001922038261", "bad organisation code check character at position 17: got '6', want '1'",
			"第17位组织机构代码校验码错误:实为'6',应为'1'"},
		// The sum was ≡ 25 (mod 31); position 8 weighs 17: 42 ≡ 11, 31 - 11 = 20 = 'L'.
		{"region digit changed", "914403011922038216", "bad check character at position 18: got '6', want 'L'",
			"第18位校验码错误:实为'6',应为'L'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.give)
			if err == nil {
				t.Fatalf("Validate(%q) = nil, want error %q", tt.give, tt.wantEN)
			}
			e, ok := err.(*apperr.Error)
			if !ok {
				t.Fatalf("Validate(%q) = %T, want *apperr.Error", tt.give, err)
			}
			want := &apperr.Error{
				Kind:    apperr.Invalid,
				Message: "invalid unified social credit code",
				ZH:      "统一社会信用代码无效",
				Fields:  []apperr.FieldError{{Field: "uscc", Message: tt.wantEN, ZH: tt.wantZH}},
			}
			if diff := cmp.Diff(want, e); diff != "" {
				t.Errorf("Validate(%q) mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

// TestValidateCatchesSubstitutions changes each character of valid codes
// to every other character of the set: MOD 31 with weights prime to 31
// catches every single substitution.
func TestValidateCatchesSubstitutions(t *testing.T) {
	codes := []string{published[0].code, published[1].code, Generate(rand.New(rand.NewPCG(3, 4)), "330106")}
	for _, code := range codes {
		for i := 0; i < Length; i++ {
			for j := 0; j < len(charset); j++ {
				if charset[j] == code[i] {
					continue
				}
				changed := code[:i] + string(charset[j]) + code[i+1:]
				if Validate(changed) == nil {
					t.Errorf("Validate(%q) = nil, want error (changed position %d of %q)", changed, i+1, code)
				}
			}
		}
	}
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		give string
		want byte
	}{
		{"91440300192203821", '6'},
		{"91440300708461136", 'T'},
		{"91110000710925462", 'X'},
		{"00000000000000000", '0'},
		// Sum 1: 31 - 1 = 30, the last character.
		{"10000000000000000", 'Y'},
		// Sum 3*10 = 30: 31 - 30 = 1.
		{"0A000000000000000", '1'},
		// Y = 30 at weight 28 (position 17): 840 mod 31 = 3, 31 - 3 = 28 = W.
		{"0000000000000000Y", 'W'},
	}
	for _, tt := range tests {
		got, err := CheckChar(tt.give)
		if err != nil || got != tt.want {
			t.Errorf("CheckChar(%q) = %q, %v, want %q, nil", tt.give, got, err, tt.want)
		}
	}
}

func TestCheckCharErrors(t *testing.T) {
	tests := []struct {
		give string
		want string
	}{
		{"9144030019220382", "need the first 17 characters, got 16"},
		{"914403001922038216", "need the first 17 characters, got 18"},
		{"9144030019220382I", "illegal character 'I' at position 17 (I, O, Z, S and V are not used)"},
		{"９1440300192203821", "illegal character '９' at position 1"},
	}
	for _, tt := range tests {
		_, err := CheckChar(tt.give)
		if !apperr.Is(err, apperr.Invalid) {
			t.Errorf("CheckChar(%q) error = %v, want kind %s", tt.give, err, apperr.Invalid)
			continue
		}
		if got := apperr.As(err).Fields[0].Message; got != tt.want {
			t.Errorf("CheckChar(%q) error = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestOrgCheck(t *testing.T) {
	tests := []struct {
		give string
		want byte
	}{
		{"19220382", '1'}, // 华为: 164 ≡ 10, 11 - 10 = 1
		{"70846113", '6'}, // 腾讯
		{"00000001", '9'}, // sum 2: 11 - 2
		{"00000006", 'X'}, // sum 12 ≡ 1: 11 - 1 = 10
		{"00000000", '0'}, // sum 0: 11 - 0 = 11
		{"A0000000", '3'}, // A = 10, sum 30 ≡ 8
		// GB 11714 values J as 19 (its alphabet position plus 9), not as
		// its USCC value 18: 57 ≡ 2 gives 9, where 54 ≡ 10 would give 1.
		{"J0000000", '9'},
		{"Y0000000", '8'}, // Y = 34, sum 102 ≡ 3, 11 - 3 = 8
	}
	for _, tt := range tests {
		if got := orgCheck(tt.give); got != tt.want {
			t.Errorf("orgCheck(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestGenerate(t *testing.T) {
	regions := []string{"110105", "310115", "440300", "650102", "000000"}
	rnd := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		region := regions[i%len(regions)]
		code := Generate(rnd, region)
		if err := Validate(code); err != nil {
			t.Fatalf("Validate(Generate(rnd, %q) = %q) = %v, want nil", region, code, err)
		}
		if got := code[2:8]; got != region {
			t.Fatalf("Generate(rnd, %q) = %q, region %q, want %q", region, code, got, region)
		}
		if !strings.Contains(strings.Join(prefixes, " "), code[:2]) {
			t.Fatalf("Generate(rnd, %q) = %q, prefix %q not in %v", region, code, code[:2], prefixes)
		}
		seen[code] = true
	}
	if len(seen) < 9990 {
		t.Errorf("Generate gave %d distinct codes out of 10000, want nearly all distinct", len(seen))
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a := Generate(rand.New(rand.NewPCG(7, 7)), "110105")
	b := Generate(rand.New(rand.NewPCG(7, 7)), "110105")
	if a != b {
		t.Errorf("Generate with equal seeds = %q and %q, want equal", a, b)
	}
}

func TestGeneratePanics(t *testing.T) {
	for _, give := range []string{"", "11010", "1101050", "11010A"} {
		t.Run(fmt.Sprintf("%q", give), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Generate(rnd, %q) did not panic", give)
				}
			}()
			Generate(rand.New(rand.NewPCG(1, 1)), give)
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		give string
		want string
	}{
		{"91440300708461136t", "91440300708461136T"},
		{"  91440300708461136T\n", "91440300708461136T"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.give); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	for b.Loop() {
		_ = Validate("91440300708461136T")
	}
}

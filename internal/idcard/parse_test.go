package idcard

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// now is a fixed "today" for the tests: 2025-06-15 in China.
var now = time.Date(2025, 6, 15, 10, 0, 0, 0, cst)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		give string
		want ID
	}{
		// The two examples printed in GB 11643-1999.
		// 1·7+1·9+0+1·5+0+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0+0+2·2
		// = 167 ≡ 2 (mod 11) -> X.
		{"standard example, X", "11010519491231002X",
			ID{Region: "110105", Birth: time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), Sex: Female}},
		{"standard example, lower-case x", "11010519491231002x",
			ID{Region: "110105", Birth: time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), Sex: Female}},
		// Sum 195 ≡ 8 -> 4.
		{"standard example, 1880", "440524188001010014",
			ID{Region: "440524", Birth: time.Date(1880, 1, 1, 0, 0, 0, 0, time.UTC), Sex: Male}},
		// 310115 20000229 123: sum 172 ≡ 7 (mod 11) -> 5.
		{"leap day 2000", "310115200002291235",
			ID{Region: "310115", Birth: time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), Sex: Male}},
		// Born today (2025-06-15), not in the future: sum 149 ≡ 6 -> 6.
		{"born today", "110101202506150026",
			ID{Region: "110101", Birth: time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC), Sex: Female}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.give, now)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v, want nil", tt.give, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		give string
		want Reason
	}{
		{"empty", "", BadLength},
		{"old 15-digit number", "110105491231002", BadLength},
		{"17 characters", "11010519491231002", BadLength},
		{"19 characters", "11010519491231002X0", BadLength},
		{"surrounding space", " 11010519491231002X", BadLength},
		{"full-width digit", "１1010519491231002X", BadLength}, // 20 bytes
		{"letter in body", "1101051949123100AX", BadChar},
		{"X not last", "X10105194912310020", BadChar},
		{"bad last character", "11010519491231002Y", BadChar},
		{"space inside", "110105 9491231002X", BadChar},
		{"month 13", "110105194913310025", BadDate},
		{"month 00", "110105194900310025", BadDate},
		{"day 00", "110105194912000025", BadDate},
		{"31 April", "110105194904310025", BadDate},
		{"29 February 1900", "110105190002290025", BadDate},
		{"29 February 2023", "110105202302290025", BadDate},
		{"year 1799", "110105179912310025", BadDate},
		{"year 0000", "110105000012310025", BadDate},
		{"tomorrow", "110101202506160025", FutureDate},
		{"next year", "110101202601010025", FutureDate},
		{"check 0 instead of X", "110105194912310020", BadCheck},
		{"check changed", "440524188001010015", BadCheck},
		{"digit changed", "11010519491231003X", BadCheck},
		{"digits transposed", "11010519491213002X", BadCheck},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.give, now)
			if !errors.Is(err, tt.want) {
				t.Errorf("Parse(%q) error = %v, want %v", tt.give, err, tt.want)
			}
		})
	}
}

func TestParseTodayInChina(t *testing.T) {
	first17 := "11010120250616002" // born 2025-06-16
	id := first17 + string(CheckChar(first17))
	tests := []struct {
		give time.Time
		want error
	}{
		{time.Date(2025, 6, 15, 15, 59, 59, 0, time.UTC), FutureDate}, // 23:59:59 on 15 June in China
		{time.Date(2025, 6, 15, 16, 0, 0, 0, time.UTC), nil},          // midnight, 16 June in China
		{time.Date(2025, 6, 16, 0, 0, 0, 0, cst), nil},
		{time.Time{}, nil}, // zero now skips the rule
	}
	for _, tt := range tests {
		if _, err := Parse(id, tt.give); !errors.Is(err, tt.want) {
			t.Errorf("Parse(born 2025-06-16, now %v) error = %v, want %v", tt.give, err, tt.want)
		}
	}
}

func TestParseSex(t *testing.T) {
	for seq := 0; seq <= 9; seq++ {
		first17 := "1101051990010100" + string(rune('0'+seq))
		id, err := Parse(first17+string(CheckChar(first17)), now)
		if err != nil {
			t.Fatalf("Parse(%q...) error = %v", first17, err)
		}
		want := Female
		if seq%2 == 1 {
			want = Male
		}
		if id.Sex != want {
			t.Errorf("Parse(sequence ending %d).Sex = %v, want %v", seq, id.Sex, want)
		}
	}
}

func TestParseAllocs(t *testing.T) {
	tests := []string{"11010519491231002X", "11010519491231002x", "11010519491231003X", "1101051949123100"}
	for _, give := range tests {
		got := testing.AllocsPerRun(100, func() { _, _ = Parse(give, now) })
		if got != 0 {
			t.Errorf("Parse(%q) allocations = %v, want 0", give, got)
		}
	}
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		give string
		want byte
	}{
		{"11010519491231002", 'X'},
		{"44052418800101001", '4'},
		{"00000000000000000", '1'}, // sum 0
		{"00000000000000001", 'X'}, // sum 2
		{"00000000000000005", '2'}, // sum 10
		{"1101051949123100", 0},
		{"110105194912310020", 0},
		{"1101051949123100X", 0},
	}
	for _, tt := range tests {
		if got := CheckChar(tt.give); got != tt.want {
			t.Errorf("CheckChar(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestReason(t *testing.T) {
	tests := []struct {
		give     Reason
		wantName string
		wantEN   string
		wantZH   string
	}{
		{BadLength, "bad_length", "identity number must be 18 characters long", "身份证号码应为18位"},
		{BadChar, "bad_char", "identity number must be 17 digits followed by a digit or X", "身份证号码前17位应为数字,末位应为数字或X"},
		{BadDate, "bad_date", "identity number has an invalid birth date", "身份证号码中的出生日期无效"},
		{FutureDate, "future_date", "identity number has a birth date in the future", "身份证号码中的出生日期晚于当前日期"},
		{BadCheck, "bad_check", "identity number check character does not match", "身份证号码校验码错误"},
		{0, "invalid", "identity number is invalid", "身份证号码无效"},
		{99, "invalid", "identity number is invalid", "身份证号码无效"},
	}
	for _, tt := range tests {
		if got := tt.give.String(); got != tt.wantName {
			t.Errorf("Reason(%d).String() = %q, want %q", tt.give, got, tt.wantName)
		}
		if got := tt.give.Error(); got != tt.wantEN {
			t.Errorf("Reason(%d).Error() = %q, want %q", tt.give, got, tt.wantEN)
		}
		if got := tt.give.ZH(); got != tt.wantZH {
			t.Errorf("Reason(%d).ZH() = %q, want %q", tt.give, got, tt.wantZH)
		}
	}
}

func TestReasonAs(t *testing.T) {
	_, err := Parse("11010519491231003X", now)
	var r Reason
	if !errors.As(err, &r) || r != BadCheck {
		t.Errorf("errors.As(Parse(...), *Reason) = %v, want %v", r, BadCheck)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Parse("11010519491231002X", now)
	}
}

func BenchmarkParseInvalid(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Parse("11010519491231003X", now)
	}
}

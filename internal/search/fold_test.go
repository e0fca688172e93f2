package search

import (
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct {
		give, want string
	}{
		{"电子证照", "电子证照"},
		{"電子證照", "电子证照"},
		{"營業執照", "营业执照"},
		{"社會保險參保信息", "社会保险参保信息"},
		{"人口", "人口"},
		{"ＧＤＰ統計", "gdp统计"},
		{"１０１００１／０００１２３", "101001/000123"},
		{"Open　Data", "open data"},
		{"plain ascii 123", "plain ascii 123"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.give); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

// Indexed text and queries are folded once each, so folding must not
// change already folded text.
func TestFoldIdempotent(t *testing.T) {
	for r := rune(bmpLo); r <= bmpHi; r++ {
		once := Fold(string(r))
		if twice := Fold(once); twice != once {
			t.Errorf("Fold(Fold(%q)) = %q, want %q", string(r), twice, once)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"電子證照", "ＡＢＣ", "101001/000123", "\xff", "𠀋"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q, not valid UTF-8", s, got)
		}
		if again := Fold(got); again != got {
			t.Fatalf("Fold(Fold(%q)) = %q, want %q", s, again, got)
		}
	})
}

func BenchmarkFold(b *testing.B) {
	s := "居民身份證信息，包括公民身份號碼、姓名、性別、民族、出生日期、住址等。社會保險參保登記"
	b.SetBytes(int64(len(s)))
	cpu := cpuTime()
	for b.Loop() {
		Fold(s)
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

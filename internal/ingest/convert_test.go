package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/records"
)

func TestTrimIsTrimSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a ", "张三", " 张三", "张三\u3000", "\u00a0x", "x\u0085", "\u2029", "\t\r\n", "a\u200bb", "中\u202f", "É"} {
		if got, want := trim(s), strings.TrimSpace(s); got != want {
			t.Errorf("trim(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzTrim(f *testing.F) {
	f.Add("张三\u3000")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trim(s), strings.TrimSpace(s); got != want {
			t.Errorf("trim(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestConvert(t *testing.T) {
	day := func(s string) int64 {
		d, _ := time.Parse("2006-01-02", s)
		return d.Unix() / 86400
	}
	us := func(s string) int64 {
		d, _ := time.Parse("2006-01-02 15:04:05.999999", s)
		return d.UnixMicro()
	}
	tests := []struct {
		typ  records.Type
		give string
		want any // int64, float64, bool, string or nil for NULL
		ok   bool
	}{
		{records.Date, "2000-02-29", day("2000-02-29"), true},
		{records.Date, "19991231", day("1999-12-31"), true},
		{records.Date, "1900-02-29", nil, false},
		{records.Date, "1969-07-20", day("1969-07-20"), true},
		{records.Timestamp, "2024-01-02 03:04:05", us("2024-01-02 03:04:05"), true},
		{records.Timestamp, "20240102030405", us("2024-01-02 03:04:05"), true},
		{records.Timestamp, "2024-01-02T03:04:05.25Z", us("2024-01-02 11:04:05.25"), true},
		{records.Timestamp, "2024-01-02 03:04+08:00", us("2024-01-02 03:04:00"), true},
		{records.Timestamp, "2024-01-02 24:00:00", nil, false},
		{records.Int, "+42", int64(42), true},
		{records.Int, "4.2", nil, false},
		{records.Float, "-1.5e3", -1500.0, true},
		{records.Bool, "是", true, true},
		{records.Bool, "N", false, true},
		{records.Text, "x", "x", true},
		{records.Text, "", nil, true},
	}
	for _, tt := range tests {
		var v records.Vector
		ok := appendValue(&v, tt.typ, tt.give)
		var got any
		if v.Valid[0] {
			switch tt.typ {
			case records.Text:
				got = v.Str[0]
			case records.Float:
				got = v.Float[0]
			case records.Bool:
				got = v.Bool[0]
			default:
				got = v.Int[0]
			}
		}
		if ok != tt.ok || got != tt.want {
			t.Errorf("appendValue(%s, %q) = %v, %v; want %v, %v", tt.typ, tt.give, got, ok, tt.want, tt.ok)
		}
	}
}

func TestKeyText(t *testing.T) {
	tests := []struct {
		typ        records.Type
		give, want string
	}{
		{records.Date, "20000229", "2000-02-29"},
		{records.Timestamp, "20240102030405", "2024-01-02 03:04:05.000000"},
		{records.Int, "+7", "7"},
		{records.Text, " A1 ", "A1"},
	}
	for _, tt := range tests {
		if got, ok := keyText(tt.typ, tt.give); !ok || got != tt.want {
			t.Errorf("keyText(%s, %q) = %q, %v; want %q", tt.typ, tt.give, got, ok, tt.want)
		}
	}
}

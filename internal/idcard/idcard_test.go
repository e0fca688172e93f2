package idcard

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func TestRegion(t *testing.T) {
	tests := []struct {
		give    string
		want    string
		wantErr error
	}{
		{"11010519491231002X", "110105", nil},
		{"44052418800101001Y", "440524", nil}, // only the region is read
		{"11A10519491231002X", "", BadChar},
		{"110105", "", BadLength},
	}
	for _, tt := range tests {
		got, err := Region(tt.give)
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("Region(%q) = %q, %v, want %q, %v", tt.give, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestIDRegionParts(t *testing.T) {
	id, err := Parse("11010519491231002X", now)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := id.Province(), "11"; got != want {
		t.Errorf("Province() = %q, want %q", got, want)
	}
	if got, want := id.Prefecture(), "1101"; got != want {
		t.Errorf("Prefecture() = %q, want %q", got, want)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		give string
		want string
	}{
		{"11010519491231002x", "11010519491231002X"},
		{" 11010519491231002x\t", "11010519491231002X"},
		{"11010519491231002X", "11010519491231002X"},
		{"440524188001010014", "440524188001010014"},
		{"x", "x"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.give); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestSexString(t *testing.T) {
	tests := []struct {
		give Sex
		want string
	}{
		{Male, "male"},
		{Female, "female"},
		{0, "unknown"},
	}
	for _, tt := range tests {
		if got := tt.give.String(); got != tt.want {
			t.Errorf("Sex(%d).String() = %q, want %q", tt.give, got, tt.want)
		}
	}
}

// TestGenerateRoundTrip generates a number for every day from 1900 to 2025
// and checks that Parse gives back what went in.
func TestGenerateRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	regions := []string{"110105", "310115", "440305", "650102", "542621"}
	i := 0
	for birth := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); birth.Year() < 2026; birth = birth.AddDate(0, 0, 1) {
		region := regions[i%len(regions)]
		sex := Male
		if i%2 == 0 {
			sex = Female
		}
		i++
		s := Generate(rnd, region, birth, sex)
		got, err := Parse(s, time.Date(2026, 1, 1, 0, 0, 0, 0, cst))
		if err != nil {
			t.Fatalf("Parse(Generate(rnd, %q, %v, %v) = %q) error = %v", region, birth, sex, s, err)
		}
		want := ID{Region: region, Birth: birth, Sex: sex}
		if got != want {
			t.Fatalf("Parse(Generate(...) = %q) = %+v, want %+v", s, got, want)
		}
		if seq := s[14:17]; seq == "000" {
			t.Fatalf("Generate(...) = %q, sequence 000", s)
		}
	}
}

func TestGenerateCivilDate(t *testing.T) {
	// 1 May 1990 00:30 in China is still 30 April in UTC; the date is read
	// in the location given.
	birth := time.Date(1990, 5, 1, 0, 30, 0, 0, cst)
	s := Generate(rand.New(rand.NewPCG(1, 1)), "110105", birth, Male)
	if got, want := s[6:14], "19900501"; got != want {
		t.Errorf("Generate(birth %v) date = %q, want %q", birth, got, want)
	}
}

func TestGeneratePanics(t *testing.T) {
	birth := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		region string
		birth  time.Time
		sex    Sex
	}{
		{"11010", birth, Male},
		{"11010A", birth, Male},
		{"110105", time.Date(1799, 12, 31, 0, 0, 0, 0, time.UTC), Male},
		{"110105", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Male},
		{"110105", birth, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %v %v", tt.region, tt.birth.Year(), tt.sex), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Generate(rnd, %q, %v, %v) did not panic", tt.region, tt.birth, tt.sex)
				}
			}()
			Generate(rand.New(rand.NewPCG(1, 1)), tt.region, tt.birth, tt.sex)
		})
	}
}

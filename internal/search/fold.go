package search

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Fold returns s as the index holds text: traditional Chinese characters
// as simplified ones, full-width ASCII as half-width, letters in lower
// case. Indexed text and queries go through the same Fold, so 電子證照 and
// 电子证照 match each other.
//
// Characters are converted one at a time with OpenCC's t2s character
// table, not its phrase table: the same character always folds the same
// way, whatever surrounds it, which is what matching needs.
func Fold(s string) string {
	if isPlain(s) {
		return s
	}
	t := t2s()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(t, r))
	}
	return b.String()
}

// isPlain reports whether s is ASCII without upper-case letters, which
// Fold leaves as it is.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func foldRune(t *t2sTable, r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r == '\u3000': // ideographic space
		return ' '
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return foldRune(t, r-0xFEE0)
	}
	if s, ok := t.lookup(r); ok {
		return s
	}
	if r >= 0x2E80 && r <= 0xFAFF || r >= 0x20000 { // CJK: no case
		return r
	}
	return unicode.ToLower(r)
}

// The t2s character table. Traditional characters that OpenCC converts
// all lie in U+3400..U+9FFF or in the supplementary ideographic planes.
// The basic-plane part is built once, on first use, by converting every
// character of the range in a single OpenCC call (about 50 ms); the rare
// supplementary characters are converted when first seen and remembered.
const bmpLo, bmpHi = 0x3400, 0x9FFF

type t2sTable struct {
	bmp []rune // bmp[r-bmpLo] is the simplified form, or 0 if r is unchanged
	cc  *opencc.OpenCC

	mu   sync.Mutex
	supp map[rune]rune
}

var (
	t2sOnce  sync.Once
	t2sValue *t2sTable
	t2sErr   error
)

// loadT2S builds the table; Open calls it so that a broken dictionary is
// an error there rather than silently unfolded text later.
func loadT2S() (*t2sTable, error) {
	t2sOnce.Do(func() { t2sValue, t2sErr = buildT2S() })
	return t2sValue, t2sErr
}

// t2s returns the table, or an empty one if it could not be built (Open
// has already reported that).
func t2s() *t2sTable {
	t, err := loadT2S()
	if err != nil {
		return &t2sTable{}
	}
	return t
}

func buildT2S() (*t2sTable, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, fmt.Errorf("load opencc t2s: %w", err)
	}
	// One character per line: no phrase can span a line break, so every
	// character is converted on its own.
	var b strings.Builder
	b.Grow((bmpHi - bmpLo + 1) * 4)
	for r := rune(bmpLo); r <= bmpHi; r++ {
		b.WriteRune(r)
		b.WriteByte('\n')
	}
	out, err := cc.Convert(b.String())
	if err != nil {
		return nil, fmt.Errorf("opencc t2s: %w", err)
	}
	lines := strings.Split(out, "\n")
	if len(lines) != bmpHi-bmpLo+2 {
		return nil, fmt.Errorf("opencc t2s: got %d lines, want %d", len(lines), bmpHi-bmpLo+2)
	}
	t := &t2sTable{bmp: make([]rune, bmpHi-bmpLo+1), cc: cc, supp: map[rune]rune{}}
	for i, line := range lines[:len(lines)-1] {
		r := rune(bmpLo + i)
		if s, ok := single(line); ok && s != r {
			t.bmp[i] = s
		}
	}
	// A few conversions chain (薴 → 苧 → 苎); follow them so that folding
	// folded text changes nothing.
	for i := range t.bmp {
		t.bmp[i] = t.follow(t.bmp[i])
	}
	return t, nil
}

// follow returns where r ends up after repeated conversion, or r.
func (t *t2sTable) follow(r rune) rune {
	for range 4 {
		if r < bmpLo || r > bmpHi || t.bmp[r-bmpLo] == 0 || t.bmp[r-bmpLo] == r {
			return r
		}
		r = t.bmp[r-bmpLo]
	}
	return r
}

func (t *t2sTable) lookup(r rune) (rune, bool) {
	if r >= bmpLo && r <= bmpHi {
		if t.bmp == nil {
			return 0, false
		}
		s := t.bmp[r-bmpLo]
		return s, s != 0
	}
	if r < 0x20000 || r > 0x3FFFF || t.cc == nil {
		return 0, false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.supp[r]
	if !ok {
		s = r
		if out, err := t.cc.Convert(string(r)); err == nil {
			if c, ok := single(out); ok {
				s = t.follow(c)
			}
		}
		t.supp[r] = s
	}
	return s, s != r
}

// single returns the only rune of s.
func single(s string) (rune, bool) {
	r, n := utf8.DecodeRuneInString(s)
	return r, n > 0 && n == len(s) && r != utf8.RuneError
}

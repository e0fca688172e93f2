package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text is analysed into terms. A run of CJK characters gives its
// character pairs (a lone character gives itself, as a single); a run of
// other letters and digits gives one word; anything else separates.
// Terms are kept as numbers: pairs and singles pack their runes into a
// uint64, words get one from the index's dictionary.
const (
	kindPair   = 1 << 42
	kindSingle = 2 << 42
)

func pairKey(a, b rune) uint64 { return kindPair | uint64(a)<<21 | uint64(b) }
func singleKey(r rune) uint64  { return kindSingle | uint64(r) }

func isCJK(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	if r < 0x2E80 {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// terms is the analysis of one text field: the distinct pair keys and
// words, the singles (for fields that keep them) and the number of terms.
type terms struct {
	keys    []uint64 // pairs, sorted, distinct
	words   []string // sorted, distinct
	singles []uint64 // single-character keys, sorted, distinct
	n       int      // pairs and words, with repeats
}

// analyze adds the terms of folded text s to t. Singles are recorded
// only if withSingles.
func (t *terms) analyze(s string, withSingles bool) {
	var prev rune
	run := 0 // length of the current CJK run
	wordStart := -1
	for i, r := range s {
		if isCJK(r) {
			if wordStart >= 0 {
				t.addWord(s[wordStart:i])
				wordStart = -1
			}
			if run > 0 {
				t.keys = append(t.keys, pairKey(prev, r))
				t.n++
			}
			if withSingles {
				t.singles = append(t.singles, singleKey(r))
			}
			prev, run = r, run+1
			continue
		}
		if run == 1 {
			t.n++ // a lone character counts towards the length
		}
		run = 0
		if isWordRune(r) {
			if wordStart < 0 {
				wordStart = i
			}
		} else if wordStart >= 0 {
			t.addWord(s[wordStart:i])
			wordStart = -1
		}
	}
	if run == 1 {
		t.n++
	}
	if wordStart >= 0 {
		t.addWord(s[wordStart:])
	}
}

func (t *terms) addWord(w string) {
	t.words = append(t.words, w)
	t.n++
}

// finish sorts and deduplicates.
func (t *terms) finish() {
	slices.Sort(t.keys)
	t.keys = slices.Compact(t.keys)
	slices.Sort(t.words)
	t.words = slices.Compact(t.words)
	slices.Sort(t.singles)
	t.singles = slices.Compact(t.singles)
}

// Text fields and how much a match in each weighs.
const (
	fName = iota
	fKeywords
	fText // items, summary and organisation name
	numFields
)

var fieldBoost = [numFields]float64{3, 2, 1}

// analysed is a document ready to be indexed.
type analysed struct {
	doc     *Doc
	code    string
	fields  [numFields]terms
	singles []uint64 // characters of name, keywords and items
}

// tagSep joins the parts of a document folded together; it separates
// terms like any other control character.
const tagSep = "\x1f"

func analyse(d *Doc) *analysed {
	parts := [5]string{Fold(d.Name), Fold(strings.Join(d.Keywords, tagSep)), Fold(strings.Join(d.Items, tagSep)),
		Fold(d.Summary), Fold(d.OrgName)}
	a := &analysed{doc: d, code: Fold(strings.TrimSpace(d.Code))}
	a.fields[fName].analyze(parts[0], false)
	a.fields[fKeywords].analyze(parts[1], false)
	for _, p := range parts[2:] {
		a.fields[fText].analyze(p, false)
	}
	var uni terms
	for _, p := range parts[:3] {
		uni.analyze(p, true)
	}
	for i := range a.fields {
		a.fields[i].finish()
	}
	uni.finish()
	a.singles = uni.singles
	return a
}

// token is one query term.
type token struct {
	key    uint64 // pair or single key; 0 for a word
	word   string
	single bool
}

// tokens returns the distinct terms of query word w (folded).
func tokens(w string) []token {
	var t terms
	t.analyze(w, true)
	var out []token
	// A single is a term only where the character stands alone.
	for _, k := range t.keys {
		out = appendToken(out, token{key: k})
	}
	alone := lone(w)
	for _, r := range alone {
		out = appendToken(out, token{key: singleKey(r), single: true})
	}
	for _, wd := range t.words {
		out = appendToken(out, token{word: wd})
	}
	return out
}

func appendToken(ts []token, t token) []token {
	if slices.Contains(ts, t) {
		return ts
	}
	return append(ts, t)
}

// lone returns the CJK characters of s with no CJK neighbour.
func lone(s string) []rune {
	rs := []rune(s)
	var out []rune
	for i, r := range rs {
		if !isCJK(r) {
			continue
		}
		if (i == 0 || !isCJK(rs[i-1])) && (i == len(rs)-1 || !isCJK(rs[i+1])) {
			out = append(out, r)
		}
	}
	return out
}

package search

import (
	"math"
	"strings"
	"unicode"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/pubdata/pubdata/internal/apperr"
)

// Relevance of a code match, against text matches (see score.go).
const (
	codeBoost       = 5
	codePrefixBoost = 2
	// minShould is the share of a word's tokens a document must contain
	// when a search relaxes (see level). Chinese is typed without spaces:
	// in 泉州人口 the pair 州人 spans two words and is rarely where 泉州 and
	// 人口 are.
	minShould = 0.6
)

// level is how strictly a text query matches. Search tries each in turn
// until one matches something.
type level int

const (
	allTokens     level = iota // every token of every word
	mostTokens                 // most tokens of every word
	mostTokensAny              // most tokens of any word
)

// levels returns the levels worth trying for ws: a relaxed level that
// would match the same documents as a stricter one is skipped.
func levels(ws []word) []level {
	out := []level{allTokens}
	for _, w := range ws {
		for _, v := range w.variants {
			if n := len(v); needed(n, mostTokens) < n {
				out = append(out, mostTokens)
				break
			}
		}
		if len(out) > 1 {
			break
		}
	}
	if len(ws) > 1 {
		out = append(out, mostTokensAny)
	}
	return out
}

// needed is how many of n tokens a document must hold at level lv.
func needed(n int, lv level) int {
	if lv == allTokens {
		return n
	}
	return int(math.Ceil(minShould * float64(n)))
}

// words splits folded query text at spaces and punctuation, keeping the
// punctuation that occurs in resource codes.
func splitWords(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool {
		if unicode.IsSpace(r) {
			return true
		}
		return unicode.IsPunct(r) && !strings.ContainsRune("/-_.:#", r)
	})
}

// word is one query word: the text as typed and with its abbreviations
// spelled out, each as tokens, and whether it may be a code.
type word struct {
	text     string
	variants [][]token
	code     bool // may be a whole code (ASCII)
	prefix   bool // may be the start of a code
}

func parseWords(text string) []word {
	var out []word
	for _, w := range splitWords(Fold(text)) {
		pw := word{text: w, code: isASCII(w), prefix: codeLike(w)}
		for _, v := range append([]string{w}, expansions(w)...) {
			if ts := tokens(v); len(ts) > 0 {
				pw.variants = append(pw.variants, ts)
			}
		}
		out = append(out, pw)
	}
	return out
}

// scratch is per-search working memory indexed by slot.
type scratch struct {
	counts []uint8
	scores []float32
	slots  []uint32
}

func (s *scratch) size(n int) {
	if len(s.counts) < n {
		s.counts = make([]uint8, n+n/4)
		s.scores = make([]float32, n+n/4)
	}
}

// matchText returns the live slots matching ws at level lv.
func (m *mem) matchText(ws []word, lv level, sc *scratch) *roaring.Bitmap {
	var out *roaring.Bitmap
	for _, w := range ws {
		set := m.matchWord(w, lv, sc)
		switch {
		case out == nil:
			out = set
		case lv == mostTokensAny:
			out.Or(set)
		default:
			out.And(set)
		}
		if lv != mostTokensAny && out.IsEmpty() {
			break
		}
	}
	if out == nil {
		return roaring.New()
	}
	out.And(m.live)
	return out
}

// matchWord returns the slots where w matches: as a code, the start of a
// code, or any of its variants in the text.
func (m *mem) matchWord(w word, lv level, sc *scratch) *roaring.Bitmap {
	out := roaring.New()
	if w.code || w.prefix {
		out.Or(m.codeMatches(w.text, w.prefix))
	}
	for _, v := range w.variants {
		out.Or(m.matchTokens(v, lv, sc))
	}
	return out
}

// tokenSlots returns the slots holding t in any field.
func (m *mem) tokenSlots(t token) *roaring.Bitmap {
	p := m.lookup(t)
	if p == nil {
		return roaring.New()
	}
	if t.single {
		return p[fName]
	}
	return roaring.FastOr(p[:]...)
}

// matchTokens returns the slots holding enough of ts for level lv.
func (m *mem) matchTokens(ts []token, lv level, sc *scratch) *roaring.Bitmap {
	need := needed(len(ts), lv)
	if need == len(ts) {
		bms := make([]*roaring.Bitmap, len(ts))
		for i, t := range ts {
			if bms[i] = m.tokenSlots(t); bms[i].IsEmpty() {
				return roaring.New()
			}
		}
		if len(bms) == 1 {
			return bms[0].Clone()
		}
		return roaring.FastAnd(bms...)
	}
	// Count, per slot, the tokens held.
	sc.size(len(m.ids))
	touched := roaring.New()
	for _, t := range ts {
		bm := m.tokenSlots(t)
		touched.Or(bm)
		it := bm.ManyIterator()
		buf := make([]uint32, 512)
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, s := range buf[:n] {
				sc.counts[s]++
			}
		}
	}
	out := roaring.New()
	it := touched.ManyIterator()
	buf := make([]uint32, 512)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, s := range buf[:n] {
			if int(sc.counts[s]) >= need {
				out.Add(s)
			}
			sc.counts[s] = 0
		}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// codeLike reports whether w could be (the start of) a resource code such
// as 101001/000123: long enough, and only digits, latin letters and
// separators.
func codeLike(w string) bool {
	if len(w) < 4 {
		return false
	}
	digits := 0
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z', strings.ContainsRune("/-_.", r):
		default:
			return false
		}
	}
	return digits > 0
}

// checkFilters rejects unknown filter keys.
func checkFilters(fs map[string][]string) error {
	for k := range fs {
		if _, ok := filterIndex(k); !ok {
			return apperr.New(apperr.Invalid, "unknown search filter", "未知的检索筛选条件").
				With(k, "not a filter; use one of "+strings.Join(FilterKeys(), ", "), "不是筛选条件")
		}
	}
	return nil
}

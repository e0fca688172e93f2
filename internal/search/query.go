package search

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/pubdata/pubdata/internal/apperr"
)

// Relevance: where a query token is found, and how much that weighs.
var (
	bigramFields  = []weighted{{fName, 3}, {fKeywords, 2}, {fText, 1}}
	unigramFields = []weighted{{fUni, 1}}
)

const (
	codeBoost       = 5
	codePrefixBoost = 2
	// minShould is the share of a word's tokens a document must contain
	// when a search relaxes (see level). Chinese is typed without spaces:
	// in 泉州人口 the pair 州人 spans two words and is rarely where 泉州 and
	// 人口 are.
	minShould = 0.6
)

type weighted struct {
	field string
	boost float64
}

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
func levels(ws []string) []level {
	out := []level{allTokens}
	for _, w := range ws {
		if n := len(tokens(w)); int(math.Ceil(minShould*float64(n))) < n {
			out = append(out, mostTokens)
			break
		}
	}
	if len(ws) > 1 {
		out = append(out, mostTokensAny)
	}
	return out
}

// queryAnalyzer analyses query words as the bigram fields are analysed.
var queryAnalyzer = func() analysis.Analyzer {
	a, err := registry.NewCache().AnalyzerNamed(cjk.AnalyzerName)
	if err != nil {
		panic(err) // the cjk package registers it on import
	}
	return a
}()

// words splits folded query text at spaces and punctuation, keeping the
// punctuation that occurs in resource codes.
func words(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool {
		if unicode.IsSpace(r) {
			return true
		}
		return unicode.IsPunct(r) && !strings.ContainsRune("/-_.:#", r)
	})
}

type token struct {
	term   string
	single bool // one CJK character
}

// tokens returns w's distinct analysed tokens.
func tokens(w string) []token {
	var out []token
	for _, t := range queryAnalyzer.Analyze([]byte(w)) {
		tok := token{string(t.Term), t.Type == analysis.Single}
		if !slices.Contains(out, tok) {
			out = append(out, tok)
		}
	}
	return out
}

// textQuery matches documents with the words ws at level lv.
func textQuery(ws []string, lv level) query.Query {
	qs := make([]query.Query, 0, len(ws))
	for _, w := range ws {
		qs = append(qs, wordQuery(w, lv))
	}
	if len(qs) == 1 {
		return qs[0]
	}
	if lv == mostTokensAny {
		return query.NewDisjunctionQuery(qs)
	}
	return query.NewConjunctionQuery(qs)
}

// wordQuery matches w in the text fields, as a resource code or as the
// start of one. An abbreviation in w also matches spelled out.
func wordQuery(w string, lv level) query.Query {
	var alts []query.Query
	if isASCII(w) { // codes are ASCII; skip the clause where it cannot match
		alts = append(alts, term(w, fCode, codeBoost))
	}
	if codeLike(w) {
		p := query.NewPrefixQuery(w)
		p.SetField(fCode)
		p.SetBoost(codePrefixBoost)
		alts = append(alts, p)
	}
	for _, v := range append([]string{w}, expansions(w)...) {
		if t := tokensQuery(tokens(v), lv); t != nil {
			alts = append(alts, t)
		}
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return query.NewDisjunctionQuery(alts)
}

// tokensQuery matches all of toks (most of them above level allTokens),
// each in any text field.
func tokensQuery(toks []token, lv level) query.Query {
	qs := make([]query.Query, 0, len(toks))
	for _, t := range toks {
		fs := bigramFields
		if t.single {
			fs = unigramFields
		}
		alts := make([]query.Query, len(fs))
		for i, f := range fs {
			alts[i] = term(t.term, f.field, f.boost)
		}
		if len(alts) == 1 {
			qs = append(qs, alts[0])
		} else {
			qs = append(qs, query.NewDisjunctionQuery(alts))
		}
	}
	switch {
	case len(qs) == 0:
		return nil
	case len(qs) == 1:
		return qs[0]
	case lv == allTokens:
		return query.NewConjunctionQuery(qs)
	}
	d := query.NewDisjunctionQuery(qs)
	d.Min = math.Ceil(minShould * float64(len(qs)))
	return d
}

func term(t, field string, boost float64) *query.TermQuery {
	q := query.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
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

package gen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/pubdata/pubdata/internal/civil"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/uscc"
)

// LegalPersonSchema is 法人基本信息: 统一社会信用代码 is the primary key,
// 注册资本 is in 万元, 行业代码 is a GB/T 4754-2017 division (大类).
func LegalPersonSchema() Schema {
	return Schema{Name: "法人基本信息", Columns: []quality.Column{
		{Name: "统一社会信用代码", Code: "TYSHXYDM", DataType: "C", Length: 18, Required: true, PrimaryKey: true, Element: quality.ElementUSCC},
		{Name: "单位名称", Code: "DWMC", DataType: "C", Length: 200, Required: true, Element: "DE00009"},
		{Name: "法定代表人", Code: "FDDBR", DataType: "C", Length: 50, Element: "DE00010"},
		{Name: "注册资本", Code: "ZCZB", DataType: "Y", Length: 18},
		{Name: "住所", Code: "ZS", DataType: "C", Length: 200, Element: "DE00006"},
		{Name: "行业代码", Code: "HYDM", DataType: "C", Length: 2, Codes: quality.Industry.Standard},
		{Name: "成立日期", Code: "CLRQ", DataType: "D", Length: 8, Required: true},
		{Name: "登记机关", Code: "DJJG", DataType: "C", Length: 100},
	}}
}

const (
	lUSCC = iota
	lName
	lRep
	lCapital
	lAddress
	lIndustry
	lFounded
	lRegistrar
	lColumns
)

var (
	foundFirst = int(civil.Days(1990, 1, 1))
	foundLast  = int(civil.Days(2024, 12, 31))
)

// usccPrefixes are registration authority and type codes of market
// entities: enterprises (91) mostly, sole proprietors (92), co-operatives
// (93).
var usccPrefixes = [...]string{"91", "91", "91", "91", "91", "91", "91", "92", "92", "93"}

// LegalPersons writes opts.Rows rows of 法人基本信息 and the ground truth.
// The codes are unique by construction (their organisation code bodies
// are a permutation of 8-digit numbers), so only injected duplicates
// repeat.
func LegalPersons(w io.Writer, truth io.Writer, opts Options) (Stats, error) {
	kinds, err := opts.check(LegalPersonKinds)
	if err != nil {
		return Stats{}, err
	}
	c, err := newCodec(opts.Encoding)
	if err != nil {
		return Stats{}, err
	}
	g := &tableGen{pools: newPools(c), r: rand.New(rand.NewPCG(opts.Seed, 0x5eed)), opts: opts, kinds: kinds,
		keys: newPerm(100000000, splitmix(opts.Seed^0x1e9a1))}
	g.cols = make([][]byte, lColumns)
	words, trades, forms := c.texts(firmWords), c.texts(firmTrades), c.texts(firmForms)
	inds := quality.Industry.Codes
	registrar := make([]text, len(g.counties))
	for i, r := range g.counties {
		registrar[i] = c.text(r.Name + registrars[0])
	}
	if c.err != nil {
		return Stats{}, c.err
	}
	return g.run(w, truth, LegalPersonSchema(), func(i int, kind string) string {
		r, cols := g.r, g.cols
		county := r.IntN(len(g.counties))
		if kind == DuplicateKey && !g.dupKey(lUSCC) {
			kind = ""
		}
		if kind != DuplicateKey {
			cols[lUSCC] = appendUSCC(cols[lUSCC][:0], usccPrefixes[r.IntN(len(usccPrefixes))], g.counties[county].Code, int(g.keys.at(uint64(i-1))))
		}
		name := cols[lName][:0]
		name = append(name, g.cityShort[county].b...)
		name = append(name, words[r.IntN(len(words))].b...)
		name = append(name, trades[r.IntN(len(trades))].b...)
		cols[lName] = append(name, forms[r.IntN(len(forms))].b...)
		sex := byte('1' + r.IntN(2))
		s, given := g.pickName(r, sex)
		cols[lRep] = g.appendName(cols[lRep][:0], s, given, sex)
		cols[lCapital] = append(appendInt(cols[lCapital][:0], 1+r.IntN(10000)*5), ".00"...)
		cols[lAddress] = g.appendAddress(cols[lAddress][:0], g.address(r, county))
		cols[lIndustry] = append(cols[lIndustry][:0], inds[r.IntN(len(inds))].Code...)
		cols[lFounded] = appendDate(cols[lFounded][:0], foundFirst+r.IntN(foundLast-foundFirst+1))
		cols[lRegistrar] = append(cols[lRegistrar][:0], registrar[county].b...)

		switch kind {
		case BadCheckChar:
			k := cols[lUSCC]
			k[17] = wrongUSCCCheck(k[17], r.IntN(30))
		case MissingRequired:
			col := [...]int{lUSCC, lName, lFounded}[r.IntN(3)]
			cols[col] = cols[col][:0]
		case OverLength:
			cols[lName] = g.appendLong(cols[lName][:0], r, g.countyText[county])
		case BadDate:
			d := cols[lFounded]
			copy(d[5:10], [...]string{"02-30", "13-01", "04-31", "00-10", "09-31"}[r.IntN(5)])
		}
		if kind == "" {
			g.remember(lUSCC)
		}
		return kind
	})
}

// appendUSCC appends a valid code: prefix, region, an 8-digit
// organisation code body n, its GB 11714 check character and the GB 32100
// check character.
func appendUSCC(b []byte, prefix, regionCode string, n int) []byte {
	start := len(b)
	b = append(b, prefix...)
	b = append(b, regionCode...)
	b = appendDigits(b, n, 8)
	b = append(b, orgCheck(b[start+8:start+16]))
	ch, err := uscc.CheckChar(string(b[start : start+17]))
	if err != nil {
		panic("gen: " + err.Error())
	}
	return append(b, ch)
}

// orgCheck computes the GB 11714 check character of an 8-digit
// organisation code body: weights 3 7 9 10 5 8 4 2, MOD 11, 10 is X.
func orgCheck(body []byte) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// usccChars are the characters of a USCC.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func wrongUSCCCheck(right byte, k int) byte {
	i := 0
	for i < len(usccChars) && usccChars[i] != right {
		i++
	}
	return usccChars[(i+1+k)%len(usccChars)]
}

// tableGen is the shared loop of the legal person and licence generators.
type tableGen struct {
	*pools
	r     *rand.Rand
	opts  Options
	kinds []string
	keys  perm
	cols  [][]byte
	line  []byte
	ring  [4096][]byte // recent valid keys
	nRing int
}

// dupKey puts an earlier valid row's key into column col; false if there
// is none yet.
func (g *tableGen) dupKey(col int) bool {
	if g.nRing == 0 {
		return false
	}
	n := min(g.nRing, len(g.ring))
	k := g.ring[(g.nRing-1-g.r.IntN(n))%len(g.ring)]
	g.cols[col] = append(g.cols[col][:0], k...)
	return true
}

// remember records the key of a valid row.
func (g *tableGen) remember(col int) {
	i := g.nRing % len(g.ring)
	g.ring[i] = append(g.ring[i][:0], g.cols[col]...)
	g.nRing++
}

// run writes the header and opts.Rows rows made by row, which fills g.cols
// for row i with the error kind given (or none) and returns the kind it
// injected.
func (g *tableGen) run(w, truth io.Writer, s Schema, row func(i int, kind string) string) (Stats, error) {
	cw := &counter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	tw := newTruth(truth)
	st := Stats{Rows: g.opts.Rows, Errors: map[string]int{}, Conflicts: map[string]int{},
		Encoding: string(g.c.enc), DeclaredEncoding: g.opts.DeclaredEncoding}
	if st.DeclaredEncoding == "" {
		st.DeclaredEncoding = st.Encoding
	}
	bw.Write(g.c.header(s.Header()))
	for i := 1; i <= g.opts.Rows; i++ {
		kind := ""
		if g.opts.ErrorRate > 0 && g.r.Float64() < g.opts.ErrorRate {
			kind = g.kinds[g.r.IntN(len(g.kinds))]
		}
		if kind = row(i, kind); kind != "" {
			st.Errors[kind]++
			tw.add(i, kind)
		}
		g.line = g.line[:0]
		for j, c := range g.cols {
			if j > 0 {
				g.line = append(g.line, ',')
			}
			g.line = append(g.line, c...)
		}
		bw.Write(append(g.line, '\r', '\n'))
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("gen: write %s: %w", s.Name, err)
	}
	st.Bytes = cw.n
	return st, tw.flush()
}

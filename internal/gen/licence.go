package gen

import (
	"io"
	"math/rand/v2"

	"github.com/pubdata/pubdata/internal/civil"
	"github.com/pubdata/pubdata/internal/idcard"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/uscc"
)

// LicenceSchema is 电子证照: 证照编号 is the primary key; 持证主体代码 is
// the holder's citizen ID number or USCC; a licence does not expire before
// it is issued. 有效期截止日期 is blank for licences without a term.
func LicenceSchema() Schema {
	return Schema{Name: "电子证照", Columns: []quality.Column{
		{Name: "证照编号", Code: "ZZBH", DataType: "C", Length: 64, Required: true, PrimaryKey: true, Element: "DE00013"},
		{Name: "证照名称", Code: "ZZMC", DataType: "C", Length: 100, Required: true},
		{Name: "证照类型代码", Code: "ZZLXDM", DataType: "C", Length: 10},
		{Name: "持证主体", Code: "CZZT", DataType: "C", Length: 200, Required: true},
		{Name: "持证主体代码", Code: "CZZTDM", DataType: "C", Length: 18, Required: true},
		{Name: "发证机关", Code: "FZJG", DataType: "C", Length: 100},
		{Name: "发证日期", Code: "FZRQ", DataType: "D", Length: 8, Required: true},
		{Name: "有效期截止日期", Code: "YXQZ", DataType: "D", Length: 8},
	}, Rules: []quality.Rule{
		{Kind: quality.KindParty, Column: "持证主体代码"},
		{Kind: quality.KindDateOrder, Columns: []string{"发证日期", "有效期截止日期"}},
	}}
}

const (
	cNumber = iota
	cName
	cType
	cHolder
	cHolderCode
	cIssuer
	cIssued
	cExpires
	cColumns
)

var (
	issueFirst = int(civil.Days(2000, 1, 1))
	issueLast  = int(civil.Days(2024, 12, 31))
)

// Licences writes opts.Rows rows of 电子证照 and the ground truth. Licence
// numbers are unique by construction; holders are drawn independently and
// may repeat.
func Licences(w io.Writer, truth io.Writer, opts Options) (Stats, error) {
	kinds, err := opts.check(LicenceKinds)
	if err != nil {
		return Stats{}, err
	}
	c, err := newCodec(opts.Encoding)
	if err != nil {
		return Stats{}, err
	}
	g := &tableGen{pools: newPools(c), r: rand.New(rand.NewPCG(opts.Seed, 0x11ce)), opts: opts, kinds: kinds,
		keys: newPerm(100000000, splitmix(opts.Seed^0x11ce))}
	g.cols = make([][]byte, cColumns)
	names := make([]text, len(licenceTypes))
	issuers := make([][]text, len(licenceTypes))
	for i, t := range licenceTypes {
		names[i] = c.text(t.name)
		for _, r := range g.counties {
			issuers[i] = append(issuers[i], c.text(r.Name+issuerSuffix[t.code]))
		}
	}
	words, trades, forms := c.texts(firmWords), c.texts(firmTrades), c.texts(firmForms)
	if c.err != nil {
		return Stats{}, c.err
	}
	return g.run(w, truth, LicenceSchema(), func(i int, kind string) string {
		r, cols := g.r, g.cols
		t := r.IntN(len(licenceTypes))
		lt := licenceTypes[t]
		county := r.IntN(len(g.counties))
		issued := issueFirst + r.IntN(issueLast-issueFirst+1)
		if kind == DuplicateKey && !g.dupKey(cNumber) {
			kind = ""
		}
		if kind != DuplicateKey {
			n := cols[cNumber][:0]
			n = append(n, lt.code...)
			n = append(n, g.counties[county].Code...)
			n = appendDigits(n, yearOf(issued), 4)
			cols[cNumber] = appendDigits(n, int(g.keys.at(uint64(i-1))), 8)
		}
		cols[cName] = append(cols[cName][:0], names[t].b...)
		cols[cType] = append(cols[cType][:0], lt.code...)
		if lt.person {
			sex := byte('1' + r.IntN(2))
			s, given := g.pickName(r, sex)
			cols[cHolder] = g.appendName(cols[cHolder][:0], s, given, sex)
			birth := birthFirst + r.IntN(int(civil.Days(2006, 12, 31))-birthFirst)
			y, m, d := civil.FromDays(int64(birth))
			idSex := idcard.Male
			if sex == '2' {
				idSex = idcard.Female
			}
			cols[cHolderCode] = append(cols[cHolderCode][:0],
				idcard.Generate(r, g.counties[county].Code, dateOf(y, m, d), idSex)...)
		} else {
			h := cols[cHolder][:0]
			h = append(h, g.cityShort[county].b...)
			h = append(h, words[r.IntN(len(words))].b...)
			h = append(h, trades[r.IntN(len(trades))].b...)
			cols[cHolder] = append(h, forms[r.IntN(len(forms))].b...)
			cols[cHolderCode] = append(cols[cHolderCode][:0], uscc.Generate(r, g.counties[county].Code)...)
		}
		cols[cIssuer] = append(cols[cIssuer][:0], issuers[t][county].b...)
		cols[cIssued] = appendDate(cols[cIssued][:0], issued)
		cols[cExpires] = cols[cExpires][:0]
		if lt.code != "JHZ" && lt.code != "BDCQ" && r.IntN(4) > 0 { // others mostly have a term
			cols[cExpires] = appendDate(cols[cExpires], issued+365*(1+r.IntN(10)))
		}

		switch kind {
		case BadCheckChar:
			breakHolderCode(cols[cHolderCode], r)
		case MissingRequired:
			col := [...]int{cNumber, cName, cHolder, cHolderCode, cIssued}[r.IntN(5)]
			cols[col] = cols[col][:0]
		case OverLength:
			cols[cHolder] = g.appendLong(cols[cHolder][:0], r, g.countyText[county])
		case DateOrder:
			cols[cExpires] = appendDate(cols[cExpires][:0], issued-1-r.IntN(3650))
		}
		if kind == "" {
			g.remember(cNumber)
		}
		return kind
	})
}

// breakHolderCode changes the check character of an ID number or USCC so
// that the code is neither a valid ID number nor a valid USCC.
func breakHolderCode(code []byte, r *rand.Rand) {
	right := code[17]
	for k := r.IntN(30); ; k++ {
		code[17] = wrongUSCCCheck(right, k%30)
		if _, err := idcard.Parse(string(code), zeroTime); err != nil && uscc.Validate(string(code)) != nil {
			return
		}
	}
}

package gen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/civil"
	"github.com/pubdata/pubdata/internal/idcard"
	"github.com/pubdata/pubdata/internal/quality"
)

// PopulationSchema is 人口基本信息 as the demo catalog declares it:
// 公民身份号码 is the primary key.
func PopulationSchema() Schema {
	return Schema{Name: "人口基本信息", Columns: []quality.Column{
		{Name: "公民身份号码", Code: "GMSFHM", DataType: "C", Length: 18, Required: true, PrimaryKey: true, Element: quality.ElementIDNumber},
		{Name: "姓名", Code: "XM", DataType: "C", Length: 50, Required: true, Element: "DE00002"},
		{Name: "性别", Code: "XB", DataType: "C", Length: 1, Required: true, Element: quality.ElementSex},
		{Name: "出生日期", Code: "CSRQ", DataType: "D", Length: 8, Required: true, Element: quality.ElementBirth},
		{Name: "民族", Code: "MZ", DataType: "C", Length: 2, Element: quality.ElementEthnic},
		{Name: "户籍地址", Code: "HJDZ", DataType: "C", Length: 200, Element: "DE00006"},
		{Name: "现住址", Code: "XZZ", DataType: "C", Length: 200},
		{Name: "手机号码", Code: "SJHM", DataType: "C", Length: 11, Element: quality.ElementMobile},
		{Name: "户籍地区划代码", Code: "HJDQHDM", DataType: "C", Length: 6, Element: quality.ElementRegion},
		{Name: "婚姻状况", Code: "HYZK", DataType: "C", Length: 2, Codes: quality.Marital.Standard},
		{Name: "文化程度", Code: "WHCD", DataType: "C", Length: 2, Codes: quality.Education.Standard},
		{Name: "登记日期", Code: "DJRQ", DataType: "D", Length: 8},
	}}
}

// Population columns.
const (
	pID = iota
	pName
	pSex
	pBirth
	pEthnic
	pHukouAddr
	pAddr
	pMobile
	pHukouRegion
	pMarital
	pEducation
	pRegistered
	pColumns
)

// Dates of the generated population, as day numbers.
var (
	birthFirst = int(civil.Days(1935, 1, 1))
	birthLast  = int(civil.Days(2023, 12, 31))
	regFirst   = int(civil.Days(1985, 1, 1))
	regLast    = int(civil.Days(2024, 12, 31))
	refYear    = 2025 // ages are counted at the start of this year
)

// Population writes opts.Rows rows of 人口基本信息 to w and the ground truth
// to truth (which may be nil). See the package documentation for the
// format.
func Population(w io.Writer, truth io.Writer, opts PopulationOptions) (Stats, error) {
	common := opts.common()
	kinds, err := common.check(PopulationKinds)
	if err != nil {
		return Stats{}, err
	}
	if !(opts.ConflictRate >= 0 && opts.ConflictRate <= 1) || opts.Source < 0 {
		return Stats{}, apperr.New(apperr.Invalid,
			"conflict rate must be between 0 and 1 and source must not be negative",
			"冲突率须在0到1之间，数据源编号不能为负数")
	}
	g, err := newPopGen(opts, kinds)
	if err != nil {
		return Stats{}, err
	}
	cw := &counter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	tw := newTruth(truth)
	st := Stats{Errors: map[string]int{}, Conflicts: map[string]int{}, Encoding: string(g.c.enc), DeclaredEncoding: opts.DeclaredEncoding}
	if st.DeclaredEncoding == "" {
		st.DeclaredEncoding = st.Encoding
	}
	bw.Write(g.c.header(PopulationSchema().Header()))
	for i := 1; i <= opts.Rows; i++ {
		kind, conflict := g.row(i)
		if kind != "" {
			st.Errors[kind]++
			tw.add(i, kind)
		} else if conflict != "" {
			st.Conflicts[conflict]++
			tw.add(i, conflict)
		}
		bw.Write(g.line)
	}
	st.Rows = opts.Rows
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("gen: write population: %w", err)
	}
	st.Bytes = cw.n
	return st, tw.flush()
}

// person is what a duplicate row repeats.
type person struct {
	id      [18]byte
	surname int
	given   [2]int // -1 for none
	sex     byte   // '1' or '2'
	birth   int    // day number
	ethnic  int
	county  int // index into counties: the 户籍 county
	home    address
}

type address struct {
	county, town, road, num, building, room int // building 0: none
}

type popGen struct {
	*pools
	r            *rand.Rand
	conflict     *rand.Rand // nil for source 0
	rate         float64
	conflictRate float64
	kinds        []string
	ids          perm
	days         int

	ethnicW weighted
	ethnics []string
	ring    [4096]person // recent valid people, for duplicates
	nRing   int

	p    person // the row's person
	cols [pColumns][]byte
	line []byte
}

func newPopGen(opts PopulationOptions, kinds []string) (*popGen, error) {
	c, err := newCodec(opts.Encoding)
	if err != nil {
		return nil, err
	}
	g := &popGen{
		pools:        newPools(c),
		r:            rand.New(rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15)),
		rate:         opts.ErrorRate,
		conflictRate: opts.ConflictRate,
		kinds:        kinds,
		days:         birthLast - birthFirst + 1,
	}
	if opts.Source > 0 {
		g.conflict = rand.New(rand.NewPCG(opts.Seed, uint64(opts.Source)))
	}
	g.ids = newPerm(uint64(len(g.counties))*uint64(g.days)*999, splitmix(opts.Seed))

	// 汉 most; 畲 (22), Fujian's largest minority, next; then 回 and the rest.
	w := make([]int, len(quality.Ethnic.Codes))
	for i, code := range quality.Ethnic.Codes {
		g.ethnics = append(g.ethnics, code.Code)
		switch code.Code {
		case "01":
			w[i] = 9700
		case "22":
			w[i] = 150
		case "03":
			w[i] = 30
		default:
			w[i] = 2
		}
	}
	g.ethnicW = newWeighted(w)
	for i := range g.cols {
		g.cols[i] = make([]byte, 0, 256)
	}
	return g, c.err
}

// newPerson draws the person of row i from the ID space into p.
func (g *popGen) newPerson(p *person, i int) {
	v := g.ids.at(uint64(i - 1))
	nc := uint64(len(g.counties))
	county := int(v % nc)
	v /= nc
	birth := birthFirst + int(v%uint64(g.days))
	seq := int(v/uint64(g.days)) + 1 // 1..999
	*p = person{county: county, birth: birth}
	copy(p.id[:6], g.counties[county].Code)
	appendYMD(p.id[6:6], birth)
	appendDigits(p.id[14:14], seq, 3)
	p.id[17] = idcard.CheckChar(string(p.id[:17]))
	p.sex = '2'
	if seq%2 == 1 {
		p.sex = '1'
	}
	r := g.r
	p.surname, p.given = g.pickName(r, p.sex)
	p.ethnic = g.ethnicW.pick(r)
	if r.IntN(10) < 2 { // moved since the number was issued
		p.county = r.IntN(len(g.counties))
	}
	p.home = g.address(r, p.county)
}

// row builds data row i into g.line and returns the injected error kind
// and the cross-source conflict kind, if any.
func (g *popGen) row(i int) (kind, conflict string) {
	r := g.r
	if g.rate > 0 && r.Float64() < g.rate {
		kind = g.kinds[r.IntN(len(g.kinds))]
	}
	p := &g.p
	if kind == DuplicateKey {
		if g.nRing == 0 {
			kind = "" // no earlier valid row yet: write a valid one
			g.newPerson(p, i)
		} else {
			n := min(g.nRing, len(g.ring))
			*p = g.ring[(g.nRing-1-r.IntN(n))%len(g.ring)]
		}
	} else {
		g.newPerson(p, i)
	}
	if kind == "" {
		g.ring[g.nRing%len(g.ring)] = *p
		g.nRing++
	}

	// Columns that a duplicate does not repeat.
	cur := p.home
	if r.IntN(10) < 4 {
		cur = g.address(r, r.IntN(len(g.counties)))
	}
	age := refYear - yearOf(p.birth)
	from := max(p.birth, regFirst)
	registered := from + r.IntN(regLast-from+1)

	if g.conflict != nil && kind == "" && g.conflict.Float64() < g.conflictRate {
		if g.conflict.IntN(2) == 0 {
			conflict = ConflictName
			pool := g.nMale
			if p.sex == '2' {
				pool = g.nFemale
			}
			p.given[0] = (p.given[0] + 1 + g.conflict.IntN(pool-1)) % pool
		} else {
			conflict = ConflictAddress
			p.home.road = (p.home.road + 1 + g.conflict.IntN(len(g.roads)-1)) % len(g.roads)
		}
	}

	c := &g.cols
	c[pID] = append(c[pID][:0], p.id[:]...)
	c[pName] = g.appendName(c[pName][:0], p.surname, p.given, p.sex)
	c[pSex] = append(c[pSex][:0], p.sex)
	c[pBirth] = appendDate(c[pBirth][:0], p.birth)
	c[pEthnic] = append(c[pEthnic][:0], g.ethnics[p.ethnic]...)
	c[pHukouAddr] = g.appendAddress(c[pHukouAddr][:0], p.home)
	c[pAddr] = g.appendAddress(c[pAddr][:0], cur)
	c[pMobile] = appendMobile(c[pMobile][:0], r)
	c[pHukouRegion] = append(c[pHukouRegion][:0], g.counties[p.county].Code...)
	c[pMarital] = append(c[pMarital][:0], marital(r, age)...)
	c[pEducation] = append(c[pEducation][:0], education(r, age)...)
	c[pRegistered] = appendDate(c[pRegistered][:0], registered)

	if kind != "" && kind != DuplicateKey {
		g.inject(kind, p)
	}
	g.line = g.line[:0]
	for j := range c {
		if j > 0 {
			g.line = append(g.line, ',')
		}
		g.line = append(g.line, c[j]...)
	}
	g.line = append(g.line, '\r', '\n')
	return kind, conflict
}

// mobilePrefixes are mainland mobile number blocks.
var mobilePrefixes = []string{"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "170", "173", "175", "176",
	"177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "193",
	"195", "196", "197", "198", "199"}

func appendMobile(b []byte, r *rand.Rand) []byte {
	x := r.Uint64()
	b = append(b, mobilePrefixes[x%uint64(len(mobilePrefixes))]...)
	return appendDigits(b, int(x/uint64(len(mobilePrefixes))%100000000), 8)
}

func yearOf(day int) int {
	y, _, _ := civil.FromDays(int64(day))
	return y
}

// marital draws a GB/T 2261.2 code plausible for the age.
func marital(r *rand.Rand, age int) string {
	if age < 20 {
		return "10"
	}
	n := r.IntN(100)
	switch {
	case age < 30 && n < 50, n < 5:
		return "10"
	case n < 60:
		return "20"
	case n < 75:
		return "21"
	case n < 83:
		return "22"
	case n < 85:
		return "23"
	case n < 92 && age >= 60:
		return "30"
	case n < 98:
		return "40"
	}
	return "90"
}

// education draws a GB/T 4658 code plausible for the age.
func education(r *rand.Rand, age int) string {
	switch {
	case age < 7:
		return "90"
	case age < 13:
		return "80"
	case age < 16:
		return "70"
	case age < 19:
		return [...]string{"60", "40", "44", "70"}[r.IntN(4)]
	}
	return [...]string{"11", "14", "14", "21", "21", "21", "31", "31", "31", "41", "44", "47",
		"61", "61", "61", "71", "71", "71", "71", "81", "81", "83", "90"}[r.IntN(23)]
}

// PopulationFile writes Population to path and its ground truth to
// path.truth.csv, synced to disk.
func PopulationFile(path string, opts PopulationOptions) (Stats, error) {
	f, err := os.Create(path)
	if err != nil {
		return Stats{}, err
	}
	defer f.Close()
	t, err := os.Create(path + ".truth.csv")
	if err != nil {
		return Stats{}, err
	}
	defer t.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	st, err := Population(w, t, opts)
	if err != nil {
		return st, err
	}
	if err := w.Flush(); err != nil {
		return st, err
	}
	if err := t.Sync(); err != nil {
		return st, err
	}
	return st, f.Sync()
}

// Package region is the table of administrative division codes
// (行政区划代码, GB/T 2260) at province, prefecture and county level,
// shipped with the program as data. See README.md for what the table
// covers, where it comes from and what it lacks.
//
// A code has 6 digits: 2 for the province, 2 for the prefecture and 2 for
// the county. A province code ends in 0000 (350000 福建省), a prefecture
// code in 00 (350100 福州市), a county code in neither (350102 鼓楼区).
//
// Codes change over time: counties are merged, renamed and renumbered.
// Version tells which edition the table is. Citizen ID numbers keep the
// code of the place where they were first issued, so they may carry codes
// that have since been abolished: ValidPrefix accepts those as long as the
// province and prefecture are known.
//
// The table is read once, on first use. Every function is safe for
// concurrent use and Valid and ValidPrefix do not allocate.
package region

import (
	_ "embed"
	"sort"
	"strings"
	"sync"

	"github.com/pubdata/pubdata/internal/civil"
)

// Level is the level of a division.
type Level uint8

const (
	Province   Level = 1 // 省级: province, autonomous region, municipality, SAR
	Prefecture Level = 2 // 地级: prefecture-level city, prefecture, league, autonomous prefecture
	County     Level = 3 // 县级: district, county, county-level city, banner, ...
)

func (l Level) String() string {
	switch l {
	case Province:
		return "province"
	case Prefecture:
		return "prefecture"
	case County:
		return "county"
	}
	return "unknown"
}

// Region is one division of the table.
type Region struct {
	Code   string // 6 digits
	Name   string // short name as in the table, e.g. 鼓楼区
	Level  Level
	Parent string // code of the enclosing division; "" for a province
}

//go:embed regions.tsv
var regionsTSV string

// FormerPrefixes are 4-digit province+prefecture prefixes that are no
// longer in the table but that citizen ID numbers issued before the
// prefecture was renumbered still carry. ValidPrefix accepts them. The
// list is short and incomplete: see README.md.
var FormerPrefixes = []string{
	"3521", // 建阳地区, later 南平地区, now 南平市 3507 (1994)
	"3522", // 宁德地区, now 宁德市 3509 (2000)
	"3526", // 龙岩地区, now 龙岩市 3508 (1997)
}

// table is the parsed data.
type table struct {
	version string
	source  string
	regions []Region    // sorted by code
	codes   []uint64    // bit set over the 1,000,000 6-digit codes
	pre     [157]uint64 // bit set over the 10,000 4-digit prefixes
}

var load = sync.OnceValue(func() *table { return parse(regionsTSV) })

// parse reads the embedded table. It panics on a malformed line: the data
// is part of the program and its tests.
func parse(text string) *table {
	t := &table{codes: make([]uint64, 1000000/64+1)}
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n")
		if rest, ok := strings.CutPrefix(line, "# version: "); ok {
			t.version = rest
			continue
		}
		if rest, ok := strings.CutPrefix(line, "# source: "); ok {
			t.source = rest
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		code, name, ok := strings.Cut(line, "\t")
		n, digits := number(code)
		if !ok || !digits || name == "" {
			panic("region: malformed line in regions.tsv: " + line)
		}
		t.regions = append(t.regions, Region{Code: code, Name: name, Level: levelOf(code)})
		t.codes[n/64] |= 1 << (n % 64)
	}
	if !sort.SliceIsSorted(t.regions, func(i, j int) bool { return t.regions[i].Code < t.regions[j].Code }) {
		panic("region: regions.tsv is not sorted by code")
	}
	for i := range t.regions {
		r := &t.regions[i]
		switch r.Level {
		case Prefecture:
			r.Parent = r.Code[:2] + "0000"
		case County:
			if t.has(r.Code[:4] + "00") {
				r.Parent = r.Code[:4] + "00"
			} else {
				r.Parent = r.Code[:2] + "0000" // under a municipality or 省直辖
			}
		}
		if r.Level != Province {
			t.setPrefix(r.Code[:4])
		}
	}
	for _, p := range FormerPrefixes {
		t.setPrefix(p)
	}
	return t
}

func (t *table) setPrefix(p string) {
	n, _ := number(p)
	t.pre[n/64] |= 1 << (n % 64)
}

func (t *table) has(code string) bool {
	n, ok := number(code)
	return ok && len(code) == 6 && t.codes[n/64]&(1<<(n%64)) != 0
}

func levelOf(code string) Level {
	switch {
	case code[2:] == "0000":
		return Province
	case code[4:] == "00":
		return Prefecture
	}
	return County
}

// number reads a string of at most 6 ASCII digits.
func number(s string) (n int, ok bool) {
	if len(s) > 6 {
		return 0, false
	}
	return civil.Digits(s)
}

// Valid reports whether code is a 6-digit code in the table, at any level.
func Valid(code string) bool {
	return len(code) == 6 && load().has(code)
}

// ValidPrefix reports whether code is 6 digits whose province and
// prefecture (its first 4 digits) are known: either a code in the table or
// a code under a prefecture of the table or of FormerPrefixes. It is the
// check for the region part of citizen ID numbers, which may carry county
// codes abolished since the number was issued.
func ValidPrefix(code string) bool {
	if len(code) != 6 {
		return false
	}
	n, ok := number(code)
	if !ok {
		return false
	}
	t := load()
	if t.codes[n/64]&(1<<(n%64)) != 0 {
		return true
	}
	p := n / 100
	return t.pre[p/64]&(1<<(p%64)) != 0
}

// Lookup returns the division with the given code.
func Lookup(code string) (Region, bool) {
	t := load()
	i := sort.Search(len(t.regions), func(i int) bool { return t.regions[i].Code >= code })
	if i < len(t.regions) && t.regions[i].Code == code {
		return t.regions[i], true
	}
	return Region{}, false
}

// FullName returns the names of code and of the divisions above it,
// joined: "福建省福州市鼓楼区", "北京市东城区". It returns "" for a code not
// in the table.
func FullName(code string) string {
	r, ok := Lookup(code)
	if !ok {
		return ""
	}
	name := r.Name
	for r.Parent != "" {
		r, _ = Lookup(r.Parent)
		name = r.Name + name
	}
	return name
}

// Version returns the date of the edition of the table, as YYYY-MM-DD.
func Version() string { return load().version }

// Source says where the table comes from.
func Source() string { return load().source }

// All returns every division of the table, sorted by code. The slice is a
// copy.
func All() []Region {
	return append([]Region(nil), load().regions...)
}

// Children returns the divisions directly under code, sorted by code.
func Children(code string) []Region {
	var out []Region
	for _, r := range load().regions {
		if r.Parent == code {
			out = append(out, r)
		}
	}
	return out
}

// Fujian returns the county-level divisions of Fujian province (350000),
// sorted by code. It includes 350527 金门县, which the table lists but which
// is not administered by the province; generators should leave it out.
func Fujian() []Region {
	var out []Region
	for _, r := range load().regions {
		if r.Level == County && strings.HasPrefix(r.Code, "35") {
			out = append(out, r)
		}
	}
	return out
}

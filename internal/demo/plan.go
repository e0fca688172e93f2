package demo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/identity"
)

// level says where an instance of a template sits.
type level int

const (
	levelProvince level = iota
	levelCity
	levelCounty
	levelArchive // a yearly copy, only when more resources are asked for than the province has
)

// instance is one resource to seed: a template owned by one organisation
// for one area.
type instance struct {
	t      *template
	org    identity.Organisation
	name   string
	area   string
	level  level
	base   int // index of the provincial instance, -1 for none
	pinned bool
}

// planner assigns templates to the organisations that own them in each area.
type planner struct {
	orgs     map[string]identity.Organisation // by provider code
	domain   map[string]string                // provider code -> line of duty
	byDomain map[string]string                // region + "/" + domain -> provider code
	regions  map[string]string                // region code -> name
}

func newPlanner(orgs map[string]identity.Organisation) *planner {
	p := &planner{orgs: orgs, domain: map[string]string{platformCode: "data"}, byDomain: map[string]string{},
		regions: map[string]string{provinceRegion: "福建省"}}
	for _, s := range orgSpecs {
		p.domain[s.code] = s.domain
		p.byDomain[s.region+"/"+s.domain] = s.code
	}
	for _, c := range cities {
		p.regions[c.region] = c.name
	}
	return p
}

// cityOwner is the city body with the template's line of duty, else the
// city's data authority. dedicated reports the former.
func (p *planner) cityOwner(t *template, c city) (code string, dedicated bool) {
	if code, ok := p.byDomain[c.region+"/"+p.domain[t.owner]]; ok {
		return code, true
	}
	return p.byDomain[c.region+"/data"], false
}

// plan lists n instances (at least every provincial one): provincial
// resources first, then city copies (those of dedicated city departments
// first, so that every organisation gets its share), then county copies,
// then yearly archive copies.
func (p *planner) plan(n int, year int) ([]instance, error) {
	var out []instance
	for i := range templates {
		t := &templates[i]
		o, ok := p.orgs[t.owner]
		if !ok {
			return nil, fmt.Errorf("template %s: no organisation %s", t.name, t.owner)
		}
		name, area := t.name, p.regions[o.RegionCode]
		if o.RegionCode != provinceRegion {
			name = area + t.name
		}
		out = append(out, instance{t: t, org: o, name: name, area: area, level: levelProvince, base: -1, pinned: pinned[t.name]})
	}
	provincial := len(out)
	if n < provincial {
		n = provincial
	}
	var dedicated, other, county []instance
	for i := range templates {
		t := &templates[i]
		if t.scope < cities1 {
			continue
		}
		for _, c := range cities {
			code, ded := p.cityOwner(t, c)
			in := instance{t: t, org: p.orgs[code], name: c.name + t.name, area: c.name, level: levelCity, base: i, pinned: pinned[t.name]}
			if ded {
				dedicated = append(dedicated, in)
			} else {
				other = append(other, in)
			}
			if t.scope < counties {
				continue
			}
			for _, k := range c.counties {
				county = append(county, instance{t: t, org: p.orgs[code], name: k + t.name, area: k, level: levelCounty, base: i})
			}
		}
	}
	out = slices.Concat(out, dedicated, other, interleave(county))
	natural := len(out)
	for y := year - 1; len(out) < n; y-- {
		for i := 0; i < natural && len(out) < n; i++ {
			in := out[i]
			if in.level == levelCounty {
				continue
			}
			in.name = fmt.Sprintf("%s(%d年度)", in.name, y)
			in.level, in.pinned = levelArchive, false
			if in.base < 0 {
				in.base = i
			}
			out = append(out, in)
		}
	}
	return out[:n], nil
}

// interleave orders county copies round-robin by template, so that a cut
// keeps a spread of kinds rather than every county of the first few.
func interleave(in []instance) []instance {
	groups := map[*template][]instance{}
	var order []*template
	for _, x := range in {
		if _, ok := groups[x.t]; !ok {
			order = append(order, x.t)
		}
		groups[x.t] = append(groups[x.t], x)
	}
	out := make([]instance, 0, len(in))
	for round := 0; len(out) < len(in); round++ {
		for _, t := range order {
			if g := groups[t]; round < len(g) {
				out = append(out, g[round])
			}
		}
	}
	return out
}

// Format classes and types by the template's format.
var formats = map[string]struct{ class, method string }{
	"db":   {"3", "database"},
	"api":  {"7", "api"},
	"xlsx": {"2", "file"},
	"gis":  {"4", "file"},
}

var dbTypes = []string{"Oracle 库表", "MySQL 库表", "达梦 DM8 库表", "人大金仓 KingbaseES 库表", "PostgreSQL 库表", "OceanBase 库表"}

func formatType(format, owner string) string {
	switch format {
	case "api":
		return "REST 接口 (JSON)"
	case "xlsx":
		return "xlsx"
	case "gis":
		return "Shapefile 矢量数据"
	}
	h := 0
	for _, r := range owner {
		h = h*31 + int(r)
	}
	if h < 0 {
		h = -h
	}
	return dbTypes[h%len(dbTypes)]
}

// content builds the resource an instance describes, without lifecycle.
func content(in *instance) catalog.Resource {
	t := in.t
	f := formats[t.format]
	r := catalog.Resource{
		ClassCode: t.class, Name: in.name, OrgID: in.org.ID, OrgName: in.org.Name, ProviderCode: in.org.ProviderCode,
		NodeID: in.org.NodeID, RegionCode: in.org.RegionCode,
		Summary:     strings.ReplaceAll(t.summary, "{area}", in.area),
		FormatClass: f.class, FormatType: formatType(t.format, in.org.ProviderCode),
		UpdateCycle: t.cycle, System: strings.ReplaceAll(t.system, "{area}", in.area),
		Keywords: strings.Fields(t.keywords),
	}
	if t.items == "" {
		r.Items = slices.Clone(PopulationItems)
	} else {
		r.Items = itemsOf(t.items)
	}
	if in.level != levelProvince {
		r.Keywords = append(r.Keywords, in.area)
	}
	switch kind, text, _ := strings.Cut(t.share, ":"); kind {
	case "U":
		r.Share = catalog.Share{Type: "1", Method: f.method}
	case "C":
		if text == "" {
			text = defaultShareCond
		}
		r.Share = catalog.Share{Type: "2", Conditions: text, Method: f.method}
	case "N":
		r.Share = catalog.Share{Type: "3", LegalBasis: text}
	}
	switch kind, text, _ := strings.Cut(t.open, ":"); kind {
	case "U":
		r.Open = catalog.Open{Type: "1"}
	case "C":
		if text == "" {
			text = defaultOpenCond
		}
		r.Open = catalog.Open{Type: "2", Conditions: text}
	case "N":
		r.Open = catalog.Open{Type: "3"}
	}
	return r
}

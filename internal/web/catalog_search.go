package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/pubdata/pubdata/internal/api"
	"github.com/pubdata/pubdata/internal/catalog"
)

// facetOrder is the order facets are shown in, with the code table that
// labels each (names of organisations, regions and classifications come
// from the services).
var facetOrder = []struct{ key, table string }{
	{"org", ""}, {"region", ""}, {"library", "library"}, {"classification", ""}, {"level", "category"},
	{"share", "share_type"}, {"open", "open_type"}, {"cycle", "update_cycle"}, {"status", "status"},
}

// facetTop is how many values of a facet show before "more".
const facetTop = 8

type searchView struct {
	Q        string
	Filters  []hiddenField // the current filters, kept by the search form
	Total    int
	Items    []catalog.Resource
	Facets   []facetView
	Active   []chip
	ClearAll string
	Pager    pager
}

type hiddenField struct{ Name, Value string }

type facetView struct {
	Key, Title string
	Top, More  []facetValue
}

type facetValue struct {
	Label    string
	Count    int
	Href     string
	Selected bool
}

type chip struct{ Facet, Label, Remove string }

// catalogSearch is the catalog search page (/ and /catalog). An htmx
// request aimed at #search-results gets that part only.
func (p *portal) catalogSearch(w http.ResponseWriter, r *http.Request) error {
	lq, err := api.ListQuery(r)
	if err != nil {
		return err
	}
	res, err := p.Catalog.List(r.Context(), lq)
	if err != nil {
		return err
	}
	n, err := p.loadNames(r.Context(), state(r).lang)
	if err != nil {
		return err
	}
	v := buildSearchView(state(r).lang, lq, res, n)
	if isHTMX(r) && r.Header.Get("HX-Target") == "search-results" {
		return p.renderPartial(w, r, "catalog", "search-results", v)
	}
	return p.render(w, r, http.StatusOK, "catalog", "catalog.title", v)
}

func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

func buildSearchView(lang string, lq catalog.ListQuery, res *catalog.ListResult, n *names) searchView {
	m := catalogs[lang]
	v := searchView{Q: lq.Text, Total: res.Total, Items: res.Items}
	for i := range v.Items {
		v.Items[i].OrgName = n.label(lang, "org", "", v.Items[i].OrgID)
	}
	link := func(filters map[string][]string) string { return searchURL(lq.Text, filters, lq.Limit, 1) }
	for _, f := range facetOrder {
		for _, val := range lq.Filters[f.key] {
			v.Filters = append(v.Filters, hiddenField{Name: f.key, Value: val})
			v.Active = append(v.Active, chip{Facet: m.T("facet." + f.key), Label: n.label(lang, f.key, f.table, val),
				Remove: link(toggle(lq.Filters, f.key, val))})
		}
		counts := res.Facets[f.key]
		fv := facetView{Key: f.key, Title: m.T("facet." + f.key)}
		var vals []facetValue
		for _, c := range counts {
			vals = append(vals, facetValue{Label: n.label(lang, f.key, f.table, c.Value), Count: c.Count,
				Href: link(toggle(lq.Filters, f.key, c.Value)), Selected: slices.Contains(lq.Filters[f.key], c.Value)})
		}
		if len(vals) == 0 {
			continue
		}
		// Selected values first, then by count as the index gives them.
		slices.SortStableFunc(vals, func(a, b facetValue) int {
			switch {
			case a.Selected == b.Selected:
				return 0
			case a.Selected:
				return -1
			}
			return 1
		})
		fv.Top = vals[:min(len(vals), facetTop)]
		if len(vals) > facetTop {
			fv.More = vals[facetTop:]
		}
		v.Facets = append(v.Facets, fv)
	}
	if len(v.Active) > 0 {
		v.ClearAll = searchURL(lq.Text, nil, lq.Limit, 1)
	}
	v.Pager = newPager(lq.Offset, lq.Limit, res.Total, func(page int) string {
		return searchURL(lq.Text, lq.Filters, lq.Limit, page)
	})
	return v
}

// toggle returns filters with value added to key, or removed if present.
func toggle(filters map[string][]string, key, value string) map[string][]string {
	out := make(map[string][]string, len(filters)+1)
	for k, vs := range filters {
		out[k] = slices.Clone(vs)
	}
	if i := slices.Index(out[key], value); i >= 0 {
		out[key] = slices.Delete(out[key], i, i+1)
	} else {
		out[key] = append(out[key], value)
	}
	return out
}

func searchURL(q string, filters map[string][]string, limit, page int) string {
	vals := url.Values{}
	if q != "" {
		vals.Set("q", q)
	}
	for k, vs := range filters {
		for _, v := range vs {
			vals.Add(k, v)
		}
	}
	if limit != 20 && limit > 0 {
		vals.Set("size", strconv.Itoa(limit))
	}
	if page > 1 {
		vals.Set("page", strconv.Itoa(page))
	}
	if len(vals) == 0 {
		return "/catalog"
	}
	return "/catalog?" + vals.Encode()
}

// names resolves the identifiers facets count by to names.
type names struct {
	orgs, regions, classes map[string]string
}

func (p *portal) loadNames(ctx context.Context, lang string) (*names, error) {
	n := &names{orgs: map[string]string{}, regions: map[string]string{}, classes: map[string]string{}}
	orgs, err := p.Identity.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		n.orgs[o.ID] = localName(lang, o.Name, o.NameEN)
	}
	regions, err := p.Identity.Regions(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range regions {
		n.regions[r.Code] = localName(lang, r.Name, r.NameEN)
	}
	classes, err := p.Catalog.Classifications(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range classes {
		n.classes[c.Code] = localName(lang, c.Name, c.NameEN)
	}
	return n, nil
}

func (n *names) label(lang, key, table, value string) string {
	var m map[string]string
	switch key {
	case "org":
		m = n.orgs
	case "region":
		m = n.regions
	case "classification":
		m = n.classes
	default:
		return codeTables[table].Label(value, short(lang))
	}
	if s, ok := m[value]; ok {
		return s
	}
	return value
}

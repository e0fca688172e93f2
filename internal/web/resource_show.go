package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/catalog"
)

// metaView is a resource with the names its codes stand for.
type metaView struct {
	R          *catalog.Resource
	RegionName string
	ClassPath  []classStep
	Library    string
	Elements   map[string]string // standard element code -> name
}

type classStep struct{ Code, Name string }

type resourceView struct {
	metaView
	History []catalog.Version
	Actions []actionView
	CanEdit bool
	Error   *errorView // a refused transition, shown above the actions
	Data    *dataView  // structured resources: the dataset and its loads
	Gov     govView    // governance: links, and the form raising an issue
}

type versionView struct {
	metaView
	V *catalog.Version
}

// resourceShow is a resource's detail page.
func (p *portal) resourceShow(w http.ResponseWriter, r *http.Request) error {
	return p.showResource(w, r, http.StatusOK, nil)
}

// showResource renders the detail page; refused, when not nil, puts a
// refused form's error (and values) into the view.
func (p *portal) showResource(w http.ResponseWriter, r *http.Request, status int, refused func(*resourceView)) error {
	ctx := r.Context()
	res, err := p.Catalog.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	meta, err := p.meta(ctx, state(r).lang, res)
	if err != nil {
		return err
	}
	hist, err := p.Catalog.History(ctx, res.ID)
	if err != nil {
		return err
	}
	pr := state(r).principal
	data, err := p.dataSection(ctx, pr, res)
	if err != nil {
		return err
	}
	v := resourceView{metaView: meta, History: hist, Actions: p.actions(r, pr, res), CanEdit: canEdit(pr, res), Data: data,
		Gov: p.govSection(pr, res)}
	if refused != nil {
		refused(&v)
	}
	return p.render(w, r, status, "resource", "resource.title", v)
}

// versionShow shows one past version in full with its changes.
func (p *portal) versionShow(w http.ResponseWriter, r *http.Request) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ver, err := p.Catalog.VersionOf(r.Context(), r.PathValue("id"), n)
	if err != nil {
		return err
	}
	meta, err := p.meta(r.Context(), state(r).lang, ver.Resource)
	if err != nil {
		return err
	}
	return p.render(w, r, http.StatusOK, "version", "version.title", versionView{metaView: meta, V: ver})
}

func (p *portal) meta(ctx context.Context, lang string, res *catalog.Resource) (metaView, error) {
	v := metaView{R: res, Elements: map[string]string{}}
	classes, err := p.Catalog.Classifications(ctx)
	if err != nil {
		return v, err
	}
	byCode := make(map[string]catalog.Classification, len(classes))
	for _, c := range classes {
		byCode[c.Code] = c
	}
	for _, n := range []int{1, 3, 6, 9} {
		if len(res.ClassCode) < n {
			break
		}
		c, ok := byCode[res.ClassCode[:n]]
		if !ok {
			continue
		}
		v.ClassPath = append(v.ClassPath, classStep{Code: c.Code, Name: localName(lang, c.Name, c.NameEN)})
		v.Library = c.Library
	}
	els, err := p.Catalog.Elements(ctx)
	if err != nil {
		return v, err
	}
	for _, e := range els {
		v.Elements[e.Code] = localName(lang, e.Name, e.NameEN)
	}
	if o, err := p.Identity.Org(ctx, res.OrgID); err == nil {
		res.OrgName = localName(lang, o.Name, o.NameEN)
	}
	regions, err := p.Identity.Regions(ctx)
	if err != nil {
		return v, err
	}
	for _, rg := range regions {
		if rg.Code == res.RegionCode {
			v.RegionName = localName(lang, rg.Name, rg.NameEN)
		}
	}
	return v, nil
}

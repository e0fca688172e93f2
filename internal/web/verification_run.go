package web

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/api"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/verify"
)

// runForm is the form running a verification, with the values of a
// refused post kept: two published resources by code (or id), the key
// and the attributes by data item name, code or standard element.
type runForm struct {
	A, B, Key, Attributes string
	Tickets               bool // raise tickets from the conflicts
	Error                 *errorView
}

// verificationRun compares two resources' data and shows the run.
func (p *portal) verificationRun(w http.ResponseWriter, r *http.Request) error {
	if p.Verify == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ctx := r.Context()
	f := runForm{A: strings.TrimSpace(r.PostFormValue("a")), B: strings.TrimSpace(r.PostFormValue("b")),
		Key: strings.TrimSpace(r.PostFormValue("key")), Attributes: strings.TrimSpace(r.PostFormValue("attributes")),
		Tickets: r.PostFormValue("tickets") != ""}
	req, err := p.runRequest(ctx, f)
	var run *verify.Run
	if err == nil {
		run, err = p.Verify.Run(ctx, req)
	}
	if k := apperr.KindOf(err); err != nil && (k == apperr.Invalid || k == apperr.Conflict) {
		ev := newErrorView(state(r).lang, apperr.As(err))
		f.Error = &ev
		return p.showVerifications(w, r, api.Status(k), &f)
	}
	if err != nil {
		return err
	}
	if f.Tickets && run.ConflictingKeys > 0 {
		if _, err := p.Rectify.FromVerification(ctx, run); err != nil {
			return err
		}
	}
	http.Redirect(w, r, withMsg("/verifications/"+run.ID, "verification"), http.StatusSeeOther)
	return nil
}

// listSep splits the attributes field: commas (either width), the
// enumeration comma, semicolons or spaces.
var listSep = regexp.MustCompile(`[,，、;；\s]+`)

// runRequest resolves the form into a verify.Request: the resources'
// published versions, their data items, and the side that is the
// authoritative source of the key's standard element, as the catalog
// declares it in either side's region.
func (p *portal) runRequest(ctx context.Context, f runForm) (verify.Request, error) {
	var req verify.Request
	var errs apperr.Fields
	add := func(field, key string, args ...any) {
		errs.Add(field, catalogs[langEN].T(key, args...), catalogs[langZH].T(key, args...))
	}
	var sides [2]*catalog.Resource
	for i, ref := range []string{f.A, f.B} {
		field := string(rune('a'+i)) + ".resource"
		res, err := p.publishedByRef(ctx, ref)
		switch k := apperr.KindOf(err); {
		case err == nil:
			sides[i] = res
		case k == apperr.NotFound || k == apperr.Forbidden:
			add(field, "verify.noresource")
		case k == apperr.Conflict: // not published, or retired
			e := apperr.As(err)
			errs.Add(field, e.Message, e.ZH)
		default:
			return req, err
		}
	}
	ra, rb := sides[0], sides[1]
	var attrs []string
	for _, s := range listSep.Split(f.Attributes, -1) {
		if s != "" {
			attrs = append(attrs, s)
		}
	}
	if f.Key == "" {
		add("key", "verify.nokey")
	}
	if len(attrs) == 0 {
		add("attributes", "verify.noattributes")
	}
	if ra == nil || rb == nil || len(errs) > 0 {
		return req, errs.Err()
	}
	// resolve finds the item name on both sides, and the key's element.
	resolve := func(field, name string) (verify.Field, string) {
		out := verify.Field{Name: name}
		var element string
		for _, x := range []struct {
			r   *catalog.Resource
			dst *string
		}{{ra, &out.A}, {rb, &out.B}} {
			it := x.r.Item(name)
			if it == nil {
				add(field, "verify.noitem", x.r.Code, strconv.Quote(name))
				continue
			}
			*x.dst = it.Name
			if element == "" {
				element = it.Element
			}
		}
		if out.A != "" {
			out.Name = out.A
		}
		return out, element
	}
	key, element := resolve("key", f.Key)
	req.Key = key
	for i, a := range attrs {
		at, _ := resolve("attributes["+strconv.Itoa(i)+"]", a)
		req.Attributes = append(req.Attributes, at)
	}
	if err := errs.Err(); err != nil {
		return req, err
	}
	req.A = verify.Side{Dataset: aggregate.DatasetName(ra.ID), ResourceID: ra.ID}
	req.B = verify.Side{Dataset: aggregate.DatasetName(rb.ID), ResourceID: rb.ID}
	if element != "" {
		sources, err := p.Catalog.Sources(ctx)
		if err != nil {
			return req, err
		}
		for _, region := range []string{ra.RegionCode, rb.RegionCode} {
			if req.Authoritative = verify.AuthoritativeSide(sources, element, region, req.A, req.B); req.Authoritative != "" {
				break
			}
		}
	}
	return req, nil
}

// publishedByRef returns the published version of the resource named by
// code or id (a not-found error when there is none the caller may see).
func (p *portal) publishedByRef(ctx context.Context, ref string) (*catalog.Resource, error) {
	if ref == "" {
		return nil, appErr(apperr.NotFound, "error.notfound")
	}
	id := ref
	if strings.Contains(ref, "/") {
		r, err := p.Catalog.GetByCode(ctx, ref)
		if err != nil {
			return nil, err
		}
		id = r.ID
	}
	return p.Catalog.Published(ctx, id)
}

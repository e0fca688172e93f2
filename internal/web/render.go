package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/pubdata/pubdata/internal/api"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the page templates; each is parsed with the layout and the
// partials, once per language.
var pages = []string{"login", "catalog", "resource", "version", "form", "review", "overdue", "conformance", "import", "loads", "load",
	"tickets", "ticket", "rectification", "verifications", "verification", "lineage", "error"}

// views holds the parsed templates: language -> page -> template.
type views struct {
	sets map[string]map[string]*template.Template
}

func loadViews(a *assets) *views {
	v := &views{sets: map[string]map[string]*template.Template{}}
	for _, lang := range langs {
		v.sets[lang] = map[string]*template.Template{}
		funcs := templateFuncs(lang, a)
		for _, name := range pages {
			t := template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS,
				"templates/layout.html", "templates/partials.html", "templates/"+name+".html"))
			v.sets[lang][name] = t
		}
	}
	return v
}

// page is what every page template receives; Data is the page's own view.
type page struct {
	Lang      string
	Title     string
	User      *userView
	CSRF      string
	HXHeaders string // JSON for hx-headers: the CSRF header htmx sends
	Nav       []navItem
	LangNext  string // where the language switch returns to
	Flash     string
	Data      any
}

type userView struct {
	Name  string
	Org   string
	Roles string
}

type navItem struct {
	Href, Label string
	Active      bool
}

// render writes a full page.
func (p *portal) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any) error {
	st := state(r)
	pg := page{Lang: st.lang, Title: p.t(r, titleKey), Data: data, Flash: flash(r)}
	if r.Method == http.MethodGet {
		pg.LangNext = r.URL.RequestURI()
	} else if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		pg.LangNext = safeNext(ref.RequestURI())
	}
	if pr := st.principal; pr != nil {
		pg.CSRF = st.csrf
		h, _ := json.Marshal(map[string]string{"X-CSRF-Token": st.csrf})
		pg.HXHeaders = string(h)
		pg.User = p.userView(r, pr)
		pg.Nav = p.nav(r, pr)
	}
	return p.execute(w, r, status, name, "layout", pg)
}

// renderPartial writes one named template of a page, for htmx.
func (p *portal) renderPartial(w http.ResponseWriter, r *http.Request, name, block string, data any) error {
	return p.execute(w, r, http.StatusOK, name, block, data)
}

func (p *portal) execute(w http.ResponseWriter, r *http.Request, status int, name, block string, data any) error {
	t := p.views.sets[state(r).lang][name]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return fmt.Errorf("render %s/%s: %w", name, block, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie, HX-Request, HX-Target")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// fail renders err as an error page with the status of its kind (the API's
// one mapping); an unauthenticated caller goes to the login page instead.
func (p *portal) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		e = appErr(apperr.TooLarge, "error.toolarge")
	}
	if e.Kind == apperr.Unauthenticated {
		p.toLogin(w, r)
		return
	}
	if e.Kind == apperr.Internal {
		p.Log.Error("portal request failed", "error", err, "method", r.Method, "path", r.URL.Path)
		e = appErr(apperr.Internal, "error.internal")
	}
	status := api.Status(e.Kind)
	v := newErrorView(state(r).lang, e)
	v.Status, v.Heading = status, p.t(r, fmt.Sprintf("error.%d", status))
	if rerr := p.render(w, r, status, "error", fmt.Sprintf("error.%d", status), v); rerr != nil {
		p.Log.Error("render error page", "error", rerr)
		http.Error(w, http.StatusText(status), status)
	}
}

type errorView struct {
	Status  int
	Heading string
	Message string
	Fields  []fieldMsg
}

type fieldMsg struct {
	Field, Message string
}

// newErrorView localises an application error and its field errors.
func newErrorView(lang string, e *apperr.Error) errorView {
	v := errorView{Message: e.Localized(lang)}
	for _, f := range e.Fields {
		v.Fields = append(v.Fields, fieldMsg{Field: fieldLabel(lang, f.Field), Message: pick(lang, f.Message, f.ZH)})
	}
	return v
}

func (p *portal) userView(r *http.Request, pr *authz.Principal) *userView {
	lang := state(r).lang
	u := &userView{Name: pr.DisplayName}
	if u.Name == "" {
		u.Name = pr.Username
	}
	if o, err := p.Identity.Org(r.Context(), pr.OrgID); err == nil {
		u.Org = localName(lang, o.Name, o.NameEN)
	}
	for i, role := range pr.Roles {
		if i > 0 {
			u.Roles += p.t(r, "common.sep")
		}
		u.Roles += roleName(lang, role)
	}
	return u
}

func roleName(lang string, role authz.Role) string {
	n, ok := authz.RoleNames[role]
	if !ok {
		return string(role)
	}
	if lang == langEN {
		return n[1]
	}
	return n[0]
}

// localName picks a name's English form in English when there is one.
func localName(lang, zh, en string) string {
	if lang == langEN && en != "" {
		return en
	}
	return zh
}

// nav lists the pages the caller may open.
func (p *portal) nav(r *http.Request, pr *authz.Principal) []navItem {
	items := []struct {
		href, key string
		ok        bool
	}{
		{"/catalog", "nav.catalog", pr.CanSome(authz.CatalogRead)},
		{"/catalog/new", "nav.new", pr.CanSome(authz.CatalogWrite)},
		{"/review", "nav.review", pr.CanSome(authz.CatalogReviewOrg) || pr.CanSome(authz.CatalogReviewPlat)},
		{"/overdue", "nav.overdue", pr.CanSome(authz.ReportRead)},
		{"/conformance", "nav.conformance", pr.CanSome(authz.ReportRead)},
		{"/import", "nav.import", pr.CanSome(authz.CatalogWrite)},
		{"/loads", "nav.loads", p.Aggregate != nil && pr.CanSome(authz.LoadRead)},
		{"/tickets", "nav.tickets", p.Rectify != nil && pr.CanSome(authz.RectifyRead)},
		{"/reports/rectification", "nav.rectification", p.Rectify != nil && pr.CanSome(authz.RectifyRead)},
		{"/verifications", "nav.verifications", p.Verify != nil && pr.CanSome(authz.VerifyRead)},
		{"/lineage", "nav.lineage", p.Lineage != nil && pr.CanSome(authz.LineageRead)},
	}
	active := r.URL.Path
	switch {
	case active == "/" || (strings.HasPrefix(active, "/catalog/") && active != "/catalog/new"):
		active = "/catalog"
	case strings.HasPrefix(active, "/loads/"):
		active = "/loads"
	case strings.HasPrefix(active, "/tickets/"):
		active = "/tickets"
	case strings.HasPrefix(active, "/verifications/"):
		active = "/verifications"
	}
	var out []navItem
	for _, it := range items {
		if it.ok {
			out = append(out, navItem{Href: it.href, Label: p.t(r, it.key), Active: active == it.href})
		}
	}
	return out
}

// flash is the notice named by ?msg= after a redirect: only the known ones.
func flash(r *http.Request) string {
	key := r.URL.Query().Get("msg")
	switch key {
	case "created", "updated", "submit", "return", "org_approve", "approve", "publish", "retire", "queued",
		"raised", "verification", "ticket_acknowledge", "ticket_fix", "ticket_reject", "ticket_verify", "ticket_reopen", "ticket_close":
		return catalogs[state(r).lang].T("flash." + key)
	}
	return ""
}

// notFound answers a path the portal does not have.
func (p *portal) notFound(w http.ResponseWriter, r *http.Request) error {
	return appErr(apperr.NotFound, "error.notfound")
}

package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/identity"
)

// Cookie names.
const (
	sessionCookie   = "pubdata_session"
	loginCSRFCookie = "pubdata_login_csrf"
	langCookie      = "lang"
)

// reqState is what wrap learns about a request: its language and, on
// routes that need a session, the caller and the session's CSRF token.
type reqState struct {
	lang      string
	principal *authz.Principal
	csrf      string
	token     string
}

type stateKey struct{}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(stateKey{}).(*reqState); ok {
		return st
	}
	return &reqState{lang: langZH}
}

// wrap resolves the language, authenticates (unless the route is public),
// checks CSRF on POST and the route-level right, then calls the handler and
// renders its error.
func (p *portal) wrap(rt route) http.Handler {
	limit := rt.maxBody
	if limit == 0 {
		limit = defaultMaxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &reqState{lang: langOf(r)}
		ctx := context.WithValue(actionlog.WithRemoteAddr(r.Context(), r.RemoteAddr), stateKey{}, st)
		r = r.WithContext(ctx)
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if !rt.public {
			c, _ := r.Cookie(sessionCookie)
			if c == nil {
				p.toLogin(w, r)
				return
			}
			pr, csrf, err := p.Identity.Authenticate(ctx, c.Value, identity.KindWeb)
			if apperr.Is(err, apperr.Unauthenticated) {
				clearCookie(w, r, sessionCookie, "/")
				p.toLogin(w, r)
				return
			}
			if err != nil {
				p.fail(w, r, err)
				return
			}
			st.principal, st.csrf, st.token = pr, csrf, c.Value
			r = r.WithContext(authz.WithPrincipal(ctx, pr))
			if r.Method == http.MethodPost && !rt.streamed {
				if err := p.checkCSRF(r, csrf); err != nil {
					p.fail(w, r, err)
					return
				}
			}
			if !slices.ContainsFunc(rt.need, pr.CanSome) {
				p.fail(w, r, appErr(apperr.Forbidden, "error.forbidden"))
				return
			}
		}
		if err := rt.handle(w, r); err != nil {
			p.fail(w, r, err)
		}
	})
}

// checkCSRF compares the token a form (field csrf) or an htmx request
// (header X-CSRF-Token) carries with the session's.
func (p *portal) checkCSRF(r *http.Request, want string) error {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		if err := parseForm(r); err != nil {
			return err
		}
		got = r.PostFormValue("csrf")
	}
	if !tokenEqual(got, want) {
		return appErr(apperr.Forbidden, "error.csrf")
	}
	return nil
}

// parseForm parses a urlencoded or multipart body, keeping at most 8 MB
// of uploaded files in memory.
func parseForm(r *http.Request) error {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		return apperr.New(apperr.TooLarge, "the upload is too large", "上传内容过大")
	}
	if err != nil {
		return apperr.New(apperr.Invalid, "the form could not be read", "无法读取表单")
	}
	return nil
}

func tokenEqual(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// toLogin sends an unauthenticated caller to the login page, remembering
// where they were going when that was a page.
func (p *portal) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeNext returns next when it is a path on this site, else "".
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	return next
}

func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func setCookie(w http.ResponseWriter, r *http.Request, c *http.Cookie) {
	c.HttpOnly = true
	c.Secure = secure(r)
	if c.SameSite == 0 {
		c.SameSite = http.SameSiteLaxMode
	}
	if c.Path == "" {
		c.Path = "/"
	}
	http.SetCookie(w, c)
}

func clearCookie(w http.ResponseWriter, r *http.Request, name, path string) {
	setCookie(w, r, &http.Cookie{Name: name, Path: path, MaxAge: -1})
}

package web

import (
	"net/http"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/identity"
)

type loginView struct {
	Username string
	Next     string
	CSRF     string // double-submit token, also in cookie pubdata_login_csrf
	Error    string
}

// loginForm shows the login page; a caller with a session goes on.
func (p *portal) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := loginNext(r.URL.Query().Get("next"))
	if c, err := r.Cookie(sessionCookie); err == nil {
		if _, _, err := p.Identity.Authenticate(r.Context(), c.Value, identity.KindWeb); err == nil {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return nil
		}
	}
	return p.renderLogin(w, r, http.StatusOK, loginView{Next: next})
}

// login checks the double-submit token and the password and opens a web
// session.
func (p *portal) login(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := loginView{Username: strings.TrimSpace(r.PostFormValue("username")), Next: loginNext(r.PostFormValue("next"))}
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || !tokenEqual(r.PostFormValue("csrf"), c.Value) {
		v.Error = p.t(r, "login.expired")
		return p.renderLogin(w, r, http.StatusForbidden, v)
	}
	sess, err := p.Identity.Login(r.Context(), v.Username, r.PostFormValue("password"), identity.KindWeb)
	if apperr.Is(err, apperr.Unauthenticated) {
		v.Error = apperr.As(err).Localized(state(r).lang)
		return p.renderLogin(w, r, http.StatusUnauthorized, v)
	}
	if err != nil {
		return err
	}
	setCookie(w, r, &http.Cookie{Name: sessionCookie, Value: sess.Token, Expires: sess.ExpiresAt})
	clearCookie(w, r, loginCSRFCookie, "/login")
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
	return nil
}

// renderLogin renders the form with a double-submit token: the one in the
// caller's cookie if it has one, else a new one.
func (p *portal) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) error {
	if c, err := r.Cookie(loginCSRFCookie); err == nil && len(c.Value) >= 32 && status != http.StatusForbidden {
		v.CSRF = c.Value
	} else {
		v.CSRF = identity.RandomToken(24)
		setCookie(w, r, &http.Cookie{Name: loginCSRFCookie, Value: v.CSRF, Path: "/login", MaxAge: 3600, SameSite: http.SameSiteStrictMode})
	}
	return p.render(w, r, status, "login", "login.title", v)
}

// loginNext is where to go after logging in: a same-site path, never the
// login page itself.
func loginNext(next string) string {
	next = safeNext(next)
	if next == "" || strings.HasPrefix(next, "/login") || strings.HasPrefix(next, "/lang/") {
		return "/catalog"
	}
	return next
}

// logout ends the session.
func (p *portal) logout(w http.ResponseWriter, r *http.Request) error {
	if err := p.Identity.Logout(r.Context(), state(r).token); err != nil {
		return err
	}
	clearCookie(w, r, sessionCookie, "/")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
)

// The portal's languages: simplified Chinese by default, English on
// request (cookie lang, set by /lang/{lang}).
const (
	langZH = "zh-CN"
	langEN = "en"
)

var langs = []string{langZH, langEN}

func validLang(l string) bool { return l == langZH || l == langEN }

func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		return c.Value
	}
	return langZH
}

// short is the language as the services' code tables name it.
func short(lang string) string {
	if lang == langEN {
		return "en"
	}
	return "zh"
}

//go:embed i18n/*.json
var i18nFS embed.FS

// messages is one language's message catalog: key -> text, with fmt verbs
// where a message takes arguments.
type messages map[string]string

// catalogs holds every language's messages, read once.
var catalogs = func() map[string]messages {
	out := map[string]messages{}
	for _, l := range langs {
		raw, err := i18nFS.ReadFile("i18n/" + l + ".json")
		if err != nil {
			panic(fmt.Sprintf("web: message catalog %s: %v", l, err))
		}
		m := messages{}
		if err := json.Unmarshal(raw, &m); err != nil {
			panic(fmt.Sprintf("web: message catalog %s: %v", l, err))
		}
		out[l] = m
	}
	return out
}()

// T returns the message key, formatted with args. A missing key shows as
// itself (the tests make sure none is missing).
func (m messages) T(key string, args ...any) string {
	s, ok := m[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// t translates key into the request's language.
func (p *portal) t(r *http.Request, key string, args ...any) string {
	return catalogs[state(r).lang].T(key, args...)
}

// appErr builds an application error whose messages come from the
// catalogs.
func appErr(kind apperr.Kind, key string, args ...any) *apperr.Error {
	return apperr.New(kind, catalogs[langEN].T(key, args...), catalogs[langZH].T(key, args...))
}

// pick chooses between a service's English and Chinese message.
func pick(lang, en, zh string) string {
	if lang == langZH && strings.TrimSpace(zh) != "" {
		return zh
	}
	return en
}

// setLang stores the language choice and goes back.
func (p *portal) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if !validLang(lang) {
		return appErr(apperr.NotFound, "error.notfound")
	}
	setCookie(w, r, &http.Cookie{Name: langCookie, Value: lang, MaxAge: 365 * 24 * 3600})
	next := safeNext(r.URL.Query().Get("next"))
	if next == "" {
		next = "/catalog"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

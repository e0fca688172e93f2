package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
)

// static holds the portal's own CSS and, after scripts/assets.sh, the
// front-end packages copied from npm into static/npm. "all:" keeps the
// pattern valid on a fresh clone where npm/ holds nothing.
//
//go:embed all:static
var staticFS embed.FS

// assets serves the static files under content-hashed names
// (app.css -> /static/app.1a2b3c4d5e.css), cached for a year.
type assets struct {
	files map[string][]byte // hashed name -> content
	urls  map[string]string // logical name -> URL
}

func loadAssets() *assets {
	a := &assets{files: map[string][]byte{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(data)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		a.files[hashed] = data
		a.urls[name] = "/static/" + hashed
		return nil
	})
	if err != nil {
		panic("web: read embedded static files: " + err.Error())
	}
	return a
}

// url returns the hashed URL of a static file, "" when it is absent.
func (a *assets) url(name string) string { return a.urls[name] }

func (a *assets) serve(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	data, ok := a.files[name]
	if !ok {
		return appErr(apperr.NotFound, "error.notfound")
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
	return nil
}

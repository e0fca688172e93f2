package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/api"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/tabular"
)

// Limits of the form fields read before an upload's file part.
const (
	maxUploadFields    = 16
	maxUploadFieldSize = 4 << 10
	// uploadFormSlack is what a form may add to the bytes of its file:
	// the fields before it and the parts' headers and boundaries.
	uploadFormSlack = maxUploadFields*(maxUploadFieldSize+1<<10) + 64<<10
)

// streamedForm is a multipart form read as a stream: the fields before
// the file part, and the file part itself, not yet read.
type streamedForm struct {
	fields url.Values
	file   *multipart.Part // nil when the form has no file part
}

// readStreamedForm reads the fields of a multipart form up to its file
// part (named "file") and checks the session's CSRF token, from the
// X-CSRF-Token header or a "csrf" field before the file: a form posting
// to a streamed route puts its file input last. Nothing of the file is
// read, so it can be streamed on without holding it in memory or on disk.
func readStreamedForm(r *http.Request) (*streamedForm, error) {
	want := state(r).csrf
	headerOK := tokenEqual(r.Header.Get("X-CSRF-Token"), want)
	mr, err := r.MultipartReader()
	if err != nil {
		if !headerOK {
			return nil, appErr(apperr.Forbidden, "error.csrf")
		}
		return nil, appErr(apperr.Invalid, "load.notmultipart")
	}
	f := &streamedForm{fields: url.Values{}}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, formError(err)
		}
		if part.FormName() == "file" {
			f.file = part
			break
		}
		if n >= maxUploadFields {
			return nil, appErr(apperr.Invalid, "load.badform")
		}
		b, err := io.ReadAll(io.LimitReader(part, maxUploadFieldSize+1))
		if err != nil {
			return nil, formError(err)
		}
		if len(b) > maxUploadFieldSize {
			return nil, appErr(apperr.Invalid, "load.badform")
		}
		f.fields.Add(part.FormName(), string(b))
	}
	if !headerOK && !tokenEqual(f.fields.Get("csrf"), want) {
		return nil, appErr(apperr.Forbidden, "error.csrf")
	}
	return f, nil
}

func formError(err error) error {
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		return err
	}
	return appErr(apperr.Invalid, "load.badform")
}

// loadSubmit stages an uploaded file and queues its load into the
// resource's dataset, then shows the load. The file part streams into
// aggregate.Service.Submit. A form declared longer than the service's
// upload limit (and the fields' allowance) is refused before a byte of it
// is read; a longer body of unknown length is cut off at the limit, and
// Submit removes what it staged. A refusal shows in the data section of
// the resource's page.
func (p *portal) loadSubmit(w http.ResponseWriter, r *http.Request) error {
	if p.Aggregate == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	limit := p.Aggregate.MaxUpload()
	if r.ContentLength > limit+uploadFormSlack {
		return p.refuseUpload(w, r, aggregate.TooLarge(limit), nil)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+uploadFormSlack)
	form, err := readStreamedForm(r)
	if err != nil {
		return err
	}
	vals := uploadValues{Mode: form.fields.Get("mode"), Encoding: form.fields.Get("encoding"),
		Sheet: strings.TrimSpace(form.fields.Get("sheet"))}
	if form.file == nil || form.file.FileName() == "" {
		return p.refuseUpload(w, r, appErr(apperr.Invalid, "load.nofile"), &vals)
	}
	name := path.Base(strings.ReplaceAll(form.file.FileName(), `\`, "/"))
	format, err := tabular.FormatOf(name)
	if err != nil {
		return p.refuseUpload(w, r, apperr.As(err), &vals)
	}
	l, err := p.Aggregate.Submit(r.Context(), r.PathValue("id"), aggregate.Upload{Body: form.file, Name: name, Format: format,
		Encoding: tabular.Encoding(vals.Encoding), Sheet: vals.Sheet, Mode: records.Mode(vals.Mode)})
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		err = aggregate.TooLarge(limit)
	}
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.Conflict || k == apperr.TooLarge {
		return p.refuseUpload(w, r, apperr.As(err), &vals)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/loads/"+l.ID+"?msg=queued", http.StatusSeeOther)
	return nil
}

// refuseUpload shows the resource's page with the refusal e in its data
// section, with the status of e's kind, keeping the form's choices (vals;
// nil keeps the defaults).
func (p *portal) refuseUpload(w http.ResponseWriter, r *http.Request, e *apperr.Error, vals *uploadValues) error {
	ev := newErrorView(state(r).lang, e)
	return p.showResource(w, r, api.Status(e.Kind), func(v *resourceView) {
		if v.Data == nil {
			v.Error = &ev
			return
		}
		v.Data.Error = &ev
		if vals != nil {
			v.Data.Form = *vals
		}
	})
}

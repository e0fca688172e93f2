// Package api is the JSON API under /api/v1: it parses, authenticates,
// authorises at the route, calls one service and renders. Every route is in
// one table (routes.go) with the action it needs; a route without one
// cannot be registered.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/lineage"
	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/verify"
)

// Transfer is the catalog's file import and export (internal/catalogio),
// which the API exposes.
type Transfer interface {
	Import(ctx context.Context, r io.Reader, format string, opts catalog.ImportOptions) (*catalog.ImportReport, error)
	Export(ctx context.Context, w io.Writer, format string, q catalog.ListQuery) error
	Template(w io.Writer, format string) error
}

// Server holds the services the API calls.
type Server struct {
	Identity *identity.Service
	Catalog  *catalog.Service
	Transfer Transfer
	// Aggregate loads data into the record store and reads it back.
	Aggregate *aggregate.Service
	// Verify compares providers' datasets (nil without a record store),
	// Rectify keeps the rectification tickets, Lineage draws the
	// relationship graph.
	Verify  *verify.Service
	Rectify *rectify.Service
	Lineage *lineage.Service
	DB      *store.DB
	Log     *slog.Logger
}

// Handler returns the /api/v1 handler (paths include the prefix).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.Routes() {
		mux.Handle(rt.Method+" "+rt.Path, s.wrap(rt))
	}
	// Anything else under /api/v1 is not found, after authentication, so
	// probing paths without a token learns nothing.
	mux.Handle("/api/v1/", s.wrap(Route{Path: "/api/v1/", Action: authz.SelfRead, handle: func(w http.ResponseWriter, r *http.Request) error {
		return apperr.New(apperr.NotFound, "no such API route", "无此接口")
	}}))
	return mux
}

// wrap authenticates (unless the route is public), checks the route-level
// action and renders errors.
func (s *Server) wrap(rt Route) http.Handler {
	if !rt.Public && rt.Action == "" {
		panic("api: route " + rt.Method + " " + rt.Path + " has no policy")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := actionlog.WithRemoteAddr(r.Context(), r.RemoteAddr)
		if !rt.Public {
			tok, ok := bearer(r)
			if !ok {
				s.writeError(w, r, apperr.New(apperr.Unauthenticated, "a bearer token is required", "需要 Bearer 令牌"))
				return
			}
			p, _, err := s.Identity.Authenticate(ctx, tok, "")
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			if !p.CanSome(rt.Action) {
				s.writeError(w, r, apperr.New(apperr.Forbidden, "your roles do not allow this", "您的角色无权执行此操作"))
				return
			}
			ctx = authz.WithPrincipal(ctx, p)
		}
		if err := rt.handle(w, r.WithContext(ctx)); err != nil {
			s.writeError(w, r, err)
		}
	})
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// Status maps an error kind to its HTTP status: the one place this happens.
func Status(k apperr.Kind) int {
	switch k {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    apperr.Kind         `json:"code"`
	Message string              `json:"message"`
	ZH      string              `json:"message_zh,omitempty"`
	Fields  []apperr.FieldError `json:"fields,omitempty"`
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	if e.Kind == apperr.Internal {
		s.Log.Error("api request failed", "error", err, "method", r.Method, "path", r.URL.Path)
		e = apperr.New(apperr.Internal, "internal error", "服务器内部错误")
	}
	msg := e.Message
	if strings.HasPrefix(r.Header.Get("Accept-Language"), "zh") && e.ZH != "" {
		msg = e.ZH
	}
	if e.Kind == apperr.Unauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pubdata"`)
	}
	writeJSON(w, Status(e.Kind), errorBody{Error: errorDetail{Code: e.Kind, Message: msg, ZH: e.ZH, Fields: e.Fields}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// maxJSONBody bounds ordinary request bodies.
const maxJSONBody = 4 << 20

// decode reads a JSON body into v strictly: unknown fields and trailing
// data are errors that name the problem.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		var big *http.MaxBytesError
		switch {
		case errors.Is(err, io.EOF):
			return apperr.New(apperr.Invalid, "the request body is empty", "请求体为空").With("body", "a JSON object is required", "须为JSON对象")
		case errors.As(err, &syn):
			return apperr.New(apperr.Invalid, "malformed JSON", "JSON格式错误").
				With("body", fmt.Sprintf("syntax error at byte %d", syn.Offset), fmt.Sprintf("第%d字节处语法错误", syn.Offset))
		case errors.As(err, &typ):
			field := typ.Field
			if field == "" {
				field = "body" // the whole body has the wrong type
			}
			return apperr.New(apperr.Invalid, "wrong JSON type", "JSON类型错误").
				With(field, fmt.Sprintf("must be %s, not %s", typ.Type, typ.Value), fmt.Sprintf("类型须为%s,而非%s", typ.Type, typ.Value))
		case errors.As(err, &big):
			return apperr.New(apperr.TooLarge, "the request body is too large", "请求体过大").With("body", fmt.Sprintf("at most %d bytes", maxJSONBody), fmt.Sprintf("不得超过%d字节", maxJSONBody))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return apperr.New(apperr.Invalid, "unknown field", "未知字段").With(f, "is not a known field", "不是可识别的字段")
		}
		return apperr.New(apperr.Invalid, "malformed JSON", "JSON格式错误").With("body", err.Error(), "无法解析")
	}
	if dec.More() {
		return apperr.New(apperr.Invalid, "trailing data after the JSON object", "JSON对象后有多余内容").With("body", "one JSON object expected", "只能包含一个JSON对象")
	}
	return nil
}

// intParam reads a non-negative integer query parameter.
func intParam(r *http.Request, name string, def, max int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || (max > 0 && n > max) {
		return 0, apperr.New(apperr.Invalid, "invalid query parameter", "查询参数无效").
			With(name, fmt.Sprintf("must be an integer between 0 and %d", max), fmt.Sprintf("须为0至%d之间的整数", max))
	}
	return n, nil
}

// pageParams reads ?limit= (def when absent, at most maxLimit) and
// ?offset= (at most maxOffset; 0 for no bound).
func pageParams(r *http.Request, def, maxLimit, maxOffset int) (limit, offset int, err error) {
	if limit, err = intParam(r, "limit", def, maxLimit); err != nil {
		return 0, 0, err
	}
	if offset, err = intParam(r, "offset", 0, maxOffset); err != nil {
		return 0, 0, err
	}
	return limit, offset, nil
}

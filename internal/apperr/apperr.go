// Package apperr is pubdata's one application error model. Services return
// *Error (or wrap one); the HTTP, CLI and portal edges render it. Every
// message exists in English and simplified Chinese.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error. Each kind maps to exactly one HTTP status, in
// internal/api.
type Kind string

const (
	Invalid         Kind = "invalid"
	NotFound        Kind = "not_found"
	Conflict        Kind = "conflict"
	Forbidden       Kind = "forbidden"
	Unauthenticated Kind = "unauthenticated"
	// TooLarge is a request body or an upload over its size limit.
	TooLarge Kind = "too_large"
	Internal Kind = "internal"
)

// FieldError names one field (or "row 12, column 名称") and what is wrong
// with it, in both languages.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	ZH      string `json:"message_zh,omitempty"`
}

// Error is the typed application error.
type Error struct {
	Kind    Kind
	Message string // English
	ZH      string // simplified Chinese
	Fields  []FieldError
	Err     error // cause, never shown to users for Internal
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	b.WriteString(": ")
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Localized returns the message in lang ("zh" or anything else for English).
func (e *Error) Localized(lang string) string {
	if strings.HasPrefix(lang, "zh") && e.ZH != "" {
		return e.ZH
	}
	return e.Message
}

// New builds an error of kind with an English and a Chinese message.
func New(kind Kind, en, zh string) *Error { return &Error{Kind: kind, Message: en, ZH: zh} }

// Wrap builds an internal error around cause, keeping cause for logs.
func Wrap(cause error, en string) *Error {
	return &Error{Kind: Internal, Message: en, ZH: "服务器内部错误", Err: cause}
}

// With returns e with one more field error; it is a builder for Invalid.
func (e *Error) With(field, en, zh string) *Error {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: en, ZH: zh})
	return e
}

// Fields collects field errors and turns into one Invalid error.
type Fields []FieldError

// Add records a field error.
func (f *Fields) Add(field, en, zh string) {
	*f = append(*f, FieldError{Field: field, Message: en, ZH: zh})
}

// Err returns nil when no field failed, else an Invalid *Error with them.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: "validation failed", ZH: "校验未通过", Fields: f}
}

// KindOf reports the kind of err: the kind of the first *Error in its chain,
// Internal otherwise.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the *Error in err's chain, or an Internal one wrapping err.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Wrap(err, "internal error")
}

// Is reports whether err is an application error of kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// NotFoundf is a shorthand for a not-found error about one entity.
func NotFoundf(entity, id string) *Error {
	return &Error{Kind: NotFound,
		Message: fmt.Sprintf("%s %q not found", entity, id),
		ZH:      fmt.Sprintf("未找到%s %q", entityZH(entity), id)}
}

var entityNames = map[string]string{
	"resource": "目录资源", "organisation": "组织机构", "user": "用户", "version": "版本",
	"node": "节点", "region": "行政区划", "classification": "分类", "event": "触发事件",
	"element": "标准数据元", "source": "权威数据源",
}

func entityZH(entity string) string {
	if zh, ok := entityNames[entity]; ok {
		return zh
	}
	return entity
}

// Join merges the field errors of Invalid errors into one Invalid error;
// nil errors are skipped, and any error of another kind is returned as it
// is (the first one).
func Join(errs ...error) error {
	var f Fields
	for _, err := range errs {
		if err == nil {
			continue
		}
		e := As(err)
		if e.Kind != Invalid {
			return err
		}
		f = append(f, e.Fields...)
	}
	return f.Err()
}

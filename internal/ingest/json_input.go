package ingest

import (
	"errors"
	"slices"
	"strconv"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/tabular"
)

// The header of a JSON or NDJSON source is not a row of the file but the
// keys (members) of its objects. Taken from the keys the first objects
// happen to have, a batch whose objects leave out an item would lose the
// item's column and fail the header check, and two objects naming one item
// by its name and its code would give it two columns. So the header is
// shaped by the dataset's items (jsonOptions): every item has a column,
// filled by whichever member names it (by the explicit mapping, the item's
// name or its code, as mapHeader matches); a missing member is an empty
// value, which the item's rules then judge (a required item rejects the
// row, naming the item; an optional one is just empty).

// jsonOptions shapes the header of a JSON or NDJSON source after spec's
// items. A member that names no item is a column mapHeader ignores, or,
// with strict, an error of its row naming it (see unknownMember); the
// operation column and members mapped to "" on purpose are never errors.
func jsonOptions(spec Spec, strict bool) tabular.JSONOptions {
	m := newMembers(spec)
	opts := tabular.JSONOptions{Column: func(key string) string {
		if i, ok := m.itemOf(key); ok {
			return "item:" + strconv.Itoa(i)
		}
		if target, explicit := spec.Mapping[key]; strict && !(explicit && target == "") && !m.isOp(key) {
			return ""
		}
		return "key:" + key
	}}
	for i := range spec.Columns {
		if h, ok := m.headerOf(i); ok {
			opts.Columns = append(opts.Columns, tabular.JSONColumn{Column: "item:" + strconv.Itoa(i), Header: h})
		}
	}
	return opts
}

// headerOf returns a header cell that mapHeader maps to item i: its name,
// else its code, else a mapping key naming it (when the mapping sends its
// name and code elsewhere); false when there is none.
func (m *members) headerOf(i int) (string, bool) {
	c := m.spec.Columns[i]
	keys := []string{c.Name, c.Code}
	rest := make([]string, 0, len(m.spec.Mapping))
	for k := range m.spec.Mapping {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	for _, h := range append(keys, rest...) {
		if j, ok := m.itemOf(h); h != "" && ok && j == i {
			return h, true
		}
	}
	return "", false
}

// unknownMember rewrites the error of a member that names no data item
// (strict sources) as one naming the member; other errors are returned as
// they are.
func unknownMember(err *apperr.Error) *apperr.Error {
	var pe *tabular.PosError
	if !errors.Is(err, tabular.ErrUnknownKey) || !errors.As(err, &pe) || pe.Column == "" {
		return err
	}
	q := strconv.Quote(pe.Column)
	return apperr.New(apperr.Invalid, "member "+q+" is not a data item of the resource", "成员“"+pe.Column+"”不是本资源的数据项").
		With(pe.Column, "is not a data item of the resource", "不是本资源的数据项")
}

// objectError reports whether err is about the keys of one object, after
// which a JSON array reads on (a JSON array is otherwise not resumable).
func objectError(err error) bool {
	return errors.Is(err, tabular.ErrUnknownKey) || errors.Is(err, tabular.ErrSameColumn)
}

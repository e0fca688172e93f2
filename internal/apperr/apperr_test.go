package apperr

import (
	"errors"
	"testing"
)

func TestJoin(t *testing.T) {
	a := New(Invalid, "bad", "错").With("a", "bad a", "a 错")
	b := New(Invalid, "bad", "错").With("b", "bad b", "b 错")
	got := As(Join(nil, a, nil, b))
	if got.Kind != Invalid || len(got.Fields) != 2 || got.Fields[0].Field != "a" || got.Fields[1].Field != "b" {
		t.Errorf("Join(a, b) = %+v", got)
	}
	other := errors.New("disk full")
	if err := Join(a, other, b); err != other {
		t.Errorf("Join with an internal error = %v, want it", err)
	}
	if err := Join(nil, nil); err != nil {
		t.Errorf("Join(nil, nil) = %v", err)
	}
}

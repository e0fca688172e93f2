package ingest

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/pubdata/pubdata/internal/tabular"
)

// decoder turns the raw bytes of records into UTF-8 text. GBK is decoded
// as GB18030, its superset (as internal/tabular does). One decoder serves
// one goroutine.
type decoder struct {
	gb  bool
	t   transform.Transformer
	buf []byte
}

func newDecoder(enc tabular.Encoding) *decoder {
	d := &decoder{}
	if enc == tabular.GBK || enc == tabular.GB18030 {
		d.gb = true
		d.t = simplifiedchinese.GB18030.NewDecoder()
	}
	return d
}

// decode returns raw as UTF-8 in dst (grown as needed) or, for UTF-8
// input, raw itself. UTF-8 input is not validated here.
func (d *decoder) decode(raw, dst []byte) ([]byte, error) {
	if !d.gb {
		return raw, nil
	}
	if cap(dst) < len(raw)+len(raw)/2 {
		dst = make([]byte, 0, len(raw)+len(raw)/2+64)
	}
	dst = dst[:cap(dst)]
	d.t.Reset()
	nd, ns := 0, 0
	for {
		n, m, err := d.t.Transform(dst[nd:], raw[ns:], true)
		nd, ns = nd+n, ns+m
		if err == nil {
			return dst[:nd], nil
		}
		if !errors.Is(err, transform.ErrShortDst) {
			return nil, fmt.Errorf("ingest: decode: %w", err)
		}
		grown := make([]byte, 2*len(dst))
		copy(grown, dst[:nd])
		dst = grown
	}
}

// text decodes raw into a string of its own.
func (d *decoder) text(raw []byte) (string, error) {
	b, err := d.decode(raw, nil)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// str views b as a string without copying; b must not change while the
// string is in use.
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

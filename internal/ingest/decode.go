package ingest

import (
	"fmt"
	"sync"
	"unicode/utf8"
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
//
// GB18030 is decoded by a table of the two-byte sequences (built from
// x/text's decoder, so the two agree), which is several times faster than
// the transformer; four-byte sequences and invalid bytes go to x/text.
func (d *decoder) decode(raw, dst []byte) ([]byte, error) {
	if !d.gb {
		return raw, nil
	}
	gbOnce.Do(buildGB2)
	if cap(dst) < len(raw)+len(raw)/2 {
		dst = make([]byte, 0, len(raw)+len(raw)/2+64)
	}
	dst = dst[:0]
	var tmp [32]byte
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < utf8.RuneSelf {
			j := i + 1
			for j < len(raw) && raw[j] < utf8.RuneSelf {
				j++
			}
			dst = append(dst, raw[i:j]...)
			i = j
			continue
		}
		if i+1 < len(raw) && c >= 0x81 && c <= 0xFE {
			if t := raw[i+1]; t >= 0x40 && t <= 0xFE && t != 0x7F {
				if r := gb2[int(c-0x81)*191+int(t-0x40)]; r != 0 {
					dst = utf8.AppendRune(dst, r)
					i += 2
					continue
				}
			}
		}
		// A window of 4 bytes holds any sequence; only at the real end of
		// the input may x/text take a cut-off sequence as invalid.
		end := min(i+4, len(raw))
		d.t.Reset()
		nd, ns, err := d.t.Transform(tmp[:], raw[i:end], end == len(raw))
		if ns == 0 {
			return nil, fmt.Errorf("ingest: decode: %v", err)
		}
		dst = append(dst, tmp[:nd]...)
		i += ns
	}
	return dst, nil
}

// gb2 maps the two-byte GB18030 sequences (lead 0x81-0xFE, trail
// 0x40-0xFE) to runes; 0 where x/text does not decode the pair to one
// rune.
var (
	gb2    []rune
	gbOnce sync.Once
)

func buildGB2() {
	gb2 = make([]rune, 126*191)
	dec := simplifiedchinese.GB18030.NewDecoder()
	var out [8]byte
	for lead := 0x81; lead <= 0xFE; lead++ {
		for trail := 0x40; trail <= 0xFE; trail++ {
			if trail == 0x7F {
				continue
			}
			dec.Reset()
			nd, ns, err := dec.Transform(out[:], []byte{byte(lead), byte(trail)}, true)
			if err != nil || ns != 2 {
				continue
			}
			r, size := utf8.DecodeRune(out[:nd])
			if size != nd || r == utf8.RuneError {
				continue
			}
			gb2[(lead-0x81)*191+(trail-0x40)] = r
		}
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

package ingest

import (
	"encoding/binary"
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
// x/text's decoder, so the two agree) holding each one's UTF-8 bytes,
// with runs of ASCII copied eight bytes at a time; four-byte sequences
// and invalid bytes go to x/text. On the generated population file this
// decodes 851-957 MB/s against 406-478 for a table of runes
// (BenchmarkStageDecode), which was itself several times as fast as the
// transformer.
func (d *decoder) decode(raw, dst []byte) ([]byte, error) {
	if !d.gb {
		return raw, nil
	}
	gbOnce.Do(buildGB2)
	// Two GB18030 bytes make at most three of UTF-8; invalid bytes, one
	// each, make three (U+FFFD), for which out grows. Every step writes at
	// most 12 bytes (eight of ASCII; four from the table; x/text's output
	// for at most 4 input bytes), so 16 free bytes at the top of the loop
	// are enough.
	out := dst[:cap(dst)]
	if len(out) < len(raw)+len(raw)/2+16 {
		out = make([]byte, len(raw)+len(raw)/2+64)
	}
	o := 0
	var tmp [32]byte
	le := binary.LittleEndian
	for i := 0; i < len(raw); {
		if len(out)-o < 16 {
			out = append(out[:o], make([]byte, len(raw)-i+64)...)
			out = out[:cap(out)]
		}
		if i+8 <= len(raw) {
			if v := le.Uint64(raw[i:]); v&0x8080808080808080 == 0 {
				le.PutUint64(out[o:], v)
				i, o = i+8, o+8
				continue
			}
		}
		c := raw[i]
		if c < utf8.RuneSelf {
			out[o] = c
			i, o = i+1, o+1
			continue
		}
		// A run of two-byte sequences (Chinese text) stays in this loop.
		j := i
		for j+1 < len(raw) && len(out)-o >= 4 {
			e := gb2[uint16(raw[j])<<8|uint16(raw[j+1])]
			if e == 0 {
				break
			}
			le.PutUint32(out[o:], e)
			j, o = j+2, o+int(e>>24)
		}
		if j > i {
			i = j
			continue
		}
		// A window of 4 bytes holds any sequence; only at the real end of
		// the input may x/text take a cut-off sequence as invalid.
		end := min(i+4, len(raw))
		d.t.Reset()
		nd, ns, err := d.t.Transform(tmp[:], raw[i:end], end == len(raw))
		if ns == 0 {
			return nil, fmt.Errorf("ingest: decode: %v", err)
		}
		o += copy(out[o:], tmp[:nd])
		i += ns
	}
	return out[:o], nil
}

// gb2 maps two bytes (lead<<8 | trail) that are a GB18030 sequence (lead
// 0x81-0xFE, trail 0x40-0xFE) to its UTF-8 bytes, in the low three bytes
// of an entry (little-endian, as decode writes them), with their number
// in the top byte; 0 for other pairs and where x/text does not decode the
// pair to one rune of at most three bytes. 256 KiB, indexed without
// range checks; the entries a file uses stay in cache.
var (
	gb2    []uint32
	gbOnce sync.Once
)

func buildGB2() {
	gb2 = make([]uint32, 1<<16)
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
			if size != nd || r == utf8.RuneError || nd > 3 {
				continue
			}
			var b [4]byte
			copy(b[:], out[:nd])
			b[3] = byte(nd)
			gb2[lead<<8|trail] = binary.LittleEndian.Uint32(b[:])
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

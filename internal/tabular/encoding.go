package tabular

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names a text encoding of CSV/TSV files.
type Encoding string

const (
	Detect  Encoding = ""          // detect from the content
	UTF8    Encoding = "utf-8"     // no byte order mark
	UTF8BOM Encoding = "utf-8-bom" // what Excel writes as "CSV UTF-8"
	GBK     Encoding = "gbk"       // also GB2312 and code page 936
	GB18030 Encoding = "gb18030"   // GBK plus 4-byte sequences for all of Unicode
	UTF16LE Encoding = "utf-16le"  // Excel's "Unicode text", with BOM
	UTF16BE Encoding = "utf-16be"  // with BOM
)

// DetectPrefix is how much of the input NewDecoder looks at to detect the
// encoding.
const DetectPrefix = 64 << 10

// bufSize is the buffer size after decoders: large, so that the per-call
// costs of decoding and of the CSV parser's reads stay small. Input shorter
// than DetectPrefix gets small buffers.
const bufSize = 256 << 10

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// ParseEncoding accepts the usual spellings of the supported encodings
// ("UTF8", "utf-8-sig", "GB2312", "cp936", ...). "" means detect.
func ParseEncoding(s string) (Encoding, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer("_", "-", " ", "-").Replace(k)
	switch k {
	case "", "auto", "detect":
		return Detect, nil
	case "utf-8", "utf8":
		return UTF8, nil
	case "utf-8-bom", "utf8-bom", "utf-8-sig", "utf8-sig", "utf-8bom":
		return UTF8BOM, nil
	case "gbk", "gb2312", "cp936", "936", "windows-936", "euc-cn", "x-gbk":
		return GBK, nil
	case "gb18030", "gb-18030":
		return GB18030, nil
	case "utf-16le", "utf16le", "utf-16", "utf16", "unicode":
		return UTF16LE, nil
	case "utf-16be", "utf16be":
		return UTF16BE, nil
	}
	return "", invalidFile("encoding", nil,
		"unknown encoding "+quote(s)+": use utf-8, utf-8-bom, gbk, gb18030 or utf-16le",
		"未知的字符编码"+quote(s)+"，请使用 utf-8、utf-8-bom、gbk、gb18030 或 utf-16le")
}

// DetectEncoding guesses the encoding of text from its first bytes (for
// example the first DetectPrefix bytes). A byte order mark decides; else
// text that is valid UTF-8 (allowing a sequence cut off at the end of the
// prefix) is UTF-8; else it is taken as the GB family: GBK when every
// multi-byte sequence is a 2-byte GBK one, GB18030 otherwise (including
// when the bytes are not valid GB18030 either).
func DetectEncoding(prefix []byte) Encoding {
	switch {
	case bytes.HasPrefix(prefix, bomUTF8):
		return UTF8BOM
	case bytes.HasPrefix(prefix, bomUTF16LE):
		return UTF16LE
	case bytes.HasPrefix(prefix, bomUTF16BE):
		return UTF16BE
	}
	if _, bad := validUTF8Prefix(prefix); bad < 0 {
		return UTF8
	}
	return detectGB(prefix)
}

// detectGB tells GBK from GB18030 by the byte structure of p.
func detectGB(p []byte) Encoding {
	four := false
	for i := 0; i < len(p); {
		c := p[i]
		if c <= 0x80 { // ASCII, or 0x80: the euro sign in code page 936
			i++
			continue
		}
		if c == 0xFF || i+1 >= len(p) {
			if c == 0xFF {
				return GB18030
			}
			break // lead byte cut off at the end of the prefix
		}
		c1 := p[i+1]
		switch {
		case 0x40 <= c1 && c1 <= 0xFE && c1 != 0x7F:
			i += 2
		case 0x30 <= c1 && c1 <= 0x39:
			if i+3 >= len(p) {
				return encodingIf(four)
			}
			if c2, c3 := p[i+2], p[i+3]; c2 < 0x81 || c2 == 0xFF || c3 < 0x30 || c3 > 0x39 {
				return GB18030
			}
			four = true
			i += 4
		default:
			return GB18030
		}
	}
	return encodingIf(four)
}

func encodingIf(four bool) Encoding {
	if four {
		return GB18030
	}
	return GBK
}

// NewDecoder returns a reader yielding the text of r as UTF-8 without a
// byte order mark, and the encoding it decodes. enc == Detect detects the
// encoding from the first DetectPrefix bytes; a byte order mark overrides
// enc. GBK is decoded as GB18030 (its superset). UTF-8 is validated while
// reading: invalid UTF-8 gives an Invalid error naming the line.
func NewDecoder(r io.Reader, enc Encoding) (io.Reader, Encoding, error) {
	enc, err := ParseEncoding(string(enc))
	if err != nil {
		return nil, "", err
	}
	br := bufio.NewReaderSize(r, DetectPrefix)
	prefix, err := br.Peek(DetectPrefix)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", fmt.Errorf("tabular: read: %w", err)
	}
	size := bufSize
	if err == io.EOF { // all of it is in br: small buffers will do
		size = 4096
	}
	switch bom := DetectEncoding(prefix); {
	case enc == Detect, bom == UTF8BOM, bom == UTF16LE, bom == UTF16BE:
		enc = bom
	}
	switch enc {
	case UTF8, UTF8BOM:
		if bytes.HasPrefix(prefix, bomUTF8) {
			_, _ = br.Discard(len(bomUTF8))
			enc = UTF8BOM
		} else {
			enc = UTF8
		}
		return bufio.NewReaderSize(newUTF8Checker(br, size), size), enc, nil
	case GBK, GB18030:
		return bufio.NewReaderSize(transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), size), enc, nil
	case UTF16LE, UTF16BE:
		order := unicode.LittleEndian
		if enc == UTF16BE {
			order = unicode.BigEndian
		}
		d := unicode.UTF16(order, unicode.UseBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, d), size), enc, nil
	}
	panic("tabular: unhandled encoding " + string(enc))
}

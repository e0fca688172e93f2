package gen

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/tabular"
)

// text is a string with its bytes in the output encoding and its length
// in characters.
type text struct {
	s string
	b []byte
	n int
}

// codec encodes the fixed texts of a generator once.
type codec struct {
	enc tabular.Encoding
	e   *encoding.Encoder // nil for UTF-8
	err error
}

// newCodec accepts utf-8 (the default), utf-8-bom, gbk and gb18030 in the
// spellings tabular.ParseEncoding knows.
func newCodec(name string) (*codec, error) {
	if name == "" {
		name = string(tabular.UTF8)
	}
	enc, err := tabular.ParseEncoding(name)
	if err != nil {
		return nil, err
	}
	c := &codec{enc: enc}
	switch enc {
	case tabular.UTF8, tabular.UTF8BOM:
	case tabular.GBK:
		c.e = simplifiedchinese.GBK.NewEncoder()
	case tabular.GB18030:
		c.e = simplifiedchinese.GB18030.NewEncoder()
	default:
		return nil, apperr.New(apperr.Invalid,
			"generated files can be utf-8, utf-8-bom, gbk or gb18030, not "+name,
			"生成的文件只能是 utf-8、utf-8-bom、gbk 或 gb18030 编码，不支持 "+name)
	}
	return c, nil
}

// gbk reports whether the output cannot hold characters outside GBK.
func (c *codec) gbk() bool { return c.enc == tabular.GBK }

// text encodes s. A character the encoding lacks is a bug in the pools:
// it is recorded and returned by the generator.
func (c *codec) text(s string) text {
	n := utf8.RuneCountInString(s)
	if c.e == nil {
		return text{s, []byte(s), n}
	}
	b, err := c.e.Bytes([]byte(s))
	if err != nil && c.err == nil {
		c.err = fmt.Errorf("gen: cannot encode %q in %s: %w", s, c.enc, err)
	}
	return text{s, b, n}
}

// texts encodes a pool.
func (c *codec) texts(ss []string) []text {
	out := make([]text, len(ss))
	for i, s := range ss {
		out[i] = c.text(s)
	}
	return out
}

// bom returns the byte order mark to write first, if any.
func (c *codec) bom() []byte {
	if c.enc == tabular.UTF8BOM {
		return []byte{0xEF, 0xBB, 0xBF}
	}
	return nil
}

// header encodes a header row.
func (c *codec) header(names []string) []byte {
	var b []byte
	b = append(b, c.bom()...)
	for i, n := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c.text(n).b...)
	}
	return append(b, '\r', '\n')
}

package tabular

import (
	"bytes"
	"io"
	"unicode/utf8"

	asmutf8 "github.com/segmentio/asm/utf8"
)

// validUTF8Prefix checks p as the start of UTF-8 text. It returns the length
// of p without an incomplete sequence at its end (which the next bytes may
// complete), and the index of the first invalid byte, or -1.
func validUTF8Prefix(p []byte) (complete, bad int) {
	complete = len(p)
	// Step back over at most UTFMax-1 bytes to the start of the last rune.
	for i := len(p) - 1; i >= 0 && i >= len(p)-(utf8.UTFMax-1); i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				complete = i
			}
			break
		}
	}
	if asmutf8.Valid(p[:complete]) {
		return complete, -1
	}
	for i := 0; i < complete; {
		r, size := utf8.DecodeRune(p[i:complete])
		if r == utf8.RuneError && size == 1 {
			return complete, i
		}
		i += size
	}
	return complete, -1 // not reached: p[:complete] is invalid
}

// utf8Checker passes UTF-8 text through, failing at the first invalid byte
// with an error naming its line. It holds back a sequence cut by the end of
// a read until the next read completes it, so it never passes on invalid
// bytes, and it passes on every byte before the invalid one first, so that
// a reader of rows gets every good row before the error.
type utf8Checker struct {
	r     io.Reader
	buf   []byte // buf[off:ready] is checked text; buf[ready:n] an incomplete sequence
	off   int
	ready int
	n     int
	lines int   // newlines passed on so far
	err   error // returned once buf[off:ready] is passed on
}

func newUTF8Checker(r io.Reader, size int) *utf8Checker {
	return &utf8Checker{r: r, buf: make([]byte, max(size, 64))}
}

func (c *utf8Checker) Read(p []byte) (int, error) {
	for c.off == c.ready {
		if c.err != nil {
			return 0, c.err
		}
		c.fill()
	}
	n := copy(p, c.buf[c.off:c.ready])
	c.off += n
	return n, nil
}

// fill reads and checks more text.
func (c *utf8Checker) fill() {
	c.n = copy(c.buf, c.buf[c.ready:c.n])
	c.off, c.ready = 0, 0
	m, err := c.r.Read(c.buf[c.n:])
	c.n += m
	complete, bad := validUTF8Prefix(c.buf[:c.n])
	switch {
	case bad >= 0:
		c.ready = bad
		c.fail(bad)
	case err == io.EOF && complete < c.n:
		c.ready = complete
		c.fail(complete) // the text ends inside a sequence
	default:
		c.ready = complete
		c.lines += bytes.Count(c.buf[:complete], []byte{'\n'})
		c.err = err
	}
}

// fail records invalid UTF-8 at buf[at].
func (c *utf8Checker) fail(at int) {
	line := c.lines + bytes.Count(c.buf[:at], []byte{'\n'}) + 1
	c.err = invalidAt(loc{unit: unitLine, n: line}, nil,
		"the text is not valid UTF-8; the file may be in GBK: choose the GBK or GB18030 encoding, or save the file as UTF-8",
		"不是有效的 UTF-8 文本，文件可能是 GBK 编码：请选择 GBK 或 GB18030 编码，或将文件另存为 UTF-8")
}

package ingest

import (
	"bytes"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/pubdata/pubdata/internal/tabular"
)

func FuzzDecodeGB18030(f *testing.F) {
	for _, s := range []string{"编号,姓名\r\n", "\x81\x30\x81\x30", "\x95\x32\x82\x36", "\x80\xff\x81", "a\x81", "\x84\x31\xa4\x39"} {
		f.Add([]byte(s))
	}
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("福建省福州市鼓楼区𠮷田路１号　€"))
	f.Add(gb)
	f.Fuzz(func(t *testing.T, raw []byte) {
		want, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		got, err := newDecoder(tabular.GB18030).decode(raw, nil)
		if err != nil {
			t.Fatalf("decode(%q): %v", raw, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("decode(%q) = %q, x/text gives %q", raw, got, want)
		}
	})
}

func TestDecodeGenerated(t *testing.T) {
	data, _ := generate(t, 20_000, 0.02, "gb18030")
	want, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	got, err := newDecoder(tabular.GB18030).decode(data, nil)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("decode of a generated file differs from x/text (%v)", err)
	}
}

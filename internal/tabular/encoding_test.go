package tabular

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/pubdata/pubdata/internal/apperr"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// ji is 𠮷 (U+20BB7), a character of Japanese and Chinese names outside
// the BMP: GB18030 encodes it in 4 bytes, worked out by hand from the
// standard's linear mapping: 0x10BB7 + 189000 = 257535 = 20*12600 +
// 4*1260 + 49*10 + 5, giving 81+20, 30+4, 81+49, 30+5.
var jiGB18030 = []byte{0x95, 0x34, 0xB2, 0x35}

// gb encodes s in GB18030 (which for GBK's characters is GBK).
func gb(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

func TestGB18030FourByteByHand(t *testing.T) {
	if got := gb(t, "𠮷"); !bytes.Equal(got, jiGB18030) {
		t.Errorf("GB18030 encoding of 𠮷 = % X, want % X", got, jiGB18030)
	}
	dec, enc, err := NewDecoder(bytes.NewReader(append(gb(t, "姓名：张"), jiGB18030...)), GBK)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(dec)
	if string(got) != "姓名：张𠮷" || enc != GBK {
		t.Errorf("NewDecoder(GBK bytes with 𠮷, gbk) = %q, %s, want %q, gbk", got, enc, "姓名：张𠮷")
	}
}

func TestDetectEncoding(t *testing.T) {
	tests := []struct {
		name string
		give []byte
		want Encoding
	}{
		{"empty", nil, UTF8},
		{"ASCII", []byte("a,b\n1,2\n"), UTF8},
		{"UTF-8 Chinese", []byte("名称,代码\n北京,110000\n"), UTF8},
		{"UTF-8 4-byte", []byte("𠮷,䶮"), UTF8},
		{"UTF-8 cut at the end of the prefix", []byte("名称,代")[:len("名称,代")-1], UTF8},
		{"UTF-8 BOM", []byte("\xEF\xBB\xBF名称"), UTF8BOM},
		{"UTF-16LE BOM", []byte{0xFF, 0xFE, 'a', 0}, UTF16LE},
		{"UTF-16BE BOM", []byte{0xFE, 0xFF, 0, 'a'}, UTF16BE},
		{"GBK", []byte("\xc3\xfb\xb3\xc6,\xb4\xfa\xc2\xeb\n"), GBK}, // 名称,代码
		{"GBK with euro sign 0x80", []byte("\xc3\xfb\x80"), GBK},
		{"GBK cut after a lead byte", []byte("\xc3\xfb\xb3"), GBK},
		{"GB18030 4-byte", append([]byte("\xd5\xc5"), jiGB18030...), GB18030},
		{"GB18030 4-byte cut", append([]byte("\xd5\xc5"), jiGB18030[:3]...), GBK},
		{"neither: 0xFF", []byte("a\xff"), GB18030},
		{"neither: bad trail byte", []byte("\xc3\x20"), GB18030},
		{"neither: bad 4-byte", []byte("\x95\x34\x20\x35"), GB18030},
	}
	for _, tt := range tests {
		if got := DetectEncoding(tt.give); got != tt.want {
			t.Errorf("DetectEncoding(% X) (%s) = %q, want %q", tt.give, tt.name, got, tt.want)
		}
	}
}

func TestNewDecoder(t *testing.T) {
	const text = "编号,姓名\n1,刘䶮\n2,𠮷田\n"
	tests := []struct {
		name    string
		give    []byte
		enc     Encoding
		want    string
		wantEnc Encoding
	}{
		{"UTF-8 detected", []byte(text), Detect, text, UTF8},
		{"UTF-8 BOM detected and stripped", append([]byte("\xEF\xBB\xBF"), text...), Detect, text, UTF8BOM},
		{"BOM overrides gbk", append([]byte("\xEF\xBB\xBF"), text...), GBK, text, UTF8BOM},
		{"utf-8-bom asked, no BOM", []byte(text), UTF8BOM, text, UTF8},
		{"GB18030 detected", gb(t, text), Detect, text, GB18030},
		{"GBK detected", gb(t, "名称\n北京\n"), Detect, "名称\n北京\n", GBK},
		{"gbk asked, 4-byte characters decoded", gb(t, text), GBK, text, GBK},
		{"upper-case name", gb(t, text), "GB18030", text, GB18030},
		{"UTF-16LE with BOM", []byte{0xFF, 0xFE, 0x0D, 0x54, 0xF0, 0x79, '\t', 0, 'a', 0}, Detect, "名称\ta", UTF16LE},
	}
	for _, tt := range tests {
		dec, enc, err := NewDecoder(bytes.NewReader(tt.give), tt.enc)
		if err != nil {
			t.Errorf("NewDecoder(%s, %q) = %v", tt.name, tt.enc, err)
			continue
		}
		got, err := io.ReadAll(dec)
		if err != nil || string(got) != tt.want || enc != tt.wantEnc {
			t.Errorf("NewDecoder(%s, %q) reads %q, %v with encoding %q, want %q with %q", tt.name, tt.enc, got, err, enc, tt.want, tt.wantEnc)
		}
	}
}

func TestNewDecoderUnknownEncoding(t *testing.T) {
	_, _, err := NewDecoder(strings.NewReader("x"), "big5")
	if !apperr.Is(err, apperr.Invalid) {
		t.Errorf("NewDecoder(big5) = %v, want an Invalid error", err)
	}
}

func TestParseEncoding(t *testing.T) {
	tests := map[string]Encoding{
		"": Detect, "auto": Detect, "UTF-8": UTF8, "utf8": UTF8, "UTF-8-BOM": UTF8BOM, "utf_8_sig": UTF8BOM,
		"GBK": GBK, "gb2312": GBK, "CP936": GBK, "GB18030": GB18030, "Unicode": UTF16LE, "utf-16be": UTF16BE,
	}
	for give, want := range tests {
		if got, err := ParseEncoding(give); got != want || err != nil {
			t.Errorf("ParseEncoding(%q) = %q, %v, want %q, nil", give, got, err, want)
		}
	}
	if _, err := ParseEncoding("latin1"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("ParseEncoding(latin1) = %v, want an Invalid error", err)
	}
}

// TestUTF8CheckerBoundaries reads valid text one byte at a time, so that
// every multi-byte sequence is cut by a Read boundary.
func TestUTF8CheckerBoundaries(t *testing.T) {
	text := strings.Repeat("名称,𠮷田,䶮,é,a\n", 50)
	got, err := io.ReadAll(newUTF8Checker(iotest.OneByteReader(strings.NewReader(text)), 64))
	if err != nil || string(got) != text {
		t.Errorf("utf8Checker over one-byte reads = %v, changed text: %v", err, string(got) != text)
	}
	if err := iotest.TestReader(newUTF8Checker(strings.NewReader(text), 64), []byte(text)); err != nil {
		t.Error(err)
	}
}

func TestUTF8CheckerErrors(t *testing.T) {
	tests := []struct {
		name     string
		give     string
		wantLine int
		wantKept string
	}{
		{"GBK byte on line 3", "a\nb\n\xc3\xfb\n", 3, "a\nb\n"},
		{"cut sequence at the end", "a\n名\xe7\xa7", 2, "a\n名"},
		{"lone continuation byte", "ab\x80", 1, "ab"},
		{"surrogate", "x\n\xed\xa0\x80", 2, "x\n"},
	}
	for _, tt := range tests {
		for _, oneByte := range []bool{false, true} {
			var r io.Reader = strings.NewReader(tt.give)
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			got, err := io.ReadAll(newUTF8Checker(r, 64))
			var pe *PosError
			if !apperr.Is(err, apperr.Invalid) || !errors.As(err, &pe) || pe.Row != tt.wantLine {
				t.Errorf("utf8Checker(%s, one byte %t) = %v, want an Invalid error on line %d", tt.name, oneByte, err, tt.wantLine)
			}
			if string(got) != tt.wantKept {
				t.Errorf("utf8Checker(%s) passed %q before the error, want %q", tt.name, got, tt.wantKept)
			}
		}
	}
}

// TestInvalidUTF8AfterDetection: a file that is ASCII for more than the
// detection prefix and then has a GBK line is reported at that line, after
// the rows before it.
func TestInvalidUTF8AfterDetection(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id,name\n")
	for i := 0; b.Len() < DetectPrefix*2; i++ {
		b.WriteString("1,abcdefghijklmnopqrstuvwxyz\n")
	}
	good := strings.Count(b.String(), "\n")
	b.Write(gb(t, "2,北京\n"))
	r, err := OpenCSV(&b, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if enc := r.(*CSVReader).Encoding(); enc != UTF8 {
		t.Errorf("Encoding() = %q, want utf-8", enc)
	}
	rows := 0
	for {
		_, err = r.Next()
		if err != nil {
			break
		}
		rows++
	}
	var pe *PosError
	if !apperr.Is(err, apperr.Invalid) || !errors.As(err, &pe) || pe.Row != good+1 {
		t.Errorf("Next() after %d rows = %v, want an Invalid error on line %d", rows, err, good+1)
	}
	if rows != good-1 {
		t.Errorf("read %d rows before the error, want %d", rows, good-1)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("Next() after the error = %v, want io.EOF", err)
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		give string
		want Format
	}{
		{"目录.CSV", CSV}, {"a.tsv", TSV}, {"unicode.txt", TSV}, {`C:\数据\资源.xlsx`, XLSX},
		{"x.json", JSON}, {"x.ndjson", NDJSON}, {"x.jsonl", NDJSON},
	}
	for _, tt := range tests {
		if got, err := FormatOf(tt.give); got != tt.want || err != nil {
			t.Errorf("FormatOf(%q) = %q, %v, want %q", tt.give, got, err, tt.want)
		}
	}
	for _, give := range []string{"old.xls", "noext", "a.pdf"} {
		if _, err := FormatOf(give); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("FormatOf(%q) = %v, want an Invalid error", give, err)
		}
	}
}

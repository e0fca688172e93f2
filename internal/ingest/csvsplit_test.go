package ingest

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

// records splits text with nextRecord and splitRecord, dropping blank
// records; ok is false when a record is malformed.
func splitAll(text string, comma byte) (recs [][]string, n int, ok bool) {
	ok = true
	for text != "" {
		var rec string
		rec, text = nextRecord(text, comma)
		n++
		cells, good := splitRecord(rec, comma, nil)
		ok = ok && good
		if countNonBlank(cells) > 0 {
			recs = append(recs, cells)
		}
	}
	return recs, n, ok
}

func reference(data []byte, comma byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = rune(comma)
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	var out [][]string
	for _, rec := range all {
		if countNonBlank(rec) > 0 {
			out = append(out, rec)
		}
	}
	return out, err
}

func FuzzCSVRecords(f *testing.F) {
	for _, s := range []string{
		"a,b\r\n1,2\r\n", "a,\"b\nc\",d\n", "\"x\"\"y\",z", "a\"b,c\n", "\"a\"b,c\n", "\"unclosed,\nx\n",
		"\n\n a ,b\n", "编号,姓名\n0001,\"王,五\"\n", ",,\n\"\",\"\"\n", "a\r\rb\n",
	} {
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, at uint8) {
		for _, comma := range []byte{',', '\t'} {
			got, n, ok := splitAll(string(data), comma)
			want, err := reference(data, comma)
			if err == nil {
				if !ok {
					t.Fatalf("%q: malformed for us, not for encoding/csv", data)
				}
				if !slices.EqualFunc(got, want, slices.Equal) {
					t.Fatalf("%q: records\n%q\nwant\n%q", data, got, want)
				}
			}
			// Cutting anywhere keeps the records.
			sc := recordScanner{comma: comma}
			k := int(at) % (len(data) + 1)
			end, m := sc.cut(data[:k], false)
			head, hn, _ := splitAll(string(data[:end]), comma)
			tail, tn, _ := splitAll(string(data[end:]), comma)
			if hn != m {
				t.Fatalf("%q cut at %d: cut counts %d records, parsing %d", data, k, m, hn)
			}
			if ok && (hn+tn != n || !slices.EqualFunc(append(head, tail...), got, slices.Equal)) {
				t.Fatalf("%q cut at %d (end %d): records differ", data, k, end)
			}
			end, m = sc.cut(data, true)
			if end != len(data) || m != n {
				t.Fatalf("%q: cut at EOF = %d, %d; want %d, %d", data, end, m, len(data), n)
			}
		}
	})
}

func TestCutBlocks(t *testing.T) {
	data := []byte("h1,h2\n\"a\nb\",c\nd,e\n\"f\"\"g\",h")
	br := &blockReader{r: bytes.NewReader(data), sc: recordScanner{comma: ','}}
	var got []string
	total := 0
	for {
		b, n, err := br.next(nil)
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			break
		}
		total += n
		got = append(got, string(b))
	}
	if total != 4 || len(got) != 1 || got[0] != string(data) {
		t.Errorf("blocks = %q (%d records), want the whole text in 4 records", got, total)
	}
}

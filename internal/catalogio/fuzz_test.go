package catalogio

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/pubdata/pubdata/internal/catalog"
)

// parseOnly reads data as import does and checks every entry as
// PrepareImport would, without a store: provider DSJ350000 exists.
func parseOnly(format string, data []byte) (*batch, error) {
	b := &batch{format: format, byKey: map[string]int{},
		lk: newLookups(catalog.DefaultClassifications, catalog.DefaultElements, func(code string) (string, bool) {
			return "org-" + code, code == "DSJ350000"
		})}
	rd := &reader{ctx: context.Background()}
	var err error
	switch format {
	case "csv":
		var src *csvSource
		if src, err = newCSVSource(bytes.NewReader(data), ""); err == nil {
			err = b.readFlat(rd, src, "")
		}
	case "json":
		err = b.readJSON(rd, bytes.NewReader(data))
	case "xlsx":
		err = b.readXLSX(rd, bytes.NewReader(data), "")
	}
	if err != nil {
		return nil, err
	}
	b.compact()
	ref := catalog.Reference{Classifications: map[string]catalog.Classification{}, Elements: map[string]catalog.Element{}}
	for _, c := range catalog.DefaultClassifications {
		ref.Classifications[c.Code] = c
	}
	for _, e := range catalog.DefaultElements {
		ref.Elements[e.Code] = e
	}
	for i := range b.rs {
		if b.ents[i].orphan {
			continue
		}
		r := &b.rs[i]
		if r.OrgID == "" {
			r.OrgID = "org-own"
		}
		catalog.Normalize(r)
		catalog.Grade(r)
		for _, f := range catalog.Check(r, ref) {
			if f.Severity == catalog.SevError && !b.ents[i].reported(f.Field) {
				b.ents[i].errs = append(b.ents[i].errs, b.locate(i, f))
			}
		}
	}
	return b, nil
}

func fuzzParse(t *testing.T, format string, data []byte) {
	b, err := parseOnly(format, data)
	if err != nil || len(b.ents) == 0 {
		return
	}
	// Every error names a row; the rejects file can be written.
	for _, e := range b.ents {
		for _, x := range e.errs {
			if x.Row <= 0 || x.ZH == "" || x.Message == "" {
				t.Fatalf("error without a row or message: %+v", x)
			}
		}
	}
	if err := b.writeRejected(io.Discard); err != nil {
		t.Fatalf("writeRejected: %v", err)
	}
}

func FuzzParseCSV(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteSynthetic(&buf, "csv", 3, 1, []string{"DSJ350000"}, []string{"101001"}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("资源序号,资源名称\n1,a\n"))
	f.Add([]byte("\ufeff资源序号,资源名称,信息项名称,长度\n1,\"a\nb\",x,abc\n1,c,y,1\n,,\n2,\"x\n"))
	f.Add([]byte{0xd7, 0xca, 0xd4, 0xb4, ',', 'a', '\n', 0x81, 0x30, 0x81, 0x30, '\n'})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "csv", data) })
}

func FuzzParseJSON(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteSynthetic(&buf, "json", 2, 1, []string{"DSJ350000"}, []string{"101001"}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`[{"name":"a","items":[{"length":"x"}]},{"provider_code":"NOPE"}]`))
	f.Add([]byte(`[{"name":1},`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, "json", data) })
}

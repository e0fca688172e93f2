package catalogio

import (
	"bytes"
	"testing"

	"github.com/pubdata/pubdata/internal/catalog"
)

// BenchmarkParse measures reading and checking without a store: the part
// of an import this package owns.
func BenchmarkParse(b *testing.B) {
	const n = 5000
	var classes []string
	for _, c := range catalog.DefaultClassifications {
		if len(c.Code) == 6 {
			classes = append(classes, c.Code)
		}
	}
	for _, format := range []string{"xlsx", "csv", "json"} {
		var buf bytes.Buffer
		if err := WriteSynthetic(&buf, format, n, 1, []string{"DSJ350000"}, classes); err != nil {
			b.Fatal(err)
		}
		b.Run(format, func(b *testing.B) {
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				bt, err := parseOnly(format, buf.Bytes())
				if err != nil {
					b.Fatal(err)
				}
				for i := range bt.ents {
					if len(bt.ents[i].errs) > 0 {
						b.Fatalf("entry %d: %v", i, bt.ents[i].errs)
					}
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "resources/s")
		})
	}
}

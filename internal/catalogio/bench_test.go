package catalogio_test

import (
	"flag"
	"testing"

	"github.com/pubdata/pubdata/internal/catalog"
)

var benchN = flag.Int("import-n", 2000, "resources (10 items each) per import in BenchmarkImport*")

// benchImport imports a synthetic file of -import-n resources into a new
// node per iteration and reports resources/s, reading, checking and
// storing included.
func benchImport(b *testing.B, format string) {
	data := synthetic(b, format, *benchN)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b)
		b.StartTimer()
		rep := e.importFile(b, e.admin, data, format, catalog.ImportOptions{})
		if rep.Imported != *benchN {
			b.Fatalf("imported %d, want %d: %+v", rep.Imported, *benchN, rep.Errors)
		}
	}
	b.ReportMetric(float64(*benchN*b.N)/b.Elapsed().Seconds(), "resources/s")
}

func BenchmarkImportXLSX(b *testing.B) { benchImport(b, "xlsx") }
func BenchmarkImportCSV(b *testing.B)  { benchImport(b, "csv") }
func BenchmarkImportJSON(b *testing.B) { benchImport(b, "json") }

package catalogio_test

import (
	"bytes"
	"flag"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

var benchN = flag.Int("import-n", 2000, "resources (10 items each) per import in BenchmarkImport*")

// benchImport imports a synthetic file of -import-n resources into a new
// node per iteration, on every control-store backend (PostgreSQL when
// PUBDATA_TEST_POSTGRES is set), and reports resources/s, reading,
// checking and storing included, and the seconds each stage took.
func benchImport(b *testing.B, format string) {
	data := synthetic(b, format, *benchN)
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			stages := map[string]time.Duration{}
			for b.Loop() {
				b.StopTimer()
				a := apptest.Open(b, be.DSN(b), nil)
				admin := apptest.As(b, a, "admin")
				b.StartTimer()
				stage, since := "", time.Now()
				rep, err := a.Transfer.ImportWithProgress(admin, bytes.NewReader(data), format, catalog.ImportOptions{},
					func(s string, _, _ int) {
						if s != stage {
							stages[stage] += time.Since(since)
							stage, since = s, time.Now()
						}
					})
				stages[stage] += time.Since(since)
				if err != nil || rep.Imported != *benchN {
					b.Fatalf("imported %v, want %d: %v", rep, *benchN, err)
				}
			}
			b.ReportMetric(float64(*benchN*b.N)/b.Elapsed().Seconds(), "resources/s")
			for _, s := range []string{"reading", "checking", "storing"} {
				b.ReportMetric(stages[s].Seconds()/float64(b.N), s+"-s/op")
			}
		})
	}
}

func BenchmarkImportXLSX(b *testing.B) { benchImport(b, "xlsx") }
func BenchmarkImportCSV(b *testing.B)  { benchImport(b, "csv") }
func BenchmarkImportJSON(b *testing.B) { benchImport(b, "json") }

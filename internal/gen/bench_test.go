package gen

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkPopulation generates rows into io.Discard; one op is one row.
func BenchmarkPopulation(b *testing.B) {
	for _, enc := range []string{"utf-8", "gbk", "gb18030"} {
		b.Run(enc, func(b *testing.B) {
			st, err := Population(io.Discard, io.Discard, PopulationOptions{Rows: b.N, ErrorRate: 0.02, Seed: 1, Encoding: enc})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Bytes / int64(max(st.Rows, 1)))
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkPopulationFile generates rows into a file; one op is one row.
func BenchmarkPopulationFile(b *testing.B) {
	dir := b.TempDir()
	f, err := os.Create(filepath.Join(dir, "population.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	tf, err := os.Create(filepath.Join(dir, "population.csv.truth.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer tf.Close()
	st, err := Population(f, tf, PopulationOptions{Rows: b.N, ErrorRate: 0.02, Seed: 1, Encoding: "gb18030"})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Bytes / int64(max(st.Rows, 1)))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkLegalPersons(b *testing.B) {
	st, err := LegalPersons(io.Discard, io.Discard, Options{Rows: b.N, ErrorRate: 0.02, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Bytes / int64(max(st.Rows, 1)))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

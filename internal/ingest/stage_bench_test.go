package ingest

import (
	"bytes"
	"context"
	"testing"

	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/tabular"
)

// stageSetup returns a loader for the population spec and the chunks of a
// generated file.
func stageSetup(b *testing.B, rows int, enc string) (*loader, []*chunk) {
	data, _ := generate(b, rows, 0.02, enc)
	spec := populationSpec()
	in, err := openInput(Source{Name: "p.csv", R: bytes.NewReader(data)}, spec)
	if err != nil {
		b.Fatal(err)
	}
	prog, _ := quality.Compile(spec.Columns, spec.Rules)
	lay, err := mapHeader(spec, in.header())
	if err != nil {
		b.Fatal(err)
	}
	l := &loader{spec: spec, ds: spec.DatasetSpec(), prog: prog, lay: lay, in: in, comma: ',', opts: Options{Mode: records.Full},
		res: &Result{Encoding: in.encoding(), Rejections: map[string]int64{}, Warnings: map[string]int64{}}, warn: map[string]int64{}}
	l.keyCols = l.ds.KeyColumns()
	var chunks []*chunk
	for {
		c := &chunk{}
		more, err := in.next(c)
		if err != nil {
			b.Fatal(err)
		}
		if !more {
			break
		}
		chunks = append(chunks, c)
	}
	return l, chunks
}

func BenchmarkStageWork(b *testing.B) {
	for _, enc := range []string{"utf-8", "gb18030"} {
		b.Run(enc, func(b *testing.B) {
			l, chunks := stageSetup(b, 200_000, enc)
			w := l.newWorker()
			b.ResetTimer()
			for b.Loop() {
				for _, c := range chunks {
					c.recs, c.cells, c.vals, c.q, c.qbuf = c.recs[:0], c.cells[:0], c.vals[:0], c.q[:0], c.qbuf[:0]
					w.work(c)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/200_000, "ns/row")
		})
	}
}

func BenchmarkStageUnique(b *testing.B) {
	l, chunks := stageSetup(b, 200_000, "utf-8")
	w := l.newWorker()
	for _, c := range chunks {
		w.work(c)
	}
	ncols := len(l.ds.Columns)
	b.ResetTimer()
	for b.Loop() {
		u := quality.NewUnique(l.prog.PrimaryKey())
		for _, c := range chunks {
			for i := range c.recs {
				u.Add(c.vals[i*ncols:(i+1)*ncols], int(c.recs[i].row))
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/200_000, "ns/row")
}

// discardStore writes versions nowhere but through the Parquet encoder of
// a DuckDB store in a temporary directory.
func BenchmarkStageWrite(b *testing.B) {
	l, chunks := stageSetup(b, 200_000, "utf-8")
	w := l.newWorker()
	for _, c := range chunks {
		w.work(c)
	}
	s, err := records.OpenDuckDB(context.Background(), b.TempDir()+"/r.duckdb")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	s.EnsureDataset(context.Background(), l.ds)
	batch := records.NewBatch(l.ds, 8192)
	vw, err := s.BeginVersion(context.Background(), l.ds.Name, records.Full, records.Load{})
	if err != nil {
		b.Fatal(err)
	}
	defer vw.Abort()
	l.vw = vw
	b.ResetTimer()
	for b.Loop() {
		for _, c := range chunks {
			if err := l.write(context.Background(), c, batch); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/200_000, "ns/row")
}

var _ = tabular.CSV

// BenchmarkStageDecode is the GB18030 decoding of the work stage alone.
func BenchmarkStageDecode(b *testing.B) {
	data, _ := generate(b, 100_000, 0.02, "gb18030")
	d := newDecoder(tabular.GB18030)
	var dst []byte
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var err error
		if dst, err = d.decode(data, dst); err != nil {
			b.Fatal(err)
		}
	}
}

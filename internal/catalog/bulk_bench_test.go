package catalog_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"syscall"
	"testing"
	"time"

	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/catalogio"
	"github.com/pubdata/pubdata/internal/store/storetest"
)

var bulkN = flag.Int("bulk-n", 2000, "resources (10 items each) per BulkCreate in BenchmarkBulkCreate")

// BenchmarkBulkCreate measures the storing stage of an import alone: n
// prepared entries stored in one transaction (and indexed) on every
// control-store backend (PostgreSQL when PUBDATA_TEST_POSTGRES is set).
func BenchmarkBulkCreate(b *testing.B) {
	var classes []string
	for _, c := range catalog.DefaultClassifications {
		if len(c.Code) == 6 {
			classes = append(classes, c.Code)
		}
	}
	var buf bytes.Buffer
	if err := catalogio.WriteSynthetic(&buf, "json", *bulkN, 7, nil, classes); err != nil {
		b.Fatal(err)
	}
	var in []catalog.Resource
	if err := json.Unmarshal(buf.Bytes(), &in); err != nil {
		b.Fatal(err)
	}
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				a := apptest.Open(b, be.DSN(b), nil)
				admin := apptest.As(b, a, "admin")
				rs := make([]catalog.Resource, len(in))
				for i := range in {
					rs[i] = in[i]
					rs[i].Items = append([]catalog.DataItem(nil), in[i].Items...)
					fs, err := a.Catalog.PrepareImport(admin, &rs[i])
					if err != nil {
						b.Fatal(err)
					}
					for _, f := range fs {
						if f.Severity == catalog.SevError {
							b.Fatalf("entry %d: %+v", i, f)
						}
					}
				}
				b.StartTimer()
				c0 := cpuTime()
				if _, err := a.Catalog.BulkCreate(admin, rs, "benchmark", nil); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - c0
			}
			b.ReportMetric(float64(*bulkN*b.N)/b.Elapsed().Seconds(), "resources/s")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

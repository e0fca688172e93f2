package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/gen"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
)

// populationSpec is 人口基本信息 as the generator's schema declares it.
func populationSpec() Spec {
	sc := gen.PopulationSchema()
	return Spec{Dataset: "population", Columns: sc.Columns, Rules: sc.Rules}
}

// generate writes a population file and returns it with the truth: row
// numbers that must be rejected.
func generate(t testing.TB, rows int, rate float64, enc string) ([]byte, []int64) {
	t.Helper()
	var data, truth bytes.Buffer
	if _, err := gen.Population(&data, &truth, gen.PopulationOptions{Rows: rows, ErrorRate: rate, Seed: 7, Encoding: enc}); err != nil {
		t.Fatalf("gen.Population: %v", err)
	}
	recs, err := csv.NewReader(&truth).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var bad []int64
	for _, r := range recs[1:] {
		n, _ := strconv.ParseInt(r[0], 10, 64)
		bad = append(bad, n)
	}
	return data.Bytes(), bad
}

func TestQuarantineIsTheTruth(t *testing.T) {
	for _, enc := range []string{"utf-8", "utf-8-bom", "gbk", "gb18030"} {
		t.Run(enc, func(t *testing.T) {
			const n = 40_000
			data, bad := generate(t, n, 0.02, enc)
			eachStore(t, func(t *testing.T, s records.Store) {
				res, err := Load(context.Background(), s, populationSpec(),
					Source{Name: "population.csv", R: bytes.NewReader(data), Size: int64(len(data))},
					Options{QuarantineDir: t.TempDir(), Workers: 3}, nil)
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if res.RowsRead != n || res.RowsRejected != int64(len(bad)) || res.RowsAccepted != n-int64(len(bad)) {
					t.Errorf("read/accepted/rejected = %d/%d/%d, want %d/%d/%d",
						res.RowsRead, res.RowsAccepted, res.RowsRejected, n, n-len(bad), len(bad))
				}
				_, q := quarantined(t, res.QuarantinePath)
				var got []int64
				for k, cells := range q {
					r, _ := strconv.ParseInt(k, 10, 64)
					got = append(got, r)
					if cells[len(cells)-1] == "" || cells[len(cells)-2] == "" {
						t.Errorf("row %d has no reasons: %q", r, cells)
					}
				}
				slices.Sort(got)
				if !slices.Equal(got, bad) {
					t.Errorf("quarantined rows differ from the truth: %d rows, want %d", len(got), len(bad))
				}
				if c, err := s.Count(context.Background(), "population", 0); err != nil || c != res.RowsAccepted {
					t.Errorf("Count = %d, %v; want %d", c, err, res.RowsAccepted)
				}
				if res.Version.Rows != res.RowsAccepted || res.Version.Mode != records.Full {
					t.Errorf("version = %+v", res.Version)
				}
			})
		})
	}
}

// goodRow returns the first row number from from on that the truth bad
// does not reject.
func goodRow(bad []int64, from int) int {
	for slices.Contains(bad, int64(from)) {
		from++
	}
	return from
}

// collider reports row want as a repeat of row 1, as a hash collision
// would, besides the true repeats.
type collider struct {
	dupChecker
	want int
}

func (c collider) Add(row []string, num int) (int, bool) {
	first, dup := c.dupChecker.Add(row, num)
	if num == c.want && !dup {
		return 1, true
	}
	return first, dup
}

func TestHashCollisionIsNotADuplicate(t *testing.T) {
	const n = 5_000
	data, bad := generate(t, n, 0.02, "utf-8")
	want := goodRow(bad, 4_000)
	old := newDupChecker
	newDupChecker = func(cols []int) dupChecker { return collider{dupChecker: old(cols), want: want} }
	defer func() { newDupChecker = old }()
	eachStore(t, func(t *testing.T, s records.Store) {
		res, err := Load(context.Background(), s, populationSpec(), Source{Name: "p.csv", R: bytes.NewReader(data)},
			Options{QuarantineDir: t.TempDir()}, nil)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if res.RowsRejected != int64(len(bad)) || res.RowsAccepted != n-int64(len(bad)) || res.Version.Rows != res.RowsAccepted {
			t.Errorf("accepted/rejected/stored = %d/%d/%d, want %d/%d", res.RowsAccepted, res.RowsRejected, res.Version.Rows, n-len(bad), len(bad))
		}
		_, q := quarantined(t, res.QuarantinePath)
		if _, ok := q[strconv.Itoa(want)]; ok || len(q) != len(bad) {
			t.Errorf("quarantine holds %d rows (row %d: %v), want the %d of the truth", len(q), want, ok, len(bad))
		}
	})
}

// uniqueCollider is a collider over a *quality.Unique that passes on the
// budgets, Err and Close for the loader to find; it hides the batch
// methods (Hash, AddHash), so every row goes through its Add.
type uniqueCollider struct {
	*checkerParts
	want int
}

func (c uniqueCollider) Add(row []string, num int) (int, bool) {
	return collider{dupChecker: c.u, want: c.want}.Add(row, num)
}

// checkerParts passes on the parts of *quality.Unique a test checker
// keeps; the test types add Add and Lookup of their own.
type checkerParts struct{ u *quality.Unique }

func (p *checkerParts) Lookup(row []string) (int, bool)   { return p.u.Lookup(row) }
func (p *checkerParts) SetBudget(maxKeys int, dir string) { p.u.SetBudget(maxKeys, dir) }
func (p *checkerParts) SetFilterBudget(bytes int)         { p.u.SetFilterBudget(bytes) }
func (p *checkerParts) Reserve(n int)                     { p.u.Reserve(n) }
func (p *checkerParts) Err() error                        { return p.u.Err() }
func (p *checkerParts) Close() error                      { return p.u.Close() }

// TestQuarantineIsTheTruthWhenKeysSpill: with the duplicate checker's
// table bounded far below the file's keys and its filters to a few
// kilobytes, keys spill to run files that are merged, the flagged rows
// spill to a file, and the duplicates (first rows in memory or on disk)
// are still exactly the truth's, a hash collision among them included.
func TestQuarantineIsTheTruthWhenKeysSpill(t *testing.T) {
	const n = 40_000
	data, bad := generate(t, n, 0.02, "utf-8")
	want := goodRow(bad, 30_000)
	var merged *quality.Unique
	old, oldFlags := newDupChecker, flagsInMemory
	newDupChecker = func(cols []int) dupChecker {
		merged = quality.NewUnique(cols)
		return uniqueCollider{checkerParts: &checkerParts{merged}, want: want}
	}
	flagsInMemory = 16
	defer func() { newDupChecker, flagsInMemory = old, oldFlags }()
	qdir := t.TempDir()
	res, err := Load(context.Background(), openDuck(t), populationSpec(),
		Source{Name: "population.csv", R: bytes.NewReader(data), Size: int64(len(data))},
		Options{QuarantineDir: qdir, MaxKeysInMemory: 3_000, KeyFilterBytes: 2 << 10}, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, q := quarantined(t, res.QuarantinePath)
	got := rowNumbers(q)
	if !slices.Equal(got, bad) || res.Rejections["unique"] <= 16 {
		t.Errorf("quarantined %d rows (%d duplicates), want the truth's %d", len(got), res.Rejections["unique"], len(bad))
	}
	if merged.Merges() == 0 {
		t.Errorf("the key runs were never merged: the filter budget did not bind")
	}
	// The run files and the flagged rows are gone with the load.
	entries, _ := os.ReadDir(qdir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".run") || strings.HasSuffix(e.Name(), ".flags") {
			t.Errorf("%s left behind", e.Name())
		}
	}
}

package verify

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/pubdata/pubdata/internal/gen"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/records"
)

// BenchOptions configure Bench.
type BenchOptions struct {
	// Rows per side (1,000,000 when 0).
	Rows int
	// ConflictRate is the share of source 1's valid rows whose 姓名 or
	// 户籍地址 differ from source 0's (0.01 when 0); ErrorRate the share of
	// rows with an injected error, rejected by both loads.
	ConflictRate, ErrorRate float64
	// Dir caches the generated files and the DuckDB record store between
	// runs (os.TempDir()/pubdata-verify-bench when empty).
	Dir string
	// Method is passed to Compare ("" = the fastest).
	Method string
	// Postgres, when set, is the URL (postgres://...) of a PostgreSQL
	// database: the datasets are loaded into the PostgreSQL record store
	// in its schema pubdata_verify_bench_<rows>_..., kept for later runs,
	// instead of the DuckDB store.
	Postgres string
}

// BenchResult is what Bench measured.
type BenchResult struct {
	Rows        int     `json:"rows"`
	Store       string  `json:"store"` // the DuckDB file, or "postgres schema NAME"
	Cached      bool    `json:"cached"`
	LoadSeconds float64 `json:"load_seconds"` // generating and loading both files; 0 when cached
	Seconds     float64 `json:"seconds"`      // the comparison
	CPUSeconds  float64 `json:"cpu_seconds"`  // of this process
	// ServerCPUSeconds is the CPU time of the PostgreSQL processes of
	// this machine during the comparison (all of them: other clients'
	// work counts too); 0 on DuckDB or when they cannot be read.
	ServerCPUSeconds float64 `json:"server_cpu_seconds,omitempty"`
	RowsPerSec       float64 `json:"rows_per_sec"` // rows of both sides per second
	Method           string  `json:"method"`
	Report           *Report `json:"report"`
	TruthConflicts   int     `json:"truth_conflicts"` // conflicts the generator injected
}

// Benchmark datasets.
const (
	BenchDatasetA = "population_src0"
	BenchDatasetB = "population_src1"
)

// BenchRequest compares the benchmark's two population datasets on 姓名,
// 出生日期 and 户籍地址, keyed by 公民身份号码, source 0 authoritative.
func BenchRequest(method string) Request {
	return Request{
		A: Side{Dataset: BenchDatasetA}, B: Side{Dataset: BenchDatasetB},
		Key:           Field{Name: "公民身份号码"},
		Attributes:    []Field{{Name: "姓名"}, {Name: "出生日期"}, {Name: "户籍地址"}},
		Authoritative: SideA, Method: method,
	}
}

// Bench times the verification of two generated population datasets of
// opts.Rows rows each (gen.Population, sources 0 and 1, seed 1) loaded
// with ingest.Load into a DuckDB record store, or the PostgreSQL one
// (opts.Postgres). The store is built once and kept (in opts.Dir, or in a
// schema of the database) for later runs.
func Bench(ctx context.Context, opts BenchOptions) (*BenchResult, error) {
	if opts.Rows <= 0 {
		opts.Rows = 1_000_000
	}
	if opts.ConflictRate == 0 {
		opts.ConflictRate = 0.01
	}
	if opts.Dir == "" {
		opts.Dir = filepath.Join(os.TempDir(), "pubdata-verify-bench")
	}
	dir := filepath.Join(opts.Dir, fmt.Sprintf("pop-%d-c%g-e%g", opts.Rows, opts.ConflictRate, opts.ErrorRate))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	pf := PopulationFiles{Dir: dir, Rows: opts.Rows, ErrorRate: opts.ErrorRate, ConflictRate: opts.ConflictRate, Seed: 1}
	var res *BenchResult
	var st records.Store
	var err error
	if opts.Postgres != "" {
		res, st, err = benchPostgres(ctx, opts, pf)
	} else {
		res, st, err = benchDuckDB(ctx, opts, pf)
	}
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if truth, err := pf.TruthConflicts(); err == nil {
		res.TruthConflicts = len(truth)
	}
	server0, cpu0, t0 := postgresCPU(), cpuTime(), time.Now()
	rep, err := Compare(ctx, st, BenchRequest(opts.Method))
	if err != nil {
		return nil, err
	}
	res.Seconds = time.Since(t0).Seconds()
	res.CPUSeconds = (cpuTime() - cpu0).Seconds()
	if opts.Postgres != "" {
		res.ServerCPUSeconds = (postgresCPU() - server0).Seconds()
	}
	res.RowsPerSec = float64(rep.A.Rows+rep.B.Rows) / res.Seconds
	res.Method, res.Report = rep.Method, rep
	return res, nil
}

// benchDuckDB opens the DuckDB store of the benchmark in dir, loading the
// files first unless a previous run did.
func benchDuckDB(ctx context.Context, opts BenchOptions, pf PopulationFiles) (*BenchResult, records.Store, error) {
	res := &BenchResult{Rows: opts.Rows, Store: filepath.Join(pf.Dir, "records.duckdb")}
	ready := filepath.Join(pf.Dir, "ready")
	if _, err := os.Stat(ready); err == nil {
		res.Cached = true
	} else {
		os.RemoveAll(res.Store + ".files")
		os.Remove(res.Store)
		os.Remove(res.Store + ".wal")
	}
	st, err := records.OpenDuckDB(ctx, res.Store)
	if err != nil {
		return nil, nil, err
	}
	if !res.Cached {
		t0 := time.Now()
		if err := pf.Generate(); err != nil {
			st.Close()
			return nil, nil, err
		}
		if err := pf.Load(ctx, st, BenchDatasetA, BenchDatasetB); err != nil {
			st.Close()
			return nil, nil, err
		}
		if err := os.WriteFile(ready, []byte(time.Now().Format(time.RFC3339)+"\n"), 0o640); err != nil {
			st.Close()
			return nil, nil, err
		}
		res.LoadSeconds = time.Since(t0).Seconds()
	}
	return res, st, nil
}

// PopulationFiles are the two generated population files of a
// verification test or benchmark: source 0 (A) and source 1 (B, with the
// cross-source conflicts listed in its truth file).
type PopulationFiles struct {
	Dir                     string
	Rows                    int
	ErrorRate, ConflictRate float64
	Seed                    uint64
}

// Paths of the files.
func (p PopulationFiles) pathA() string      { return filepath.Join(p.Dir, "population-src0.csv") }
func (p PopulationFiles) pathB() string      { return filepath.Join(p.Dir, "population-src1.csv") }
func (p PopulationFiles) truthPathB() string { return p.pathB() + ".truth.csv" }

// Generate writes both files (and their truth files) into Dir.
func (p PopulationFiles) Generate() error {
	for src, path := range []string{p.pathA(), p.pathB()} {
		if _, err := gen.PopulationFile(path, gen.PopulationOptions{Rows: p.Rows, ErrorRate: p.ErrorRate, Seed: p.Seed,
			Source: src, ConflictRate: p.ConflictRate}); err != nil {
			return err
		}
	}
	return nil
}

// Load loads file A into dataset a and file B into dataset b, with the
// generator's schema and rules (rejected rows are left out).
func (p PopulationFiles) Load(ctx context.Context, st records.Store, a, b string) error {
	for src, dataset := range []string{a, b} {
		if _, err := p.LoadSource(ctx, st, src, dataset); err != nil {
			return err
		}
	}
	return nil
}

// LoadSource loads the file of source 0 (A) or 1 (B) into dataset, in
// full. The quarantine file is removed.
func (p PopulationFiles) LoadSource(ctx context.Context, st records.Store, source int, dataset string) (*ingest.Result, error) {
	path := p.pathA()
	if source == 1 {
		path = p.pathB()
	}
	src, closer, err := ingest.FileSource(path)
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	sc := gen.PopulationSchema()
	res, err := ingest.Load(ctx, st, ingest.Spec{Dataset: dataset, Columns: sc.Columns, Rules: sc.Rules}, src,
		ingest.Options{QuarantineDir: p.Dir}, nil)
	if err != nil {
		return nil, err
	}
	os.Remove(res.QuarantinePath)
	return res, nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TruthConflicts returns the conflicts the generator injected into file
// B, as Compare reports them (attributes 姓名 and 户籍地址), in key order.
func (p PopulationFiles) TruthConflicts() ([]Conflict, error) {
	truth, err := os.Open(p.truthPathB())
	if err != nil {
		return nil, err
	}
	defer truth.Close()
	attr := map[string]string{gen.ConflictName: "姓名", gen.ConflictAddress: "户籍地址"}
	want := map[int]string{} // data row -> attribute
	sc := bufio.NewScanner(truth)
	for sc.Scan() {
		var row int
		var kind string
		if n, _ := fmt.Sscanf(strings.Replace(sc.Text(), ",", " ", 1), "%d %s", &row, &kind); n == 2 && attr[kind] != "" {
			want[row] = attr[kind]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	ra, err := rowsAt(p.pathA(), want)
	if err != nil {
		return nil, err
	}
	rb, err := rowsAt(p.pathB(), want)
	if err != nil {
		return nil, err
	}
	header := gen.PopulationSchema().Header()
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	out := make([]Conflict, 0, len(want))
	for row, a := range want {
		va, vb := ra[row][col[a]], rb[row][col[a]]
		out = append(out, Conflict{Key: rb[row][col["公民身份号码"]], Attribute: a, A: &va, B: &vb})
	}
	slices.SortFunc(out, func(x, y Conflict) int { return strings.Compare(x.Key, y.Key) })
	return out, nil
}

// rowsAt returns the cells of the given data rows of a generated CSV
// file (UTF-8, no quoted values).
func rowsAt(path string, rows map[int]string) (map[int][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[int][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 0; sc.Scan(); n++ {
		if _, ok := rows[n]; ok && n > 0 {
			out[n] = strings.Split(strings.TrimRight(sc.Text(), "\r"), ",")
		}
	}
	return out, sc.Err()
}

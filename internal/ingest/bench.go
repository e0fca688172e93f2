package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	neturl "net/url"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pubdata/pubdata/internal/gen"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/tabular"
)

// BenchOptions configure BenchLoad.
type BenchOptions struct {
	// File is the population CSV to load; when empty, Rows rows are
	// generated (gen.Population, ErrorRate, Encoding) into Dir.
	File      string
	Rows      int
	ErrorRate float64
	Encoding  string
	// Dir holds the stores and generated files (a new temporary
	// directory when empty, removed afterwards).
	Dir string
	// Postgres, when set, is the URL of a PostgreSQL database to load the
	// same file into as well.
	Postgres         string
	Workers, Writers int
	// NoRaw skips DuckDB's own read_csv.
	NoRaw bool
	// NoDuckDB skips the load into DuckDB (and read_csv): with Postgres,
	// to measure or profile that load alone.
	NoDuckDB bool
	// MaxKeysInMemory and KeyFilterBytes set the duplicate checker's
	// budgets (Options): smaller ones show in a short run how a much
	// larger file behaves.
	MaxKeysInMemory, KeyFilterBytes int
	// MemTrace, when set, receives a line a second during each load:
	// rows read and where the process's memory is (see memTrace).
	MemTrace io.Writer
}

// BenchRun is one timed load.
type BenchRun struct {
	Seconds    float64
	RowsPerSec float64
	CPUSeconds float64 // user and system time of the process
	PeakRSS    int64   // bytes: the process's peak resident set during the run
	Rejected   int64
	Note       string
}

// BenchResult is what BenchLoad measured.
type BenchResult struct {
	File     string
	Rows     int64 // data rows of the file
	Bytes    int64
	Encoding tabular.Encoding
	DuckDB   BenchRun  // Load into the DuckDB record store, rules on
	Raw      *BenchRun // DuckDB read_csv into a table of a DuckDB file, no rules
	Postgres *BenchRun // Load into PostgreSQL, rules on
	// Ratio is DuckDB.RowsPerSec / Raw.RowsPerSec.
	Ratio float64
}

// BenchLoad measures loads of a population CSV (人口基本信息, 12 columns,
// the generator's rules) into the record store, against DuckDB's own
// read_csv loading the same file into a table with no rules, in the same
// run. The peak RSS of each run is measured on its own where Linux allows
// resetting the high-water mark (/proc/self/clear_refs), else it is the
// process's peak so far.
func BenchLoad(ctx context.Context, opts BenchOptions) (*BenchResult, error) {
	dir := opts.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "pubdata-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	file := opts.File
	if file == "" {
		if opts.Rows <= 0 {
			opts.Rows = 1_000_000
		}
		enc := opts.Encoding
		if enc == "" {
			enc = "utf-8"
		}
		file = filepath.Join(dir, fmt.Sprintf("population-%d-%s.csv", opts.Rows, enc))
		if _, err := gen.PopulationFile(file, gen.PopulationOptions{Rows: opts.Rows, ErrorRate: opts.ErrorRate, Seed: 1, Encoding: enc}); err != nil {
			return nil, err
		}
		defer os.Remove(file)
		defer os.Remove(file + ".truth.csv")
	}
	st, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	res := &BenchResult{File: file, Bytes: st.Size()}
	spec := populationBenchSpec()

	if opts.NoDuckDB && opts.Postgres == "" {
		return nil, errors.New("bench: nothing to load: --no-duckdb without --postgres")
	}
	if !opts.NoDuckDB {
		// The record store on DuckDB.
		store, err := records.OpenDuckDB(ctx, filepath.Join(dir, "bench-records.duckdb"))
		if err != nil {
			return nil, err
		}
		run, r, err := benchOne(ctx, store, spec, file, dir, opts)
		store.Close()
		os.RemoveAll(filepath.Join(dir, "bench-records.duckdb.files"))
		os.Remove(filepath.Join(dir, "bench-records.duckdb"))
		if err != nil {
			return nil, err
		}
		res.DuckDB, res.Rows, res.Encoding = run, r.RowsRead, r.Encoding
	}

	if !opts.NoRaw && !opts.NoDuckDB {
		raw, err := benchRaw(ctx, file, dir, res.Encoding, res.Rows)
		if err != nil {
			return nil, err
		}
		res.Raw = &raw
		if raw.RowsPerSec > 0 {
			res.Ratio = res.DuckDB.RowsPerSec / raw.RowsPerSec
		}
	}
	if opts.Postgres != "" {
		run, r, err := benchPostgres(ctx, opts.Postgres, spec, file, dir, opts)
		if err != nil {
			return nil, err
		}
		res.Postgres = &run
		if opts.NoDuckDB {
			res.Rows, res.Encoding = r.RowsRead, r.Encoding
		}
	}
	return res, nil
}

// benchPostgres loads the file into a new schema of the database at url,
// dropped afterwards.
func benchPostgres(ctx context.Context, url string, spec Spec, file, dir string, opts BenchOptions) (BenchRun, *Result, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return BenchRun{}, nil, err
	}
	defer conn.Close(context.Background())
	schema := fmt.Sprintf("pubdata_bench_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return BenchRun{}, nil, err
	}
	defer conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	u, err := neturl.Parse(url)
	if err != nil {
		return BenchRun{}, nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	pg, err := records.OpenPostgres(ctx, u.String())
	if err != nil {
		return BenchRun{}, nil, err
	}
	defer pg.Close()
	return benchOne(ctx, pg, spec, file, dir, opts)
}

func populationBenchSpec() Spec {
	sc := gen.PopulationSchema()
	return Spec{Dataset: "bench_population", Columns: sc.Columns, Rules: sc.Rules}
}

func benchOne(ctx context.Context, store records.Store, spec Spec, file, dir string, opts BenchOptions) (BenchRun, *Result, error) {
	src, closer, err := FileSource(file)
	if err != nil {
		return BenchRun{}, nil, err
	}
	defer closer.Close()
	var read atomic.Int64
	progress := func(p Progress) { read.Store(p.RowsRead) }
	if opts.MemTrace != nil {
		stop := memTrace(opts.MemTrace, fmt.Sprintf("%T", store), &read)
		defer stop()
	}
	m := startMeasure()
	res, err := Load(ctx, store, spec, src, Options{QuarantineDir: dir, Workers: opts.Workers, Writers: opts.Writers,
		MaxKeysInMemory: opts.MaxKeysInMemory, KeyFilterBytes: opts.KeyFilterBytes}, progress)
	run := m.stop(0)
	if err != nil {
		return run, nil, err
	}
	os.Remove(res.QuarantinePath)
	run.RowsPerSec = float64(res.RowsRead) / run.Seconds
	run.Rejected = res.RowsRejected
	return run, res, nil
}

// benchRaw times DuckDB's read_csv of the file into a table of a new
// DuckDB database file, with no rules.
func benchRaw(ctx context.Context, file, dir string, enc tabular.Encoding, rows int64) (BenchRun, error) {
	if enc != tabular.UTF8 && enc != tabular.UTF8BOM {
		return BenchRun{Note: "DuckDB's read_csv reads " + string(enc) + " only with the encodings extension, which is not available offline"}, nil
	}
	path := filepath.Join(dir, "bench-raw.duckdb")
	defer os.Remove(path)
	defer os.Remove(path + ".wal")
	db, err := sql.Open("duckdb", path+"?autoinstall_known_extensions=false&autoload_known_extensions=false")
	if err != nil {
		return BenchRun{}, err
	}
	defer db.Close()
	m := startMeasure()
	_, err = db.ExecContext(ctx, `CREATE TABLE raw AS SELECT * FROM read_csv('`+sqlQuote(file)+`')`)
	if err == nil {
		_, err = db.ExecContext(ctx, `CHECKPOINT`)
	}
	run := m.stop(rows)
	if err != nil {
		return run, fmt.Errorf("ingest: raw read_csv: %w", err)
	}
	var n int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM raw`).Scan(&n); err != nil || n != rows {
		return run, fmt.Errorf("ingest: raw read_csv loaded %d rows, want %d (%v)", n, rows, err)
	}
	return run, nil
}

func sqlQuote(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte("'"), []byte("''"))) }

// measure times a run: wall clock, CPU time and peak RSS.
type measure struct {
	t0  time.Time
	cpu time.Duration
}

// startMeasure starts timing a run. It first has the kernel write back
// the dirty pages of earlier work (the generated file, the previous run's
// store), which would otherwise be written during the run and charged to
// it.
func startMeasure() measure {
	syscall.Sync()
	resetPeakRSS()
	return measure{t0: time.Now(), cpu: cpuTime()}
}

func (m measure) stop(rows int64) BenchRun {
	r := BenchRun{Seconds: time.Since(m.t0).Seconds(), CPUSeconds: (cpuTime() - m.cpu).Seconds(), PeakRSS: peakRSS()}
	if rows > 0 {
		r.RowsPerSec = float64(rows) / r.Seconds
	}
	return r
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets the kernel's high-water mark of the resident set
// (Linux 4.0 and later).
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS returns VmHWM from /proc/self/status, or the maximum resident
// set size from getrusage.
func peakRSS() int64 {
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range bytes.Split(data, []byte("\n")) {
			if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
				f := bytes.Fields(rest)
				if len(f) > 0 {
					kb, _ := strconv.ParseInt(string(f[0]), 10, 64)
					return kb << 10
				}
			}
		}
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss << 10
}

// memTrace writes, once a second until stop is called, the seconds since
// it started, the rows read so far and the process's memory in MiB: the
// resident anonymous and file-backed memory (/proc/self/smaps_rollup),
// the Go heap's live objects and everything the Go runtime has mapped
// (runtime/metrics), and the duplicate checkers' memory off the Go heap.
// What is anonymous and in none of the Go figures belongs to C code: the
// DuckDB engine.
func memTrace(w io.Writer, label string, read *atomic.Int64) (stop func()) {
	fmt.Fprintf(w, "# %s\nsec\trows\tanon\tfile\theap_live\tgo_total\toffheap\n", label)
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	done := make(chan struct{})
	finished := make(chan struct{})
	t0 := time.Now()
	mib := func(b int64) float64 { return float64(b) / (1 << 20) }
	sample := func() {
		anon, file := rssParts()
		metrics.Read(samples)
		fmt.Fprintf(w, "%.0f\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\n", time.Since(t0).Seconds(), read.Load(),
			mib(anon), mib(file), mib(int64(samples[0].Value.Uint64())), mib(int64(samples[1].Value.Uint64())), mib(quality.OffHeapBytes()))
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				sample()
			case <-done:
				sample()
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

// rssParts returns the resident anonymous and file-backed bytes of the
// process (Linux); zeros elsewhere.
func rssParts() (anon, file int64) {
	data, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return 0, 0
	}
	var rss int64
	for _, line := range bytes.Split(data, []byte("\n")) {
		f := bytes.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(string(f[1]), 10, 64)
		switch string(f[0]) {
		case "Rss:":
			rss = kb << 10
		case "Anonymous:":
			anon = kb << 10
		}
	}
	return anon, rss - anon
}

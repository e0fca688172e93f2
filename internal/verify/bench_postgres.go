package verify

import (
	"context"
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
)

// benchPostgres opens the PostgreSQL store of the benchmark in its schema
// of the database at opts.Postgres, loading the files (generated unless
// pf.Dir has them) first unless a previous run did.
func benchPostgres(ctx context.Context, opts BenchOptions, pf PopulationFiles) (*BenchResult, records.Store, error) {
	schema := strings.NewReplacer(".", "_", "-", "_", "+", "_").Replace(
		fmt.Sprintf("pubdata_verify_bench_%d_c%g_e%g", opts.Rows, opts.ConflictRate, opts.ErrorRate))
	conn, err := pgx.Connect(ctx, opts.Postgres)
	if err != nil {
		return nil, nil, fmt.Errorf("verify: bench: %w", err)
	}
	_, err = conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema)
	conn.Close(context.Background())
	if err != nil {
		return nil, nil, fmt.Errorf("verify: bench: %w", err)
	}
	u, err := neturl.Parse(opts.Postgres)
	if err != nil {
		return nil, nil, fmt.Errorf("verify: bench: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := records.OpenPostgres(ctx, u.String())
	if err != nil {
		return nil, nil, err
	}
	res := &BenchResult{Rows: opts.Rows, Store: "postgres schema " + schema, Cached: true}
	t0 := time.Now()
	// The files give the truth, loaded or not.
	if err := pf.generateOnce(); err != nil {
		st.Close()
		return nil, nil, err
	}
	for src, dataset := range []string{BenchDatasetA, BenchDatasetB} {
		if _, err := st.Current(ctx, dataset); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			st.Close()
			return nil, nil, err
		}
		res.Cached = false
		if _, err := pf.LoadSource(ctx, st, src, dataset); err != nil {
			st.Close()
			return nil, nil, err
		}
	}
	if !res.Cached {
		res.LoadSeconds = time.Since(t0).Seconds()
	}
	return res, st, nil
}

// postgresCPU is the CPU time of this machine's PostgreSQL processes, as
// far as /proc shows them (Linux; 0 elsewhere).
func postgresCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... utime stime: fields 14 and 15.
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open || !strings.HasPrefix(s[open+1:end], "postgres") {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		k, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + k
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}

// generateOnce generates the files unless a previous run of Bench did.
func (p PopulationFiles) generateOnce() error {
	for _, marker := range []string{"generated", "ready"} {
		if _, err := os.Stat(filepath.Join(p.Dir, marker)); err == nil {
			return nil
		}
	}
	if err := p.Generate(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(p.Dir, "generated"), []byte(time.Now().Format(time.RFC3339)+"\n"), 0o640)
}

package ingest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
)

// The helper process of TestKillDuringLoad: it loads PUBDATA_HELPER_FILE
// into the store PUBDATA_HELPER_STORE (engine PUBDATA_HELPER_KIND) and
// prints the rows read as it goes, until it is killed.
func TestHelperLoad(t *testing.T) {
	kind := os.Getenv("PUBDATA_HELPER_KIND")
	if kind == "" {
		t.Skip("helper process only")
	}
	ctx := context.Background()
	var k storeKind
	for _, c := range storeKinds() {
		if c.name == kind {
			k = c
		}
	}
	s, err := k.open(ctx, os.Getenv("PUBDATA_HELPER_STORE"))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	src, closer, err := FileSource(os.Getenv("PUBDATA_HELPER_FILE"))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	defer closer.Close()
	_, err = Load(ctx, s, populationSpec(), src, Options{QuarantineDir: t.TempDir(), Workers: 1, Writers: 1, ProgressInterval: 20 * time.Millisecond},
		func(p Progress) { fmt.Printf("read %d\n", p.RowsRead) })
	fmt.Println("finished", err)
}

func TestKillDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	small, _ := generate(t, 2_000, 0.02, "utf-8")
	big, _ := generate(t, 400_000, 0.02, "gb18030")
	file := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(file, big, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := k.dsn(t)
			s, err := k.open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			spec := populationSpec()
			v1, err := Load(ctx, s, spec, Source{Name: "small.csv", R: bytes.NewReader(small)}, Options{QuarantineDir: dir}, nil)
			if err != nil {
				t.Fatalf("first load: %v", err)
			}
			before := rowsOf(t, s, spec.Dataset)
			s.Close()

			// Start the big load in a child process and kill it mid-load.
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperLoad$", "-test.v")
			cmd.Env = append(os.Environ(), "PUBDATA_HELPER_KIND="+k.name, "PUBDATA_HELPER_STORE="+dsn, "PUBDATA_HELPER_FILE="+file)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			killed := false
			var lines []string
			for sc.Scan() {
				line := sc.Text()
				lines = append(lines, line)
				var n int64
				if _, err := fmt.Sscanf(line, "read %d", &n); err == nil && n >= 60_000 && !killed {
					cmd.Process.Signal(syscall.SIGKILL)
					killed = true
				}
			}
			cmd.Wait()
			if !killed {
				t.Fatalf("the load ended before it could be killed:\n%s", strings.Join(lines, "\n"))
			}
			if !leftBehind(t, k.name, dsn) {
				t.Errorf("the killed load left nothing behind: was it killed before writing?")
			}

			// Reopen: the first version is served, nothing of the killed
			// load is visible or kept.
			s, err = k.open(ctx, dsn)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			defer s.Close()
			cur, err := s.Current(ctx, spec.Dataset)
			if err != nil || cur.Number != v1.Version.Number || cur.Rows != v1.Version.Rows {
				t.Errorf("Current after kill = %+v, %v; want %+v", cur, err, v1.Version)
			}
			if diff := cmp.Diff(before, rowsOf(t, s, spec.Dataset)); diff != "" {
				t.Errorf("rows after kill (-before +after):\n%s", diff)
			}
			if l := leftovers(t, s); len(l) > 0 {
				t.Errorf("leftovers after reopen: %v", l)
			}
			// The load, rerun, completes.
			src, closer, _ := FileSource(file)
			defer closer.Close()
			res, err := Load(ctx, s, spec, src, Options{QuarantineDir: dir}, nil)
			if err != nil {
				t.Fatalf("rerun: %v", err)
			}
			if res.RowsRead != 400_000 || res.Version.Number != v1.Version.Number+1 {
				t.Errorf("rerun: read %d rows into version %d", res.RowsRead, res.Version.Number)
			}
		})
	}
}

// leftBehind reports whether a killed load left storage behind (before the
// store is reopened), looking at the files or tables directly.
func leftBehind(t *testing.T, kind, dsn string) bool {
	t.Helper()
	switch kind {
	case "duckdb":
		var parts int
		filepath.WalkDir(dsn+".files", func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), "v2-") {
				parts++
			}
			return nil
		})
		return parts > 0
	case "postgres":
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var rows int64
		err = conn.QueryRow(context.Background(), `SELECT count(*) FROM rs_1_g2`).Scan(&rows)
		return err == nil && rows > 0
	}
	return false
}

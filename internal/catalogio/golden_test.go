package catalogio_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/catalog"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden imports each testdata/golden/<name>.<format> twice: all or
// nothing, whose report must equal <name>.<format>.report.golden, and
// partial, whose rejects file must equal <name>.<format>.rejects.golden.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range files {
		if strings.HasSuffix(in, ".golden") {
			continue
		}
		format := strings.TrimPrefix(filepath.Ext(in), ".")
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t)
			rep := e.importFile(t, e.admin, data, format, catalog.ImportOptions{Filename: filepath.Base(in)})
			if rep.Imported != 0 {
				t.Errorf("all-or-nothing import stored %d entries, want 0", rep.Imported)
			}
			got, err := json.MarshalIndent(rep, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, in+".report.golden", append(got, '\n'))

			rep = e.importFile(t, e.admin, data, format, catalog.ImportOptions{Partial: true, Filename: filepath.Base(in)})
			if rep.RejectsFile == "" {
				t.Fatalf("partial import wrote no rejects file")
			}
			rejects, err := os.ReadFile(rep.RejectsFile)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, in+".rejects.golden", rejects)
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s mismatch (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

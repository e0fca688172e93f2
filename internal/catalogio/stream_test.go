package catalogio_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/catalogio"
)

// plain hides everything but Read: an upload still arriving, which an
// import reads to the end before it stores anything.
type plain struct{ io.Reader }

// itemCounts is the number of items of each imported entry, in file order.
func (e *env) itemCounts(t *testing.T, rep *catalog.ImportReport) []int {
	t.Helper()
	out := make([]int, len(rep.IDs))
	for i, id := range rep.IDs {
		r, err := e.app.Catalog.Get(e.admin, id)
		if err != nil {
			t.Fatalf("Get(%s): %v", id, err)
		}
		out[i] = len(r.Items)
	}
	return out
}

func tens(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = 10
	}
	return out
}

// TestImportStreamsOrReadsFirst imports the same files streamed in small
// chunks (a file at hand) and read to the end first (an upload): the
// reports are the same.
func TestImportStreamsOrReadsFirst(t *testing.T) {
	defer catalogio.SetSealChunk(7)()
	for _, format := range []string{"xlsx", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			data := synthetic(t, format, 40)
			for _, partial := range []bool{false, true} {
				var reps [2]*catalog.ImportReport
				for k, r := range []io.Reader{bytes.NewReader(data), plain{bytes.NewReader(data)}} {
					e := newEnv(t)
					rep, err := e.app.Transfer.Import(e.admin, r, format, catalog.ImportOptions{Partial: partial})
					if err != nil {
						t.Fatalf("Import: %v", err)
					}
					if rep.Imported != 40 || e.count(t) != 40 {
						t.Fatalf("Import = %d imported, %d stored, want 40", rep.Imported, e.count(t))
					}
					if diff := cmp.Diff(tens(40), e.itemCounts(t, rep)); diff != "" {
						t.Errorf("items per entry mismatch (-want +got):\n%s", diff)
					}
					rep.IDs = nil
					reps[k] = rep
				}
				if diff := cmp.Diff(reps[0], reps[1]); diff != "" {
					t.Errorf("streamed and read-first reports differ (-streamed +read first):\n%s", diff)
				}
			}
		})
	}
}

// TestImportRefusedAfterStreaming refuses a file whose last entry is
// invalid after the entries before it went to the store: nothing stays,
// in the store or the search index.
func TestImportRefusedAfterStreaming(t *testing.T) {
	defer catalogio.SetSealChunk(5)()
	e := newEnv(t)
	recs, err := csvRecords(string(synthetic(t, "csv", 60)))
	if err != nil {
		t.Fatal(err)
	}
	last := recs[len(recs)-1]
	last[21] = "十八" // 长度 of the last entry's last item: not a number
	rep := e.importFile(t, e.admin, csvBytes(t, recs), "csv", catalog.ImportOptions{})
	if rep.Imported != 0 || rep.Rejected != 1 || len(rep.Errors) != 1 || rep.Errors[0].Row != len(recs) {
		t.Fatalf("Import = imported %d, rejected %d, errors %+v, want 0, 1, one on row %d", rep.Imported, rep.Rejected, rep.Errors, len(recs))
	}
	if n := e.count(t); n != 0 {
		t.Errorf("resources after a refused import = %d, want 0", n)
	}
	res, err := e.app.Catalog.List(e.admin, catalog.ListQuery{Limit: 10})
	if err != nil || res.Total != 0 {
		t.Errorf("List after a refused import = %v, %v, want no entries", res, err)
	}
	rep = e.importFile(t, e.admin, csvBytes(t, recs), "csv", catalog.ImportOptions{Partial: true})
	if rep.Imported != 59 || e.count(t) != 59 {
		t.Errorf("partial Import = %d imported, %d stored, want 59", rep.Imported, e.count(t))
	}
}

// TestImportRowsOutOfOrder imports files whose rows of one entry are not
// together, which an import notices only after it has streamed the entry:
// it starts over reading first, and stores every item.
func TestImportRowsOutOfOrder(t *testing.T) {
	defer catalogio.SetSealChunk(3)()
	t.Run("csv", func(t *testing.T) {
		e := newEnv(t)
		recs, err := csvRecords(string(synthetic(t, "csv", 30)))
		if err != nil {
			t.Fatal(err)
		}
		// The second item of the first entry moves to the end of the file.
		moved := recs[2]
		recs = append(append(recs[:2:2], recs[3:]...), moved)
		rep := e.importFile(t, e.admin, csvBytes(t, recs), "csv", catalog.ImportOptions{})
		if rep.Imported != 30 || len(rep.Errors) != 0 || e.count(t) != 30 {
			t.Fatalf("Import = %d imported, %d stored, errors %+v, want 30", rep.Imported, e.count(t), rep.Errors)
		}
		if diff := cmp.Diff(tens(30), e.itemCounts(t, rep)); diff != "" {
			t.Errorf("items per entry mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		e := newEnv(t)
		f := openBook(t, synthetic(t, "xlsx", 30))
		rows, err := f.GetRows("信息项")
		if err != nil {
			t.Fatal(err)
		}
		// The first item row (of entry 1) moves below the last.
		first := make([]any, len(rows[1]))
		for i, c := range rows[1] {
			first[i] = c
		}
		if err := f.RemoveRow("信息项", 2); err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow("信息项", "A"+strconv.Itoa(len(rows)), &first); err != nil {
			t.Fatal(err)
		}
		rep := e.importFile(t, e.admin, saveBook(t, f), "xlsx", catalog.ImportOptions{})
		if rep.Imported != 30 || len(rep.Errors) != 0 || e.count(t) != 30 {
			t.Fatalf("Import = %d imported, %d stored, errors %+v, want 30", rep.Imported, e.count(t), rep.Errors)
		}
		if diff := cmp.Diff(tens(30), e.itemCounts(t, rep)); diff != "" {
			t.Errorf("items per entry mismatch (-want +got):\n%s", diff)
		}
	})
}

func csvBytes(t *testing.T, recs [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

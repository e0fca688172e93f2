package gen

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/tabular"
)

// finding is what the rules say about one rejected row: the message keys
// of its error-severity violations.
type finding []quality.Key

// rejectedRows reads a generated file back with internal/tabular, runs the
// schema's program over every row and a quality.Unique over the key of the
// rows that pass, with the second (exact) pass, and returns the rejected
// rows by 1-based data row number.
func rejectedRows(t *testing.T, s Schema, data []byte, enc string) map[int]finding {
	t.Helper()
	p, err := s.Program()
	if err != nil {
		t.Fatalf("%s: Program: %v", s.Name, err)
	}
	read := func(each func(n int, cells []string)) {
		r, err := tabular.OpenCSV(bytes.NewReader(data), tabular.CSVOptions{Encoding: tabular.Encoding(enc)})
		if err != nil {
			t.Fatalf("OpenCSV: %v", err)
		}
		defer r.Close()
		if diff := cmp.Diff(s.Header(), r.Header()); diff != "" {
			t.Fatalf("header (-want +got):\n%s", diff)
		}
		for n := 1; ; n++ {
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("row %d: %v", n, err)
			}
			if row.Num != n+1 {
				t.Fatalf("data row %d is on line %d, want %d", n, row.Num, n+1)
			}
			each(n, row.Cells)
		}
	}
	got := map[int]finding{}
	passed := map[int]bool{}
	u := quality.NewUnique(p.PrimaryKey())
	var out []quality.Violation
	read(func(n int, cells []string) {
		out = out[:0]
		if !p.Check(cells, &out) {
			for _, v := range out {
				if v.Severity == quality.Error {
					got[n] = append(got[n], v.Key)
				}
			}
			return
		}
		passed[n] = true
		u.Add(cells, n)
	})
	if u.Suspects() > 0 {
		read(func(n int, cells []string) {
			if passed[n] {
				u.Verify(cells, n)
			}
		})
	}
	for _, d := range u.Duplicates() {
		got[d.Row] = append(got[d.Row], quality.KeyDuplicate)
	}
	if u.Collisions() != 0 {
		t.Errorf("%d hash collisions", u.Collisions())
	}
	return got
}

// readTruth parses a truth file.
func readTruth(t *testing.T, b []byte) map[int]string {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(b))
	if !sc.Scan() || sc.Text() != "row,kind" {
		t.Fatalf("truth header = %q, want row,kind", sc.Text())
	}
	m := map[int]string{}
	last := 0
	for sc.Scan() {
		num, kind, ok := strings.Cut(sc.Text(), ",")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n <= last {
			t.Fatalf("bad truth line %q", sc.Text())
		}
		m[n], last = kind, n
	}
	return m
}

// checkDetected compares the rejected rows with the truth: the same rows,
// and for each the violation its error kind should cause, alone.
func checkDetected(t *testing.T, got map[int]finding, truth map[int]string, want map[string][]quality.Key) {
	t.Helper()
	for n, kind := range truth {
		f, ok := got[n]
		if !ok {
			t.Errorf("row %d (%s) passed: false negative", n, kind)
			continue
		}
		if len(f) != 1 || !containsKey(want[kind], f[0]) {
			t.Errorf("row %d (%s) broke %v, want one of %v", n, kind, f, want[kind])
		}
	}
	for n, f := range got {
		if _, ok := truth[n]; !ok {
			t.Errorf("row %d rejected with %v but not in the truth: false positive", n, f)
		}
	}
}

func containsKey(ks []quality.Key, k quality.Key) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

var populationKeys = map[string][]quality.Key{
	BadCheckChar:    {quality.KeyIDCheck},
	BadBirthDate:    {quality.KeyIDDate},
	MissingRequired: {quality.KeyRequired},
	DuplicateKey:    {quality.KeyDuplicate},
	BadMobile:       {quality.KeyMobile},
	CrossField:      {quality.KeyIDBirthMismatch, quality.KeyIDSexMismatch},
	BadRegion:       {quality.KeyRegion},
	OverLength:      {quality.KeyTooLong},
}

// TestPopulationDetected is the central test: 20,000 rows with 2% errors
// in each encoding, read back and checked; the rejected rows are exactly
// the truth file's.
func TestPopulationDetected(t *testing.T) {
	for _, enc := range []string{"utf-8", "gbk", "gb18030"} {
		t.Run(enc, func(t *testing.T) {
			var data, truthBuf bytes.Buffer
			st, err := Population(&data, &truthBuf, PopulationOptions{Rows: 20000, ErrorRate: 0.02, Seed: 20260101, Encoding: enc})
			if err != nil {
				t.Fatal(err)
			}
			truth := readTruth(t, truthBuf.Bytes())
			if total := sum(st.Errors); total != len(truth) || total < 300 || total > 500 {
				t.Errorf("Stats.Errors = %v (total %d), truth has %d rows; want about 400", st.Errors, total, len(truth))
			}
			for _, k := range PopulationKinds {
				if st.Errors[k] < 20 {
					t.Errorf("only %d %s errors", st.Errors[k], k)
				}
			}
			if st.Bytes != int64(data.Len()) || st.Rows != 20000 {
				t.Errorf("Stats = %+v, want 20000 rows and %d bytes", st, data.Len())
			}
			got := rejectedRows(t, PopulationSchema(), data.Bytes(), enc)
			checkDetected(t, got, truth, populationKeys)
		})
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestLegalPersonsDetected(t *testing.T) {
	for _, enc := range []string{"utf-8", "gbk"} {
		var data, truthBuf bytes.Buffer
		if _, err := LegalPersons(&data, &truthBuf, Options{Rows: 10000, ErrorRate: 0.03, Seed: 7, Encoding: enc}); err != nil {
			t.Fatal(err)
		}
		got := rejectedRows(t, LegalPersonSchema(), data.Bytes(), enc)
		checkDetected(t, got, readTruth(t, truthBuf.Bytes()), map[string][]quality.Key{
			BadCheckChar:    {quality.KeyUSCC},
			MissingRequired: {quality.KeyRequired},
			DuplicateKey:    {quality.KeyDuplicate},
			OverLength:      {quality.KeyTooLong},
			BadDate:         {quality.KeyDate},
		})
	}
}

func TestLicencesDetected(t *testing.T) {
	for _, enc := range []string{"utf-8", "gb18030"} {
		var data, truthBuf bytes.Buffer
		if _, err := Licences(&data, &truthBuf, Options{Rows: 10000, ErrorRate: 0.03, Seed: 9, Encoding: enc}); err != nil {
			t.Fatal(err)
		}
		got := rejectedRows(t, LicenceSchema(), data.Bytes(), enc)
		checkDetected(t, got, readTruth(t, truthBuf.Bytes()), map[string][]quality.Key{
			BadCheckChar:    {quality.KeyParty},
			MissingRequired: {quality.KeyRequired},
			DuplicateKey:    {quality.KeyDuplicate},
			OverLength:      {quality.KeyTooLong},
			DateOrder:       {quality.KeyDateOrder},
		})
	}
}

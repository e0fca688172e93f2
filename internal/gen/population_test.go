package gen

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/civil"
	"github.com/pubdata/pubdata/internal/tabular"
)

func population(t testing.TB, opts PopulationOptions) (data, truth []byte, st Stats) {
	t.Helper()
	var d, tr bytes.Buffer
	st, err := Population(&d, &tr, opts)
	if err != nil {
		t.Fatalf("Population(%+v): %v", opts, err)
	}
	return d.Bytes(), tr.Bytes(), st
}

func TestPopulationReproducible(t *testing.T) {
	for _, enc := range []string{"utf-8", "gbk", "gb18030"} {
		opts := PopulationOptions{Rows: 5000, ErrorRate: 0.05, Seed: 99, Encoding: enc}
		d1, t1, _ := population(t, opts)
		d2, t2, _ := population(t, opts)
		if !bytes.Equal(d1, d2) || !bytes.Equal(t1, t2) {
			t.Errorf("%s: two runs with seed 99 differ", enc)
		}
		opts.Seed = 100
		if d3, _, _ := population(t, opts); bytes.Equal(d1, d3) {
			t.Errorf("%s: seeds 99 and 100 give the same file", enc)
		}
	}
}

// TestPopulationEncodings: the GB18030 file decodes to the UTF-8 file of
// the same seed; the GBK file too, but for the rare characters GBK lacks.
func TestPopulationEncodings(t *testing.T) {
	opts := PopulationOptions{Rows: 20000, ErrorRate: 0.02, Seed: 5}
	utf, _, _ := population(t, opts)
	opts.Encoding = "gb18030"
	gb18030, _, _ := population(t, opts)
	opts.Encoding = "gbk"
	gbk, _, _ := population(t, opts)

	dec18030, err := simplifiedchinese.GB18030.NewDecoder().Bytes(gb18030)
	if err != nil || !bytes.Equal(dec18030, utf) {
		t.Errorf("GB18030 file does not decode to the UTF-8 file (err %v)", err)
	}
	decGBK, err := simplifiedchinese.GBK.NewDecoder().Bytes(gbk)
	if err != nil {
		t.Fatal(err)
	}
	replaced := string(utf)
	for _, r := range rare {
		replaced = strings.ReplaceAll(replaced, r.char, r.gbk)
	}
	replaced = strings.ReplaceAll(replaced, surnames[len(surnames)-1], rareSurname)
	if string(decGBK) != replaced {
		t.Errorf("GBK file does not decode to the UTF-8 file with rare characters replaced")
	}
	if replaced == string(utf) {
		t.Errorf("no rare character in 20,000 rows")
	}
	four := 0
	for _, r := range string(utf) {
		if utf8.RuneLen(r) == 4 {
			four++
		}
	}
	if four == 0 {
		t.Errorf("the UTF-8 file has no character outside the BMP")
	}
	if !strings.Contains(string(utf), "䶮") {
		t.Errorf("䶮 (in GBK as FE9F) never drawn")
	}
	if _, err := simplifiedchinese.GBK.NewEncoder().Bytes(utf); err == nil {
		t.Errorf("the UTF-8 file encodes in GBK: it should hold characters GBK lacks")
	}
}

func TestPopulationBOM(t *testing.T) {
	d, _, st := population(t, PopulationOptions{Rows: 3, Encoding: "utf-8-bom"})
	if !bytes.HasPrefix(d, []byte("\xEF\xBB\xBF公民身份号码,")) || st.Encoding != "utf-8-bom" {
		t.Errorf("utf-8-bom file starts %q, encoding %q", d[:20], st.Encoding)
	}
}

// TestMislabelledEncoding: a GBK file declared as UTF-8 is refused by a
// reader that trusts the label.
func TestMislabelledEncoding(t *testing.T) {
	d, _, st := population(t, PopulationOptions{Rows: 100, Encoding: "gbk", DeclaredEncoding: "utf-8"})
	if st.Encoding != "gbk" || st.DeclaredEncoding != "utf-8" {
		t.Errorf("Stats encodings = %q, %q, want gbk, utf-8", st.Encoding, st.DeclaredEncoding)
	}
	_, err := tabular.OpenCSV(bytes.NewReader(d), tabular.CSVOptions{Encoding: tabular.Encoding(st.DeclaredEncoding)})
	if !apperr.Is(err, apperr.Invalid) {
		t.Errorf("OpenCSV(gbk bytes as utf-8) error = %v, want Invalid", err)
	}
	if r, err := tabular.OpenCSV(bytes.NewReader(d), tabular.CSVOptions{}); err != nil || r.(*tabular.CSVReader).Encoding() != tabular.GBK {
		t.Errorf("detection of the real encoding failed: %v", err)
	}
}

// TestConflicts: source 1 holds the same people as source 0 and differs
// exactly in the rows its truth file lists as conflicts, in the column
// the kind names.
func TestConflicts(t *testing.T) {
	opts := PopulationOptions{Rows: 5000, ErrorRate: 0.02, Seed: 3}
	a, ta, _ := population(t, opts)
	opts.Source, opts.ConflictRate = 1, 0.05
	b, tb, st := population(t, opts)
	truthA, truthB := readTruth(t, ta), readTruth(t, tb)
	conflicts := map[int]string{}
	for n, k := range truthB {
		if k == ConflictName || k == ConflictAddress {
			conflicts[n] = k
		} else if truthA[n] != k {
			t.Errorf("row %d: error %s in source 1, %q in source 0", n, k, truthA[n])
		}
	}
	if n := len(conflicts); n < 150 || n > 350 || st.Conflicts[ConflictName]+st.Conflicts[ConflictAddress] != n {
		t.Errorf("%d conflicts (stats %v), want about 245", n, st.Conflicts)
	}
	rowsA := strings.Split(string(a), "\r\n")
	rowsB := strings.Split(string(b), "\r\n")
	if len(rowsA) != len(rowsB) {
		t.Fatalf("sources have %d and %d lines", len(rowsA), len(rowsB))
	}
	for i := 1; i < len(rowsA)-1; i++ {
		ca, cb := strings.Split(rowsA[i], ","), strings.Split(rowsB[i], ",")
		var diff []int
		for j := range ca {
			if ca[j] != cb[j] {
				diff = append(diff, j)
			}
		}
		want := map[string][]int{ConflictName: {pName}, ConflictAddress: {pHukouAddr}}[conflicts[i]]
		if !cmp.Equal(want, diff) {
			t.Errorf("row %d (%q) differs in columns %v, want %v", i, conflicts[i], diff, want)
		}
	}
}

func TestPopulationOptionErrors(t *testing.T) {
	for _, opts := range []PopulationOptions{
		{Rows: -1},
		{Rows: 1, ErrorRate: 1.5},
		{Rows: 1, Kinds: []string{"nonsense"}},
		{Rows: 1, Kinds: []string{DateOrder}}, // a licence kind
		{Rows: 1, Encoding: "utf-16le"},
		{Rows: 1, Encoding: "latin1"},
	} {
		if _, err := Population(&bytes.Buffer{}, nil, opts); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("Population(%+v) error = %v, want Invalid", opts, err)
		}
	}
	if _, err := Population(&bytes.Buffer{}, nil, PopulationOptions{Rows: 1, ConflictRate: 2, Source: 1}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("Population with conflict rate 2: no error")
	}
}

func TestPopulationKindsOption(t *testing.T) {
	_, tr, st := population(t, PopulationOptions{Rows: 2000, ErrorRate: 0.5, Seed: 1, Kinds: []string{BadMobile}})
	if st.Errors[BadMobile] < 800 || len(st.Errors) != 1 {
		t.Errorf("Errors = %v, want only bad_mobile, about 1,000", st.Errors)
	}
	if n := len(readTruth(t, tr)); n != st.Errors[BadMobile] {
		t.Errorf("truth has %d rows, stats %d", n, st.Errors[BadMobile])
	}
}

func TestPopulationToFile(t *testing.T) {
	dir := t.TempDir()
	f, _ := os.Create(filepath.Join(dir, "population.csv"))
	tf, _ := os.Create(filepath.Join(dir, "population.csv.truth.csv"))
	st, err := Population(f, tf, PopulationOptions{Rows: 1000, ErrorRate: 0.01, Seed: 1})
	f.Close()
	tf.Close()
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(filepath.Join(dir, "population.csv"))
	if fi.Size() != st.Bytes {
		t.Errorf("file has %d bytes, Stats.Bytes = %d", fi.Size(), st.Bytes)
	}
	if per := st.Bytes / int64(st.Rows); per < 190 || per > 220 {
		t.Errorf("%d bytes a UTF-8 row, want about 205", per)
	}
}

func TestPerm(t *testing.T) {
	for _, n := range []uint64{1, 2, 1000, 65537, 100003} {
		p := newPerm(n, n*7)
		seen := make([]bool, n)
		for i := uint64(0); i < n; i++ {
			v := p.at(i)
			if v >= n || seen[v] {
				t.Fatalf("perm(%d).at(%d) = %d: out of range or repeated", n, i, v)
			}
			seen[v] = true
		}
	}
}

// TestAppendDate: day numbers as civil.Days makes them (tested in
// internal/civil) print as the dates they are.
func TestAppendDate(t *testing.T) {
	for d := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2200; d = d.AddDate(0, 0, 13) {
		z := int(d.Unix() / 86400)
		if got := int(civil.Days(d.Year(), int(d.Month()), d.Day())); got != z {
			t.Fatalf("civil.Days(%s) = %d, want %d", d.Format(time.DateOnly), got, z)
		}
		if got := string(appendDate(nil, z)); got != d.Format(time.DateOnly) {
			t.Fatalf("appendDate(%d) = %s, want %s", z, got, d.Format(time.DateOnly))
		}
	}
}

func TestPoolsEncodeInGBK(t *testing.T) {
	for _, enc := range []string{"gbk", "gb18030"} {
		c, err := newCodec(enc)
		if err != nil {
			t.Fatal(err)
		}
		newPools(c)
		c.texts(firmWords)
		c.texts(firmTrades)
		c.texts(firmForms)
		for _, lt := range licenceTypes {
			c.text(lt.name + issuerSuffix[lt.code])
		}
		if c.err != nil {
			t.Errorf("%s: %v", enc, c.err)
		}
	}
	c, _ := newCodec("gbk")
	for _, r := range rare {
		if c.text(r.char); c.err == nil {
			t.Errorf("rare character %s encodes in GBK: it is not rare", r.char)
		}
		c.err = nil
	}
}

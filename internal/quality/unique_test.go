package quality

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnique(t *testing.T) {
	rows := [][]string{
		{"A", "1"}, {"B", "1"}, {" A ", "2"}, {"", "3"}, {"C", "4"}, {"B", "5"}, {"", "6"}, {"A", "7"},
	}
	u := NewUnique([]int{0})
	var flagged []Duplicate
	for i, r := range rows {
		if first, dup := u.Add(r, i+1); dup {
			flagged = append(flagged, Duplicate{Row: i + 1, First: first})
		}
	}
	want := []Duplicate{{3, 1}, {6, 2}, {8, 1}}
	if diff := cmp.Diff(want, flagged); diff != "" {
		t.Errorf("Add duplicates (-want +got):\n%s", diff)
	}
	if got := u.Suspects(); got != 2 {
		t.Errorf("Suspects() = %d, want 2", got)
	}
	for i, r := range rows {
		u.Verify(r, i+1)
	}
	if diff := cmp.Diff(want, u.Duplicates()); diff != "" {
		t.Errorf("Duplicates() (-want +got):\n%s", diff)
	}
	if got := u.Collisions(); got != 0 {
		t.Errorf("Collisions() = %d, want 0", got)
	}
	if got := u.Len(); got != 3 {
		t.Errorf("Len() = %d, want 3", got)
	}
}

func TestUniqueCompositeKey(t *testing.T) {
	u := NewUnique([]int{0, 1})
	rows := [][]string{{"a", "bc"}, {"ab", "c"}, {"a", "bc"}, {"", ""}, {"", ""}, {"", "x"}, {"", "x"}}
	var got []int
	for i, r := range rows {
		if _, dup := u.Add(r, i+1); dup {
			got = append(got, i+1)
		}
	}
	// "a"+"bc" and "ab"+"c" are different keys; all-blank keys are ignored.
	if diff := cmp.Diff([]int{3, 7}, got); diff != "" {
		t.Errorf("duplicates (-want +got):\n%s", diff)
	}
}

// TestUniqueCollision plants a hash collision: a row whose key differs
// but whose hash repeats is flagged by Add and cleared by Verify.
func TestUniqueCollision(t *testing.T) {
	u := NewUnique([]int{0})
	a, b := []string{"A"}, []string{"B"}
	u.Add(a, 1)
	ha, _ := u.hash(a)
	if _, dup := u.add(ha, 2); !dup { // row 2 ("B") pretends to hash like "A"
		t.Fatal("planted collision not flagged")
	}
	hb, _ := u.hash(b)
	u.suspects[hb] = struct{}{} // and Verify sees "B" under a suspect hash
	u.Verify(a, 1)
	u.Verify(b, 2)
	if got := u.Duplicates(); len(got) != 0 {
		t.Errorf("Duplicates() = %v, want none", got)
	}
	if got := u.Collisions(); got != 1 {
		t.Errorf("Collisions() = %d, want 1", got)
	}
}

func TestUniqueGrow(t *testing.T) {
	u := NewUnique([]int{0})
	const n = 100000
	for i := 0; i < n; i++ {
		if _, dup := u.Add([]string{strconv.Itoa(i)}, i+1); dup {
			t.Fatalf("Add(%d) reported a duplicate", i)
		}
	}
	for i := 0; i < n; i += 1000 {
		if first, dup := u.Add([]string{strconv.Itoa(i)}, n+i+1); !dup || first != i+1 {
			t.Fatalf("Add(%d) again = %d, %v, want %d, true", i, first, dup, i+1)
		}
	}
	if u.Len() != n {
		t.Errorf("Len() = %d, want %d", u.Len(), n)
	}
}

func BenchmarkUniqueAdd(b *testing.B) {
	keys := make([][]string, 1<<20)
	for i := range keys {
		keys[i] = []string{withCheck("350102" + strconv.Itoa(19000000000+i*7))}
	}
	u := NewUnique([]int{0})
	i := 0
	for b.Loop() {
		u.Add(keys[i&(len(keys)-1)], i)
		i++
	}
}

func TestUniqueReserve(t *testing.T) {
	u := NewUnique([]int{0})
	u.Add([]string{"a"}, 1)
	u.Reserve(5000)
	slots := len(u.slots)
	if slots*3/4 < 5000 || slots&(slots-1) != 0 {
		t.Fatalf("Reserve(5000): %d slots", slots)
	}
	if _, dup := u.Add([]string{"a"}, 2); !dup {
		t.Errorf("a key added before Reserve is not found after it")
	}
	for i := range 4000 {
		if _, dup := u.Add([]string{strconv.Itoa(i)}, i+3); dup {
			t.Fatalf("key %d reported as a duplicate", i)
		}
	}
	if len(u.slots) != slots {
		t.Errorf("the table grew from %d to %d slots within its reservation", slots, len(u.slots))
	}
	u.Reserve(10) // never shrinks
	if len(u.slots) != slots {
		t.Errorf("Reserve(10) changed the table to %d slots", len(u.slots))
	}
}

// TestUniqueSpill: with a small budget the keys spill to run files, and
// duplicates are found whether the first row is in the table or in a run,
// with the first row's number. With a small filter budget too, the runs
// are merged and the filters stay within it.
func TestUniqueSpill(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		filterBudget           int // 0: the default
		wantMerges, wantRunsGE int
	}{
		// About 1,500 keys a run, so about 37 spills: merged when there
		// are maxRuns runs.
		{"merged by count", 0, 2, 2},
		// Two runs' filters fit (10 bits a key): merged every few spills.
		{"merged by filter budget", 4 << 10, 10, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := NewUnique([]int{0})
			u.SetBudget(1000, t.TempDir())
			if tc.filterBudget > 0 {
				u.SetFilterBudget(tc.filterBudget)
			}
			defer u.Close()
			rnd := rand.New(rand.NewPCG(1, 2))
			first := map[string]int{}
			maxFilter := 0
			for n := 1; n <= 60_000; n++ {
				var k string
				if n > 10 && rnd.IntN(20) == 0 { // a repeat of an earlier row's key
					k = strconv.Itoa(rnd.IntN(n / 2))
				} else {
					k = strconv.Itoa(n)
				}
				got, dup := u.Add([]string{k}, n)
				want, seen := first[k]
				if dup != seen || (seen && got != want) {
					t.Fatalf("row %d key %s: Add = %d, %v; want %d, %v", n, k, got, dup, want, seen)
				}
				if !seen {
					first[k] = n
				}
				maxFilter = max(maxFilter, u.filterBytes())
			}
			if err := u.Err(); err != nil {
				t.Fatal(err)
			}
			if len(u.runs) < tc.wantRunsGE || len(u.runs) > maxRuns || len(u.slots) > 2048 {
				t.Errorf("%d runs, %d slots: the budget did not hold", len(u.runs), len(u.slots))
			}
			if u.merges < tc.wantMerges || tc.wantMerges == 0 && u.merges > 0 {
				t.Errorf("%d merges, want %d or more (0 if 0)", u.merges, tc.wantMerges)
			}
			if tc.filterBudget > 0 && maxFilter > tc.filterBudget {
				t.Errorf("filters reached %d bytes, budget %d", maxFilter, tc.filterBudget)
			}
			if u.Spilled()+u.Len() != len(first) {
				t.Errorf("spilled %d + table %d keys, want %d distinct", u.Spilled(), u.Len(), len(first))
			}
			u.Reserve(1 << 20) // never beyond the budget
			if len(u.slots) > 2048 {
				t.Errorf("Reserve grew the table to %d slots past the budget", len(u.slots))
			}
			files := u.runs[0].f.Name()
			u.Close()
			if _, err := os.Stat(files); !os.IsNotExist(err) {
				t.Errorf("run file %s left behind: %v", files, err)
			}
			if entries, _ := os.ReadDir(filepath.Dir(files)); len(entries) > 0 {
				t.Errorf("%d files left in the spill directory", len(entries))
			}
		})
	}
}

// BenchmarkUniqueAddSpilled adds distinct keys to a checker whose table
// holds 1/16 of them, so most Adds look in 8 to 15 runs' filters: the
// cost of a row past the first spill of a very large file.
func BenchmarkUniqueAddSpilled(b *testing.B) {
	const n = 1 << 22
	keys := make([][]string, n)
	for i := range keys {
		keys[i] = []string{strconv.Itoa(1_000_000_000 + i*7)}
	}
	u := NewUnique([]int{0})
	u.SetBudget(n/16, b.TempDir())
	defer u.Close()
	// Fill 8 runs first: the timed Adds then see a realistic filter set.
	i := 0
	for ; i < n/2; i++ {
		u.Add(keys[i], i)
	}
	b.ResetTimer()
	for b.Loop() {
		if i == n {
			b.StopTimer()
			u.Close()
			u = NewUnique([]int{0})
			u.SetBudget(n/16, b.TempDir())
			for i = 0; i < n/2; i++ {
				u.Add(keys[i], i)
			}
			b.StartTimer()
		}
		u.Add(keys[i], i)
		i++
	}
}

package records

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestDirectFileWritesEveryByte: whatever the sizes of the writes and of
// the file (empty, under a block, a block exactly, past a buffer), the
// file holds exactly the bytes written, on the test's file system and on
// tmpfs (which refused O_DIRECT before Linux 6.6), and buffered as where
// O_DIRECT is refused.
func TestDirectFileWritesEveryByte(t *testing.T) {
	dirs := map[string]string{"temp": t.TempDir()}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		shm, err := os.MkdirTemp("/dev/shm", "pubdata-direct-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(shm) })
			dirs["shm"] = shm
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, buffered := range []bool{false, true} {
		for name, dir := range dirs {
			for _, size := range []int{0, 1, directAlign - 1, directAlign, directAlign + 1, directBuf, directBuf + 3, 3*directBuf + directAlign/2} {
				var err error
				want := make([]byte, size)
				for i := range want {
					want[i] = byte(rng.IntN(256))
				}
				path := filepath.Join(dir, "f"+strconv.Itoa(size))
				var d *directFile
				if buffered { // as where O_DIRECT is refused
					f, err := os.Create(path + "b")
					if err != nil {
						t.Fatal(err)
					}
					d, path = newDirectFile(f, false), path+"b"
				} else if d, err = createDirect(path, 0o640); err != nil {
					t.Fatalf("%s: createDirect: %v", name, err)
				}
				for rest := want; len(rest) > 0; {
					n := min(len(rest), 1+rng.IntN(200_000))
					if _, err := d.Write(rest[:n]); err != nil {
						t.Fatalf("%s: Write: %v", name, err)
					}
					rest = rest[n:]
				}
				if err := d.Sync(); err != nil {
					t.Fatalf("%s, %d bytes (direct %v): Sync: %v", name, size, d.direct, err)
				}
				if err := d.Close(); err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s, %d bytes (direct %v): read back %d bytes, not the bytes written", name, size, d.direct, len(got))
				}
			}
		}
	}
	// An existing file is not overwritten.
	path := filepath.Join(dirs["temp"], "exists")
	os.WriteFile(path, []byte("x"), 0o640)
	if _, err := createDirect(path, 0o640); err == nil {
		t.Errorf("createDirect over an existing file succeeded")
	}
}

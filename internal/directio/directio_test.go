package directio

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestWriteAndReadEveryByte: whatever the sizes of the writes and of the
// file (empty, under a block, a block exactly, past a buffer), and with
// flushes in between, the file holds exactly the bytes written and the
// Reader gives them back; on the test's file system, on tmpfs (which
// refused O_DIRECT before Linux 6.6), and buffered, as where O_DIRECT is
// refused, from the start or part way.
func TestWriteAndReadEveryByte(t *testing.T) {
	dirs := map[string]string{"temp": t.TempDir()}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if shm, err := os.MkdirTemp("/dev/shm", "pubdata-direct-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(shm) })
			dirs["shm"] = shm
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, mode := range []string{"direct", "buffered", "switched"} {
		buffered := mode == "buffered"
		for name, dir := range dirs {
			for _, size := range []int{0, 1, align - 1, align, align + 1, bufSize, bufSize + 3, 3*bufSize + align/2} {
				want := make([]byte, size)
				for i := range want {
					want[i] = byte(rng.IntN(256))
				}
				path := filepath.Join(dir, "f"+strconv.Itoa(size)+mode)
				var w *Writer
				if buffered {
					f, err := os.Create(path)
					if err != nil {
						t.Fatal(err)
					}
					w = newWriter(f, false)
				} else {
					var err error
					if w, err = Create(path, 0o640); err != nil {
						t.Fatalf("%s: Create: %v", name, err)
					}
				}
				for rest := want; len(rest) > 0; {
					n := min(len(rest), 1+rng.IntN(200_000))
					if _, err := w.Write(rest[:n]); err != nil {
						t.Fatalf("%s: Write: %v", name, err)
					}
					rest = rest[n:]
					if mode == "switched" && w.direct && len(rest) < len(want)/2 {
						// As when a file system takes O_DIRECT at open but
						// refuses the writes.
						if err := w.buffered(); err != nil {
							t.Fatalf("buffered: %v", err)
						}
					}
					if rng.IntN(4) == 0 {
						if err := w.Flush(); err != nil {
							t.Fatalf("%s: Flush: %v", name, err)
						}
					}
				}
				if err := w.Sync(); err != nil {
					t.Fatalf("%s, %d bytes (direct %v): Sync: %v", name, size, w.direct, err)
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s, %d bytes (direct %v): the file has %d bytes, not the bytes written (%v)", name, size, w.direct, len(got), err)
				}
				r, err := Open(path)
				if err != nil {
					t.Fatal(err)
				}
				var got []byte
				p := make([]byte, 1+rng.IntN(70_000))
				for {
					n, err := r.Read(p)
					got = append(got, p[:n]...)
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatalf("Read: %v", err)
					}
				}
				r.Close()
				if !bytes.Equal(got, want) {
					t.Errorf("%s, %d bytes: Reader gave %d bytes, not the bytes written", name, size, len(got))
				}
			}
		}
	}
	// An existing file is not overwritten.
	path := filepath.Join(dirs["temp"], "exists")
	os.WriteFile(path, []byte("x"), 0o640)
	if _, err := Create(path, 0o640); err == nil {
		t.Errorf("Create over an existing file succeeded")
	}
}

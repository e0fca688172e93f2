package pull

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSealRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	s, err := OpenSealer(dir)
	if err != nil {
		t.Fatalf("OpenSealer: %v", err)
	}
	for _, give := range []string{"", "postgres://user:p@ss@db:5432/x", `{"X-Api-Key":"密钥"}`} {
		sealed := s.Seal([]byte(give))
		if !strings.HasPrefix(sealed, "v1:") || (give != "" && strings.Contains(sealed, give)) {
			t.Errorf("Seal(%q) = %q, want a v1 value without the plaintext", give, sealed)
		}
		if again := s.Seal([]byte(give)); again == sealed {
			t.Errorf("Seal(%q) twice gave the same value: nonces repeat", give)
		}
		got, err := s.Open(sealed)
		if err != nil || string(got) != give {
			t.Errorf("Open(Seal(%q)) = %q, %v", give, got, err)
		}
	}

	// The key is kept: a second Sealer on the directory opens the value.
	sealed := s.Seal([]byte("dsn"))
	s2, err := OpenSealer(dir)
	if err != nil {
		t.Fatalf("OpenSealer again: %v", err)
	}
	if got, err := s2.Open(sealed); err != nil || string(got) != "dsn" {
		t.Errorf("Open with the reopened key = %q, %v", got, err)
	}
}

func TestSealKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	if _, err := OpenSealer(dir); err != nil {
		t.Fatalf("OpenSealer: %v", err)
	}
	path := filepath.Join(dir, KeyFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("key file: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 || fi.Size() != 32 {
		t.Errorf("key file mode %04o, size %d; want 0600, 32", perm, fi.Size())
	}
	if di, err := os.Stat(dir); err != nil || di.Mode().Perm() != 0o700 {
		t.Errorf("key directory = %v, %v; want mode 0700", di.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("key directory holds %d files, want the key alone", len(entries))
	}
	// A key file others can read is refused, as is one of the wrong size.
	os.Chmod(path, 0o644)
	if _, err := OpenSealer(dir); err == nil || !strings.Contains(err.Error(), "0644") {
		t.Errorf("OpenSealer with a 0644 key file = %v, want an error naming the mode", err)
	}
	os.WriteFile(path, []byte("short"), 0o600)
	os.Chmod(path, 0o600)
	if _, err := OpenSealer(dir); err == nil {
		t.Errorf("OpenSealer with a 5-byte key: no error")
	}
}

func TestSealTamperAndWrongKey(t *testing.T) {
	a, _ := NewSealer(bytes.Repeat([]byte{1}, 32))
	b, _ := NewSealer(bytes.Repeat([]byte{2}, 32))
	sealed := a.Seal([]byte("postgres://u:secret@db/x"))

	if _, err := b.Open(sealed); !errors.Is(err, ErrWrongKey) {
		t.Errorf("Open with another key = %v, want ErrWrongKey", err)
	}
	// Flip each byte of the payload in turn, and change the header.
	i := strings.LastIndex(sealed, ":") + 1
	raw := []byte(sealed)
	for j := i; j < len(raw); j++ {
		c := raw[j]
		raw[j] = 'A' + (c-'A'+1)%26
		if _, err := a.Open(string(raw)); !errors.Is(err, ErrTampered) {
			t.Fatalf("Open with byte %d changed = %v, want ErrTampered", j, err)
		}
		raw[j] = c
	}
	for _, give := range []string{"", "v1", "v2" + sealed[2:], sealed[:len(sealed)-4], "v1:" + sealed[3:11] + ":" + "AAAA"} {
		if _, err := a.Open(give); !errors.Is(err, ErrTampered) {
			t.Errorf("Open(%q) = %v, want ErrTampered", give, err)
		}
	}
	if _, err := NewSealer(make([]byte, 16)); err == nil {
		t.Errorf("NewSealer with a 16-byte key: no error")
	}
}

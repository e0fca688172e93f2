package pull

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// KeyFile is the name of the sealing key's file in the directory given to
// OpenSealer.
const KeyFile = "source.key"

// sealVersion starts every sealed value; a new format gets a new one.
const sealVersion = "v1"

var (
	// ErrWrongKey is returned by Open for a value sealed with another key.
	ErrWrongKey = errors.New("pull: the value was sealed with another key")
	// ErrTampered is returned by Open for a value that is malformed or
	// was altered after sealing.
	ErrTampered = errors.New("pull: the sealed value is corrupt or was tampered with")
)

// Sealer encrypts the credentials of sources (DSNs, API headers) for the
// control store with AES-256-GCM. A sealed value is text:
// v1:<key id>:<base64 of nonce, ciphertext and tag>; the key id (8 hex
// digits derived from the key) tells a wrong key from a tampered value.
type Sealer struct {
	aead cipher.AEAD
	kid  string
}

// NewSealer returns a Sealer with a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("pull: the sealing key has %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("pull: sealing key: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("pull: sealing key: %w", err)
	}
	sum := sha256.Sum256(append([]byte("pubdata source key id\x00"), key...))
	return &Sealer{aead: aead, kid: hex.EncodeToString(sum[:4])}, nil
}

// OpenSealer returns the Sealer of the key in dir/KeyFile (dir is
// <data dir>/keys, say), creating dir (mode 0700) and a random key (mode
// 0600) on first use. A key file others can read is refused.
func OpenSealer(dir string) (*Sealer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("pull: key directory: %w", err)
	}
	path := filepath.Join(dir, KeyFile)
	key, err := readKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createKey(dir, path)
	}
	if err != nil {
		return nil, err
	}
	return NewSealer(key)
}

func readKey(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("pull: key file: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("pull: key file %s has mode %04o: others may read it; make it 0600", path, perm)
	}
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pull: key file: %w", err)
	}
	return key, nil
}

// createKey writes a new key to a temporary file and links it into
// place, so that a key file is never seen half written and two processes
// starting at once end up with the same key.
func createKey(dir, path string) ([]byte, error) {
	key := make([]byte, 32)
	rand.Read(key)
	f, err := os.CreateTemp(dir, KeyFile+".*")
	if err != nil {
		return nil, fmt.Errorf("pull: create key file: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	// CreateTemp makes the file with mode 0600.
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("pull: write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("pull: write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("pull: write key file: %w", err)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKey(path) // another process was first
		}
		return nil, fmt.Errorf("pull: create key file: %w", err)
	}
	return key, nil
}

// Seal encrypts plaintext.
func (s *Sealer) Seal(plaintext []byte) string {
	prefix := sealVersion + ":" + s.kid + ":"
	return prefix + base64.StdEncoding.EncodeToString(s.aead.Seal(nil, nil, plaintext, []byte(prefix)))
}

// Open decrypts a value Seal returned. It fails with ErrWrongKey when
// another key sealed it and ErrTampered when it was altered.
func (s *Sealer) Open(sealed string) ([]byte, error) {
	version, rest, ok1 := strings.Cut(sealed, ":")
	kid, data, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 || version != sealVersion {
		return nil, ErrTampered
	}
	if kid != s.kid {
		return nil, fmt.Errorf("%w (key id %s, this key's is %s)", ErrWrongKey, kid, s.kid)
	}
	ct, err := base64.StdEncoding.Strict().DecodeString(data) // one encoding per value
	if err != nil {
		return nil, ErrTampered
	}
	plaintext, err := s.aead.Open(nil, nil, ct, []byte(version+":"+kid+":"))
	if err != nil {
		return nil, ErrTampered
	}
	return plaintext, nil
}

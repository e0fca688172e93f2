//go:build !linux

package directio

import "os"

// openDirect opens path: O_DIRECT is used on Linux only.
func openDirect(path string, flags int, perm os.FileMode) (*os.File, bool, error) {
	f, err := os.OpenFile(path, flags, perm)
	return f, false, err
}

// clearDirect does nothing: files are never opened with O_DIRECT here.
func clearDirect(*os.File) error { return nil }

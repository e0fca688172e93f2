//go:build !linux

package records

import "os"

// openDirect creates path: O_DIRECT is used on Linux only.
func openDirect(path string, perm os.FileMode) (*os.File, bool, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	return f, false, err
}

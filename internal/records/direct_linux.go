package records

import (
	"errors"
	"os"
	"syscall"
)

// openDirect creates path with O_DIRECT, or without it where the file
// system refuses it (EINVAL: tmpfs and others).
func openDirect(path string, perm os.FileMode) (*os.File, bool, error) {
	flags := os.O_CREATE | os.O_EXCL | os.O_WRONLY
	f, err := os.OpenFile(path, flags|syscall.O_DIRECT, perm)
	if err == nil {
		return f, true, nil
	}
	if !errors.Is(err, syscall.EINVAL) {
		return nil, false, err
	}
	f, err = os.OpenFile(path, flags, perm)
	return f, false, err
}

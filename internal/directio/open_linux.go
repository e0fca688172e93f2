package directio

import (
	"errors"
	"os"
	"syscall"
)

// openDirect opens path with O_DIRECT, or without it where the file
// system refuses it (EINVAL).
func openDirect(path string, flags int, perm os.FileMode) (*os.File, bool, error) {
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

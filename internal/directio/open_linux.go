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

// clearDirect turns O_DIRECT off on an open file.
func clearDirect(f *os.File) error {
	sc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	err = sc.Control(func(fd uintptr) {
		flags, _, e := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_GETFL, 0)
		if e != 0 {
			ferr = e
			return
		}
		if _, _, e := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_SETFL, flags&^syscall.O_DIRECT); e != 0 {
			ferr = e
		}
	})
	if err != nil {
		return err
	}
	return ferr
}

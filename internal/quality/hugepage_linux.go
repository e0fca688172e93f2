package quality

import "syscall"

func madviseHuge(b []byte) { syscall.Madvise(b, syscall.MADV_HUGEPAGE) }

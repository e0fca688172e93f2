//go:build unix

package quality

import (
	"sync/atomic"
	"syscall"
)

var offHeap atomic.Int64

// mapBytes allocates n zeroed bytes outside the Go heap (anonymous mmap):
// the collector neither scans them nor counts them toward its heap goal,
// so a large table does not double the heap's headroom. nil when the
// mapping fails (the caller falls back to the heap).
func mapBytes(n int) []byte {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	if n >= 4<<20 {
		// Huge pages where the kernel gives them on request (Linux
		// transparent huge pages in "madvise" mode): a table of hundreds
		// of megabytes read at random otherwise misses the TLB on almost
		// every lookup. Only advice: it may be refused.
		madviseHuge(b)
	}
	offHeap.Add(int64(n))
	return b
}

func unmapBytes(b []byte) {
	if syscall.Munmap(b) == nil {
		offHeap.Add(-int64(len(b)))
	}
}

// OffHeapBytes returns the bytes the duplicate checkers hold outside the
// Go heap now, for memory accounting.
func OffHeapBytes() int64 { return offHeap.Load() }

//go:build !unix

package quality

func mapBytes(n int) []byte { return nil }

func unmapBytes(b []byte) {}

// OffHeapBytes returns the bytes the duplicate checkers hold outside the
// Go heap now: none where memory is not mapped.
func OffHeapBytes() int64 { return 0 }

//go:build unix && !linux

package quality

func madviseHuge(b []byte) {}

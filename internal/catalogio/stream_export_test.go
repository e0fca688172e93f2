package catalogio

// SetSealChunk makes imports stream n entries at a time, so that small test
// files stream as large ones do; it returns what undoes it.
func SetSealChunk(n int) (undo func()) {
	old := sealChunk
	sealChunk = n
	return func() { sealChunk = old }
}

package ingest

import "github.com/pubdata/pubdata/internal/apperr"

// chunk is the unit of work of a load: consecutive records of the source.
// The reader fills the input fields, a worker parses and checks the
// records, the sequencer (in source order) finds duplicate keys and
// writes the quarantine, and a writer converts the accepted rows and
// writes them to the store. Chunks are recycled.
type chunk struct {
	seq   int
	first int64 // data row number of the first record
	nrec  int   // records, blank ones included
	read  int64 // source bytes read when the chunk was cut

	raw     []byte     // CSV: whole records, not decoded
	rows    [][]string // other formats: cells of each row (nil for rowErrs)
	rowErrs []rowErr

	text  []byte   // decoded text, when the source is not UTF-8
	recs  []record // the non-blank records
	cells []string // source cells of every record, width per record
	vals  []string // dataset cells of every record, ncols per record
	q     []qline  // quarantine lines of rejected records, in row order
	qbuf  []byte
	warn  map[string]int64 // accepted rows by broken warning rule
	rej   map[string]int64 // rejected rows by broken rule
	// filled counts, per dataset column, the records split into cells
	// whose value is not blank; parsed counts those records.
	filled []int64
	parsed int64
	err    error   // a fault in the chunk that fails the load
	sel    []int32 // scratch of the writer
}

type rowErr struct {
	i   int
	err *apperr.Error
}

// record is one non-blank record.
type record struct {
	row int64 // 1-based data row
	op  uint8
}

// Record operations.
const (
	opUpsert uint8 = iota
	opDelete
	opReject
)

// qline is a rendered quarantine line in qbuf.
type qline struct {
	row        int64
	start, end int
}

func (c *chunk) reset() {
	c.raw, c.rows, c.rowErrs = c.raw[:0], c.rows[:0], c.rowErrs[:0]
	c.recs, c.cells, c.vals, c.q, c.qbuf = c.recs[:0], clearStrings(c.cells), clearStrings(c.vals), c.q[:0], c.qbuf[:0]
	clear(c.warn)
	clear(c.rej)
	clear(c.filled)
	c.parsed = 0
	c.err = nil
	c.nrec, c.first, c.read = 0, 0, 0
}

// clearStrings empties s, dropping its references to old text.
func clearStrings(s []string) []string {
	clear(s)
	return s[:0]
}

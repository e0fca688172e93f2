package ingest

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/pubdata/pubdata/internal/directio"
)

// keyLog keeps, in a file beside the quarantine, the values of every row
// a duplicate checker recorded: the rows that can be the first row of a
// flag. confirm reads it instead of asking the store when the store's
// HasKeys reads the whole version (records.KeysByScan): a flag is a true
// duplicate exactly when its first row's values equal its own, since the
// first row is the only accepted row with that hash (see confirm).
//
// The file is written in row order by the sequencer, one entry per row
// and rule: the row's distance from the previous entry's row, the rule,
// then each value's length and bytes: 21 bytes a row for an 18-character
// ID number (one byte each for the distance, the rule and the length).
type keyLog struct {
	path string
	w    *directio.Writer // around the page cache: written and read once
	last int64
	buf  []byte
	err  error
}

func newKeyLog(path string) (*keyLog, error) {
	os.Remove(path) // a leftover of a crashed load
	w, err := directio.Create(path, 0o600)
	if err != nil {
		return nil, fmt.Errorf("ingest: key log: %w", err)
	}
	return &keyLog{path: path, w: w}, nil
}

// add records the values of row in u's columns, as keyText gives them;
// rule is u's index in loader.uniqs. Rows come in increasing order.
func (kl *keyLog) add(l *loader, row int64, rule int, vals []string) {
	if kl.err != nil {
		return
	}
	u := l.uniqs[rule]
	b := binary.AppendUvarint(kl.buf[:0], uint64(row-kl.last))
	b = binary.AppendUvarint(b, uint64(rule))
	for _, c := range u.cols {
		s, _ := keyText(l.ds.Columns[c].Type, vals[c])
		b = appendSized(b, s)
	}
	kl.last, kl.buf = row, b
	if _, err := kl.w.Write(b); err != nil {
		kl.err = fmt.Errorf("ingest: key log: %w", err)
	}
}

// wanted is a (row, rule) whose values confirm needs.
type wanted struct {
	row  int64
	rule int
}

func compareWanted(a, b wanted) int {
	if a.row != b.row {
		return int(a.row - b.row)
	}
	return a.rule - b.rule
}

// lookup returns the values logged for each of want (sorted by
// compareWanted, no repeats); nil for one not in the log. cols gives the
// number of values of each rule.
func (kl *keyLog) lookup(want []wanted, cols []int) ([][]string, error) {
	if kl.err != nil {
		return nil, kl.err
	}
	if err := kl.w.Flush(); err != nil {
		return nil, fmt.Errorf("ingest: key log: %w", err)
	}
	f, err := directio.Open(kl.path)
	if err != nil {
		return nil, fmt.Errorf("ingest: key log: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	got := make([][]string, len(want))
	var row int64
	var scratch []byte
	i := 0
	for i < len(want) {
		d, err := binary.ReadUvarint(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("ingest: key log: %w", err)
		}
		rule, err := binary.ReadUvarint(r)
		if err != nil || int(rule) >= len(cols) {
			return nil, fmt.Errorf("ingest: key log: damaged entry after row %d", row)
		}
		row += int64(d)
		at := wanted{row: row, rule: int(rule)}
		for i < len(want) && compareWanted(want[i], at) < 0 {
			i++
		}
		keep := i < len(want) && want[i] == at
		var vals []string
		if keep {
			vals = make([]string, cols[rule])
		}
		for j := range cols[rule] {
			if scratch, err = readSized(r, scratch); err != nil {
				return nil, fmt.Errorf("ingest: key log: damaged entry at row %d", row)
			}
			if keep {
				vals[j] = string(scratch)
			}
		}
		if keep {
			got[i] = vals
			i++
		}
	}
	return got, nil
}

// close removes the file.
func (kl *keyLog) close() {
	if kl == nil || kl.w == nil {
		return
	}
	kl.w.Close()
	os.Remove(kl.path)
	kl.w = nil
}

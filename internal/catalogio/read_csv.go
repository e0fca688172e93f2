package catalogio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/tabular"
)

// csvSource reads CSV records and numbers them as Excel shows the file:
// one row per record, blank lines included.
type csvSource struct {
	r     *csv.Reader
	extra int // line breaks inside quoted cells so far
}

func newCSVSource(r io.Reader, encoding string) (*csvSource, error) {
	dec, _, err := tabular.NewDecoder(r, tabular.Encoding(encoding))
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(dec, 1<<20)
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	// A semicolon- or tab-separated export: use the separator of the header.
	if first, err := br.Peek(4096); len(first) > 0 && (err == nil || errors.Is(err, io.EOF) || errors.Is(err, bufio.ErrBufferFull)) {
		line, _, _ := bytes.Cut(first, []byte("\n"))
		if !bytes.Contains(line, []byte(",")) {
			if bytes.Contains(line, []byte("\t")) {
				cr.Comma = '\t'
			} else if bytes.Contains(line, []byte(";")) {
				cr.Comma = ';'
			}
		}
	}
	return &csvSource{r: cr}, nil
}

func (s *csvSource) next() (int, []string, error) {
	for {
		rec, err := s.r.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line := strconv.Itoa(pe.StartLine)
				return 0, nil, apperr.New(apperr.Invalid, "line "+line+": "+pe.Err.Error(), "第"+line+"行CSV格式有误:"+pe.Err.Error()).
					With("line "+line, pe.Err.Error(), "CSV格式有误")
			}
			return 0, nil, err
		}
		line, _ := s.r.FieldPos(0)
		row := line - s.extra
		for _, f := range rec {
			if strings.IndexByte(f, '\n') >= 0 {
				s.extra += strings.Count(f, "\n")
			}
		}
		if blank(rec) {
			continue
		}
		return row, rec, nil
	}
}

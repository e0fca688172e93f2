package gen

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/quality"
)

// Error kinds. Each injected row gets exactly one.
const (
	BadCheckChar    = "bad_check_char"   // the ID number's (or USCC's) check character is wrong
	BadBirthDate    = "bad_birth_date"   // the ID number holds an impossible birth date (check character right)
	MissingRequired = "missing_required" // a required value is blank
	DuplicateKey    = "duplicate_key"    // the primary key repeats an earlier valid row's
	BadMobile       = "bad_mobile"       // 手机号码 is not a mobile number
	CrossField      = "cross_field"      // 出生日期 or 性别 disagrees with the ID number
	BadRegion       = "bad_region"       // 户籍地区划代码 is not a GB/T 2260 code
	OverLength      = "over_length"      // a value is longer than its item allows
	BadDate         = "bad_date"         // a date item holds an impossible date
	DateOrder       = "date_order"       // a licence expires before it is issued
)

// Cross-source conflicts, listed in the truth file of a Source > 0 file.
// They are not errors: each row is valid, but disagrees with the same
// person's row in the file of source 0.
const (
	ConflictName    = "conflict_name"    // 姓名 differs
	ConflictAddress = "conflict_address" // 户籍地址 differs
)

// Kinds of error each generator injects by default (all it supports).
var (
	PopulationKinds  = []string{BadCheckChar, BadBirthDate, MissingRequired, DuplicateKey, BadMobile, CrossField, BadRegion, OverLength}
	LegalPersonKinds = []string{BadCheckChar, MissingRequired, DuplicateKey, OverLength, BadDate}
	LicenceKinds     = []string{BadCheckChar, MissingRequired, DuplicateKey, OverLength, DateOrder}
)

// Options are common to every generator.
type Options struct {
	Rows      int
	ErrorRate float64 // share of rows with an injected error, 0 to 1
	Seed      uint64
	// Encoding of the data file: "utf-8" (default), "utf-8-bom", "gbk"
	// or "gb18030".
	Encoding string
	// Kinds of error to inject, drawn with equal chances; nil means all
	// the generator supports.
	Kinds []string
	// DeclaredEncoding is the encoding the delivery claims, recorded in
	// Stats; "" means Encoding. Setting it to "utf-8" with Encoding "gbk"
	// makes the mislabelled file of a careless provider: the bytes are
	// GBK, the label says UTF-8.
	DeclaredEncoding string
}

// PopulationOptions control Population: the fields of Options, and the
// cross-source conflict options.
type PopulationOptions struct {
	Rows             int
	ErrorRate        float64
	Seed             uint64
	Encoding         string
	Kinds            []string
	DeclaredEncoding string
	// Source selects the provider. 0 is the reference file. A file with
	// Source n > 0 and the same Seed and Rows holds the same people in the
	// same order, with the same injected errors, but in ConflictRate of
	// the valid rows its 姓名 or 户籍地址 differ from source 0's (drawn
	// from a random stream of its own): the cross-source conflicts that
	// multi-source verification must find. They are listed in the truth
	// file as conflict_name and conflict_address.
	Source       int
	ConflictRate float64
}

func (o PopulationOptions) common() Options {
	return Options{Rows: o.Rows, ErrorRate: o.ErrorRate, Seed: o.Seed, Encoding: o.Encoding,
		Kinds: o.Kinds, DeclaredEncoding: o.DeclaredEncoding}
}

// Stats describe a generated file.
type Stats struct {
	Rows             int            // data rows, header excluded
	Bytes            int64          // bytes of the data file
	Errors           map[string]int // injected errors by kind
	Conflicts        map[string]int // cross-source conflicts by kind
	Encoding         string         // the encoding of the bytes
	DeclaredEncoding string         // the encoding the delivery claims
}

// Schema is what a catalog resource declares about a generated table:
// its columns and the rules beyond those the columns imply.
type Schema struct {
	Name    string
	Columns []quality.Column
	Rules   []quality.Rule
}

// Header returns the column names.
func (s Schema) Header() []string {
	h := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		h[i] = c.Name
	}
	return h
}

// Program compiles the schema's rules.
func (s Schema) Program() (*quality.Program, error) {
	return quality.Compile(s.Columns, s.Rules)
}

// check validates options against the kinds a generator supports and
// returns the kinds to inject.
func (o *Options) check(supported []string) ([]string, error) {
	var errs apperr.Fields
	if o.Rows < 0 {
		errs.Add("rows", "rows must not be negative", "行数不能为负数")
	}
	if !(o.ErrorRate >= 0 && o.ErrorRate <= 1) {
		errs.Add("error_rate", "error rate must be between 0 and 1", "错误率须在0到1之间")
	}
	kinds := o.Kinds
	if len(kinds) == 0 {
		kinds = supported
	}
	for _, k := range kinds {
		if !slices.Contains(supported, k) {
			errs.Add("kinds", "unsupported error kind "+k, "不支持的错误类型"+k)
		}
	}
	return kinds, errs.Err()
}

// counter counts the bytes written through it.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// truthWriter writes the ground-truth file.
type truthWriter struct {
	w   *bufio.Writer
	buf []byte
}

func newTruth(w io.Writer) *truthWriter {
	if w == nil {
		w = io.Discard
	}
	t := &truthWriter{w: bufio.NewWriterSize(w, 64<<10)}
	t.w.WriteString("row,kind\n")
	return t
}

func (t *truthWriter) add(row int, kind string) {
	t.buf = strconv.AppendInt(t.buf[:0], int64(row), 10)
	t.buf = append(t.buf, ',')
	t.buf = append(t.buf, kind...)
	t.buf = append(t.buf, '\n')
	t.w.Write(t.buf)
}

func (t *truthWriter) flush() error {
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("gen: write truth: %w", err)
	}
	return nil
}

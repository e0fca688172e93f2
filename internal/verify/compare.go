package verify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/records"
)

// Compare compares two datasets of st as req says and returns the report.
// It reads st only; nothing is stored (Service.Run stores runs).
func Compare(ctx context.Context, st records.Store, req Request) (*Report, error) {
	start := time.Now()
	if err := req.normalize(); err != nil {
		return nil, err
	}
	duck, isDuck := st.(*records.DuckDB)
	pg, isPG := st.(*records.Postgres)
	method := req.Method
	switch {
	case method == "" && isDuck:
		method = MethodDuckDBSQL
	case method == "" && isPG:
		method = MethodPostgresSQL
	case method == "":
		method = MethodScan
	case method == MethodDuckDBSQL && !isDuck:
		return nil, apperr.New(apperr.Invalid, "the duckdb_sql method needs the DuckDB record store", "duckdb_sql 方式仅适用于 DuckDB 记录库").
			With("method", "use scan, or leave it empty", "请使用 scan 或留空")
	case method == MethodPostgresSQL && !isPG:
		return nil, apperr.New(apperr.Invalid, "the postgres_sql method needs the PostgreSQL record store", "postgres_sql 方式仅适用于 PostgreSQL 记录库").
			With("method", "use scan, or leave it empty", "请使用 scan 或留空")
	}
	var rep *Report
	var err error
	switch method {
	case MethodDuckDBSQL:
		rep, err = compareDuckDB(ctx, duck, &req)
	case MethodPostgresSQL:
		rep, err = comparePostgres(ctx, pg, &req)
		switch {
		case errors.Is(err, errNotExact) && req.Method == "":
			method = MethodScan
			rep, err = compareScan(ctx, st, &req)
		case errors.Is(err, errNotExact):
			return nil, apperr.New(apperr.Invalid, "postgres_sql cannot compare floating-point keys, or floating-point items with items of another type, exactly",
				"postgres_sql 无法精确比对浮点型关联主键，或浮点型与其他类型的数据项").
				With("method", "use scan, or leave it empty", "请使用 scan 或留空")
		}
	default:
		rep, err = compareScan(ctx, st, &req)
	}
	if err != nil {
		return nil, err
	}
	rep.Method = method
	rep.Key = req.Key.Name
	rep.Authoritative = req.Authoritative
	rep.SampleLimit = req.SampleLimit
	rep.A.ResourceID, rep.A.OrgID = req.A.ResourceID, req.A.OrgID
	rep.B.ResourceID, rep.B.OrgID = req.B.ResourceID, req.B.OrgID
	rep.ComparedKeys = rep.MatchedKeys - rep.AmbiguousKeys
	for i := range rep.Attributes {
		a := &rep.Attributes[i]
		if n := a.Matches + a.Conflicts; n > 0 {
			a.MatchRate = float64(a.Matches) / float64(n)
		}
		rep.Conflicts += a.Conflicts
	}
	rep.Truncated = int64(len(rep.Sample)) < rep.Conflicts
	if rep.Sample == nil {
		rep.Sample = []Conflict{}
	}
	rep.DurationMS = time.Since(start).Milliseconds()
	return rep, nil
}

// normalize checks the request and fills its defaults.
func (r *Request) normalize() error {
	var f apperr.Fields
	if r.A.Dataset == "" {
		f.Add("a.dataset", "is required", "不能为空")
	}
	if r.B.Dataset == "" {
		f.Add("b.dataset", "is required", "不能为空")
	}
	if r.A.Version < 0 || r.B.Version < 0 {
		f.Add("version", "must not be negative", "不能为负数")
	}
	if !r.Key.fill() {
		f.Add("key", "name the key item, e.g. 公民身份号码", "请指定关联主键数据项，如公民身份号码")
	}
	if len(r.Attributes) == 0 {
		f.Add("attributes", "name at least one item to compare", "请至少指定一个比对数据项")
	}
	if len(r.Attributes) > 50 {
		f.Add("attributes", "at most 50 items can be compared at once", "一次最多比对50个数据项")
	}
	seen := map[string]bool{}
	for i := range r.Attributes {
		a := &r.Attributes[i]
		field := "attributes[" + strconv.Itoa(i) + "]"
		if !a.fill() {
			f.Add(field, "name the item", "请指定数据项")
			continue
		}
		if seen[a.Name] {
			f.Add(field, "duplicate item "+a.Name, "数据项重复："+a.Name)
		}
		seen[a.Name] = true
	}
	switch r.Authoritative {
	case "", SideA, SideB:
	default:
		f.Add("authoritative", "must be a, b or empty", "须为 a、b 或留空")
	}
	switch {
	case r.SampleLimit < 0 || r.SampleLimit > MaxSampleLimit:
		f.Add("sample_limit", fmt.Sprintf("must be between 0 and %d", MaxSampleLimit), fmt.Sprintf("须在0到%d之间", MaxSampleLimit))
	case r.SampleLimit == 0:
		r.SampleLimit = DefaultSampleLimit
	}
	switch r.Method {
	case "", MethodScan, MethodDuckDBSQL, MethodPostgresSQL:
	default:
		f.Add("method", "must be scan, duckdb_sql, postgres_sql or empty", "须为 scan、duckdb_sql、postgres_sql 或留空")
	}
	return f.Err()
}

// fill defaults a field's names to each other; false when it has none.
func (f *Field) fill() bool {
	if f.Name == "" {
		f.Name = f.A
		if f.Name == "" {
			f.Name = f.B
		}
	}
	if f.A == "" {
		f.A = f.Name
	}
	if f.B == "" {
		f.B = f.Name
	}
	return f.Name != ""
}

// columns are the positions of the key and attributes in one side's spec.
type columns struct {
	key   int
	attrs []int
	// unique says the key is the dataset's primary key, so every key is
	// held by one row.
	unique bool
}

// resolve finds the request's items among spec's columns, by label (the
// data item's name) first, then by stored column name.
func resolve(spec records.DatasetSpec, side string, key Field, attrs []Field) (columns, error) {
	find := func(name string) int {
		for i, c := range spec.Columns {
			if c.Label == name {
				return i
			}
		}
		for i, c := range spec.Columns {
			if c.Name == name {
				return i
			}
		}
		return -1
	}
	pick := func(f Field) string {
		if side == SideA {
			return f.A
		}
		return f.B
	}
	var errs apperr.Fields
	cols := columns{key: find(pick(key))}
	if cols.key < 0 {
		errs.Add(side+".key", "dataset "+spec.Name+" has no item "+strconv.Quote(pick(key)), "数据集"+spec.Name+"没有数据项"+strconv.Quote(pick(key)))
	}
	for _, a := range attrs {
		i := find(pick(a))
		if i < 0 {
			errs.Add(side+".attributes", "dataset "+spec.Name+" has no item "+strconv.Quote(pick(a)), "数据集"+spec.Name+"没有数据项"+strconv.Quote(pick(a)))
		}
		cols.attrs = append(cols.attrs, i)
	}
	if kc := spec.KeyColumns(); len(kc) == 1 && kc[0] == cols.key {
		cols.unique = true
	}
	return cols, errs.Err()
}

func newReport(req *Request, specA, specB records.DatasetSpec, ca, cb columns) *Report {
	rep := &Report{
		A: SideReport{Dataset: req.A.Dataset, KeyColumn: specA.Columns[ca.key].Name},
		B: SideReport{Dataset: req.B.Dataset, KeyColumn: specB.Columns[cb.key].Name},
	}
	for j, a := range req.Attributes {
		rep.Attributes = append(rep.Attributes, AttributeReport{Name: a.Name,
			ColumnA: specA.Columns[ca.attrs[j]].Name, ColumnB: specB.Columns[cb.attrs[j]].Name})
	}
	return rep
}

// text renders a scanned value of a column of type t as the text
// comparisons and samples use; false for NULL. Dates are YYYY-MM-DD and
// timestamps YYYY-MM-DD HH:MM:SS[.ffffff], as DuckDB casts them.
func text(v any, t records.Type) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return formatFloat(x), true
	case bool:
		return strconv.FormatBool(x), true
	case time.Time:
		if t == records.Date {
			return x.UTC().Format(time.DateOnly), true
		}
		return x.UTC().Format("2006-01-02 15:04:05.999999"), true
	}
	return fmt.Sprint(v), true
}

// formatFloat renders f as DuckDB casts a DOUBLE to text: the shortest
// representation, in fixed notation with at least one decimal for
// exponents from -4 to 15, else in scientific notation (1e+16, 2.5e-07).
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0:
		return "0.0"
	}
	if exp := math.Floor(math.Log10(math.Abs(f))); exp < -4 || exp >= 16 {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func ptr(s string, ok bool) *string {
	if !ok {
		return nil
	}
	return &s
}

func notFoundVersion(s Side) error {
	return apperr.New(apperr.NotFound, fmt.Sprintf("dataset %q has no version %d", s.Dataset, s.Version),
		fmt.Sprintf("数据集%q没有第%d版", s.Dataset, s.Version))
}

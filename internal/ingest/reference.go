package ingest

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/records"
)

// refCheck is a reference rule made a row check: the keys of the
// referenced dataset's current version, read when the load starts, and
// the columns of this dataset that must hold one of them.
type refCheck struct {
	name  string
	sev   quality.Severity
	cols  []int
	types []records.Type // of the referenced key columns
	set   map[string]struct{}
	zh    string
	en    string
}

// loadRef reads the keys of a reference rule's dataset. The rule's
// columns are matched, in order, with the referenced dataset's key
// columns (its primary-key items).
func loadRef(ctx context.Context, store records.Store, d quality.DatasetRule, spec Spec) (*refCheck, error) {
	name := d.Rule.Name
	if name == "" {
		name = string(d.Kind)
	}
	fail := func(en, zh string) error {
		return apperr.New(apperr.Invalid, "reference rule "+name+": "+en, "引用规则"+name+"："+zh)
	}
	ref, err := store.Dataset(ctx, d.Ref)
	if apperr.Is(err, apperr.NotFound) {
		return nil, fail("the referenced dataset "+d.Ref+" does not exist", "被引用的数据集"+d.Ref+"不存在")
	}
	if err != nil {
		return nil, err
	}
	keys := ref.KeyColumns()
	if len(keys) != len(d.Cols) {
		return nil, fail("the referenced dataset "+d.Ref+" has "+strconv.Itoa(len(keys))+" key columns, the rule names "+strconv.Itoa(len(d.Cols)),
			"被引用的数据集"+d.Ref+"有"+strconv.Itoa(len(keys))+"个主键列，规则给出"+strconv.Itoa(len(d.Cols))+"列")
	}
	set, err := KeySet(ctx, store, d.Ref)
	if apperr.Is(err, apperr.NotFound) {
		return nil, fail("the referenced dataset "+d.Ref+" has no data yet", "被引用的数据集"+d.Ref+"尚无数据")
	}
	if err != nil {
		return nil, err
	}
	rc := &refCheck{name: name, sev: d.Severity, cols: d.Cols, set: set}
	for _, k := range keys {
		rc.types = append(rc.types, ref.Columns[k].Type)
	}
	var names []string
	for _, c := range d.Cols {
		names = append(names, spec.Columns[c].Name)
	}
	col := strings.Join(names, "+")
	rc.zh = col + "：值在引用数据集" + d.Ref + "中不存在"
	rc.en = col + ": the value does not exist in the referenced dataset " + d.Ref
	return rc, nil
}

// KeySet reads the keys of a dataset's current version: the values of
// its key columns as ValueText renders them, joined by the unit separator
// (0x1f). It fails with NotFound before the dataset's first load.
func KeySet(ctx context.Context, store records.Store, dataset string) (map[string]struct{}, error) {
	spec, err := store.Dataset(ctx, dataset)
	if err != nil {
		return nil, err
	}
	cur, err := store.Current(ctx, dataset)
	if err != nil {
		return nil, err
	}
	keys := spec.KeyColumns()
	set := make(map[string]struct{}, cur.Rows)
	var b strings.Builder
	err = store.Scan(ctx, dataset, cur.Number, func(r records.Row) error {
		b.Reset()
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(0x1f)
			}
			b.WriteString(ValueText(r.Values[k]))
		}
		set[b.String()] = struct{}{}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return set, nil
}

// ValueText renders a stored value (see records.Row) as the load renders
// a key cell: text as is, numbers in decimal, dates as YYYY-MM-DD,
// timestamps as YYYY-MM-DD HH:MM:SS.ffffff.
func ValueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format("2006-01-02 15:04:05.000000")
	}
	return ""
}

// ok reports whether a row's values are in the referenced keys. A row
// whose columns are all blank passes: required rules speak for blanks.
func (r *refCheck) ok(vals []string, buf *strings.Builder) bool {
	buf.Reset()
	blank := true
	for i, c := range r.cols {
		if i > 0 {
			buf.WriteByte(0x1f)
		}
		if vals[c] == "" {
			buf.WriteString("")
			continue
		}
		blank = false
		t, ok := keyText(r.types[i], vals[c])
		if !ok {
			return false
		}
		buf.WriteString(t)
	}
	if blank {
		return true
	}
	_, found := r.set[buf.String()]
	return found
}

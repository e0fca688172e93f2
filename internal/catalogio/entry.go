package catalogio

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/catalog"
)

// batch is a file being imported: the resources read so far (rs) and, at
// the same index, where each came from (ents).
type batch struct {
	format    string
	res, item *layout // XLSX: the two sheets; CSV: both the same flat layout; JSON: nil
	rs        []catalog.Resource
	ents      []entry
	fileErrs  []catalog.RowError // header problems: the file is refused as a whole
	byKey     map[string]int     // 资源序号 -> index
	lk        *lookups

	stream       *streamer // checks and stores sealed entries while reading goes on; nil: classic import
	sealed, sent int       // entries below sealed are done; those below sent went to stream
}

// entry is where one resource came from and what was wrong while reading it.
type entry struct {
	key      string
	row      int   // 资源目录 row, first CSV row of the group, JSON record
	itemRows []int // row of each item
	orphan   bool  // item rows naming a 资源序号 that no resource has
	dupOf    int   // row of the first resource with the same 资源序号, 0 if none
	errs     []catalog.RowError
	bad      map[string]bool  // fields already reported while reading
	rawRes   []string         // the resource row as read, kept when it had an error
	rawItems map[int][]string // item rows as read (by item index), kept when they had an error
	extra    map[int][]string // CSV rows without an item part that had an error, by row
	ord      int              // position in the file, for sorting errors
}

func (b *batch) add(key string, row int) int {
	b.rs = append(b.rs, catalog.Resource{})
	b.ents = append(b.ents, entry{key: key, row: row, ord: len(b.ents)})
	return len(b.ents) - 1
}

// compact moves the items of all entries, and their row numbers, into two
// exactly sized arrays: appending row by row leaves up to half of each
// slice unused, and 100,000 resources hold a million items.
func (b *batch) compact() {
	total := 0
	for i := range b.rs {
		total += len(b.rs[i].Items)
	}
	items := make([]catalog.DataItem, total)
	rows := make([]int, total)
	for i := range b.rs {
		n := copy(items, b.rs[i].Items)
		b.rs[i].Items, items = items[:n:n], items[n:]
		m := copy(rows, b.ents[i].itemRows)
		b.ents[i].itemRows, rows = rows[:m:m], rows[m:]
	}
}

// fail records a reading error of entry i at a cell.
func (b *batch) fail(i int, sheet string, row int, column, field string, ce *cellErr) {
	b.touch(i)
	b.noteFailure()
	e := &b.ents[i]
	e.errs = append(e.errs, catalog.RowError{Sheet: sheet, Row: row, Column: column, Field: field, Message: ce.en, ZH: ce.zh})
	if e.bad == nil {
		e.bad = map[string]bool{}
	}
	e.bad[field] = true
}

// reported reports whether a reading error was already reported for field
// ("items[2].length"; JSON type errors name "items.length").
func (e *entry) reported(field string) bool {
	if len(e.bad) == 0 {
		return false
	}
	if e.bad[field] {
		return true
	}
	if k, sub, ok := parseItemField(field); ok {
		_ = k
		return e.bad["items."+sub]
	}
	return false
}

// readResource fills resource i from a row of the resources table.
func (b *batch) readResource(i int, l *layout, row int, cells []string) {
	r := &b.rs[i]
	bad := false
	for c, pos := range l.res {
		col := &resourceColumns[c]
		if pos < 0 || col.info || col.set == nil {
			continue
		}
		if ce := col.set(r, cell(cells, pos), b.lk); ce != nil {
			b.fail(i, l.sheet, row, l.header[pos], col.field, ce)
			bad = true
		}
	}
	b.resolveProvider(i, l, row)
	if bad || len(b.ents[i].errs) > 0 {
		b.ents[i].rawRes = slices.Clone(cells)
	}
}

// resolveProvider turns the provider code into the organisation.
func (b *batch) resolveProvider(i int, l *layout, row int) {
	r := &b.rs[i]
	if r.ProviderCode == "" {
		return
	}
	id, ok := b.lk.org(r.ProviderCode)
	if ok {
		r.OrgID = id
		return
	}
	column := "provider_code"
	if l != nil {
		column = l.colHeader(l.res[resProvider], resourceColumns[resProvider].zh)
	}
	r.OrgID = ""
	b.fail(i, sheetOf(l), row, column, "provider_code", &cellErr{
		en: "no organisation has provider code " + strconv.Quote(r.ProviderCode),
		zh: "提供方代码“" + r.ProviderCode + "”不存在",
	})
}

// readItem appends an item to resource i from a row of the items table and
// reports whether the row had a reading error.
func (b *batch) readItem(i int, l *layout, row int, cells []string) bool {
	b.touch(i)
	r := &b.rs[i]
	e := &b.ents[i]
	k := len(r.Items)
	r.Items = append(r.Items, catalog.DataItem{})
	e.itemRows = append(e.itemRows, row)
	it := &r.Items[k]
	bad := false
	for c, pos := range l.items {
		if pos < 0 {
			continue
		}
		col := &itemColumns[c]
		if ce := col.set(it, cell(cells, pos), b.lk); ce != nil {
			b.fail(i, l.sheet, row, l.header[pos], itemField(k, col.field), ce)
			bad = true
		}
	}
	return bad
}

func (b *batch) keepItemRaw(i, k int, cells []string) {
	b.touch(i)
	e := &b.ents[i]
	if e.rawItems == nil {
		e.rawItems = map[int][]string{}
	}
	e.rawItems[k] = slices.Clone(cells)
}

func itemField(k int, f string) string { return "items[" + strconv.Itoa(k) + "]." + f }

func cell(cells []string, pos int) string {
	if pos < len(cells) {
		return cells[pos]
	}
	return ""
}

func sheetOf(l *layout) string {
	if l == nil {
		return ""
	}
	return l.sheet
}

// colHeader is the file's header of the column at pos, or name when the
// file has no such column.
func (l *layout) colHeader(pos int, name string) string {
	if l == nil || pos < 0 {
		return name
	}
	return strings.TrimSpace(l.header[pos])
}

var (
	resProvider = resourceColumnOf("provider_code")
	resName     = resourceColumnOf("name")
)

// resourceColumnOf finds the resource column a Finding field belongs to.
func resourceColumnOf(field string) int {
	switch {
	case field == "org_id":
		field = "provider_code"
	case strings.HasPrefix(field, "related["):
		field = "related"
	}
	return slices.IndexFunc(resourceColumns, func(c column[catalog.Resource]) bool { return c.field == field })
}

// locate maps a Finding of entry i to the sheet, row and column the user
// filled.
func (b *batch) locate(i int, f catalog.Finding) catalog.RowError {
	e := &b.ents[i]
	out := catalog.RowError{Row: e.row, Field: f.Field, Message: f.Message, ZH: f.ZH}
	if b.res == nil { // JSON: the record and the field path
		out.Column = f.Field
		return out
	}
	out.Sheet = b.res.sheet
	if k, sub, ok := parseItemField(f.Field); ok && k < len(e.itemRows) {
		out.Sheet, out.Row = b.item.sheet, e.itemRows[k]
		if c := slices.IndexFunc(itemColumns, func(c column[catalog.DataItem]) bool { return c.field == sub }); c >= 0 {
			out.Column = b.item.colHeader(b.item.items[c], itemColumns[c].zh)
		}
		return out
	}
	if c := resourceColumnOf(f.Field); c >= 0 {
		out.Column = b.res.colHeader(b.res.res[c], resourceColumns[c].zh)
	}
	return out
}

// parseItemField splits "items[3].name" into 3 and "name".
func parseItemField(f string) (int, string, bool) {
	rest, ok := strings.CutPrefix(f, "items[")
	if !ok {
		return 0, "", false
	}
	num, sub, ok := strings.Cut(rest, "].")
	if !ok {
		return 0, "", false
	}
	k, err := strconv.Atoi(num)
	return k, sub, err == nil
}

// sortErrors orders errors as they appear in the file: sheet by sheet, row
// by row; errors of one row keep the order they were found in.
func sortErrors(errs []catalog.RowError, sheets ...string) {
	ord := func(s string) int {
		if i := slices.Index(sheets, s); i >= 0 {
			return i
		}
		return len(sheets)
	}
	slices.SortStableFunc(errs, func(a, b catalog.RowError) int {
		if c := cmp.Compare(ord(a.Sheet), ord(b.Sheet)); c != 0 {
			return c
		}
		return cmp.Compare(a.Row, b.Row)
	})
}

package catalogio

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/catalog"
)

// rowSource yields the non-blank rows of one table: the header first.
type rowSource interface {
	// next returns the next non-blank row and its 1-based row number as
	// the user sees it (in Excel); io.EOF after the last.
	next() (row int, cells []string, err error)
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// progressFunc reports a stage's progress; total < 0 when unknown.
type progressFunc func(stage string, done, total int)

const (
	stageRead  = "reading"
	stageCheck = "checking"
	stageStore = "storing"
)

// reader counts rows for progress and cancellation.
type reader struct {
	ctx      context.Context
	progress progressFunc
	rows     int
}

func (rd *reader) tick() error {
	rd.rows++
	if rd.rows%4096 == 0 {
		if err := rd.ctx.Err(); err != nil {
			return err
		}
		if rd.progress != nil && rd.rows%16384 == 0 {
			rd.progress(stageRead, rd.rows, -1)
		}
	}
	return nil
}

// headerScan is how many rows may stand above the header (titles, notes).
const headerScan = 20

// header finds the header: the first row with at least two non-blank
// cells. io.EOF if there is none.
func header(src rowSource) (int, []string, error) {
	for range headerScan {
		row, cells, err := src.next()
		if err != nil {
			return 0, nil, err
		}
		n := 0
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				n++
			}
		}
		if n >= 2 {
			return row, cells, nil
		}
	}
	return 0, nil, io.EOF
}

func keyRequired() *cellErr {
	return &cellErr{en: colKey + " (row key) is required", zh: colKey + "不能为空"}
}

// bindHeader finds a table's header and binds its columns, keeping the
// header's errors in b.fileErrs; the layout is nil for an empty table.
func (b *batch) bindHeader(src rowSource, sheet string, names headerNames) (*layout, error) {
	hrow, head, err := header(src)
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l, errs := bind(sheet, hrow, head, names)
	b.fileErrs = append(b.fileErrs, errs...)
	return l, nil
}

// readTwoSheets reads the template layout: resources in one sheet, items
// in another, linked by 资源序号.
func (b *batch) readTwoSheets(rd *reader, res rowSource, resSheet string, items rowSource, itemSheet string) error {
	l, err := b.bindHeader(res, resSheet, resourceSheetNames)
	if l == nil || err != nil {
		return err
	}
	b.res = l
	b.fileErrs = append(b.fileErrs, l.missing(true, true, false)...)
	if len(b.fileErrs) > 0 {
		return nil
	}
	for {
		row, cells, err := res.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if err := rd.tick(); err != nil {
			return err
		}
		key := strings.TrimSpace(cell(cells, l.key))
		i := b.add(key, row)
		switch first, dup := b.byKey[foldValue(key)]; {
		case key == "":
			b.fail(i, l.sheet, row, l.header[l.key], "key", keyRequired())
		case dup:
			b.ents[i].dupOf = b.ents[first].row
			b.fail(i, l.sheet, row, l.header[l.key], "key", &cellErr{
				en: colKey + " " + strconv.Quote(key) + " is already used on row " + strconv.Itoa(b.ents[first].row),
				zh: colKey + "“" + key + "”与第" + strconv.Itoa(b.ents[first].row) + "行重复"})
			if b.ents[first].dupOf == 0 {
				b.ents[first].dupOf = row
				b.fail(first, l.sheet, b.ents[first].row, l.header[l.key], "key", &cellErr{
					en: colKey + " " + strconv.Quote(key) + " is used again on row " + strconv.Itoa(row),
					zh: colKey + "“" + key + "”在第" + strconv.Itoa(row) + "行再次出现"})
			}
		default:
			b.byKey[foldValue(key)] = i
		}
		b.readResource(i, l, row, cells)
	}
	if items == nil {
		return nil
	}
	il, err := b.bindHeader(items, itemSheet, itemSheetNames)
	if il == nil || err != nil {
		return err
	}
	b.item = il
	b.fileErrs = append(b.fileErrs, il.missing(true, false, true)...)
	if len(b.fileErrs) > 0 {
		return nil
	}
	orphans := map[string]int{}
	for {
		row, cells, err := items.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := rd.tick(); err != nil {
			return err
		}
		key := strings.TrimSpace(cell(cells, il.key))
		i, ok := b.byKey[foldValue(key)]
		if ok && key != "" {
			// Items come resource by resource: those before i are done.
			b.seal(i)
			if b.readItem(i, il, row, cells) {
				b.keepItemRaw(i, len(b.rs[i].Items)-1, cells)
			}
			continue
		}
		i, ok = orphans[foldValue(key)]
		if !ok {
			i = b.add(key, row)
			b.ents[i].orphan = true
			orphans[foldValue(key)] = i
		}
		if key == "" {
			b.fail(i, il.sheet, row, il.header[il.key], "key", keyRequired())
		} else {
			b.fail(i, il.sheet, row, il.header[il.key], "key", &cellErr{
				en: "no resource in sheet " + resSheet + " has " + colKey + " " + strconv.Quote(key),
				zh: "工作表“" + resSheet + "”中没有" + colKey + "为“" + key + "”的资源"})
		}
		b.readItem(i, il, row, cells)
		b.keepItemRaw(i, len(b.rs[i].Items)-1, cells)
	}
}

// readFlat reads one table where each row is a data item and the resource
// columns repeat (CSV, or a workbook with a single sheet): rows with the
// same 资源序号 form one resource, whose columns come from its first row.
func (b *batch) readFlat(rd *reader, src rowSource, sheet string) error {
	l, err := b.bindHeader(src, sheet, csvNames)
	if l == nil || err != nil {
		return err
	}
	b.res, b.item = l, l
	hasItems := false
	for _, p := range l.items {
		hasItems = hasItems || p >= 0
	}
	b.fileErrs = append(b.fileErrs, l.missing(false, true, hasItems)...)
	if len(b.fileErrs) > 0 {
		return nil
	}
	keyPos := l.key
	if keyPos < 0 { // no 资源序号: rows of one resource share its name
		keyPos = l.res[resName]
	}
	var lastKey string
	var lastCells []string
	for {
		row, cells, err := src.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := rd.tick(); err != nil {
			return err
		}
		key := strings.TrimSpace(cell(cells, keyPos))
		i, seen := b.byKey[foldValue(key)]
		if !seen || key == "" {
			// A new group: the groups before it are done.
			b.seal(len(b.rs))
			i = b.add(key, row)
			if key == "" {
				b.fail(i, l.sheet, row, l.colHeader(keyPos, colKey), "key", keyRequired())
			} else {
				b.byKey[foldValue(key)] = i
			}
			b.readResource(i, l, row, cells)
			lastKey, lastCells = key, cells
			if l.hasItemCells(cells) && b.readItem(i, l, row, cells) {
				b.keepItemRaw(i, len(b.rs[i].Items)-1, cells)
			}
			continue
		}
		var first []string
		if key == lastKey && lastCells != nil {
			first = lastCells
		}
		conflict := b.compareRepeat(i, l, row, cells, first)
		if l.hasItemCells(cells) {
			if b.readItem(i, l, row, cells) || conflict {
				b.keepItemRaw(i, len(b.rs[i].Items)-1, cells)
			}
		} else if conflict {
			e := &b.ents[i]
			if e.extra == nil {
				e.extra = map[int][]string{}
			}
			e.extra[row] = append([]string(nil), cells...)
		}
	}
}

// compareRepeat checks the resource columns of a later row of a group
// against the group's first row: a blank cell or the same value is fine,
// anything else is a conflict naming both rows. first is the first row's
// cells when still at hand.
func (b *batch) compareRepeat(i int, l *layout, row int, cells, first []string) bool {
	conflict := false
	r := &b.rs[i]
	for c, pos := range l.res {
		col := &resourceColumns[c]
		if pos < 0 || col.info || col.set == nil {
			continue
		}
		v := strings.TrimSpace(cell(cells, pos))
		if v == "" {
			continue
		}
		if first != nil && v == strings.TrimSpace(cell(first, pos)) {
			continue
		}
		var tmp catalog.Resource
		if col.set(&tmp, v, b.lk) == nil && col.get(&tmp) == col.get(r) {
			continue
		}
		conflict = true
		was := col.get(r)
		b.fail(i, l.sheet, row, l.header[pos], col.field, &cellErr{
			en: strconv.Quote(v) + " differs from row " + strconv.Itoa(b.ents[i].row) + " (" + strconv.Quote(was) + ") of the same resource",
			zh: "“" + v + "”与同一资源第" + strconv.Itoa(b.ents[i].row) + "行的“" + was + "”不一致"})
	}
	return conflict
}

package pull

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// Column is a source column as a logical dataset captures it.
type Column struct {
	Name     string `json:"name"`
	Type     string `json:"type"` // the database's type name
	Nullable bool   `json:"nullable"`
}

// Page is rows read from a source at request time: logical aggregation
// (逻辑接入), where the data stays at the source.
type Page struct {
	Columns []Column   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Schema captures the source's columns without reading rows.
func (s DBSource) Schema(ctx context.Context) ([]Column, error) {
	p, err := s.Read(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	return p.Columns, nil
}

// Read reads up to limit rows from offset, in a read-only transaction,
// ordered by the watermark column when there is one (so pages are stable).
// The cells are rendered as a pull renders them.
func (s DBSource) Read(ctx context.Context, limit, offset int) (*Page, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if limit < 0 || offset < 0 {
		return nil, fmt.Errorf("pull: negative limit or offset")
	}
	d, _ := dialectOf(s.Driver)
	db, err := s.open(d)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read %s: begin: %w", s.Name(), err)
	}
	defer tx.Rollback()
	from := d.table(s.Table)
	if s.Query != "" {
		q, _ := selectQuery(s.Query)
		from = "(" + q + ") AS pull_source"
	}
	query := "SELECT * FROM " + from
	if limit == 0 {
		query += " WHERE 1=0"
	} else {
		if s.Watermark != "" {
			col, _, err := watermarkColumn(ctx, tx, "SELECT * FROM "+from+" WHERE 1=0", s.Watermark)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", s.Name(), err)
			}
			query += " ORDER BY " + d.ident(col)
		}
		query += " LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(offset)
	}
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Name(), err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, fmt.Errorf("read %s: columns: %w", s.Name(), err)
	}
	p := &Page{Rows: [][]string{}}
	types := make([]string, len(cts))
	for i, ct := range cts {
		null, _ := ct.Nullable()
		types[i] = ct.DatabaseTypeName()
		p.Columns = append(p.Columns, Column{Name: ct.Name(), Type: types[i], Nullable: null})
	}
	vals := make([]any, len(cts))
	ptrs := make([]any, len(cts))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read %s: %w", s.Name(), err)
		}
		rec := make([]string, len(vals))
		for i, v := range vals {
			rec[i] = cell(v, types[i])
		}
		p.Rows = append(p.Rows, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Name(), err)
	}
	return p, nil
}

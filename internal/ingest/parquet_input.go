package ingest

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // read_parquet

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/tabular"
)

// parquetReader reads a Parquet file row by row through DuckDB's
// read_parquet, in an in-memory DuckDB of its own, rendering values as
// text for the rules: dates as YYYY-MM-DD, timestamps as YYYY-MM-DD
// HH:MM:SS[.ffffff], numbers in decimal.
type parquetReader struct {
	db     *sql.DB
	rows   *sql.Rows
	header []string
	vals   []any
	ptrs   []any
	n      int
	tmp    string // a spooled copy of a source that is not a file
}

func openParquet(src Source) (*parquetReader, error) {
	p := &parquetReader{}
	path := ""
	if f, ok := src.R.(*os.File); ok {
		path = f.Name()
	} else {
		tmp, err := os.CreateTemp("", "pubdata-parquet-*.parquet")
		if err != nil {
			return nil, fmt.Errorf("ingest: parquet: %w", err)
		}
		p.tmp = tmp.Name()
		_, err = io.Copy(tmp, src.R)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("ingest: parquet: spool %s: %w", src.Name, err)
		}
		path = p.tmp
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("ingest: parquet: %w", err)
	}
	p.db = db
	rows, err := db.Query(`SELECT * FROM read_parquet(?)`, path)
	if err != nil {
		p.Close()
		return nil, apperr.New(apperr.Invalid, "the file is not a readable Parquet file: "+err.Error(),
			"文件不是可读取的Parquet文件："+err.Error())
	}
	p.rows = rows
	if p.header, err = rows.Columns(); err != nil {
		p.Close()
		return nil, fmt.Errorf("ingest: parquet: %w", err)
	}
	p.vals = make([]any, len(p.header))
	p.ptrs = make([]any, len(p.header))
	for i := range p.vals {
		p.ptrs[i] = &p.vals[i]
	}
	return p, nil
}

func (p *parquetReader) Header() []string { return p.header }

func (p *parquetReader) Next() (tabular.Row, error) {
	if !p.rows.Next() {
		if err := p.rows.Err(); err != nil {
			return tabular.Row{}, fmt.Errorf("ingest: parquet: %w", err)
		}
		return tabular.Row{}, io.EOF
	}
	if err := p.rows.Scan(p.ptrs...); err != nil {
		return tabular.Row{}, fmt.Errorf("ingest: parquet: %w", err)
	}
	p.n++
	cells := make([]string, len(p.vals))
	for i, v := range p.vals {
		cells[i] = parquetCell(v)
	}
	return tabular.Row{Num: p.n, Cells: cells}, nil
}

func parquetCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case int8, int16, int32, int64, int, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly)
		}
		if x.Nanosecond() != 0 {
			return x.Format("2006-01-02 15:04:05.999999")
		}
		return x.Format(time.DateTime)
	}
	return fmt.Sprint(v)
}

func (p *parquetReader) Close() error {
	if p.rows != nil {
		p.rows.Close()
	}
	if p.db != nil {
		p.db.Close()
	}
	if p.tmp != "" {
		os.Remove(p.tmp)
	}
	return nil
}

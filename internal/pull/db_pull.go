package pull

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/tabular"
)

// DBPull is one running pull of a DBSource.
type DBPull struct {
	// Source is the rows as CSV in UTF-8, header first; read it once,
	// with ingest.Load.
	Source ingest.Source

	db        *sql.DB
	tx        *sql.Tx
	cancel    context.CancelFunc
	pr        *io.PipeReader
	done      chan struct{} // closed when the streaming goroutine ends
	watermark string        // the upper bound, or last when nothing is new
	complete  atomic.Bool   // Source was read to its end
	closeOnce sync.Once
	closeErr  error
}

// errClosed ends the stream of a pull closed before it was read.
var errClosed = errors.New("pull: closed")

// Watermark returns the watermark to store, and pass as last to the next
// pull, once the load of Source succeeded: the upper bound of the rows
// pulled ("" for a source without a watermark column, and last when no
// row was new). It fails when Source was not read to its end.
func (p *DBPull) Watermark() (string, error) {
	if !p.complete.Load() {
		return "", errors.New("pull: the watermark is not known before the rows are read to the end")
	}
	return p.watermark, nil
}

// Close stops the pull, if still running, and closes the connection.
func (p *DBPull) Close() error {
	p.closeOnce.Do(func() {
		if p.pr != nil {
			p.pr.CloseWithError(errClosed)
		}
		p.cancel()
		if p.pr != nil {
			<-p.done
		}
		if p.tx != nil {
			p.tx.Rollback() // read-only; already rolled back when the context ended
		}
		p.closeErr = p.db.Close()
	})
	return p.closeErr
}

// start reads the bounds, runs the query and starts streaming its rows.
func (p *DBPull) start(ctx context.Context, d dialect, s DBSource, last string) error {
	tx, err := p.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	p.tx = tx
	from := d.table(s.Table)
	if s.Query != "" {
		q, _ := selectQuery(s.Query)
		from = "(" + q + ") AS pull_source"
	}
	empty := "SELECT * FROM " + from + " WHERE 1=0"
	query, args := "SELECT * FROM "+from, []any(nil)
	if s.Watermark != "" {
		col, typ, err := watermarkColumn(ctx, tx, empty, s.Watermark)
		if err != nil {
			return err
		}
		wm := d.ident(col)
		var cond string
		if last != "" {
			arg, err := watermarkArg(last, col, typ)
			if err != nil {
				return err
			}
			cond, args = " WHERE "+wm+" > "+d.arg(1, typ), []any{arg}
		}
		var upper any
		if err := tx.QueryRowContext(ctx, "SELECT max("+wm+") FROM "+from+cond, args...).Scan(&upper); err != nil {
			return fmt.Errorf("read the upper bound of %s: %w", col, err)
		}
		if upper == nil { // nothing new: the header alone, the same watermark
			query, args = empty, nil
		} else {
			p.watermark = cell(upper, typ)
			arg, err := watermarkArg(p.watermark, col, typ)
			if err != nil {
				return err
			}
			if cond == "" {
				cond = " WHERE "
			} else {
				cond += " AND "
			}
			args = append(args, arg)
			query += cond + wm + " <= " + d.arg(len(args), typ) + " ORDER BY " + wm
		}
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	cts, err := rows.ColumnTypes()
	if err != nil {
		rows.Close()
		return fmt.Errorf("columns: %w", err)
	}
	header, types := make([]string, len(cts)), make([]string, len(cts))
	for i, ct := range cts {
		header[i], types[i] = ct.Name(), ct.DatabaseTypeName()
	}
	pr, pw := io.Pipe()
	p.pr = pr
	p.Source = ingest.Source{Name: s.Name(), R: eofReader{r: pr, eof: &p.complete},
		Format: tabular.CSV, Encoding: tabular.UTF8, HeaderRow: 1}
	context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) })
	go func() {
		defer close(p.done)
		pw.CloseWithError(writeCSV(pw, rows, header, types))
	}()
	return nil
}

// watermarkColumn finds the watermark column among the columns of the
// empty query, by its exact name or else in any case, and returns its
// name and database type.
func watermarkColumn(ctx context.Context, tx *sql.Tx, empty, name string) (string, string, error) {
	rows, err := tx.QueryContext(ctx, empty)
	if err != nil {
		return "", "", fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return "", "", fmt.Errorf("columns: %w", err)
	}
	var found *sql.ColumnType
	for _, ct := range cts {
		if ct.Name() == name {
			found = ct
			break
		}
		if strings.EqualFold(ct.Name(), name) {
			if found != nil {
				found = nil // ambiguous in case: only an exact match will do
				break
			}
			found = ct
		}
	}
	if found == nil {
		return "", "", apperr.New(apperr.Invalid, "the source has no column "+strconv.Quote(name)+" for the watermark",
			"数据源中没有水位列"+strconv.Quote(name)).With("watermark", "no such column", "没有该列")
	}
	return found.Name(), found.DatabaseTypeName(), rows.Close()
}

// watermarkArg is the query argument of a watermark's text: an integer for
// an integer column (MySQL compares an integer with a string as floating
// point numbers, which loses digits past 2^53), else the text, which the
// database reads as a value of the column's type.
func watermarkArg(text, col, typ string) (any, error) {
	if !integerType(typ) {
		return text, nil
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	if n, err := strconv.ParseUint(text, 10, 64); err == nil {
		return n, nil
	}
	return nil, apperr.New(apperr.Invalid, "the stored watermark "+strconv.Quote(text)+" is not an integer, as column "+col+" is",
		"已保存的水位值"+strconv.Quote(text)+"不是整数，与列"+col+"的类型不符")
}

// eofReader records that its reader reached io.EOF: the pipe of a pull
// yields it only after the last row was written.
type eofReader struct {
	r   io.Reader
	eof *atomic.Bool
}

func (e eofReader) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	if err == io.EOF {
		e.eof.Store(true)
	}
	return n, err
}

// writeCSV writes the header and the rows as CSV and closes rows.
func writeCSV(w io.Writer, rows *sql.Rows, header, types []string) error {
	defer rows.Close()
	cw := csv.NewWriter(bufio.NewWriterSize(w, 64<<10)) // csv flushes the bufio.Writer
	if err := cw.Write(header); err != nil {
		return err
	}
	vals := make([]any, len(header))
	ptrs := make([]any, len(header))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	rec := make([]string, len(header))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("pull: scan: %w", err)
		}
		for i, v := range vals {
			rec[i] = cell(v, types[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("pull: rows: %w", err)
	}
	cw.Flush()
	return cw.Error()
}

// Package store is the control store: the SQL database holding the catalog,
// workflows, users and jobs. It runs on SQLite (embedded default, pure-Go
// driver, WAL, foreign keys on) or PostgreSQL (pgx). Services write plain SQL
// with ? placeholders; DB rebinds them for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"           // SQLite driver "sqlite"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the control store handle. It is safe for concurrent use.
type DB struct {
	sql     *sql.DB
	dialect Dialect
}

// Open connects to dsn: a PostgreSQL URL (postgres://...) or a SQLite file
// path (optionally prefixed sqlite:). It runs the embedded migrations.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := open(dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func open(dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.SetMaxOpenConns(16)
		s.SetMaxIdleConns(8)
		return &DB{sql: s, dialect: Postgres}, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	// BEGIN IMMEDIATE avoids SQLITE_BUSY upgrades from read to write
	// transactions; the busy timeout queues writers instead of failing them.
	q := "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	s, err := sql.Open("sqlite", "file:"+path+q)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s.SetMaxOpenConns(8)
	return &DB{sql: s, dialect: SQLite}, nil
}

// Dialect reports the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes the pool.
func (db *DB) Close() error { return db.sql.Close() }

// Ping checks the connection.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Querier is what both *DB and *Tx offer: statements with ? placeholders.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
}

func (db *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.sql.ExecContext(ctx, db.rebind(q), args...)
}

func (db *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.sql.QueryContext(ctx, db.rebind(q), args...)
}

func (db *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return db.sql.QueryRowContext(ctx, db.rebind(q), args...)
}

// Tx is a transaction with the same ? placeholder convention.
type Tx struct {
	tx      *sql.Tx
	conn    *sql.Conn // the connection the transaction runs on
	dialect Dialect
	copyMu  sync.Mutex
	copies  map[string]*sql.Stmt // CopyRows statements by SQL, prepared once per transaction
}

func (tx *Tx) Dialect() Dialect { return tx.dialect }

func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, rebind(tx.dialect, q), args...)
}

func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, rebind(tx.dialect, q), args...)
}

func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, rebind(tx.dialect, q), args...)
}

// Prepare prepares q for repeated use inside the transaction (bulk imports).
func (tx *Tx) Prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, rebind(tx.dialect, q))
}

// CopyRows bulk-inserts rows into table's cols inside the transaction:
// PostgreSQL's COPY protocol there, multi-row INSERT statements on SQLite,
// each as many rows as the parameter limit allows, prepared once per
// transaction and shape (parsing a 30,000-parameter statement costs about
// as much as running it).
func (tx *Tx) CopyRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if tx.dialect == Postgres {
		return tx.conn.Raw(func(dc any) error {
			pc, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("copy into %s: driver connection is %T", table, dc)
			}
			_, err := pc.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
			if err != nil {
				return fmt.Errorf("copy into %s: %w", table, err)
			}
			return nil
		})
	}
	// SQLite allows 32,766 parameters a statement.
	per := max(1, 30000/len(cols))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, (end-start)*len(cols))
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString(row)
			args = append(args, rows[i]...)
		}
		st, err := tx.copyStmt(ctx, b.String())
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// copyStmt returns q prepared in the transaction, preparing it on first
// use; the transaction closes its statements when it ends.
func (tx *Tx) copyStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	tx.copyMu.Lock()
	defer tx.copyMu.Unlock()
	if st, ok := tx.copies[q]; ok {
		return st, nil
	}
	st, err := tx.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if tx.copies == nil {
		tx.copies = map[string]*sql.Stmt{}
	}
	tx.copies[q] = st
	return st, nil
}

// InTx runs fn in a transaction, committing when fn returns nil and rolling
// back otherwise (so a failure part way leaves the previous state intact).
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	t, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			t.Rollback()
			panic(p)
		}
		if err != nil {
			t.Rollback()
		}
	}()
	if err = fn(&Tx{tx: t, conn: conn, dialect: db.dialect}); err != nil {
		return err
	}
	if err = t.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (db *DB) rebind(q string) string { return rebind(db.dialect, q) }

// rebind turns ? placeholders into $1, $2 ... for PostgreSQL. Question marks
// inside single-quoted literals are left alone.
func rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// IsUniqueViolation reports whether err is a unique-constraint violation on
// either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// ErrNoRows is sql.ErrNoRows, re-exported so services need not import
// database/sql only for it.
var ErrNoRows = sql.ErrNoRows

// IsNoRows reports whether err is sql.ErrNoRows.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// TimeLayout is how timestamps are stored: UTC, fixed width, so text order is
// time order on both engines.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// FormatTime renders t for storage.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ParseTime reads a stored timestamp; the zero time for "".
func ParseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

// Bool converts the 0/1 integers used for booleans on both engines.
func Bool(i int64) bool { return i != 0 }

// Int converts a bool to the stored 0/1.
func Int(b bool) int {
	if b {
		return 1
	}
	return 0
}

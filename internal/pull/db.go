package pull

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/pubdata/pubdata/internal/apperr"
)

// DBSource is a table or query of a PostgreSQL or MySQL/MariaDB database.
// See the package documentation for the watermark.
type DBSource struct {
	// Driver is "postgres" or "mysql" (MariaDB too).
	Driver string
	// DSN is a pgx connection string or URL, or a go-sql-driver/mysql
	// DSN (user:password@tcp(host:3306)/db). Keep it sealed (Sealer).
	DSN string
	// Table is a table or view, optionally schema.table; Query is a single
	// SELECT. Exactly one of them is set.
	Table string
	Query string
	// Watermark is the column of incremental pulls: "" pulls every row.
	Watermark string
}

// Validate checks the source's fields without connecting.
func (s DBSource) Validate() error {
	var errs apperr.Fields
	if _, ok := dialectOf(s.Driver); !ok {
		errs.Add("driver", "the driver must be postgres or mysql, not "+strconv.Quote(s.Driver),
			"驱动须为 postgres 或 mysql，而不是"+strconv.Quote(s.Driver))
	}
	if strings.TrimSpace(s.DSN) == "" {
		errs.Add("dsn", "the connection string is empty", "连接串为空")
	}
	switch {
	case s.Table == "" && s.Query == "":
		errs.Add("table", "give a table or a query", "须指定表或查询语句")
	case s.Table != "" && s.Query != "":
		errs.Add("query", "give a table or a query, not both", "表和查询语句只能指定其一")
	case s.Table != "" && !validTable(s.Table):
		errs.Add("table", "the table name "+strconv.Quote(s.Table)+" is not a plain identifier (letters, digits, _; schema.table)",
			"表名"+strconv.Quote(s.Table)+"不是合法标识符（字母、数字、下划线，可写作 模式.表）")
	case s.Query != "":
		if _, ok := selectQuery(s.Query); !ok {
			errs.Add("query", "the query must be a single SELECT statement",
				"查询语句必须是单条 SELECT 语句")
		}
	}
	if s.Watermark != "" && !validIdent(s.Watermark) {
		errs.Add("watermark", "the watermark column "+strconv.Quote(s.Watermark)+" is not a plain identifier (letters, digits, _)",
			"水位列"+strconv.Quote(s.Watermark)+"不是合法标识符（字母、数字、下划线）")
	}
	return errs.Err()
}

// Name is the source's name as a load records it: driver:table, or
// driver:query.
func (s DBSource) Name() string {
	if s.Table != "" {
		return s.Driver + ":" + s.Table
	}
	return s.Driver + ":query"
}

// open connects to the database.
func (s DBSource) open(d dialect) (*sql.DB, error) {
	if d == postgres {
		cfg, err := pgx.ParseConfig(s.DSN) // its errors hide the password
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "the PostgreSQL connection string is malformed", "PostgreSQL 连接串格式错误").
				With("dsn", err.Error(), err.Error())
		}
		return stdlib.OpenDB(*cfg), nil
	}
	cfg, err := gomysql.ParseDSN(s.DSN)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "the MySQL connection string is malformed", "MySQL 连接串格式错误").
			With("dsn", err.Error(), err.Error())
	}
	cfg.ParseTime = true // DATE and DATETIME as time.Time, rendered by cell
	cfg.MultiStatements = false
	c, err := gomysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mysql connector: %w", err)
	}
	return sql.OpenDB(c), nil
}

// Open starts a pull of the rows whose watermark is greater than last
// ("" for none: every row up to the current largest watermark), or of
// every row when the source has no watermark column. It connects, reads
// the upper bound and starts the query before it returns; the rows then
// stream through DBPull.Source. Close the pull when done.
func (s DBSource) Open(ctx context.Context, last string) (*DBPull, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if s.Watermark == "" && last != "" {
		return nil, apperr.New(apperr.Invalid, "a watermark value was given to a source without a watermark column",
			"数据源未设置水位列，却给出了水位值")
	}
	d, _ := dialectOf(s.Driver)
	db, err := s.open(d)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &DBPull{db: db, cancel: cancel, watermark: last, done: make(chan struct{})}
	if err := p.start(ctx, d, s, last); err != nil {
		p.Close()
		return nil, fmt.Errorf("pull %s: %w", s.Name(), err)
	}
	return p, nil
}

package pull

import (
	"strconv"
	"strings"
	"unicode"
)

// dialect is what differs between the databases a DBSource reads.
type dialect struct {
	name  string // "postgres" or "mysql"
	quote byte   // the identifier quote
}

var (
	postgres = dialect{name: "postgres", quote: '"'}
	mysql    = dialect{name: "mysql", quote: '`'}
)

// dialectOf returns the dialect of a DBSource.Driver.
func dialectOf(driver string) (dialect, bool) {
	switch strings.ToLower(driver) {
	case "postgres", "postgresql", "pgx":
		return postgres, true
	case "mysql", "mariadb":
		return mysql, true
	}
	return dialect{}, false
}

// ident quotes one identifier, doubling the quote character inside it.
func (d dialect) ident(name string) string {
	q := string(d.quote)
	return q + strings.ReplaceAll(name, q, q+q) + q
}

// table quotes a validated table name, schema-qualified or not.
func (d dialect) table(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = d.ident(p)
	}
	return strings.Join(parts, ".")
}

// param is the placeholder of the i-th (1-based) argument of a query.
func (d dialect) param(i int) string {
	if d == postgres {
		return "$" + strconv.Itoa(i)
	}
	return "?"
}

// maxIdent is the longest identifier both databases take (PostgreSQL's
// limit is 63 bytes, MySQL's 64 characters).
const maxIdent = 63

// validIdent reports whether s is a plain identifier: a letter or
// underscore, then letters, digits and underscores.
func validIdent(s string) bool {
	if s == "" || len(s) > maxIdent {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && unicode.IsDigit(r):
		default:
			return false
		}
	}
	return true
}

// validTable reports whether s is a table name, optionally qualified by
// its schema (PostgreSQL) or database (MySQL): schema.table.
func validTable(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) > 2 {
		return false
	}
	for _, p := range parts {
		if !validIdent(p) {
			return false
		}
	}
	return true
}

// selectQuery returns q without the space and the one semicolon that may
// end it, or false when q is not a single SELECT: it must start with
// SELECT (or WITH, for a SELECT with common table expressions) and hold no
// other semicolon, even inside a literal. The query also runs as a derived
// table in a read-only transaction, which no other statement survives.
func selectQuery(q string) (string, bool) {
	q = strings.TrimSpace(q)
	q = strings.TrimSpace(strings.TrimSuffix(q, ";"))
	if strings.Contains(q, ";") {
		return "", false
	}
	word := q
	if i := strings.IndexFunc(q, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		word = q[:i]
	}
	if !strings.EqualFold(word, "select") && !strings.EqualFold(word, "with") {
		return "", false
	}
	return q, true
}

// integerType reports whether a column's database type name (as
// sql.ColumnType.DatabaseTypeName gives it) is an integer type.
func integerType(name string) bool {
	name = strings.TrimPrefix(name, "UNSIGNED ")
	switch name {
	case "INT2", "INT4", "INT8":
		return true
	}
	return strings.HasSuffix(name, "INT")
}

// arg is the placeholder of the i-th argument compared with a column of
// the database type typ. MySQL compares a DECIMAL column with a string as
// floating point numbers, so the string is cast first.
func (d dialect) arg(i int, typ string) string {
	if d == mysql && typ == "DECIMAL" {
		return "CAST(? AS DECIMAL(65,30))"
	}
	return d.param(i)
}

package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// A migration is one numbered SQL file. Files are written once for both
// engines; the few spellings that differ are written as tokens:
//
//	{{autoid}}  an auto-incrementing 64-bit primary key
//	{{blob}}    a byte string column
var dialectTokens = map[Dialect]*strings.Replacer{
	SQLite:   strings.NewReplacer("{{autoid}}", "INTEGER PRIMARY KEY AUTOINCREMENT", "{{blob}}", "BLOB"),
	Postgres: strings.NewReplacer("{{autoid}}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "{{blob}}", "BYTEA"),
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", e.Name(), err)
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, in order, one transaction each.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		err := db.InTx(ctx, func(tx *Tx) error {
			if db.dialect == Postgres {
				// Serialise concurrent starters on one database.
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7316201)`); err != nil {
					return err
				}
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitStatements(dialectTokens[db.dialect].Replace(m.sql)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w\n%s", m.name, err, stmt)
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, FormatTime(time.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	return nil
}

// splitStatements splits a migration on semicolons at line ends; migrations
// hold no procedural code, so that is enough.
func splitStatements(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ";\n") {
		var lines []string
		for _, l := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				lines = append(lines, l)
			}
		}
		if stmt := strings.TrimSpace(strings.TrimSuffix(strings.Join(lines, "\n"), ";")); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

package records

import (
	"context"
	"fmt"
	"os"

	"github.com/pubdata/pubdata/internal/apperr"
)

// Retain keeps the keep newest versions of a dataset and deletes the
// files of generations no kept version uses.
func (s *DuckDB) Retain(ctx context.Context, dataset string, keep int) error {
	if keep < 1 {
		return apperr.New(apperr.Invalid, "retention must keep at least one version", "保留的版本数至少为1")
	}
	if _, err := s.dataset(ctx, s.db, dataset); err != nil {
		return err
	}
	var oldest int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(min(version), 0) FROM (SELECT version FROM rs_versions WHERE dataset = ? ORDER BY version DESC LIMIT ?)`,
		dataset, keep).Scan(&oldest)
	if err != nil || oldest == 0 {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("records: retain %s: %w", dataset, err)
	}
	defer conn.Close()
	var drop []string
	err = func() error {
		if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `DELETE FROM rs_versions WHERE dataset = ? AND version < ?`, dataset, oldest); err != nil {
			return err
		}
		gone := `dataset = ? AND generation NOT IN (SELECT generation FROM rs_versions WHERE dataset = ?)`
		rows, err := conn.QueryContext(ctx, `SELECT path FROM rs_files WHERE `+gone, dataset, dataset)
		if err != nil {
			return err
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return err
			}
			drop = append(drop, p)
		}
		rows.Close()
		if _, err := conn.ExecContext(ctx, `DELETE FROM rs_tombstones WHERE dataset = ? AND file_id IN (SELECT file_id FROM rs_files WHERE `+gone+`)`,
			dataset, dataset, dataset); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, `DELETE FROM rs_files WHERE `+gone, dataset, dataset); err != nil {
			return err
		}
		_, err = conn.ExecContext(ctx, "COMMIT")
		return err
	}()
	if err != nil {
		conn.ExecContext(context.Background(), "ROLLBACK")
		return fmt.Errorf("records: retain %s: %w", dataset, err)
	}
	for _, p := range drop {
		// A file left behind by a crash here is removed at the next open.
		os.Remove(s.abs(p))
	}
	return nil
}

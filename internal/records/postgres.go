package records

import (
	"context"
	"errors"
)

// OpenPostgres opens the record store in a PostgreSQL database.
func OpenPostgres(ctx context.Context, url string) (Store, error) {
	return nil, errors.New("records: PostgreSQL store not written yet")
}

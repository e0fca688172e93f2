package rectify

import (
	"context"
	"errors"
	"fmt"

	"github.com/pubdata/pubdata/internal/verify"
)

// ErrNoRecheck is what a Verifier returns for a ticket it cannot
// re-check: the ticket stays fixed for the raiser to verify.
var ErrNoRecheck = errors.New("rectify: no automatic re-check for this ticket")

// RecheckVerification is a Verifier for tickets raised from verification
// runs: it repeats the run's comparison on the current data (as the user
// who fixed the ticket) and finds the issue gone when no key conflicts.
// Other tickets it leaves to the raiser (ErrNoRecheck).
func RecheckVerification(v *verify.Service) Verifier {
	return func(ctx context.Context, t *Ticket) (bool, string, error) {
		if t.Source != SourceVerification || t.RunID == "" {
			return false, "", ErrNoRecheck
		}
		rep, err := v.Recheck(ctx, t.RunID)
		if err != nil {
			return false, "", err
		}
		if rep.ConflictingKeys == 0 {
			return true, "", nil
		}
		return false, fmt.Sprintf("仍有 %d 个%s的数据不一致 / %d keys (%s) still disagree",
			rep.ConflictingKeys, rep.Key, rep.ConflictingKeys, rep.Key), nil
	}
}

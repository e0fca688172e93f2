package lineage

import (
	"context"
	"fmt"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// maxNote bounds the note of an edge recorded by hand.
const maxNote = 500

// Declare records a lineage edge by hand: a department states that a
// dataset is derived from another, or that an outside system is where a
// resource's data comes from, which no load shows. The edge is marked
// manual, keeps its note, and may be deleted again (Delete); it belongs
// to the organisation of its downstream end (see owner), whose staff (or
// a platform administrator) may declare it. An edge with the same ends and
// kind, whether recorded by hand or as data moved, is a conflict.
func (s *Service) Declare(ctx context.Context, e Edge) (*Edge, error) {
	e.ID, e.Manual = 0, true
	var out *Edge
	err := s.writeEdge(ctx, &e, func(tx *store.Tx, p *authz.Principal, org string, before *Edge) (err error) {
		switch {
		case before != nil && before.Manual:
			return apperr.New(apperr.Conflict, fmt.Sprintf("this lineage is already recorded by hand (edge %d)", before.ID),
				fmt.Sprintf("该血缘关系已手工登记（编号 %d）", before.ID))
		case before != nil:
			return apperr.New(apperr.Conflict, fmt.Sprintf("this lineage is already recorded as data moved (edge %d)", before.ID),
				fmt.Sprintf("该血缘关系已在数据汇聚时自动记录（编号 %d），无需手工登记", before.ID))
		}
		now := s.now().UTC()
		e.NodeID, e.OrgID, e.CreatedBy, e.CreatedAt = p.NodeID, org, p.Username, now
		if e.ID, err = insertEdge(ctx, tx, &e); store.IsUniqueViolation(err) {
			// Recorded by a load or a declaration at the same moment.
			return apperr.New(apperr.Conflict, "this lineage has just been recorded", "该血缘关系刚刚已被记录")
		} else if err != nil {
			return err
		}
		out = &e
		return actionlog.Append(ctx, tx, now, "lineage.declare", "lineage_edge", fmt.Sprint(e.ID), e.OrgID, nil, out)
	})
	return out, err
}

package lineage

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// Service keeps lineage edges and draws the relationship graph.
type Service struct {
	db  *store.DB
	now func() time.Time
}

// New returns the lineage service.
func New(db *store.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now}
}

// Who may do what:
//
//	authz.LineageRead   the graph, links and edges: every role that reads
//	                    the catalog (resources still need to be visible)
//	authz.LineageWrite  record edges, and delete those recorded by hand:
//	                    the staff of the edge's organisation (editors and
//	                    organisation administrators Own, platform Any)

func canRead(p *authz.Principal) bool { return p.CanSome(authz.LineageRead) }

func canWrite(p *authz.Principal, org string) bool { return p.Can(authz.LineageWrite, org) }

var edgeKinds = map[string]bool{EdgePullSource: true, EdgeLoad: true, EdgeDerivedFrom: true}

var refKinds = map[string]bool{KindSource: true, KindResource: true, KindDataset: true}

// Record stores a lineage edge as data moves along it, or updates the
// labels of the same edge (same ends and kind) recorded before; an edge
// recorded by hand (Declare) stays as it was declared. The edge belongs to
// the organisation of its downstream end (see owner); recording it needs
// authz.LineageWrite there.
func (s *Service) Record(ctx context.Context, e Edge) (*Edge, error) {
	e.Manual, e.Note = false, ""
	var out *Edge
	err := s.writeEdge(ctx, &e, func(tx *store.Tx, p *authz.Principal, org string, before *Edge) (err error) {
		if before != nil && before.Manual {
			out = before
			return nil
		}
		now := s.now().UTC()
		if before == nil {
			e.NodeID, e.OrgID, e.CreatedBy, e.CreatedAt = p.NodeID, org, p.Username, now
			if e.ID, err = insertEdge(ctx, tx, &e); err != nil {
				return err
			}
		} else {
			e.ID, e.NodeID, e.OrgID, e.CreatedBy, e.CreatedAt = before.ID, before.NodeID, before.OrgID, before.CreatedBy, before.CreatedAt
			if *before == e {
				out = before
				return nil
			}
			if err := updateLabels(ctx, tx, &e); err != nil {
				return err
			}
		}
		out = &e
		return actionlog.Append(ctx, tx, now, "lineage.record", "lineage_edge", fmt.Sprint(e.ID), e.OrgID, before, out)
	})
	return out, err
}

// writeEdge runs fn in a transaction for an edge the caller p may write:
// e checked, org the organisation it belongs to (see owner), and before
// the edge with the same ends and kind already stored, nil if none.
func (s *Service) writeEdge(ctx context.Context, e *Edge, fn func(tx *store.Tx, p *authz.Principal, org string, before *Edge) error) error {
	p, err := authz.Require(ctx)
	if err != nil {
		return err
	}
	if err := e.validate(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		org, err := owner(ctx, tx, p, e)
		if err != nil {
			return err
		}
		if !canWrite(p, org) {
			return authz.Denied()
		}
		before, err := findEdge(ctx, tx, *e)
		if err != nil {
			return err
		}
		return fn(tx, p, org, before)
	})
}

// owner checks e's resource ends, which p must be able to see, stores
// their ids (a resource end may name the resource by id or code), and
// returns the organisation the edge belongs to: that of its downstream
// resource, or of the resource whose dataset is downstream, else the same
// of its upstream end, else p's own.
func owner(ctx context.Context, q store.Querier, p *authz.Principal, e *Edge) (string, error) {
	var f apperr.Fields
	orgs := map[string]string{}
	for _, x := range []struct {
		name string
		ref  *Ref
	}{{"from", &e.From}, {"to", &e.To}} {
		switch x.ref.Kind {
		case KindResource:
			r, err := resourceByRef(ctx, q, x.ref.Ref)
			if err != nil {
				return "", err
			}
			if r == nil || !visible(p, r) {
				f.Add(x.name+".ref", "no such resource", "资源不存在")
				continue
			}
			x.ref.Ref, orgs[x.name] = r.id, r.org
		case KindDataset:
			// A resource's dataset is named by the resource's id.
			r, err := resourceOf(ctx, q, x.ref.Ref)
			if err != nil {
				return "", err
			}
			if r != nil {
				orgs[x.name] = r.org
			}
		}
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	if e.From.ID() == e.To.ID() {
		return "", apperr.New(apperr.Invalid, "validation failed", "校验未通过").
			With("to", "an edge needs two different ends", "起点与终点不能相同")
	}
	for _, end := range []string{"to", "from"} {
		if org := orgs[end]; org != "" {
			return org, nil
		}
	}
	return p.OrgID, nil
}

// Delete removes a lineage edge recorded by hand; an edge recorded as
// data moved is a conflict: it is recorded again by the next load.
func (s *Service) Delete(ctx context.Context, id int64) error {
	p, err := authz.Require(ctx)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		e, err := edgeByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if !canWrite(p, e.OrgID) {
			return authz.Denied()
		}
		if !e.Manual {
			return apperr.New(apperr.Conflict,
				fmt.Sprintf("lineage edge %d was recorded as data moved, not by hand: only edges recorded by hand can be deleted", id),
				fmt.Sprintf("血缘关系 %d 由系统在数据汇聚时自动记录，不是手工登记的，不能删除", id))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM lineage_edges WHERE id = ?`, id); err != nil {
			return fmt.Errorf("lineage: delete edge %d: %w", id, err)
		}
		return actionlog.Append(ctx, tx, s.now(), "lineage.delete", "lineage_edge", fmt.Sprint(id), e.OrgID, e, nil)
	})
}

// Edges lists recorded edges, newest first.
func (s *Service) Edges(ctx context.Context, f EdgeFilter) ([]Edge, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !canRead(p) {
		return nil, authz.Denied()
	}
	return listEdges(ctx, s.db, f)
}

func (e *Edge) validate() error {
	var f apperr.Fields
	if !edgeKinds[e.Kind] {
		f.Add("kind", "must be pull_source, load or derived_from", "须为 pull_source、load、derived_from 之一")
	}
	for _, x := range []struct {
		name string
		ref  *Ref
	}{{"from", &e.From}, {"to", &e.To}} {
		x.ref.Ref, x.ref.Label = strings.TrimSpace(x.ref.Ref), strings.TrimSpace(x.ref.Label)
		if !refKinds[x.ref.Kind] {
			f.Add(x.name+".kind", "must be source, resource or dataset", "须为 source、resource、dataset 之一")
		}
		if x.ref.Ref == "" || utf8.RuneCountInString(x.ref.Ref) > 200 {
			f.Add(x.name+".ref", "must be 1 to 200 characters", "须为1至200个字")
		}
		if utf8.RuneCountInString(x.ref.Label) > 200 {
			f.Add(x.name+".label", "must be at most 200 characters", "不能超过200个字")
		}
		if x.ref.Kind == KindResource {
			x.ref.Label = "" // resources show their catalog name
		}
	}
	e.Label, e.Note = strings.TrimSpace(e.Label), strings.TrimSpace(e.Note)
	if utf8.RuneCountInString(e.Label) > 200 {
		f.Add("label", "must be at most 200 characters", "不能超过200个字")
	}
	if utf8.RuneCountInString(e.Note) > maxNote {
		f.Add("note", fmt.Sprintf("must be at most %d characters", maxNote), fmt.Sprintf("不能超过%d个字", maxNote))
	}
	if e.From.ID() == e.To.ID() {
		f.Add("to", "an edge needs two different ends", "起点与终点不能相同")
	}
	return f.Err()
}

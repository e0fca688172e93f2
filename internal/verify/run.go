package verify

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// Run compares two datasets and stores the report (authz.VerifyRun on
// both sides' organisations). Sides naming a catalog resource get its
// providing organisation as OrgID.
func (s *Service) Run(ctx context.Context, req Request) (*Run, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !canRun(p) {
		return nil, authz.Denied()
	}
	var f apperr.Fields
	for _, x := range []struct {
		name string
		side *Side
	}{{"a", &req.A}, {"b", &req.B}} {
		if x.side.ResourceID == "" {
			continue
		}
		var org string
		err := s.db.QueryRowContext(ctx, `SELECT org_id FROM resources WHERE id = ?`, x.side.ResourceID).Scan(&org)
		switch {
		case store.IsNoRows(err):
			f.Add(x.name+".resource_id", "no such resource", "资源不存在")
		case err != nil:
			return nil, fmt.Errorf("verify: resource of side %s: %w", x.name, err)
		case x.side.OrgID != "" && x.side.OrgID != org:
			f.Add(x.name+".org_id", "is not the resource's provider", "不是该资源的提供方")
		default:
			x.side.OrgID = org
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !canRun(p, req.A.OrgID, req.B.OrgID) {
		return nil, authz.Denied()
	}
	rep, err := Compare(ctx, s.records, req)
	if err != nil {
		return nil, err
	}
	js, err := json.Marshal(rep)
	if err != nil {
		return nil, fmt.Errorf("verify: encode report: %w", err)
	}
	run := &Run{ID: uuid.NewString(), NodeID: p.NodeID, OrgID: p.OrgID,
		ResourceA: req.A.ResourceID, ResourceB: req.B.ResourceID, OrgA: req.A.OrgID, OrgB: req.B.OrgID,
		DatasetA: rep.A.Dataset, VersionA: rep.A.Version, DatasetB: rep.B.Dataset, VersionB: rep.B.Version,
		Key: rep.Key, Authoritative: rep.Authoritative, RowsA: rep.A.Rows, RowsB: rep.B.Rows,
		MatchedKeys: rep.MatchedKeys, OnlyA: rep.OnlyA, OnlyB: rep.OnlyB, ConflictingKeys: rep.ConflictingKeys,
		Method: rep.Method, DurationMS: rep.DurationMS, CreatedBy: p.UserID, CreatedByName: p.Username,
		CreatedAt: s.now().UTC()}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO verification_runs (id, node_id, org_id, resource_a, resource_b, org_a, org_b,
			dataset_a, version_a, dataset_b, version_b, key_name, authoritative, rows_a, rows_b, matched_keys, only_a, only_b,
			conflicting_keys, method, duration_ms, report, created_by, created_by_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			run.ID, run.NodeID, run.OrgID, run.ResourceA, run.ResourceB, run.OrgA, run.OrgB,
			run.DatasetA, run.VersionA, run.DatasetB, run.VersionB, run.Key, run.Authoritative, run.RowsA, run.RowsB,
			run.MatchedKeys, run.OnlyA, run.OnlyB, run.ConflictingKeys, run.Method, run.DurationMS, string(js),
			run.CreatedBy, run.CreatedByName, store.FormatTime(run.CreatedAt))
		if err != nil {
			return fmt.Errorf("verify: store run: %w", err)
		}
		// The log keeps the summary: the sample holds personal data.
		return actionlog.Append(ctx, tx, run.CreatedAt, "verification.run", "verification_run", run.ID, run.OrgID, nil, run)
	})
	if err != nil {
		return nil, err
	}
	run.Report = rep
	return run, nil
}

const runColumns = `id, node_id, org_id, resource_a, resource_b, org_a, org_b, dataset_a, version_a, dataset_b, version_b,
	key_name, authoritative, rows_a, rows_b, matched_keys, only_a, only_b, conflicting_keys, method, duration_ms,
	created_by, created_by_name, created_at`

func scanRun(sc interface{ Scan(...any) error }, extra ...any) (*Run, error) {
	var r Run
	var at string
	dest := append([]any{&r.ID, &r.NodeID, &r.OrgID, &r.ResourceA, &r.ResourceB, &r.OrgA, &r.OrgB, &r.DatasetA, &r.VersionA,
		&r.DatasetB, &r.VersionB, &r.Key, &r.Authoritative, &r.RowsA, &r.RowsB, &r.MatchedKeys, &r.OnlyA, &r.OnlyB,
		&r.ConflictingKeys, &r.Method, &r.DurationMS, &r.CreatedBy, &r.CreatedByName, &at}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	r.CreatedAt = store.ParseTime(at)
	return &r, nil
}

// Get returns a stored run with its report.
func (s *Service) Get(ctx context.Context, id string) (*Run, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	var js string
	r, err := scanRun(s.db.QueryRowContext(ctx, `SELECT `+runColumns+`, report FROM verification_runs WHERE id = ?`, id), &js)
	if store.IsNoRows(err) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("verify: get run %s: %w", id, err)
	}
	if !canRead(p, r) {
		return nil, notFound(id)
	}
	r.Report = &Report{}
	if err := json.Unmarshal([]byte(js), r.Report); err != nil {
		return nil, fmt.Errorf("verify: decode run %s: %w", id, err)
	}
	return r, nil
}

// List returns the runs the caller may read, newest first, without their
// reports.
func (s *Service) List(ctx context.Context, f RunFilter) ([]Run, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q := `SELECT ` + runColumns + ` FROM verification_runs WHERE 1=1`
	var args []any
	if f.ResourceID != "" {
		q += ` AND (resource_a = ? OR resource_b = ?)`
		args = append(args, f.ResourceID, f.ResourceID)
	}
	if f.OrgID != "" {
		q += ` AND (org_id = ? OR org_a = ? OR org_b = ?)`
		args = append(args, f.OrgID, f.OrgID, f.OrgID)
	}
	if !p.CanAny(authz.VerifyRead) {
		if !p.Can(authz.VerifyRead, p.OrgID) {
			return nil, authz.Denied()
		}
		q += ` AND (org_id = ? OR org_a = ? OR org_b = ?)`
		args = append(args, p.OrgID, p.OrgID, p.OrgID)
	}
	q += ` ORDER BY created_at DESC, id LIMIT ? OFFSET ?`
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("verify: list runs: %w", err)
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("verify: list runs: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// RequestOf returns the request that repeats the comparison of rep on the
// sides' current versions.
func RequestOf(rep *Report) Request {
	req := Request{
		A:             Side{Dataset: rep.A.Dataset, ResourceID: rep.A.ResourceID, OrgID: rep.A.OrgID},
		B:             Side{Dataset: rep.B.Dataset, ResourceID: rep.B.ResourceID, OrgID: rep.B.OrgID},
		Key:           Field{Name: rep.Key, A: rep.A.KeyColumn, B: rep.B.KeyColumn},
		Authoritative: rep.Authoritative, SampleLimit: rep.SampleLimit,
	}
	for _, a := range rep.Attributes {
		req.Attributes = append(req.Attributes, Field{Name: a.Name, A: a.ColumnA, B: a.ColumnB})
	}
	return req
}

// Recheck repeats a stored run's comparison on the current versions of its
// datasets and returns the new report, without storing it: anyone who may
// read the run may re-check it (rectify uses it to verify fixes).
func (s *Service) Recheck(ctx context.Context, runID string) (*Report, error) {
	run, err := s.Get(ctx, runID)
	if err != nil {
		return nil, err
	}
	return Compare(ctx, s.records, RequestOf(run.Report))
}

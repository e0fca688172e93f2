package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// Validate normalises, grades and checks r as it would be saved, without
// saving: the portal's inline validation. It returns all findings.
func (s *Service) Validate(ctx context.Context, r Resource) ([]Finding, error) {
	if _, err := authz.Require(ctx); err != nil {
		return nil, err
	}
	Normalize(&r)
	Grade(&r)
	return Check(&r, s.reference()), nil
}

// Create registers a new resource as a draft of the caller's organisation
// (or, for platform administrators, of r.OrgID).
func (s *Service) Create(ctx context.Context, r Resource) (*Resource, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if r.OrgID == "" {
		r.OrgID = p.OrgID
	}
	if !p.Can(authz.CatalogWrite, r.OrgID) {
		return nil, authz.Denied()
	}
	if err := s.prepare(&r); err != nil {
		return nil, err
	}
	now := s.now()
	r.ID = uuid.Must(uuid.NewV7()).String()
	r.Status, r.Version, r.PublishedVersion = Draft, 1, 0
	r.CreatedBy, r.CreatedAt, r.UpdatedAt = p.Username, now, now
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		code, err := nextCode(ctx, tx, r.ClassCode)
		if err != nil {
			return err
		}
		r.Code = code
		doc, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := insertResource(ctx, tx, &r); err != nil {
			return err
		}
		if err := insertVersion(ctx, tx, &r, "create", "", p.UserID, p.Username, doc, nil); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, now, "resource.create", "resource", r.ID, r.OrgID, nil, json.RawMessage(doc))
	})
	if err != nil {
		return nil, err
	}
	s.indexOne(ctx, &r)
	return &r, nil
}

// prepare fills what the owner organisation determines, normalises, grades
// and refuses r when a conformance error remains.
func (s *Service) prepare(r *Resource) error {
	o, ok := s.org(r.OrgID)
	if !ok {
		return apperr.New(apperr.Invalid, "unknown organisation", "单位不存在").With("org_id", "no such organisation", "单位不存在")
	}
	r.OrgName, r.ProviderCode, r.NodeID, r.RegionCode = o.name, o.providerCode, o.nodeID, o.region
	Normalize(r)
	Grade(r)
	return Errors(Check(r, s.reference()))
}

// Update changes a resource's content. Allowed while it is a draft, was
// returned, or is published (a published entry stays visible at its
// published version until the revision is published in turn).
func (s *Service) Update(ctx context.Context, id string, in Resource, reason string) (*Resource, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	var out *Resource
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := loadResource(ctx, tx, id)
		if err != nil {
			return err
		}
		if !p.Can(authz.CatalogWrite, cur.OrgID) {
			if p.Can(authz.CatalogReadDraft, cur.OrgID) || cur.PublishedVersion > 0 {
				return authz.Denied()
			}
			return apperr.NotFoundf("resource", id)
		}
		if !slices.Contains([]Status{Draft, Returned, Published}, cur.Status) {
			return apperr.New(apperr.Conflict,
				fmt.Sprintf("a %s resource cannot be edited; it must be returned first", cur.Status),
				fmt.Sprintf("处于「%s」状态的资源不能修改,须先退回", StatusNames.Label(string(cur.Status), "zh")))
		}
		next := in
		// Identity, ownership and bookkeeping are not the editor's to change.
		next.ID, next.Code, next.OrgID, next.CreatedBy, next.CreatedAt = cur.ID, cur.Code, cur.OrgID, cur.CreatedBy, cur.CreatedAt
		if next.ClassCode != cur.ClassCode && cur.PublishedVersion > 0 {
			return apperr.New(apperr.Invalid, "the classification of a published resource is fixed", "已发布资源的分类不可更改").
				With("class_code", "cannot change after publication", "发布后不可更改")
		}
		if err := s.prepare(&next); err != nil {
			return err
		}
		if next.ClassCode != cur.ClassCode {
			code, err := nextCode(ctx, tx, next.ClassCode)
			if err != nil {
				return err
			}
			next.Code = code
		}
		next.Status = cur.Status
		if cur.Status == Published || cur.Status == Returned {
			next.Status = Draft
		}
		next.Version, next.PublishedVersion, next.UpdatedAt = cur.Version+1, cur.PublishedVersion, s.now()
		diff := Diff(cur, &next)
		if len(diff) == 0 {
			out = cur
			return nil
		}
		doc, err := json.Marshal(next)
		if err != nil {
			return err
		}
		if err := updateResource(ctx, tx, &next, !slices.Equal(itemKeys(cur), itemKeys(&next))); err != nil {
			return err
		}
		if next.Code != cur.Code {
			if _, err := tx.ExecContext(ctx, `UPDATE resources SET code = ? WHERE id = ?`, next.Code, next.ID); err != nil {
				return err
			}
		}
		if err := insertVersion(ctx, tx, &next, "update", reason, p.UserID, p.Username, doc, diff); err != nil {
			return err
		}
		out = &next
		return actionlog.Append(ctx, tx, next.UpdatedAt, "resource.update", "resource", id, next.OrgID, diff, nil)
	})
	if err != nil {
		return nil, err
	}
	s.indexOne(ctx, out)
	return out, nil
}

func itemKeys(r *Resource) []string {
	out := make([]string, len(r.Items))
	for i, it := range r.Items {
		out[i] = it.Code + "\x00" + it.Name + "\x00" + it.DataType + "\x00" + it.Element + "\x00" + it.Category + "\x00" + it.Sensitivity
	}
	return out
}

// Get returns a resource as the caller may see it: the working copy for
// those who may read the owner's drafts, else the published version. An
// entry the caller may not see is not found.
func (s *Service) Get(ctx context.Context, id string) (*Resource, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	r, err := loadResource(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if p.Can(authz.CatalogReadDraft, r.OrgID) {
		return r, nil
	}
	if r.PublishedVersion > 0 && r.Status != Retired && p.CanSome(authz.CatalogRead) {
		return s.versionDoc(ctx, id, r.PublishedVersion)
	}
	return nil, apperr.NotFoundf("resource", id)
}

// GetByCode returns a resource by its code, as Get does.
func (s *Service) GetByCode(ctx context.Context, code string) (*Resource, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM resources WHERE code = ?`, code).Scan(&id)
	if store.IsNoRows(err) {
		return nil, apperr.NotFoundf("resource", code)
	}
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

func (s *Service) versionDoc(ctx context.Context, id string, version int) (*Resource, error) {
	var doc string
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM resource_versions WHERE resource_id = ? AND version = ?`, id, version).Scan(&doc)
	if store.IsNoRows(err) {
		return nil, apperr.NotFoundf("version", fmt.Sprintf("%s@%d", id, version))
	}
	if err != nil {
		return nil, err
	}
	var r Resource
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Version is one entry of a resource's history.
type Version struct {
	Version    int       `json:"version"`
	Status     Status    `json:"status"`
	Action     string    `json:"action"`
	Reason     string    `json:"reason,omitempty"`
	AuthorName string    `json:"author"`
	At         string    `json:"at"`
	Diff       []Change  `json:"diff"`
	Resource   *Resource `json:"resource,omitempty"`
}

// History lists a resource's versions, newest first. Callers who may only
// see published entries see the versions that were published.
func (s *Service) History(ctx context.Context, id string) ([]Version, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	r, err := loadResource(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	where := ``
	if !p.Can(authz.CatalogReadDraft, r.OrgID) {
		if r.PublishedVersion == 0 {
			return nil, apperr.NotFoundf("resource", id)
		}
		where = ` AND action = 'publish'`
	}
	rows, err := s.db.QueryContext(ctx, `SELECT version, status, action, reason, author_name, at, diff FROM resource_versions
		WHERE resource_id = ?`+where+` ORDER BY version DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", id, err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var status, diff string
		if err := rows.Scan(&v.Version, &status, &v.Action, &v.Reason, &v.AuthorName, &v.At, &diff); err != nil {
			return nil, err
		}
		v.Status = Status(status)
		_ = json.Unmarshal([]byte(diff), &v.Diff)
		out = append(out, v)
	}
	return out, rows.Err()
}

// VersionOf returns one past version in full.
func (s *Service) VersionOf(ctx context.Context, id string, version int) (*Version, error) {
	hist, err := s.History(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, v := range hist {
		if v.Version == version {
			r, err := s.versionDoc(ctx, id, version)
			if err != nil {
				return nil, err
			}
			v.Resource = r
			return &v, nil
		}
	}
	return nil, apperr.NotFoundf("version", fmt.Sprintf("%s@%d", id, version))
}

// Transition actions of the review lifecycle.
const (
	ActSubmit     = "submit"
	ActReturn     = "return"
	ActOrgApprove = "org_approve"
	ActApprove    = "approve"
	ActPublish    = "publish"
	ActRetire     = "retire"
)

type transition struct {
	from   []Status
	to     Status
	action authz.Action
	reason bool // a reason is required
}

var transitions = map[string]transition{
	ActSubmit:     {from: []Status{Draft, Returned}, to: Submitted, action: authz.CatalogWrite},
	ActOrgApprove: {from: []Status{Submitted}, to: OrgApproved, action: authz.CatalogReviewOrg},
	ActApprove:    {from: []Status{OrgApproved}, to: Approved, action: authz.CatalogReviewPlat},
	ActPublish:    {from: []Status{Approved}, to: Published, action: authz.CatalogReviewPlat},
	ActRetire:     {from: []Status{Published}, to: Retired, action: authz.CatalogRetire, reason: true},
	ActReturn:     {from: []Status{Submitted, OrgApproved, Approved}, to: Returned, reason: true},
}

// Transition moves a resource through the lifecycle: draft -> submitted ->
// returned (with reasons) | approved by the organisation's reviewer ->
// approved by the platform -> published -> retired.
func (s *Service) Transition(ctx context.Context, id, action, reason string) (*Resource, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	t, ok := transitions[action]
	if !ok {
		return nil, apperr.New(apperr.Invalid, "unknown action", "未知操作").
			With("action", "must be submit, return, org_approve, approve, publish or retire", "须为 submit、return、org_approve、approve、publish、retire 之一")
	}
	reason = strings.TrimSpace(reason)
	if t.reason && reason == "" {
		return nil, apperr.New(apperr.Invalid, "a reason is required", "须填写理由").With("reason", "is required for "+action, "此操作须填写理由")
	}
	var out *Resource
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := loadResource(ctx, tx, id)
		if err != nil {
			return err
		}
		need := t.action
		if action == ActReturn {
			need = authz.CatalogReviewOrg
			if cur.Status != Submitted {
				need = authz.CatalogReviewPlat
			}
		}
		if !p.Can(need, cur.OrgID) {
			if !p.Can(authz.CatalogReadDraft, cur.OrgID) && cur.PublishedVersion == 0 {
				return apperr.NotFoundf("resource", id)
			}
			return authz.Denied()
		}
		if !slices.Contains(t.from, cur.Status) {
			return apperr.New(apperr.Conflict,
				fmt.Sprintf("cannot %s a resource that is %s", action, cur.Status),
				fmt.Sprintf("资源当前为「%s」,不能执行此操作", StatusNames.Label(string(cur.Status), "zh")))
		}
		if action == ActSubmit {
			// Submission re-checks against the current standard.
			Grade(cur)
			if err := Errors(Check(cur, s.reference())); err != nil {
				return err
			}
		}
		next := *cur
		next.Status, next.Version, next.UpdatedAt = t.to, cur.Version+1, s.now()
		switch action {
		case ActPublish:
			next.PublishedVersion = next.Version
		case ActRetire:
			next.PublishedVersion = 0
		}
		doc, err := json.Marshal(next)
		if err != nil {
			return err
		}
		if err := updateResource(ctx, tx, &next, false); err != nil {
			return err
		}
		if err := insertVersion(ctx, tx, &next, action, reason, p.UserID, p.Username, doc, Diff(cur, &next)); err != nil {
			return err
		}
		if action == ActPublish {
			if err := resolveEvents(ctx, tx, &next, s.now()); err != nil {
				return err
			}
		}
		out = &next
		return actionlog.Append(ctx, tx, next.UpdatedAt, "resource."+action, "resource", id, next.OrgID,
			map[string]any{"status": cur.Status}, map[string]any{"status": next.Status, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	s.indexOne(ctx, out)
	return out, nil
}

// Allowed is one lifecycle action a principal may take on a resource now.
type Allowed struct {
	Action string `json:"action"`
	Reason bool   `json:"reason_required"`
}

// AllowedActions lists the transitions p may take on r in its current
// status, from the same table Transition enforces, so edges offer exactly
// what will be accepted.
func AllowedActions(p *authz.Principal, r *Resource) []Allowed {
	var out []Allowed
	for _, action := range []string{ActSubmit, ActOrgApprove, ActApprove, ActPublish, ActReturn, ActRetire} {
		t := transitions[action]
		if !slices.Contains(t.from, r.Status) {
			continue
		}
		need := t.action
		if action == ActReturn {
			need = authz.CatalogReviewOrg
			if r.Status != Submitted {
				need = authz.CatalogReviewPlat
			}
		}
		if p.Can(need, r.OrgID) {
			out = append(out, Allowed{Action: action, Reason: t.reason})
		}
	}
	return out
}

// Editable reports whether p may edit r's content now.
func Editable(p *authz.Principal, r *Resource) bool {
	return p.Can(authz.CatalogWrite, r.OrgID) && slices.Contains([]Status{Draft, Returned, Published}, r.Status)
}

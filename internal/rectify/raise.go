package rectify

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/store"
	"github.com/pubdata/pubdata/internal/verify"
)

// Raise opens a ticket for an issue a consumer found in a record or
// column of a provider's data.
func (s *Service) Raise(ctx context.Context, in Issue) (*Ticket, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !canRaise(p, SourceConsumer) {
		return nil, authz.Denied()
	}
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	var f apperr.Fields
	if in.Title == "" {
		f.Add("title", "is required", "不能为空")
	} else if utf8.RuneCountInString(in.Title) > 200 {
		f.Add("title", "must be at most 200 characters", "不能超过200个字")
	}
	if utf8.RuneCountInString(in.Description) > 4000 {
		f.Add("description", "must be at most 4000 characters", "不能超过4000个字")
	}
	if in.Affected < 0 {
		f.Add("affected", "must not be negative", "不能为负数")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	t := &Ticket{Source: SourceConsumer, OrgID: in.OrgID, ResourceID: in.ResourceID, Dataset: in.Dataset,
		RecordKey: in.RecordKey, Item: in.Item, Title: in.Title, Description: in.Description, Affected: in.Affected}
	out, err := s.open(ctx, p, in.DeadlineDays, t)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// FromLoad opens a ticket to the provider of resourceID for the rows a
// load rejected (the platform: authz.RectifyHandle in every
// organisation).
func (s *Service) FromLoad(ctx context.Context, resourceID string, res *ingest.Result) (*Ticket, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !canRaise(p, SourceRule) {
		return nil, authz.Denied()
	}
	if res == nil || res.RowsRejected == 0 {
		return nil, apperr.New(apperr.Invalid, "the load rejected no rows", "该次加载没有未通过质量规则的数据")
	}
	detail, err := json.Marshal(map[string]any{
		"rows_read": res.RowsRead, "rows_rejected": res.RowsRejected, "rejections": res.Rejections,
		"quarantine": filepath.Base(res.QuarantinePath),
	})
	if err != nil {
		return nil, err
	}
	t := &Ticket{Source: SourceRule, ResourceID: resourceID, Dataset: res.Dataset, LoadID: res.LoadID,
		Title:    fmt.Sprintf("%s 的加载 %s 有 %d 行数据未通过质量规则", s.resourceLabel(ctx, resourceID), res.LoadID, res.RowsRejected),
		TitleEN:  fmt.Sprintf("Load %s of %s: %d rows failed the quality rules", res.LoadID, s.resourceLabel(ctx, resourceID), res.RowsRejected),
		Detail:   detail,
		Affected: res.RowsRejected}
	out, err := s.open(ctx, p, 0, t)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// sampleInTicket is how many of a run's sample conflicts a ticket keeps.
const sampleInTicket = 20

// FromVerification opens tickets for the conflicts of a verification run
// (read with its report): one to the provider of the side that is not
// authoritative, or one to each provider when neither side is (the
// platform, as FromLoad).
func (s *Service) FromVerification(ctx context.Context, run *verify.Run) ([]*Ticket, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if !canRaise(p, SourceVerification) {
		return nil, authz.Denied()
	}
	if run == nil || run.Report == nil {
		return nil, apperr.New(apperr.Invalid, "the verification run has no report", "校核记录缺少校核报告")
	}
	if run.ConflictingKeys == 0 {
		return nil, apperr.New(apperr.Invalid, "the verification run found no conflicts", "该次校核未发现不一致的数据")
	}
	type target struct {
		side, org, resource, dataset, other string // dataset and other: the resources' labels
	}
	labelA, labelB := s.resourceLabel(ctx, run.ResourceA), s.resourceLabel(ctx, run.ResourceB)
	a := target{verify.SideA, run.OrgA, run.ResourceA, labelA, labelB}
	b := target{verify.SideB, run.OrgB, run.ResourceB, labelB, labelA}
	targets := map[string][]target{verify.SideA: {b}, verify.SideB: {a}, "": {a, b}}[run.Authoritative]
	rep := run.Report
	var items []string
	for _, at := range rep.Attributes {
		if at.Conflicts > 0 {
			items = append(items, at.Name)
		}
	}
	sample := rep.Sample[:min(len(rep.Sample), sampleInTicket)]
	var tickets []*Ticket
	var f apperr.Fields
	for _, tg := range targets {
		if tg.org == "" {
			f.Add("org_"+tg.side, "the run's side "+tg.side+" names no providing organisation", "校核记录的"+tg.side+"方未关联数据提供方")
			continue
		}
		detail, err := json.Marshal(map[string]any{
			"run_id": run.ID, "side": tg.side, "authoritative": run.Authoritative, "compared_with": tg.other,
			"key": rep.Key, "attributes": rep.Attributes, "sample": sample,
		})
		if err != nil {
			return nil, err
		}
		ds := run.DatasetA
		if tg.side == verify.SideB {
			ds = run.DatasetB
		}
		tickets = append(tickets, &Ticket{Source: SourceVerification, OrgID: tg.org, ResourceID: tg.resource, Dataset: ds,
			RunID: run.ID, Item: strings.Join(items, ","),
			Title: fmt.Sprintf("多源校核：%s 有 %d 个%s的数据与 %s 不一致", tg.dataset, run.ConflictingKeys, rep.Key, tg.other),
			TitleEN: fmt.Sprintf("Multi-source verification: %d keys (%s) of %s disagree with %s",
				run.ConflictingKeys, rep.Key, tg.dataset, tg.other),
			Detail: detail, Affected: run.ConflictingKeys})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return s.open(ctx, p, 0, tickets...)
}

// open stores new tickets, in one transaction, with their provider
// (from the resource when one is named), deadline and first event.
func (s *Service) open(ctx context.Context, p *authz.Principal, days int, ts ...*Ticket) ([]*Ticket, error) {
	if days == 0 {
		days = DefaultDeadlineDays
	}
	if days < 1 || days > 60 {
		return nil, apperr.New(apperr.Invalid, "validation failed", "校验未通过").
			With("deadline_days", "must be between 1 and 60 working days", "须为1至60个工作日")
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, t := range ts {
			if err := providerOf(ctx, tx, t); err != nil {
				return err
			}
			t.ID = uuid.NewString()
			t.RaisedOrgID, t.RaisedBy, t.RaisedByName = p.OrgID, p.UserID, p.Username
			t.Status, t.CreatedAt, t.UpdatedAt = Open, now, now
			t.Deadline = cal.AddWorkdays(now, days).UTC().Truncate(time.Microsecond)
			if err := insertTicket(ctx, tx, t); err != nil {
				return err
			}
			e := Event{Action: ActRaise, To: Open, OrgID: p.OrgID, ActorID: p.UserID, ActorName: p.Username, At: now}
			if err := appendEvent(ctx, tx, t.ID, &e, t.NodeID); err != nil {
				return err
			}
			if err := actionlog.Append(ctx, tx, now, "rectification.raise", "rectification_ticket", t.ID, t.OrgID, nil, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*Ticket, len(ts))
	for i, t := range ts {
		if out[i], err = s.get(ctx, t.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// providerOf sets the ticket's organisation and node: the resource's
// provider when a resource is named, else the organisation given.
func providerOf(ctx context.Context, q store.Querier, t *Ticket) error {
	if t.ResourceID != "" {
		var org, node string
		err := q.QueryRowContext(ctx, `SELECT org_id, node_id FROM resources WHERE id = ?`, t.ResourceID).Scan(&org, &node)
		if store.IsNoRows(err) {
			return apperr.New(apperr.Invalid, "validation failed", "校验未通过").With("resource_id", "no such resource", "资源不存在")
		}
		if err != nil {
			return fmt.Errorf("rectify: provider of %s: %w", t.ResourceID, err)
		}
		if t.OrgID != "" && t.OrgID != org {
			return apperr.New(apperr.Invalid, "validation failed", "校验未通过").
				With("org_id", "is not the resource's provider", "不是该资源的提供方")
		}
		t.OrgID, t.NodeID = org, node
		return nil
	}
	if t.OrgID == "" {
		return apperr.New(apperr.Invalid, "validation failed", "校验未通过").
			With("resource_id", "name the resource or the providing organisation", "请指定资源或数据提供方")
	}
	err := q.QueryRowContext(ctx, `SELECT node_id FROM organisations WHERE id = ?`, t.OrgID).Scan(&t.NodeID)
	if store.IsNoRows(err) {
		return apperr.New(apperr.Invalid, "validation failed", "校验未通过").With("org_id", "no such organisation", "组织机构不存在")
	}
	if err != nil {
		return fmt.Errorf("rectify: organisation %s: %w", t.OrgID, err)
	}
	return nil
}

// resourceLabel names a resource in ticket titles: 名称（代码）, or its id
// when it cannot be read.
func (s *Service) resourceLabel(ctx context.Context, id string) string {
	var name, code string
	if err := s.db.QueryRowContext(ctx, `SELECT name, code FROM resources WHERE id = ?`, id).Scan(&name, &code); err != nil {
		return id
	}
	return name + "（" + code + "）"
}

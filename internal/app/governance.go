package app

import (
	"context"
	"fmt"
	"time"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/lineage"
	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/verify"
)

// Governance wiring: the verification, rectification and lineage
// services, what a succeeded load adds to them (lineage edges, a rule
// ticket for its rejected rows), and the escalation pass.

// platform is the organisation operating the node (user admin's): the
// raiser of the tickets the platform opens by itself.
type platform struct {
	org, node string
}

// escalation is the running escalation pass.
type escalation struct {
	stop context.CancelFunc
	done chan struct{}
}

func (a *App) initGovernance(ctx context.Context) error {
	a.Lineage = lineage.New(a.DB, a.cfg.Now)
	var recheck rectify.Verifier
	if a.Records != nil {
		a.Verify = verify.New(a.DB, a.Records, a.cfg.Now)
		recheck = rectify.RecheckVerification(a.Verify)
	}
	a.Rectify = rectify.New(a.DB, rectify.Config{Now: a.cfg.Now, Calendar: a.Catalog.Calendar, Verifier: recheck, Log: a.cfg.Log})
	admin, err := a.Identity.UserByName(ctx, "admin")
	if err != nil {
		return fmt.Errorf("the platform's organisation: %w", err)
	}
	a.platform = platform{org: admin.OrgID, node: admin.NodeID}
	return nil
}

// system is who the node's own work acts as in organisation org: a
// platform administrator named system.
func system(org, node string) *authz.Principal {
	return &authz.Principal{UserID: "system", Username: "system", DisplayName: "系统", OrgID: org, NodeID: node,
		Roles: []authz.Role{authz.PlatformAdmin}}
}

// chainLoadHook runs the governance hook after next (a hook the caller
// configured), if any.
func (a *App) chainLoadHook(next func(context.Context, *aggregate.Load, *ingest.Result)) func(context.Context, *aggregate.Load, *ingest.Result) {
	return func(ctx context.Context, l *aggregate.Load, res *ingest.Result) {
		if next != nil {
			next(ctx, l, res)
		}
		a.loadSucceeded(ctx, l, res)
	}
}

// loadSucceeded records where a load's data came from and, when it
// rejected rows, raises a rule ticket to the provider.
func (a *App) loadSucceeded(ctx context.Context, l *aggregate.Load, res *ingest.Result) {
	log := a.cfg.Log.With("load", l.ID, "org", l.OrgID)
	if err := a.recordLoadLineage(ctx, l); err != nil {
		log.Warn("lineage of a load not recorded", "error", err)
	}
	if res.RowsRejected > 0 {
		if err := a.raiseRuleTicket(ctx, l, res); err != nil {
			log.Warn("rule ticket of a load not raised", "error", err)
		}
	}
}

// recordLoadLineage records two edges, each once: the load's source to
// the dataset (pull_source for database and HTTP pulls, load for uploads
// and pushes), and the resource to its dataset (load).
func (a *App) recordLoadLineage(ctx context.Context, l *aggregate.Load) error {
	sys := authz.WithPrincipal(ctx, system(l.OrgID, l.NodeID))
	dataset := lineage.Ref{Kind: lineage.KindDataset, Ref: l.Dataset, Label: l.ResourceCode + " 数据集"}
	src := lineage.Ref{Kind: lineage.KindSource}
	kind, label := lineage.EdgeLoad, ""
	switch l.SourceKind {
	case aggregate.SourceDB, aggregate.SourceHTTP:
		src.Ref, src.Label = "pull:"+l.SourceRef, l.SourceName
		if ps, err := a.Aggregate.PullSourceOf(sys, l.SourceRef); err == nil {
			src.Label = ps.Name
		}
		kind, label = lineage.EdgePullSource, map[string]string{aggregate.SourceDB: "数据库抽取", aggregate.SourceHTTP: "接口抽取"}[l.SourceKind]
	case aggregate.SourcePush:
		src.Ref, src.Label, label = "push:"+l.ResourceID, "推送接口 "+l.ResourceCode, "推送"
	default:
		src.Ref, src.Label, label = "upload:"+l.ResourceID, "文件上传 "+l.ResourceCode, "上传"
	}
	for _, e := range []lineage.Edge{
		{From: src, To: dataset, Kind: kind, Label: label},
		{From: lineage.Ref{Kind: lineage.KindResource, Ref: l.ResourceID}, To: dataset, Kind: lineage.EdgeLoad, Label: "汇聚"},
	} {
		if _, err := a.Lineage.Record(sys, e); err != nil {
			return err
		}
	}
	return nil
}

// raiseRuleTicket opens a rule ticket to the provider for the rows a load
// rejected, unless one for the resource is still open or acknowledged.
func (a *App) raiseRuleTicket(ctx context.Context, l *aggregate.Load, res *ingest.Result) error {
	sys := authz.WithPrincipal(ctx, system(a.platform.org, a.platform.node))
	pending, err := a.Rectify.List(sys, rectify.Filter{ResourceID: l.ResourceID, Source: rectify.SourceRule,
		Statuses: []rectify.Status{rectify.Open, rectify.Acknowledged}, Limit: 1})
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		a.cfg.Log.Info("rule ticket still pending; no new one", "load", l.ID, "ticket", pending[0].ID)
		return nil
	}
	t, err := a.Rectify.FromLoad(sys, l.ResourceID, res)
	if err != nil {
		return err
	}
	a.cfg.Log.Info("rule ticket raised", "load", l.ID, "ticket", t.ID, "org", t.OrgID, "rows_rejected", res.RowsRejected)
	return nil
}

// startEscalation escalates overdue tickets now and every
// Config.EscalateEvery until stopEscalation.
func (a *App) startEscalation(ctx context.Context) {
	if a.escalation.stop != nil || a.Rectify == nil || a.cfg.EscalateEvery < 0 {
		return
	}
	every := a.cfg.EscalateEvery
	if every <= 0 {
		every = time.Hour
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	a.escalation = escalation{stop: cancel, done: done}
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			a.escalate(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (a *App) escalate(ctx context.Context) {
	ts, err := a.Rectify.Escalate(ctx, a.cfg.Now())
	switch {
	case err != nil && ctx.Err() == nil:
		a.cfg.Log.Warn("escalate overdue rectification tickets", "error", err)
	case len(ts) > 0:
		a.cfg.Log.Info("overdue rectification tickets escalated", "tickets", len(ts))
	}
}

// stopEscalation stops the escalation pass and waits for it.
func (a *App) stopEscalation() {
	if a.escalation.stop == nil {
		return
	}
	a.escalation.stop()
	<-a.escalation.done
	a.escalation = escalation{}
}

// Package demo seeds a believable Fujian province for demonstrations and
// end-to-end tests: the city, department and exchange nodes, sixty
// organisations with their users, 1,200 catalog resources with their
// review histories in every lifecycle state, authoritative sources and
// update events with open, resolved and overdue clocks.
//
// Everything is drawn from a seeded random source, so the same options
// seed the same province (identifiers and password salts excepted).
package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/store"
)

// DefaultPassword is the demo users' password unless Options says
// otherwise.
const DefaultPassword = "Demo-Pass-2026"

// DefaultResources is the number of resources seeded unless Options says
// otherwise.
const DefaultResources = 1200

// Options configure Seed. The zero value seeds the default province.
type Options struct {
	Resources int          // number of catalog resources; default 1200 (never fewer than the provincial ones)
	Seed      int64        // random seed
	Now       time.Time    // the present of the seeded history; default time.Now()
	Password  string       // the demo users' password; default DefaultPassword
	Log       *slog.Logger // default slog.Default()
}

// marker is the action-log action recording that the demo was seeded.
const marker = "demo.seed"

// Seed seeds the demo province into a Fujian province node (region
// 350000) that has been bootstrapped. It is idempotent: when the demo has
// been seeded before it changes nothing and reports what is there.
// Organisations and users are created one by one (a run that stops part
// way is resumed), the resources, their histories, sources and events in
// one transaction.
func Seed(ctx context.Context, ident *identity.Service, cat *catalog.Service, db *store.DB, opts Options) (*Summary, error) {
	began := time.Now()
	if opts.Resources <= 0 {
		opts.Resources = DefaultResources
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	var done int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM action_log WHERE action = ?`, marker).Scan(&done); err != nil {
		return nil, fmt.Errorf("check demo marker: %w", err)
	}
	if done > 0 {
		sum, err := count(ctx, db, opts.Now)
		if err != nil {
			return nil, err
		}
		sum.AlreadySeeded = true
		opts.Log.Info("demo already seeded; nothing changed")
		return sum, nil
	}
	if err := checkProvince(ctx, ident); err != nil {
		return nil, err
	}
	rnd := rand.New(rand.NewPCG(uint64(opts.Seed), 0x350000))
	for _, n := range demoNodes() {
		if err := ident.PutNode(ctx, n); err != nil {
			return nil, err
		}
	}
	orgs, err := ensureOrgs(ctx, ident, rnd)
	if err != nil {
		return nil, err
	}
	if err := cat.LoadReference(ctx); err != nil {
		return nil, err
	}
	codes := []string{platformCode}
	for _, s := range orgSpecs {
		codes = append(codes, s.code)
	}
	if _, err := ensureUsers(ctx, ident, orgs, userSpecs(rnd, codes), opts.Password); err != nil {
		return nil, err
	}
	usersDone := time.Since(began)

	rs, err := buildResources(ctx, cat, rnd, orgs, opts)
	if err != nil {
		return nil, err
	}
	cal, err := cat.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	all := make([]identity.Organisation, 0, len(orgs))
	for _, c := range codes {
		all = append(all, orgs[c])
	}
	evs := planEvents(rnd, cal, opts.Now, rs, all)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if err := storeResources(ctx, tx, cat, rs); err != nil {
			return err
		}
		if _, err := insertSources(ctx, tx, rs); err != nil {
			return err
		}
		if err := insertEvents(ctx, tx, cal, evs); err != nil {
			return err
		}
		return actionlog.Append(ctx, tx, opts.Now, marker, "demo", "fujian", orgs[platformCode].ID, nil,
			map[string]any{"resources": len(rs), "seed": opts.Seed})
	})
	if err != nil {
		return nil, fmt.Errorf("seed demo resources: %w", err)
	}
	docs := make([]catalog.Resource, len(rs))
	for i := range rs {
		docs[i] = rs[i].r
	}
	if err := cat.IndexAll(ctx, docs); err != nil {
		return nil, fmt.Errorf("index demo resources: %w", err)
	}
	sum, err := count(ctx, db, opts.Now)
	if err != nil {
		return nil, err
	}
	sum.Elapsed = time.Since(began)
	opts.Log.Info("demo province seeded", "nodes", sum.Nodes, "organisations", sum.Organisations, "users", sum.Users,
		"resources", sum.Resources, "published", sum.ByStatus[catalog.Published], "pending_revisions", sum.PendingRevisions,
		"data_items", sum.DataItems, "versions", sum.Versions, "sources", sum.Sources, "events", sum.Events,
		"events_overdue", sum.EventsOverdue, "users_took", usersDone.Round(time.Millisecond), "took", sum.Elapsed.Round(time.Millisecond))
	return sum, nil
}

// checkProvince refuses to seed anything but a Fujian province node.
func checkProvince(ctx context.Context, ident *identity.Service) error {
	n, err := ident.LocalNode(ctx)
	if err != nil {
		return err
	}
	if n.ID != provinceNode {
		return fmt.Errorf("the demo seeds a Fujian province node (role province, region 350000); this node is %s (%s, %s)", n.ID, n.Role, n.RegionCode)
	}
	return nil
}

// buildResources plans and builds the resources with their histories.
func buildResources(ctx context.Context, cat *catalog.Service, rnd *rand.Rand, orgs map[string]identity.Organisation, opts Options) ([]seeded, error) {
	ref, err := reference(ctx, cat)
	if err != nil {
		return nil, err
	}
	cal, err := cat.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	plan, err := newPlanner(orgs).plan(opts.Resources, opts.Now.In(cst).Year())
	if err != nil {
		return nil, err
	}
	b := &builder{rnd: rnd, cal: cal, now: opts.Now, ref: ref}
	return b.build(plan)
}

// reference is the catalog's reference data for checks.
func reference(ctx context.Context, cat *catalog.Service) (catalog.Reference, error) {
	ref := catalog.Reference{Classifications: map[string]catalog.Classification{}, Elements: map[string]catalog.Element{},
		ElementByName: map[string]catalog.Element{}}
	cs, err := cat.Classifications(ctx)
	if err != nil {
		return ref, err
	}
	for _, c := range cs {
		ref.Classifications[c.Code] = c
	}
	els, err := cat.Elements(ctx)
	if err != nil {
		return ref, err
	}
	for _, e := range els {
		ref.Elements[e.Code] = e
		ref.ElementByName[e.Name] = e
	}
	return ref, nil
}

// storeResources allocates codes and stores every resource with its
// history. Provincial resources come first, so city copies can name them
// as related.
func storeResources(ctx context.Context, tx *store.Tx, cat *catalog.Service, rs []seeded) error {
	for i := range rs {
		s := &rs[i]
		code, err := catalog.NextCode(ctx, tx, s.r.ClassCode)
		if err != nil {
			return err
		}
		var related []string
		if b := s.in.base; b >= 0 && b < i {
			related = []string{rs[b].r.Code}
		}
		s.r.Code, s.r.Related = code, related
		for _, v := range s.hist {
			v.Resource.Code, v.Resource.Related = code, slices.Clone(related)
		}
		if err := cat.SeedResource(ctx, tx, &s.r, s.hist); err != nil {
			return fmt.Errorf("store %s (%s): %w", s.r.Name, strings.ToLower(s.r.ProviderCode), err)
		}
	}
	return nil
}

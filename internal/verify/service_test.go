package verify_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/verify"
)

func TestRunsAreStoredAndScoped(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		f := apptest.Seed(t, a)
		ctx := context.Background()
		rs := verify.RecordStores()[0].Open(t)
		verify.WriteVersion(t, rs, verify.PeopleSpec, records.Full, [][]any{
			{"110", "张三", "1990-01-01", "甲路1号"}, {"111", "李四", "1991-01-01", "乙路2号"},
		})
		verify.WriteVersion(t, rs, verify.LicenceSpec, records.Full, [][]any{
			{"L1", "110", "张三", "1990-01-01", "甲路1号"}, {"L2", "111", "李四", "1991-01-01", "乙路3号"},
		})
		resA, err := a.Catalog.Create(apptest.As(t, a, "a.editor"), apptest.Resource())
		if err != nil {
			t.Fatal(err)
		}
		other := apptest.Resource()
		other.Name = "社会保障卡持卡人信息"
		resB, err := a.Catalog.Create(apptest.As(t, a, "b.editor"), other)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		svc := verify.New(a.DB, rs, func() time.Time { return now })
		req := verify.Request{
			A:          verify.Side{Dataset: "people", ResourceID: resA.ID},
			B:          verify.Side{Dataset: "licences", ResourceID: resB.ID},
			Key:        verify.Field{Name: "公民身份号码", B: "身份证号"},
			Attributes: []verify.Field{{Name: "姓名"}, {Name: "户籍地址"}},
		}
		sources := []catalog.Source{{Element: "DE00001", RegionCode: "350000", ResourceID: resA.ID}}
		req.Authoritative = verify.AuthoritativeSide(sources, "DE00001", "350000", req.A, req.B)
		if req.Authoritative != verify.SideA {
			t.Errorf("AuthoritativeSide = %q, want a", req.Authoritative)
		}

		admin := apptest.As(t, a, "admin")
		if _, err := svc.Run(apptest.As(t, a, "a.editor"), req); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("editor Run = %v, want forbidden", err)
		}
		if _, err := svc.Run(ctx, req); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("anonymous Run = %v, want unauthenticated", err)
		}
		bad := req
		bad.B.ResourceID = "nope"
		if _, err := svc.Run(admin, bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("Run with an unknown resource = %v, want invalid", err)
		}
		run, err := svc.Run(admin, req)
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if run.OrgA != f.OrgA.ID || run.OrgB != f.OrgB.ID || run.MatchedKeys != 2 || run.ConflictingKeys != 1 || run.Authoritative != "a" {
			t.Errorf("Run = %+v, want orgs A and B, 2 matched, 1 conflicting, a authoritative", run)
		}
		got, err := svc.Get(admin, run.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if diff := cmp.Diff(run, got); diff != "" {
			t.Errorf("Get differs from Run (-run +get):\n%s", diff)
		}

		// Who sees the run: the platform, the auditor, the two providers' staff.
		tests := []struct {
			user     string
			wantList int
			wantGet  apperr.Kind
		}{
			{"admin", 1, ""},
			{"auditor", 1, ""},
			{"a.editor", 1, ""},
			{"b.reviewer", 1, ""},
			{"b.consumer", 0, apperr.NotFound},
		}
		for _, tt := range tests {
			t.Run(tt.user, func(t *testing.T) {
				uctx := apptest.As(t, a, tt.user)
				runs, err := svc.List(uctx, verify.RunFilter{ResourceID: resB.ID})
				if tt.wantList == 0 {
					if !apperr.Is(err, apperr.Forbidden) {
						t.Errorf("List = %v, want forbidden", err)
					}
				} else if err != nil || len(runs) != tt.wantList || runs[0].Report != nil {
					t.Errorf("List = %d runs (%v), want %d without reports", len(runs), err, tt.wantList)
				}
				_, err = svc.Get(uctx, run.ID)
				if tt.wantGet == "" && err != nil || tt.wantGet != "" && !apperr.Is(err, tt.wantGet) {
					t.Errorf("Get = %v, want %q", err, tt.wantGet)
				}
			})
		}
		if runs, err := svc.List(admin, verify.RunFilter{ResourceID: "other"}); err != nil || len(runs) != 0 {
			t.Errorf("List(other resource) = %d, %v; want none", len(runs), err)
		}
		log, err := actionlog.List(ctx, a.DB, actionlog.Filter{EntityType: "verification_run", EntityID: run.ID})
		if err != nil || len(log) != 1 || log[0].Action != "verification.run" || log[0].ActorName != "admin" {
			t.Errorf("action log = %+v, %v; want one verification.run by admin", log, err)
		}
	})
}

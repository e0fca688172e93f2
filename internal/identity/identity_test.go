package identity_test

import (
	"context"
	"testing"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/identity"
)

func TestLoginAndSessions(t *testing.T) {
	apptest.Each(t, func(t *testing.T, a *app.App) {
		apptest.Seed(t, a)
		ctx := context.Background()
		if _, err := a.Identity.Login(ctx, "a.editor", "wrong-password", identity.KindAPI); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("wrong password = %v, want unauthenticated", err)
		}
		if _, err := a.Identity.Login(ctx, "nobody", apptest.UserPassword, identity.KindAPI); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("unknown user = %v, want unauthenticated", err)
		}
		s, err := a.Identity.Login(ctx, "a.editor", apptest.UserPassword, identity.KindAPI)
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := a.Identity.Authenticate(ctx, s.Token, "")
		if err != nil || p.Username != "a.editor" || !p.HasRole(authz.CatalogEditor) {
			t.Fatalf("Authenticate = %+v, %v", p, err)
		}
		if _, _, err := a.Identity.Authenticate(ctx, s.Token, identity.KindWeb); err == nil {
			t.Error("an API token authenticated a web session")
		}
		// Changing roles ends the user's sessions.
		if _, err := a.Identity.SetRoles(apptest.As(t, a, "a.admin"), p.UserID, []authz.Role{authz.CatalogReviewer}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Identity.Authenticate(ctx, s.Token, ""); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("token after role change = %v, want unauthenticated", err)
		}
	})
}

func TestUserManagementIsScoped(t *testing.T) {
	a := apptest.Open(t, "", nil)
	f := apptest.Seed(t, a)
	orgAdmin := apptest.As(t, a, "a.admin")
	nu := identity.NewUser{Username: "a.new", DisplayName: "新用户", Password: "Strong-Pass-9", OrgID: f.OrgA.ID, Roles: []authz.Role{authz.CatalogEditor}}
	if _, err := a.Identity.CreateUser(orgAdmin, nu); err != nil {
		t.Fatalf("org admin creates in own org: %v", err)
	}
	other := nu
	other.Username, other.OrgID = "b.new", f.OrgB.ID
	if _, err := a.Identity.CreateUser(orgAdmin, other); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("org admin creates in another org = %v, want forbidden", err)
	}
	escalate := nu
	escalate.Username, escalate.Roles = "a.boss", []authz.Role{authz.PlatformAdmin}
	if _, err := a.Identity.CreateUser(orgAdmin, escalate); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("org admin grants platform_admin = %v, want invalid", err)
	}
	weak := nu
	weak.Username, weak.Password = "a.weak", "password"
	e := apperr.As(mustErr(a.Identity.CreateUser(orgAdmin, weak)))
	if e.Kind != apperr.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != "password" {
		t.Errorf("weak password = %v, want invalid password field", e)
	}
	if _, err := a.Identity.CreateUser(orgAdmin, nu); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("duplicate username = %v, want conflict", err)
	}
}

func mustErr(_ any, err error) error { return err }

func TestCreateOrgValidatesUSCC(t *testing.T) {
	a := apptest.Open(t, "", nil)
	admin := apptest.As(t, a, "admin")
	node, _ := a.Identity.LocalNode(context.Background())
	tests := []struct {
		name string
		give string
	}{
		{"too short", "91350000123"},
		{"bad check character", "91350000MA2XXXXXX0"},
		{"illegal letter I", "9135000I0000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Identity.CreateOrg(admin, identity.Organisation{NodeID: node.ID, Name: "测试单位", ProviderCode: "TEST",
				USCC: tt.give, Kind: "department", RegionCode: "350000"})
			e := apperr.As(err)
			if e.Kind != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "uscc" || e.Fields[0].ZH == "" {
				t.Errorf("CreateOrg(USCC %s) = %v, want one invalid uscc field with a Chinese message", tt.give, err)
			}
		})
	}
	if _, err := a.Identity.CreateOrg(apptest.As(t, a, "admin"), identity.Organisation{}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("empty org = %v, want invalid", err)
	}
}

func TestLoginIgnoresUsernameCaseAndPasswordChangeEndsSessions(t *testing.T) {
	a := apptest.Open(t, "", nil)
	apptest.Seed(t, a)
	ctx := context.Background()
	s, err := a.Identity.Login(ctx, " A.Editor ", apptest.UserPassword, identity.KindAPI)
	if err != nil {
		t.Fatalf("Login with upper-case username: %v", err)
	}
	p, _, err := a.Identity.Authenticate(ctx, s.Token, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Identity.SetPassword(authz.WithPrincipal(ctx, p), p.UserID, "Another-Pass-42"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Identity.Authenticate(ctx, s.Token, ""); !apperr.Is(err, apperr.Unauthenticated) {
		t.Errorf("token after password change = %v, want unauthenticated", err)
	}
}

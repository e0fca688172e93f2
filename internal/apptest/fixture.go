package apptest

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/uscc"
)

// UserPassword is the password of fixture users.
const UserPassword = "Fixture-Pass-1"

// Fixture is two organisations with a user per role.
type Fixture struct {
	OrgA, OrgB *identity.Organisation
}

// Fixture users: org A (省公安厅) has a.admin, a.editor, a.reviewer,
// a.security; org B (省人社厅) has b.editor, b.reviewer, b.consumer; and the
// platform-wide auditor.
func Seed(t testing.TB, a *app.App) *Fixture {
	t.Helper()
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(1, 2))
	node, err := a.Identity.LocalNode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name, code string) *identity.Organisation {
		o, err := a.Identity.SeedOrg(ctx, identity.Organisation{NodeID: node.ID, Name: name, ProviderCode: code,
			USCC: uscc.Generate(rnd, "350000"), Kind: "department", RegionCode: "350000"})
		if err != nil {
			t.Fatalf("SeedOrg(%s): %v", name, err)
		}
		return o
	}
	f := &Fixture{OrgA: mk("福建省公安厅", "SGAT"), OrgB: mk("福建省人力资源和社会保障厅", "SRST")}
	users := []struct {
		name string
		org  string
		role authz.Role
	}{
		{"a.admin", f.OrgA.ID, authz.OrgAdmin}, {"a.editor", f.OrgA.ID, authz.CatalogEditor},
		{"a.reviewer", f.OrgA.ID, authz.CatalogReviewer}, {"a.security", f.OrgA.ID, authz.SecurityOfficer},
		{"b.editor", f.OrgB.ID, authz.CatalogEditor}, {"b.reviewer", f.OrgB.ID, authz.CatalogReviewer},
		{"b.consumer", f.OrgB.ID, authz.DataConsumer}, {"auditor", f.OrgB.ID, authz.Auditor},
	}
	for _, u := range users {
		if _, err := a.Identity.SeedUser(ctx, identity.NewUser{Username: u.name, DisplayName: u.name, Password: UserPassword,
			OrgID: u.org, Roles: []authz.Role{u.role}}); err != nil {
			t.Fatalf("SeedUser(%s): %v", u.name, err)
		}
	}
	if err := a.Catalog.LoadReference(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

// Resource returns a valid entry: 居民身份证电子证照信息, conditionally shared.
func Resource() catalog.Resource {
	return catalog.Resource{
		Name: "居民身份证电子证照信息", ClassCode: "105001",
		Summary:     "全省居民身份证电子证照的基本信息,包括证照编号、持证人姓名、公民身份号码和有效期限,用于政务服务免提交。",
		FormatClass: "3", FormatType: "MySQL 库表",
		Items: []catalog.DataItem{
			{Name: "证照编号", Code: "ZZBH", DataType: "C", Length: 64, Required: true, PrimaryKey: true, Element: "DE00013", Category: "general", Sensitivity: "L2"},
			{Name: "姓名", Code: "XM", DataType: "C", Length: 50, Required: true, Element: "DE00002", Category: "general", Sensitivity: "L3"},
			{Name: "公民身份号码", Code: "GMSFHM", DataType: "C", Length: 18, Required: true, Element: "DE00001", Category: "important"},
			{Name: "有效期限", Code: "YXQX", DataType: "D", Length: 8, Category: "general"},
		},
		Share:       catalog.Share{Type: "2", Conditions: "仅限依法履职需要核验身份的部门", Method: "api"},
		Open:        catalog.Open{Type: "3"},
		UpdateCycle: "daily", ReleaseDate: "2026-01-15", System: "福建省电子证照库", Keywords: []string{"电子证照", "身份证"},
	}
}

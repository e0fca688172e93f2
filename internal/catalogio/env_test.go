package catalogio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pubdata/pubdata/internal/app"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/catalogio"
	"github.com/pubdata/pubdata/internal/identity"
	"github.com/pubdata/pubdata/internal/uscc"
)

// adminProvider is the provider code of the organisation a new node
// creates for its admin (region 350000).
const adminProvider = "DSJ350000"

// env is a node in a temporary data directory with user admin logged in.
type env struct {
	app   *app.App
	admin context.Context
	dir   string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	dir := t.TempDir()
	a, err := app.Open(context.Background(), app.Config{DataDir: dir, AdminPassword: "Test-Admin-Pass-1",
		Argon2: &identity.Argon2Params{Memory: 64, Time: 1, Threads: 1}, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("app.Open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return &env{app: a, admin: as(t, a, "admin"), dir: dir}
}

// as returns a context carrying user name's principal.
func as(t testing.TB, a *app.App, name string) context.Context {
	t.Helper()
	p, err := a.Identity.PrincipalOf(context.Background(), name)
	if err != nil {
		t.Fatalf("PrincipalOf(%s): %v", name, err)
	}
	return authz.WithPrincipal(context.Background(), p)
}

// count is the number of resources stored.
func (e *env) count(t testing.TB) int {
	t.Helper()
	var n int
	if err := e.app.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM resources`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// org registers an organisation and returns it.
func (e *env) org(t testing.TB, name, provider string) *identity.Organisation {
	t.Helper()
	rnd := rand.New(rand.NewPCG(uint64(len(provider)), uint64(provider[len(provider)-1])))
	o, err := e.app.Identity.CreateOrg(e.admin, identity.Organisation{NodeID: "node-350000", Name: name, ProviderCode: provider,
		USCC: uscc.Generate(rnd, "350100"), Kind: "department", RegionCode: "350100"})
	if err != nil {
		t.Fatalf("CreateOrg(%s): %v", name, err)
	}
	if err := e.app.Catalog.LoadReference(context.Background()); err != nil {
		t.Fatal(err)
	}
	return o
}

// user registers a user of org with roles and returns a context acting
// as them.
func (e *env) user(t testing.TB, name, orgID string, roles ...authz.Role) context.Context {
	t.Helper()
	if _, err := e.app.Identity.CreateUser(e.admin, identity.NewUser{Username: name, DisplayName: name,
		Password: "Test-User-Pass-1", OrgID: orgID, Roles: roles}); err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return as(t, e.app, name)
}

func (e *env) importFile(t testing.TB, ctx context.Context, data []byte, format string, opts catalog.ImportOptions) *catalog.ImportReport {
	t.Helper()
	rep, err := e.app.Transfer.Import(ctx, bytes.NewReader(data), format, opts)
	if err != nil {
		t.Fatalf("Import(%s): %v", format, err)
	}
	return rep
}

// classCodes are the leaf classifications of the default tree.
func classCodes() []string {
	var out []string
	for _, c := range catalog.DefaultClassifications {
		if len(c.Code) == 6 {
			out = append(out, c.Code)
		}
	}
	return out
}

func synthetic(t testing.TB, format string, n int, providers ...string) []byte {
	t.Helper()
	if len(providers) == 0 {
		providers = []string{adminProvider}
	}
	var buf bytes.Buffer
	if err := catalogio.WriteSynthetic(&buf, format, n, 7, providers, classCodes()); err != nil {
		t.Fatalf("WriteSynthetic(%s, %d): %v", format, n, err)
	}
	return buf.Bytes()
}

func csvRecords(s string) ([][]string, error) { return csv.NewReader(strings.NewReader(s)).ReadAll() }

package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/identity"
)

// userSpec is one demo user.
type userSpec struct {
	username, display, org string // org: provider code
	roles                  []authz.Role
}

// Platform-wide demo users, in the platform's organisation unless noted.
const consumerOrg = "SMZT"

var surnames = []rune("陈林黄张吴王李郑刘杨许蔡何洪庄苏周叶谢游")
var givenNames = []string{"志强", "晓燕", "建华", "丽娟", "文斌", "雅琴", "国平", "秀英", "明辉", "海燕", "俊杰", "婷婷",
	"伟东", "美玲", "少华", "丹青", "振宇", "静怡", "锦城", "惠敏", "榕生", "思源", "清泉", "闽生"}

func personName(rnd *rand.Rand) string {
	return string(surnames[rnd.IntN(len(surnames))]) + givenNames[rnd.IntN(len(givenNames))]
}

// userSpecs lists the demo users: <code>.admin, <code>.editor and
// <code>.reviewer of every organisation, then the platform-wide users.
func userSpecs(rnd *rand.Rand, codes []string) []userSpec {
	var out []userSpec
	for _, code := range codes {
		base := strings.ToLower(code)
		admin := userSpec{base + ".admin", personName(rnd), code, []authz.Role{authz.OrgAdmin}}
		editor := userSpec{base + ".editor", personName(rnd), code, []authz.Role{authz.CatalogEditor}}
		reviewer := userSpec{base + ".reviewer", personName(rnd), code, []authz.Role{authz.CatalogReviewer}}
		out = append(out, admin, editor, reviewer)
	}
	return append(out,
		userSpec{"auditor", personName(rnd) + "(审计员)", platformCode, []authz.Role{authz.Auditor}},
		userSpec{"security", personName(rnd) + "(安全管理员)", platformCode, []authz.Role{authz.SecurityOfficer}},
		userSpec{"reviewer", personName(rnd) + "(目录审核员)", platformCode, []authz.Role{authz.CatalogReviewer}},
		userSpec{"consumer", personName(rnd) + "(数据使用人员)", consumerOrg, []authz.Role{authz.DataConsumer}},
	)
}

// ensureUsers creates the users that do not exist yet, in one batch that
// hashes the shared demo password once; it returns the number created.
func ensureUsers(ctx context.Context, ident *identity.Service, orgs map[string]identity.Organisation, specs []userSpec, password string) (int, error) {
	var batch []identity.NewUser
	for _, u := range specs {
		_, err := ident.UserByName(ctx, u.username)
		if err == nil {
			continue
		}
		if !apperr.Is(err, apperr.NotFound) {
			return 0, err
		}
		o, ok := orgs[u.org]
		if !ok {
			return 0, fmt.Errorf("user %s: no organisation %s", u.username, u.org)
		}
		batch = append(batch, identity.NewUser{Username: u.username, DisplayName: u.display, Password: password, OrgID: o.ID, Roles: u.roles})
	}
	if len(batch) == 0 {
		return 0, nil
	}
	if _, err := ident.SeedUsers(ctx, batch); err != nil {
		return 0, fmt.Errorf("create demo users: %w", err)
	}
	return len(batch), nil
}

package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"

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

// fullTeams are the organisations that get an administrator, a catalog
// editor and a catalog reviewer; the others get an editor only. Password
// hashing (argon2id, ~45 ms a user) is most of the seeding time, and the
// identity service has no bulk path that could hash once for all.
var fullTeams = map[string]bool{
	platformCode: true, "SGAT": true, "SRST": true, "SSCJG": true, "SZRZYT": true, "SWJW": true, "SMZT": true,
	"SJYT": true, "SYBJ": true, "SZJT": true, "SFGW": true, "SSWJ": true, "SZGJJ": true, "SJKZX": true, "GWFJDL": true,
	"FZDSJW": true, "XMDSJJ": true, "QZSJGLJ": true, "XMGAJ": true, "FZRSJ": true,
}

// userSpecs lists the demo users: <code>.admin, <code>.editor and
// <code>.reviewer of the full teams, <code>.editor of the other
// organisations, then the platform-wide users.
func userSpecs(rnd *rand.Rand, codes []string) []userSpec {
	var out []userSpec
	for _, code := range codes {
		base := strings.ToLower(code)
		admin := userSpec{base + ".admin", personName(rnd), code, []authz.Role{authz.OrgAdmin}}
		editor := userSpec{base + ".editor", personName(rnd), code, []authz.Role{authz.CatalogEditor}}
		reviewer := userSpec{base + ".reviewer", personName(rnd), code, []authz.Role{authz.CatalogReviewer}}
		if fullTeams[code] {
			out = append(out, admin, editor, reviewer)
		} else {
			out = append(out, editor)
		}
	}
	return append(out,
		userSpec{"auditor", personName(rnd) + "(审计员)", platformCode, []authz.Role{authz.Auditor}},
		userSpec{"security", personName(rnd) + "(安全管理员)", platformCode, []authz.Role{authz.SecurityOfficer}},
		userSpec{"reviewer", personName(rnd) + "(目录审核员)", platformCode, []authz.Role{authz.CatalogReviewer}},
		userSpec{"consumer", personName(rnd) + "(数据使用人员)", consumerOrg, []authz.Role{authz.DataConsumer}},
	)
}

// ensureUsers creates the users that do not exist yet. Password hashing
// dominates the cost, so users are created on as many workers as there
// are processors; it returns the number created.
func ensureUsers(ctx context.Context, ident *identity.Service, orgs map[string]identity.Organisation, specs []userSpec, password string) (int, error) {
	jobs := make(chan userSpec)
	var (
		mu      sync.Mutex
		errs    []error
		created int
		wg      sync.WaitGroup
	)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for u := range jobs {
				n, err := ensureUser(ctx, ident, orgs, u, password)
				mu.Lock()
				created += n
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
	for _, u := range specs {
		jobs <- u
	}
	close(jobs)
	wg.Wait()
	return created, errors.Join(errs...)
}

func ensureUser(ctx context.Context, ident *identity.Service, orgs map[string]identity.Organisation, u userSpec, password string) (int, error) {
	_, err := ident.UserByName(ctx, u.username)
	if err == nil {
		return 0, nil
	}
	if !apperr.Is(err, apperr.NotFound) {
		return 0, err
	}
	o, ok := orgs[u.org]
	if !ok {
		return 0, fmt.Errorf("user %s: no organisation %s", u.username, u.org)
	}
	if _, err := ident.SeedUser(ctx, identity.NewUser{Username: u.username, DisplayName: u.display, Password: password,
		OrgID: o.ID, Roles: u.roles}); err != nil {
		return 0, fmt.Errorf("create user %s: %w", u.username, err)
	}
	return 1, nil
}

// Package authz decides who may do what. It is deny by default: an action
// not granted to any of a principal's roles is refused, and an action
// granted only within the principal's own organisation is refused for any
// other organisation.
package authz

import (
	"context"
	"slices"

	"github.com/pubdata/pubdata/internal/apperr"
)

// Role is one of the platform's fixed roles.
type Role string

const (
	PlatformAdmin   Role = "platform_admin"
	OrgAdmin        Role = "org_admin"
	CatalogEditor   Role = "catalog_editor"
	CatalogReviewer Role = "catalog_reviewer"
	DataConsumer    Role = "data_consumer"
	SecurityOfficer Role = "security_officer"
	Auditor         Role = "auditor"
)

// Roles lists every role, in display order.
var Roles = []Role{PlatformAdmin, OrgAdmin, CatalogEditor, CatalogReviewer, DataConsumer, SecurityOfficer, Auditor}

// RoleNames are the roles' display names (zh-CN, en).
var RoleNames = map[Role][2]string{
	PlatformAdmin:   {"平台管理员", "Platform administrator"},
	OrgAdmin:        {"单位管理员", "Organisation administrator"},
	CatalogEditor:   {"目录编制员", "Catalog editor"},
	CatalogReviewer: {"目录审核员", "Catalog reviewer"},
	DataConsumer:    {"数据使用人员", "Data consumer"},
	SecurityOfficer: {"安全管理员", "Security officer"},
	Auditor:         {"审计员", "Auditor"},
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Action is something a principal may be allowed to do.
type Action string

const (
	CatalogRead       Action = "catalog:read"       // published entries
	CatalogReadDraft  Action = "catalog:read_draft" // unpublished entries and history
	CatalogWrite      Action = "catalog:write"      // create, edit, submit, import
	CatalogReviewOrg  Action = "catalog:review_org" // first review, in the organisation
	CatalogReviewPlat Action = "catalog:review_platform"
	CatalogRetire     Action = "catalog:retire"
	CatalogExport     Action = "catalog:export"
	SourceDeclare     Action = "source:declare" // one data, one source
	SourceTransfer    Action = "source:transfer"
	EventRecord       Action = "event:record" // law or duty change: starts the clock
	ReportRead        Action = "report:read"  // overdue list, conformance report
	CalendarManage    Action = "calendar:manage"
	OrgRead           Action = "org:read"
	OrgManage         Action = "org:manage"
	UserRead          Action = "user:read"
	UserManage        Action = "user:manage"
	ActionLogRead     Action = "actionlog:read"
	IndexRebuild      Action = "index:rebuild"
	ReferenceRead     Action = "reference:read" // regions, nodes, classifications, elements, calendar
	SelfRead          Action = "self:read"      // own profile, logout
	LoadSubmit        Action = "load:submit"    // put data into a resource's dataset (aggregation)
	LoadRead          Action = "load:read"      // loads, their rejects, dataset versions and counts
	RecordsRead       Action = "records:read"   // the rows of a dataset (through the data-access gate)

	// Governance: multi-source verification, rectification tickets and
	// the relationship graph. The services check the object further (the
	// ticket's provider and raiser, the run's organisations).
	VerifyRun     Action = "verify:run"     // compare two providers' datasets, raise tickets from the conflicts
	VerifyRead    Action = "verify:read"    // verification runs (Own: run by, or about the data of, the organisation)
	RectifyRaise  Action = "rectify:raise"  // raise an issue with a provider's data
	RectifyHandle Action = "rectify:handle" // acknowledge, fix or reject the provider's tickets
	RectifyVerify Action = "rectify:verify" // verify, reopen or close tickets raised by the organisation
	RectifyRead   Action = "rectify:read"   // tickets to or raised by the organisation, and their summaries
	LineageRead   Action = "lineage:read"   // the relationship graph and entity links
	LineageWrite  Action = "lineage:write"  // record lineage by hand, and delete what was recorded by hand (Own: into the organisation's resources)
)

// Scope says where a grant applies.
type Scope int

const (
	None Scope = iota
	Own        // only the principal's own organisation
	Any        // every organisation
)

// matrix is the whole policy: role -> action -> scope. Anything absent is
// denied.
var matrix = map[Role]map[Action]Scope{
	PlatformAdmin: {
		CatalogRead: Any, CatalogReadDraft: Any, CatalogWrite: Any, CatalogReviewOrg: Any,
		CatalogReviewPlat: Any, CatalogRetire: Any, CatalogExport: Any, SourceDeclare: Any,
		SourceTransfer: Any, EventRecord: Any, ReportRead: Any, CalendarManage: Any,
		OrgRead: Any, OrgManage: Any, UserRead: Any, UserManage: Any, ActionLogRead: Any,
		IndexRebuild: Any, ReferenceRead: Any, SelfRead: Any,
		LoadSubmit: Any, LoadRead: Any, RecordsRead: Any,
		VerifyRun: Any, VerifyRead: Any, RectifyRaise: Any, RectifyHandle: Any, RectifyVerify: Any,
		RectifyRead: Any, LineageRead: Any, LineageWrite: Any,
	},
	OrgAdmin: {
		CatalogRead: Any, CatalogReadDraft: Own, CatalogRetire: Own, CatalogExport: Own,
		EventRecord: Own, ReportRead: Own, OrgRead: Any, UserRead: Own, UserManage: Own,
		ActionLogRead: Own, ReferenceRead: Any, SelfRead: Any,
		LoadSubmit: Own, LoadRead: Own, RecordsRead: Own,
		VerifyRead: Own, RectifyRaise: Any, RectifyHandle: Own, RectifyVerify: Own, RectifyRead: Own, LineageRead: Any,
		LineageWrite: Own,
	},
	CatalogEditor: {
		CatalogRead: Any, CatalogReadDraft: Own, CatalogWrite: Own, CatalogExport: Own,
		SourceDeclare: Own, EventRecord: Own, ReportRead: Own, OrgRead: Any,
		ReferenceRead: Any, SelfRead: Any, LoadSubmit: Own, LoadRead: Own, RecordsRead: Own,
		VerifyRead: Own, RectifyRaise: Any, RectifyHandle: Own, RectifyRead: Own, LineageRead: Any, LineageWrite: Own,
	},
	CatalogReviewer: {
		CatalogRead: Any, CatalogReadDraft: Own, CatalogReviewOrg: Own, CatalogExport: Own,
		ReportRead: Own, OrgRead: Any, ReferenceRead: Any, SelfRead: Any, LoadRead: Own,
		VerifyRead: Own, RectifyRaise: Any, RectifyRead: Own, LineageRead: Any,
	},
	DataConsumer: {
		CatalogRead: Any, OrgRead: Any, ReferenceRead: Any, SelfRead: Any,
		RectifyRaise: Any, RectifyRead: Own, LineageRead: Any,
	},
	SecurityOfficer: {
		CatalogRead: Any, CatalogReadDraft: Own, ReportRead: Own, OrgRead: Any, UserRead: Own,
		ActionLogRead: Own, ReferenceRead: Any, SelfRead: Any, LoadRead: Own,
		VerifyRead: Own, RectifyRaise: Any, RectifyRead: Own, LineageRead: Any,
	},
	Auditor: {
		CatalogRead: Any, CatalogReadDraft: Any, ReportRead: Any, OrgRead: Any, UserRead: Any,
		ActionLogRead: Any, ReferenceRead: Any, SelfRead: Any, LoadRead: Any,
		VerifyRead: Any, RectifyRead: Any, LineageRead: Any,
	},
}

// Principal is an authenticated caller.
type Principal struct {
	UserID      string
	Username    string
	DisplayName string
	OrgID       string
	NodeID      string
	Roles       []Role
}

// scope is the widest scope any of p's roles has for a.
func (p *Principal) scope(a Action) Scope {
	if p == nil {
		return None
	}
	best := None
	for _, r := range p.Roles {
		if s := matrix[r][a]; s > best {
			best = s
		}
	}
	return best
}

// Can reports whether p may do a in organisation org.
func (p *Principal) Can(a Action, org string) bool {
	switch p.scope(a) {
	case Any:
		return true
	case Own:
		return org != "" && org == p.OrgID
	}
	return false
}

// CanSome reports whether p may do a in at least one organisation: the
// route-level gate. Object-level checks use Can.
func (p *Principal) CanSome(a Action) bool { return p.scope(a) != None }

// CanAny reports whether p may do a in every organisation.
func (p *Principal) CanAny(a Action) bool { return p.scope(a) == Any }

// HasRole reports whether p holds r.
func (p *Principal) HasRole(r Role) bool { return p != nil && slices.Contains(p.Roles, r) }

// Actions lists every action, for tests and documentation.
func Actions() []Action {
	seen := map[Action]bool{}
	var out []Action
	for _, r := range Roles {
		for a := range matrix[r] {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Grants returns the scope of role r for action a (for the policy table in docs).
func Grants(r Role, a Action) Scope { return matrix[r][a] }

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal in ctx, or nil.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// Require returns the principal in ctx, or an Unauthenticated error when
// there is none: how every service begins.
func Require(ctx context.Context) (*Principal, error) {
	p := FromContext(ctx)
	if p == nil {
		return nil, apperr.New(apperr.Unauthenticated, "login required", "请先登录")
	}
	return p, nil
}

// Denied is the Forbidden error of an action a principal may not do.
func Denied() error {
	return apperr.New(apperr.Forbidden, "you are not allowed to do this", "无权执行此操作")
}

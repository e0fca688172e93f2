package authz

import "testing"

func TestCan(t *testing.T) {
	editor := &Principal{OrgID: "a", Roles: []Role{CatalogEditor}}
	admin := &Principal{OrgID: "p", Roles: []Role{PlatformAdmin}}
	consumer := &Principal{OrgID: "b", Roles: []Role{DataConsumer}}
	var nobody *Principal
	tests := []struct {
		name string
		p    *Principal
		a    Action
		org  string
		want bool
	}{
		{"editor writes own org", editor, CatalogWrite, "a", true},
		{"editor cannot write other org", editor, CatalogWrite, "b", false},
		{"editor cannot write with no org", editor, CatalogWrite, "", false},
		{"editor cannot review", editor, CatalogReviewOrg, "a", false},
		{"admin writes anywhere", admin, CatalogWrite, "b", true},
		{"consumer reads catalog", consumer, CatalogRead, "a", true},
		{"consumer cannot read drafts", consumer, CatalogReadDraft, "b", false},
		{"nil principal denied", nobody, CatalogRead, "a", false},
		{"unknown action denied", admin, Action("catalog:destroy"), "a", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Can(tt.a, tt.org); got != tt.want {
				t.Errorf("Can(%s, %q) = %v, want %v", tt.a, tt.org, got, tt.want)
			}
		})
	}
}

func TestAuditorChangesNothing(t *testing.T) {
	writes := []Action{CatalogWrite, CatalogReviewOrg, CatalogReviewPlat, CatalogRetire, SourceDeclare, SourceTransfer,
		EventRecord, CalendarManage, OrgManage, UserManage, IndexRebuild, LineageWrite}
	for _, r := range []Role{Auditor, DataConsumer, SecurityOfficer} {
		p := &Principal{OrgID: "a", Roles: []Role{r}}
		for _, a := range writes {
			if p.CanSome(a) {
				t.Errorf("%s may %s, want read-only", r, a)
			}
		}
	}
}

func TestGovernancePolicy(t *testing.T) {
	tests := []struct {
		role Role
		a    Action
		want Scope
	}{
		{PlatformAdmin, VerifyRun, Any},
		{OrgAdmin, VerifyRun, None},
		{Auditor, VerifyRead, Any},
		{CatalogReviewer, VerifyRead, Own},
		{DataConsumer, VerifyRead, None},
		{DataConsumer, RectifyRaise, Any},
		{Auditor, RectifyRaise, None},
		{CatalogEditor, RectifyHandle, Own},
		{CatalogReviewer, RectifyHandle, None},
		{PlatformAdmin, RectifyHandle, Any},
		{OrgAdmin, RectifyVerify, Own},
		{CatalogEditor, RectifyVerify, None},
		{DataConsumer, RectifyRead, Own},
		{Auditor, RectifyRead, Any},
		{PlatformAdmin, LineageWrite, Any},
		{OrgAdmin, LineageWrite, Own},
		{CatalogEditor, LineageWrite, Own},
		{CatalogReviewer, LineageWrite, None},
		{DataConsumer, LineageWrite, None},
		{Auditor, LineageWrite, None},
	}
	for _, tt := range tests {
		if got := Grants(tt.role, tt.a); got != tt.want {
			t.Errorf("Grants(%s, %s) = %d, want %d", tt.role, tt.a, got, tt.want)
		}
	}
	// Whoever reads the catalog reads the relationship graph.
	for _, r := range Roles {
		if Grants(r, LineageRead) != Grants(r, CatalogRead) {
			t.Errorf("%s: lineage:read %d, catalog:read %d; want the same", r, Grants(r, LineageRead), Grants(r, CatalogRead))
		}
	}
	// The auditor changes nothing here either.
	p := &Principal{OrgID: "a", Roles: []Role{Auditor}}
	for _, a := range []Action{VerifyRun, RectifyRaise, RectifyHandle, RectifyVerify} {
		if p.CanSome(a) {
			t.Errorf("auditor may %s, want read-only", a)
		}
	}
}

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
		EventRecord, CalendarManage, OrgManage, UserManage, IndexRebuild}
	for _, r := range []Role{Auditor, DataConsumer, SecurityOfficer} {
		p := &Principal{OrgID: "a", Roles: []Role{r}}
		for _, a := range writes {
			if p.CanSome(a) {
				t.Errorf("%s may %s, want read-only", r, a)
			}
		}
	}
}

package verify

import "github.com/pubdata/pubdata/internal/authz"

// SeesSamples reports whether p may see the personal data in the conflict
// samples of a verification between the providers orgs: who may run
// verifications, or read the records of every one of them. The API and the
// portal both show samples by this rule; others see the counts only.
func SeesSamples(p *authz.Principal, orgs ...string) bool {
	if p.CanSome(authz.VerifyRun) {
		return true
	}
	for _, o := range orgs {
		if !p.Can(authz.RecordsRead, o) {
			return false
		}
	}
	return true
}

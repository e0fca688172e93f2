// Package rectify is quality feedback and rectification (反馈整改, GOV-2):
// a problem with a provider's data becomes a ticket to the providing
// organisation, with a working-day deadline, tracked until it is fixed,
// verified and closed.
//
// # Sources
//
// A ticket comes from the rules (a load's rejected rows: FromLoad), from a
// multi-source verification run (its conflicts: FromVerification), or
// from a consumer who found a wrong record or column (Raise).
//
// # Lifecycle
//
//	open --acknowledge--> acknowledged --fix--> fixed --verify--> verified --close--> closed
//	open, acknowledged --reject (reason)--> rejected
//	fixed, verified --reopen (reason)--> acknowledged
//
// The providing organisation's administrators and editors (and platform
// administrators) acknowledge, fix and reject (authz.RectifyHandle); the
// raiser, the raiser's organisation administrators and platform
// administrators verify, reopen and close (authz.RectifyVerify). When the service has a
// Verifier, a fix is re-checked at once: the ticket moves on to verified
// when the problem is gone, or back to acknowledged with the reason.
//
// The deadline is the end of the 10th working day (internal/workday, with
// the administrators' calendar) after the ticket is raised. Escalate marks
// the tickets past their deadline and still neither closed nor rejected;
// OrgSummaries counts open, overdue and escalated tickets per
// organisation.
//
// Every transition is kept in the ticket's history (who, when, a note) and
// in the action log.
package rectify

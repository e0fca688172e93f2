package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/verify"
)

type ticketView struct {
	ticketRow
	ResourceName string
	Actions      []ticketAction
	Rule         *ruleDetail
	Conflicts    *conflictDetail
	Error        *errorView // a refused transition, shown above the actions
	Note         string     // the refused transition's note, kept
}

// ticketAction is a transition the caller may make now.
type ticketAction struct {
	Action    string
	NeedsNote bool
}

// ruleDetail is what a rule ticket says about the load's rejected rows.
type ruleDetail struct {
	RowsRead, RowsRejected int64
	Rejections             []ruleCount
}

// conflictDetail is what a verification ticket says about the conflicts.
type conflictDetail struct {
	RunID         string
	Key           string
	ComparedWith  string
	Authoritative string
	Attributes    []verify.AttributeReport
	Sample        []verify.Conflict
	Withheld      bool // the sample holds personal data the caller may not see
}

// ticketShow shows a ticket: what is wrong, where, its deadline and
// history, and the transitions the caller may make.
func (p *portal) ticketShow(w http.ResponseWriter, r *http.Request) error {
	return p.showTicket(w, r, http.StatusOK, nil)
}

func (p *portal) showTicket(w http.ResponseWriter, r *http.Request, status int, refused func(*ticketView)) error {
	if p.Rectify == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	ctx, lang, pr := r.Context(), state(r).lang, state(r).principal
	t, err := p.Rectify.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	rows, err := p.ticketRows(ctx, lang)
	if err != nil {
		return err
	}
	v := ticketView{ticketRow: rows.row(t)}
	if t.ResourceID != "" {
		v.ResourceName = p.resourceNames(ctx)(t.ResourceID, t.ResourceID)
	}
	for _, a := range rectify.AllowedActions(pr, t) {
		v.Actions = append(v.Actions, ticketAction{Action: a.Action, NeedsNote: a.NeedsNote})
	}
	switch t.Source {
	case rectify.SourceRule:
		v.Rule = ruleDetailOf(lang, t.Detail)
	case rectify.SourceVerification:
		v.Conflicts = conflictDetailOf(pr, t)
	}
	if refused != nil {
		refused(&v)
	}
	return p.render(w, r, status, "ticket", "ticket.title", v)
}

func ruleDetailOf(lang string, raw json.RawMessage) *ruleDetail {
	var d struct {
		RowsRead     int64            `json:"rows_read"`
		RowsRejected int64            `json:"rows_rejected"`
		Rejections   map[string]int64 `json:"rejections"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &d) != nil {
		return nil
	}
	return &ruleDetail{RowsRead: d.RowsRead, RowsRejected: d.RowsRejected, Rejections: ruleCounts(lang, d.Rejections)}
}

// conflictDetailOf reads a verification ticket's detail; the sample only
// for who may see it (verify.SeesSamples, on the ticket's provider).
func conflictDetailOf(pr *authz.Principal, t *rectify.Ticket) *conflictDetail {
	var d struct {
		RunID         string                   `json:"run_id"`
		Key           string                   `json:"key"`
		ComparedWith  string                   `json:"compared_with"`
		Authoritative string                   `json:"authoritative"`
		Attributes    []verify.AttributeReport `json:"attributes"`
		Sample        []verify.Conflict        `json:"sample"`
	}
	if len(t.Detail) == 0 || json.Unmarshal(t.Detail, &d) != nil {
		return nil
	}
	cd := &conflictDetail{RunID: d.RunID, Key: d.Key, ComparedWith: d.ComparedWith, Authoritative: d.Authoritative,
		Attributes: d.Attributes, Sample: d.Sample}
	if len(cd.Sample) > 0 && !verify.SeesSamples(pr, t.OrgID) {
		cd.Sample, cd.Withheld = nil, true
	}
	return cd
}

// ticketTransition makes one step of a ticket's lifecycle. A refusal the
// user can act on (a missing reason, a changed status) shows on the
// ticket's page with the note kept.
func (p *portal) ticketTransition(w http.ResponseWriter, r *http.Request) error {
	if p.Rectify == nil {
		return appErr(apperr.NotFound, "error.notfound")
	}
	id, action, note := r.PathValue("id"), r.PostFormValue("action"), r.PostFormValue("note")
	_, err := p.Rectify.Transition(r.Context(), id, action, note)
	if k := apperr.KindOf(err); err != nil && (k == apperr.Invalid || k == apperr.Conflict) {
		ev := newErrorView(state(r).lang, apperr.As(err))
		status := http.StatusBadRequest
		if k == apperr.Conflict {
			status = http.StatusConflict
		}
		return p.showTicket(w, r, status, func(v *ticketView) { v.Error, v.Note = &ev, strings.TrimSpace(note) })
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, withMsg("/tickets/"+id, "ticket_"+action), http.StatusSeeOther)
	return nil
}

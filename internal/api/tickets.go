package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/verify"
)

// Rectification tickets (反馈整改): issues with a provider's data, raised
// by consumers, by loads' rules and by verification runs.

// ticketView is a ticket with the transitions the caller may make.
type ticketView struct {
	*rectify.Ticket
	AllowedActions []rectify.Allowed `json:"allowed_actions"`
	// SampleWithheld: the verification conflicts in detail.sample were
	// left out (see verify.SeesSamples).
	SampleWithheld bool `json:"sample_withheld,omitempty"`
}

func viewTicket(p *authz.Principal, t *rectify.Ticket) ticketView {
	v := ticketView{Ticket: t, AllowedActions: rectify.AllowedActions(p, t)}
	if t.Source != rectify.SourceVerification || len(t.Detail) == 0 || verify.SeesSamples(p, t.OrgID) {
		return v
	}
	var detail map[string]json.RawMessage
	if err := json.Unmarshal(t.Detail, &detail); err != nil {
		cp := *t
		cp.Detail = nil
		return ticketView{Ticket: &cp, AllowedActions: v.AllowedActions, SampleWithheld: true}
	}
	if _, ok := detail["sample"]; !ok {
		return v
	}
	detail["sample"] = json.RawMessage(`[]`)
	cp := *t
	cp.Detail, _ = json.Marshal(detail)
	return ticketView{Ticket: &cp, AllowedActions: v.AllowedActions, SampleWithheld: true}
}

// boolParam reads a true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, apperr.New(apperr.Invalid, "invalid query parameter", "查询参数无效").With(name, "must be true or false", "须为 true 或 false")
	}
	return b, nil
}

func (s *Server) listTickets(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := rectify.Filter{OrgID: q.Get("org"), RaisedOrgID: q.Get("raised_org"), ResourceID: q.Get("resource"),
		Source: rectify.Source(q.Get("source"))}
	var errs apperr.Fields
	switch f.Source {
	case "", rectify.SourceRule, rectify.SourceVerification, rectify.SourceConsumer:
	default:
		errs.Add("source", "must be rule, verification or consumer", "须为 rule、verification 或 consumer")
	}
	for _, v := range q["status"] {
		for _, st := range strings.Split(v, ",") {
			if st = strings.TrimSpace(st); st == "" {
				continue
			}
			if !slices.Contains(rectify.Statuses, rectify.Status(st)) {
				errs.Add("status", "unknown status "+strconv.Quote(st)+": use open, acknowledged, fixed, verified, closed or rejected",
					"未知状态"+strconv.Quote(st)+"，可用 open、acknowledged、fixed、verified、closed、rejected")
				continue
			}
			f.Statuses = append(f.Statuses, rectify.Status(st))
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	var err error
	if f.Overdue, err = boolParam(r, "overdue"); err != nil {
		return err
	}
	if f.Escalated, err = boolParam(r, "escalated"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(r, 50, 500, 0); err != nil {
		return err
	}
	ts, err := s.Rectify.List(r.Context(), f)
	if err != nil {
		return err
	}
	p := authz.FromContext(r.Context())
	items := make([]ticketView, len(ts))
	for i := range ts {
		items[i] = viewTicket(p, &ts[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

func (s *Server) raiseTicket(w http.ResponseWriter, r *http.Request) error {
	var in rectify.Issue
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	if in.ResourceID != "" {
		// Only a resource the caller can see: its id or code.
		get := s.Catalog.Get
		if strings.Contains(in.ResourceID, "/") {
			get = s.Catalog.GetByCode
		}
		res, err := get(ctx, in.ResourceID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Invalid, "validation failed", "校验未通过").With("resource_id", "no such resource", "资源不存在")
		}
		if err != nil {
			return err
		}
		in.ResourceID = res.ID
	}
	t, err := s.Rectify.Raise(ctx, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/tickets/"+t.ID)
	writeJSON(w, http.StatusCreated, viewTicket(authz.FromContext(ctx), t))
	return nil
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request) error {
	t, err := s.Rectify.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewTicket(authz.FromContext(r.Context()), t))
	return nil
}

type ticketTransition struct {
	Action string `json:"action"`
	Note   string `json:"note"`
}

func (s *Server) transitionTicket(w http.ResponseWriter, r *http.Request) error {
	var in ticketTransition
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.Rectify.Transition(r.Context(), r.PathValue("id"), in.Action, in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewTicket(authz.FromContext(r.Context()), t))
	return nil
}

// rectificationReport counts tickets per providing organisation, the
// most overdue first, with the totals.
func (s *Server) rectificationReport(w http.ResponseWriter, r *http.Request) error {
	sums, err := s.Rectify.OrgSummaries(r.Context())
	if err != nil {
		return err
	}
	if org := r.URL.Query().Get("org"); org != "" {
		kept := []rectify.OrgSummary{}
		for _, o := range sums {
			if o.OrgID == org {
				kept = append(kept, o)
			}
		}
		sums = kept
	}
	var total rectify.OrgSummary
	for _, o := range sums {
		total.Active += o.Active
		total.Overdue += o.Overdue
		total.Escalated += o.Escalated
		total.Closed += o.Closed
		total.Rejected += o.Rejected
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": sums, "totals": map[string]int{"active": total.Active,
		"overdue": total.Overdue, "escalated": total.Escalated, "closed": total.Closed, "rejected": total.Rejected}})
	return nil
}

package api

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/catalog"
)

func (s *Server) listSources(w http.ResponseWriter, r *http.Request) error {
	ss, err := s.Catalog.Sources(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ss, "total": len(ss)})
	return nil
}

func (s *Server) declareSource(w http.ResponseWriter, r *http.Request) error {
	var c catalog.SourceClaim
	if err := decode(r, &c); err != nil {
		return err
	}
	src, err := s.Catalog.DeclareSource(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, src)
	return nil
}

func (s *Server) transferSource(w http.ResponseWriter, r *http.Request) error {
	var c catalog.SourceClaim
	if err := decode(r, &c); err != nil {
		return err
	}
	src, err := s.Catalog.TransferSource(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, src)
	return nil
}

type eventRequest struct {
	OrgID      string `json:"org_id"`
	ResourceID string `json:"resource_id"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	OccurredOn string `json:"occurred_on"`
}

func (s *Server) recordEvent(w http.ResponseWriter, r *http.Request) error {
	var in eventRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	e, err := s.Catalog.RecordEvent(r.Context(), catalog.Event{OrgID: in.OrgID, ResourceID: in.ResourceID, Kind: in.Kind, Title: in.Title, OccurredOn: in.OccurredOn})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	evs, err := s.Catalog.Events(r.Context(), catalog.EventFilter{OrgID: q.Get("org"), OpenOnly: q.Get("open") == "true", OverdueOnly: q.Get("overdue") == "true"})
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []catalog.Event{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": evs, "total": len(evs)})
	return nil
}

func (s *Server) resolveEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.Catalog.ResolveEvent(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) overdue(w http.ResponseWriter, r *http.Request) error {
	evs, err := s.Catalog.Events(r.Context(), catalog.EventFilter{OrgID: r.URL.Query().Get("org"), OverdueOnly: true})
	if err != nil {
		return err
	}
	type orgOverdue struct {
		OrgID   string          `json:"org_id"`
		OrgName string          `json:"org_name"`
		Count   int             `json:"count"`
		Events  []catalog.Event `json:"events"`
	}
	var out []*orgOverdue
	idx := map[string]*orgOverdue{}
	for _, e := range evs {
		o := idx[e.OrgID]
		if o == nil {
			o = &orgOverdue{OrgID: e.OrgID, OrgName: e.OrgName}
			idx[e.OrgID] = o
			out = append(out, o)
		}
		o.Count++
		o.Events = append(o.Events, e)
	}
	if out == nil {
		out = []*orgOverdue{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "total": len(evs)})
	return nil
}

func (s *Server) conformance(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.Catalog.Conformance(r.Context(), r.URL.Query().Get("org"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

package api

import (
	"net/http"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/catalog"
)

func (s *Server) listRegions(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.Identity.Regions(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": rs, "total": len(rs)})
	return nil
}

func (s *Server) listNodes(w http.ResponseWriter, r *http.Request) error {
	ns, err := s.Identity.Nodes(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ns, "total": len(ns)})
	return nil
}

func (s *Server) listClassifications(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.Catalog.Classifications(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": cs, "total": len(cs)})
	return nil
}

func (s *Server) putClassification(w http.ResponseWriter, r *http.Request) error {
	var c catalog.Classification
	if err := decode(r, &c); err != nil {
		return err
	}
	if err := s.Catalog.PutClassification(r.Context(), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) listElements(w http.ResponseWriter, r *http.Request) error {
	es, err := s.Catalog.Elements(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": es, "total": len(es)})
	return nil
}

func (s *Server) putElement(w http.ResponseWriter, r *http.Request) error {
	var e catalog.Element
	if err := decode(r, &e); err != nil {
		return err
	}
	if err := s.Catalog.PutElement(r.Context(), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) codes(w http.ResponseWriter, r *http.Request) error {
	t := catalog.CodeTables()
	t["event_kind"] = catalog.EventKinds
	writeJSON(w, http.StatusOK, t)
	return nil
}

// calendar returns the overrides and, with ?from=DATE&days=N, the deadline
// N working days after DATE.
func (s *Server) calendar(w http.ResponseWriter, r *http.Request) error {
	cal, err := s.Catalog.Calendar(r.Context())
	if err != nil {
		return err
	}
	ovs, err := s.Catalog.CalendarOverrides(r.Context())
	if err != nil {
		return err
	}
	days := make([]calendarDay, len(ovs))
	for i, o := range ovs {
		days[i] = calendarDay{Day: o.Date.Format(time.DateOnly), Kind: o.Kind.String(), Name: o.Name}
	}
	out := map[string]any{"overrides": days}
	if from := r.URL.Query().Get("from"); from != "" {
		d, err := catalog.ParseDay(from)
		if err != nil {
			return apperr.New(apperr.Invalid, "invalid date", "日期无效").With("from", "must be YYYY-MM-DD", "须为 YYYY-MM-DD")
		}
		n, err := intParam(r, "days", catalog.UpdateWindow, 366)
		if err != nil {
			return err
		}
		out["from"], out["days"] = from, n
		out["deadline"] = cal.AddWorkdays(d, n).Format(time.DateOnly)
		out["is_workday"] = cal.IsWorkday(d)
		out["covered"] = cal.Covers(d)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type calendarDay struct {
	Day  string `json:"day"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

func (s *Server) putCalendarDay(w http.ResponseWriter, r *http.Request) error {
	var d calendarDay
	if err := decode(r, &d); err != nil {
		return err
	}
	if err := s.Catalog.PutCalendarDay(r.Context(), d.Day, d.Kind, d.Name); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

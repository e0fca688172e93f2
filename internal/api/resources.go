package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/search"
)

// FilterParams are the facet filters the catalog search accepts, as query
// parameters; each may repeat or hold comma-separated values.
var FilterParams = []string{"org", "region", "classification", "library", "level", "share", "open", "cycle", "status"}

// ListQuery reads a catalog search from query parameters q, the filters,
// offset and limit (or page and size).
func ListQuery(r *http.Request) (catalog.ListQuery, error) {
	q := r.URL.Query()
	lq := catalog.ListQuery{Text: strings.TrimSpace(q.Get("q")), Filters: map[string][]string{}}
	if len([]rune(lq.Text)) > 200 {
		return lq, apperr.New(apperr.Invalid, "query too long", "检索词过长").With("q", "at most 200 characters", "不得超过200个字符")
	}
	for _, k := range FilterParams {
		for _, v := range q[k] {
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					lq.Filters[k] = append(lq.Filters[k], part)
				}
			}
		}
	}
	var err error
	if lq.Limit, err = intParam(r, "limit", 20, 200); err != nil {
		return lq, err
	}
	if size := q.Get("size"); size != "" {
		if lq.Limit, err = intParam(r, "size", 20, 200); err != nil {
			return lq, err
		}
	}
	if lq.Offset, err = intParam(r, "offset", 0, 1_000_000); err != nil {
		return lq, err
	}
	if page := q.Get("page"); page != "" {
		p, err := intParam(r, "page", 1, 100_000)
		if err != nil {
			return lq, err
		}
		if p > 0 {
			lq.Offset = (p - 1) * lq.Limit
		}
	}
	return lq, nil
}

func (s *Server) listResources(w http.ResponseWriter, r *http.Request) error {
	lq, err := ListQuery(r)
	if err != nil {
		return err
	}
	res, err := s.Catalog.List(r.Context(), lq)
	if err != nil {
		return err
	}
	if res.Items == nil {
		res.Items = []catalog.Resource{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": res.Items, "total": res.Total, "facets": facetsView(res.Facets),
		"offset": lq.Offset, "limit": lq.Limit})
	return nil
}

type facetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// facetsView renders the index's facet counts in the API's snake_case.
func facetsView(in map[string][]search.FacetCount) map[string][]facetCount {
	out := make(map[string][]facetCount, len(in))
	for k, cs := range in {
		out[k] = make([]facetCount, len(cs))
		for i, c := range cs {
			out[k][i] = facetCount{Value: c.Value, Count: c.Count}
		}
	}
	return out
}

func (s *Server) createResource(w http.ResponseWriter, r *http.Request) error {
	var in catalog.Resource
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.Catalog.Create(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/resources/"+res.ID)
	writeJSON(w, http.StatusCreated, res)
	return nil
}

func (s *Server) validateResource(w http.ResponseWriter, r *http.Request) error {
	var in catalog.Resource
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.OrgID == "" {
		// As Create does: the entry would be the caller's organisation's.
		in.OrgID = authz.FromContext(r.Context()).OrgID
	}
	fs, err := s.Catalog.Validate(r.Context(), in)
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []catalog.Finding{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"findings": fs, "valid": catalog.Errors(fs) == nil})
	return nil
}

// getResource takes an id or, URL-encoded, a resource code (codes hold a
// "/", ids never do).
func (s *Server) getResource(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	get := s.Catalog.Get
	if strings.Contains(id, "/") {
		get = s.Catalog.GetByCode
	}
	res, err := get(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

type updateRequest struct {
	catalog.Resource
	Reason string `json:"reason"`
}

func (s *Server) updateResource(w http.ResponseWriter, r *http.Request) error {
	var in updateRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.Catalog.Update(r.Context(), r.PathValue("id"), in.Resource, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

type transitionRequest struct {
	Action string `json:"action"`
	Reason string `json:"reason"`
}

func (s *Server) transition(w http.ResponseWriter, r *http.Request) error {
	var in transitionRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.Catalog.Transition(r.Context(), r.PathValue("id"), in.Action, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) history(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.Catalog.History(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": vs, "total": len(vs)})
	return nil
}

func (s *Server) version(w http.ResponseWriter, r *http.Request) error {
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || n < 1 {
		return apperr.New(apperr.Invalid, "invalid version", "版本号无效").With("version", "must be a positive integer", "须为正整数")
	}
	v, err := s.Catalog.VersionOf(r.Context(), r.PathValue("id"), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

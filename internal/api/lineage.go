package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/lineage"
)

// The relationship graph (关系图谱): lineage from sources to resources and
// datasets, and resources linked by the key elements they share.

func (s *Server) lineageGraph(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := lineage.Filter{Center: q.Get("center"), OrgID: q.Get("org")}
	if res := q.Get("resource"); res != "" {
		f.Center = res
		if strings.Contains(res, "/") {
			rs, err := s.Catalog.GetByCode(r.Context(), res)
			if err != nil {
				return err
			}
			f.Center = rs.ID
		}
	}
	var err error
	if f.Depth, err = intParam(r, "depth", 0, 5); err != nil {
		return err
	}
	if f.MaxNodes, err = intParam(r, "max_nodes", 0, 5000); err != nil {
		return err
	}
	if f.NoLinks, err = boolParam(r, "no_links"); err != nil {
		return err
	}
	if els := q.Get("elements"); els != "" {
		for _, e := range strings.Split(els, ",") {
			if e = strings.TrimSpace(e); e != "" {
				f.Elements = append(f.Elements, e)
			}
		}
	}
	g, err := s.Lineage.Graph(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

func (s *Server) resourceLinks(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if strings.Contains(id, "/") {
		rs, err := s.Catalog.GetByCode(r.Context(), id)
		if err != nil {
			return err
		}
		id = rs.ID
	}
	links, err := s.Lineage.Links(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": links})
	return nil
}

// edgeInput is the body of POST /api/v1/lineage/edges: an edge recorded
// by hand. A resource end names the resource by id or code.
type edgeInput struct {
	From  lineage.Ref `json:"from"`
	To    lineage.Ref `json:"to"`
	Kind  string      `json:"kind"`
	Label string      `json:"label"`
	Note  string      `json:"note"`
}

func (s *Server) declareLineageEdge(w http.ResponseWriter, r *http.Request) error {
	var in edgeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	e, err := s.Lineage.Declare(r.Context(), lineage.Edge{From: in.From, To: in.To, Kind: in.Kind, Label: in.Label, Note: in.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) deleteLineageEdge(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.New(apperr.NotFound, "lineage edge "+strconv.Quote(r.PathValue("id"))+" not found",
			"未找到血缘关系 "+strconv.Quote(r.PathValue("id")))
	}
	if err := s.Lineage.Delete(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

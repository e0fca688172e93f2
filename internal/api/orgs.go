package api

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/identity"
)

func (s *Server) listOrgs(w http.ResponseWriter, r *http.Request) error {
	os, err := s.Identity.Orgs(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": os, "total": len(os)})
	return nil
}

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request) error {
	var o identity.Organisation
	if err := decode(r, &o); err != nil {
		return err
	}
	if o.NodeID == "" {
		if n, err := s.Identity.LocalNode(r.Context()); err == nil {
			o.NodeID = n.ID
		}
	}
	created, err := s.Identity.CreateOrg(r.Context(), o)
	if err != nil {
		return err
	}
	// The catalog names organisations in entries; it must know the new one.
	if err := s.Catalog.LoadReference(r.Context()); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, created)
	return nil
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) error {
	o, err := s.Identity.Org(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	us, err := s.Identity.Users(r.Context(), r.URL.Query().Get("org"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": us, "total": len(us)})
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var in identity.NewUser
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.OrgID == "" {
		in.OrgID = authz.FromContext(r.Context()).OrgID
	}
	u, err := s.Identity.CreateUser(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) setRoles(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Roles []authz.Role `json:"roles"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.Identity.SetRoles(r.Context(), r.PathValue("id"), in.Roles)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.Identity.SetPassword(r.Context(), r.PathValue("id"), in.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

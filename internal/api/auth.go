package api

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/identity"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	var f apperr.Fields
	if in.Username == "" {
		f.Add("username", "is required", "不能为空")
	}
	if in.Password == "" {
		f.Add("password", "is required", "不能为空")
	}
	if err := f.Err(); err != nil {
		return err
	}
	sess, err := s.Identity.Login(r.Context(), in.Username, in.Password, identity.KindAPI)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": sess.Token, "expires_at": sess.ExpiresAt, "user": principalView(sess.Principal)})
	return nil
}

func principalView(p *authz.Principal) map[string]any {
	return map[string]any{"id": p.UserID, "username": p.Username, "display_name": p.DisplayName,
		"org_id": p.OrgID, "node_id": p.NodeID, "roles": p.Roles}
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	tok, _ := bearer(r)
	if err := s.Identity.Logout(r.Context(), tok); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, principalView(authz.FromContext(r.Context())))
	return nil
}

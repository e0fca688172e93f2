package api

import (
	"net/http"

	"github.com/pubdata/pubdata/internal/actionlog"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
)

func (s *Server) listActions(w http.ResponseWriter, r *http.Request) error {
	p := authz.FromContext(r.Context())
	q := r.URL.Query()
	f := actionlog.Filter{OrgID: q.Get("org"), EntityType: q.Get("entity_type"), EntityID: q.Get("entity_id")}
	if f.OrgID == "" && !p.CanAny(authz.ActionLogRead) {
		f.OrgID = p.OrgID
	}
	if f.OrgID != "" && !p.Can(authz.ActionLogRead, f.OrgID) {
		return apperr.New(apperr.Forbidden, "you may read only your organisation's actions", "只能查看本单位的操作记录")
	}
	var err error
	if f.Limit, err = intParam(r, "limit", 100, 500); err != nil {
		return err
	}
	before, err := intParam(r, "before", 0, 1<<62)
	if err != nil {
		return err
	}
	f.BeforeSeq = int64(before)
	es, err := actionlog.List(r.Context(), s.DB, f)
	if err != nil {
		return err
	}
	if es == nil {
		es = []actionlog.Entry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": es})
	return nil
}

package api

import (
	_ "embed"
	"net/http"
)

// openapiDoc is the hand-written OpenAPI 3.1 description of this API; a
// test checks that it and the route table agree.
//
//go:embed openapi.json
var openapiDoc []byte

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openapiDoc)
	return err
}

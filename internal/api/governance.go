package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/catalog"
	"github.com/pubdata/pubdata/internal/rectify"
	"github.com/pubdata/pubdata/internal/verify"
)

// Multi-source verification (多源校核): runs compare two resources'
// datasets; their conflict samples hold personal data, shown only to who
// may read both providers' records or run verifications.

// verificationRequest is the body of POST /verifications.
type verificationRequest struct {
	A verificationSide `json:"a"`
	B verificationSide `json:"b"`
	// Key joins the sides: a standard data element (DE00001), or a data
	// item's name or code, on both sides or per side.
	Key fieldSpec `json:"key"`
	// Attributes are compared, named as Key is.
	Attributes []fieldSpec `json:"attributes"`
	// RegionCode is where the key's authoritative source is looked up
	// (default: side a's region, then side b's).
	RegionCode  string `json:"region_code,omitempty"`
	SampleLimit int    `json:"sample_limit,omitempty"`
	Method      string `json:"method,omitempty"`
	// OpenTickets raises rectification tickets from the conflicts.
	OpenTickets bool `json:"open_tickets,omitempty"`
}

// verificationSide names one side: a published resource by id or code.
type verificationSide struct {
	Resource string `json:"resource"`
	Version  int64  `json:"version,omitempty"`
}

// fieldSpec names an item: "公民身份号码", "DE00001", or
// {"name": ..., "a": ..., "b": ...} when the sides call it differently.
type fieldSpec struct {
	Name string `json:"name,omitempty"`
	A    string `json:"a,omitempty"`
	B    string `json:"b,omitempty"`
}

func (f *fieldSpec) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`"`)) {
		return json.Unmarshal(b, &f.Name)
	}
	type plain fieldSpec
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode((*plain)(f))
}

func (f fieldSpec) side(s string) string {
	if s == verify.SideA && f.A != "" {
		return f.A
	}
	if s == verify.SideB && f.B != "" {
		return f.B
	}
	return f.Name
}

// publishedResource returns the published version of a resource named by
// id or code, as field says, for comparing its dataset.
func (s *Server) publishedResource(ctx context.Context, field, ref string) (*catalog.Resource, error) {
	if ref == "" {
		return nil, apperr.New(apperr.Invalid, "validation failed", "校验未通过").With(field, "name a resource by id or code", "请以标识或编码指定资源")
	}
	id := ref
	if strings.Contains(ref, "/") {
		r, err := s.Catalog.GetByCode(ctx, ref)
		if err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return nil, apperr.New(apperr.Invalid, "validation failed", "校验未通过").With(field, "no such resource", "资源不存在")
			}
			return nil, err
		}
		id = r.ID
	}
	r, err := s.Catalog.Published(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.Invalid, "validation failed", "校验未通过").With(field, "no such resource", "资源不存在")
	}
	return r, err
}

// verifyRequest resolves the body into a verify.Request and the key's
// standard element.
func (s *Server) verifyRequest(ctx context.Context, in verificationRequest) (verify.Request, error) {
	var req verify.Request
	ra, errA := s.publishedResource(ctx, "a.resource", in.A.Resource)
	rb, errB := s.publishedResource(ctx, "b.resource", in.B.Resource)
	if err := apperr.Join(errA, errB); err != nil {
		return req, err
	}
	var f apperr.Fields
	resolve := func(field string, fs fieldSpec) (verify.Field, string) {
		out := verify.Field{}
		var element string
		for _, x := range []struct {
			side string
			r    *catalog.Resource
			dst  *string
		}{{verify.SideA, ra, &out.A}, {verify.SideB, rb, &out.B}} {
			name := fs.side(x.side)
			if name == "" {
				f.Add(field, "name a data item or standard element", "请指定数据项或标准数据元")
				return out, ""
			}
			it := x.r.Item(name)
			if it == nil {
				f.Add(field, "resource "+x.r.Code+" has no data item or element "+strconv.Quote(name),
					"资源"+x.r.Code+"没有数据项或数据元"+strconv.Quote(name))
				continue
			}
			*x.dst = it.Name
			if element == "" {
				element = it.Element
			}
		}
		out.Name = out.A
		return out, element
	}
	key, element := resolve("key", in.Key)
	req.Key = key
	if len(in.Attributes) == 0 {
		f.Add("attributes", "name at least one item to compare", "请至少指定一个比对数据项")
	}
	for i, a := range in.Attributes {
		at, _ := resolve("attributes["+strconv.Itoa(i)+"]", a)
		req.Attributes = append(req.Attributes, at)
	}
	if err := f.Err(); err != nil {
		return req, err
	}
	req.A = verify.Side{Dataset: aggregate.DatasetName(ra.ID), Version: in.A.Version, ResourceID: ra.ID}
	req.B = verify.Side{Dataset: aggregate.DatasetName(rb.ID), Version: in.B.Version, ResourceID: rb.ID}
	req.SampleLimit, req.Method = in.SampleLimit, in.Method
	if element != "" {
		sources, err := s.Catalog.Sources(ctx)
		if err != nil {
			return req, err
		}
		regions := []string{in.RegionCode}
		if in.RegionCode == "" {
			regions = []string{ra.RegionCode, rb.RegionCode}
		}
		for _, region := range regions {
			if req.Authoritative = verify.AuthoritativeSide(sources, element, region, req.A, req.B); req.Authoritative != "" {
				break
			}
		}
	}
	return req, nil
}

// runView is a run as the caller may see it.
type runView struct {
	*verify.Run
	// SampleWithheld: the conflicts' values were left out (counts kept).
	SampleWithheld bool              `json:"sample_withheld,omitempty"`
	Tickets        []*rectify.Ticket `json:"tickets,omitempty"`
}

func viewRun(p *authz.Principal, run *verify.Run) runView {
	v := runView{Run: run}
	if run.Report == nil || verify.SeesSamples(p, run.OrgA, run.OrgB) {
		return v
	}
	rep := *run.Report
	rep.Sample = []verify.Conflict{}
	cp := *run
	cp.Report = &rep
	return runView{Run: &cp, SampleWithheld: true}
}

func (s *Server) verifier() (*verify.Service, error) {
	if s.Verify == nil {
		return nil, apperr.New(apperr.Conflict, "verification needs the record store, which this node has not opened",
			"本节点未打开记录库，无法校核")
	}
	return s.Verify, nil
}

func (s *Server) runVerification(w http.ResponseWriter, r *http.Request) error {
	v, err := s.verifier()
	if err != nil {
		return err
	}
	var in verificationRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	req, err := s.verifyRequest(ctx, in)
	if err != nil {
		return err
	}
	run, err := v.Run(ctx, req)
	if err != nil {
		return err
	}
	view := viewRun(authz.FromContext(ctx), run)
	if in.OpenTickets {
		view.Tickets = []*rectify.Ticket{}
		if run.ConflictingKeys > 0 {
			if view.Tickets, err = s.Rectify.FromVerification(ctx, run); err != nil {
				return err
			}
		}
	}
	w.Header().Set("Location", "/api/v1/verifications/"+run.ID)
	writeJSON(w, http.StatusCreated, view)
	return nil
}

func (s *Server) listVerifications(w http.ResponseWriter, r *http.Request) error {
	v, err := s.verifier()
	if err != nil {
		return err
	}
	limit, offset, err := pageParams(r, 50, 500, 0)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	runs, err := v.List(r.Context(), verify.RunFilter{ResourceID: q.Get("resource"), OrgID: q.Get("org"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": runs})
	return nil
}

func (s *Server) getVerification(w http.ResponseWriter, r *http.Request) error {
	v, err := s.verifier()
	if err != nil {
		return err
	}
	run, err := v.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewRun(authz.FromContext(r.Context()), run))
	return nil
}

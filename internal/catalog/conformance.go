package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pubdata/pubdata/internal/authz"
)

// RuleCount counts the entries failing one rule on one field.
type RuleCount struct {
	Field    string   `json:"field"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	ZH       string   `json:"message_zh"`
	Count    int      `json:"count"`
}

// EntryFindings are the findings of one entry.
type EntryFindings struct {
	ID       string    `json:"id"`
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	Status   Status    `json:"status"`
	Findings []Finding `json:"findings"`
}

// ConformanceReport is the result of checking an organisation's entries
// against the current standard (CAT-5).
type ConformanceReport struct {
	OrgID        string          `json:"org_id"`
	OrgName      string          `json:"org_name"`
	Total        int             `json:"total"`
	WithErrors   int             `json:"with_errors"`
	WithWarnings int             `json:"with_warnings"`
	Conformance  float64         `json:"conformance"` // share of entries without errors, 0..1
	Rules        []RuleCount     `json:"rules"`
	Entries      []EntryFindings `json:"entries"` // entries with findings, errors first, at most 500
}

// Conformance checks every entry of an organisation ("" = every
// organisation the caller may report on, for platform-wide roles).
func (s *Service) Conformance(ctx context.Context, orgID string) (*ConformanceReport, error) {
	p, err := authz.Require(ctx)
	if err != nil {
		return nil, err
	}
	if orgID == "" && !p.CanAny(authz.ReportRead) {
		orgID = p.OrgID
	}
	if !p.Can(authz.ReportRead, orgID) && !(orgID == "" && p.CanAny(authz.ReportRead)) {
		return nil, authz.Denied()
	}
	rep := &ConformanceReport{OrgID: orgID}
	if o, ok := s.org(orgID); ok {
		rep.OrgName = o.name
	}
	q, args := `SELECT v.doc FROM resources r JOIN resource_versions v ON v.resource_id = r.id AND v.version = r.version
		WHERE r.status <> 'retired'`, []any{}
	if orgID != "" {
		q += ` AND r.org_id = ?`
		args = append(args, orgID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY r.code`, args...)
	if err != nil {
		return nil, fmt.Errorf("conformance scan: %w", err)
	}
	defer rows.Close()
	ref := s.reference()
	counts := map[string]*RuleCount{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var r Resource
		if err := json.Unmarshal([]byte(doc), &r); err != nil {
			return nil, err
		}
		rep.Total++
		fs := Check(&r, ref)
		if len(fs) == 0 {
			continue
		}
		hasErr := false
		for _, f := range fs {
			if f.Severity == SevError {
				hasErr = true
			}
			key := string(f.Severity) + "|" + generalField(f.Field) + "|" + f.Rule
			c := counts[key]
			if c == nil {
				c = &RuleCount{Field: generalField(f.Field), Rule: f.Rule, Severity: f.Severity, Message: f.Message, ZH: f.ZH}
				counts[key] = c
			}
			c.Count++
		}
		if hasErr {
			rep.WithErrors++
		} else {
			rep.WithWarnings++
		}
		rep.Entries = append(rep.Entries, EntryFindings{ID: r.ID, Code: r.Code, Name: r.Name, Status: r.Status, Findings: fs})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, c := range counts {
		rep.Rules = append(rep.Rules, *c)
	}
	sort.Slice(rep.Rules, func(i, j int) bool {
		if rep.Rules[i].Severity != rep.Rules[j].Severity {
			return rep.Rules[i].Severity == SevError
		}
		return rep.Rules[i].Count > rep.Rules[j].Count
	})
	sort.SliceStable(rep.Entries, func(i, j int) bool {
		return hasError(rep.Entries[i].Findings) && !hasError(rep.Entries[j].Findings)
	})
	if len(rep.Entries) > 500 {
		rep.Entries = rep.Entries[:500]
	}
	if rep.Total > 0 {
		rep.Conformance = float64(rep.Total-rep.WithErrors) / float64(rep.Total)
	} else {
		rep.Conformance = 1
	}
	return rep, nil
}

func hasError(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == SevError {
			return true
		}
	}
	return false
}

// generalField turns items[3].name into items[].name for counting.
func generalField(f string) string {
	out := make([]byte, 0, len(f))
	skip := false
	for i := 0; i < len(f); i++ {
		switch {
		case f[i] == '[':
			skip = true
			out = append(out, '[')
		case f[i] == ']':
			skip = false
			out = append(out, ']')
		case !skip:
			out = append(out, f[i])
		}
	}
	return string(out)
}

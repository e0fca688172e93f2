package catalog

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Change is one field-level difference between two versions.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// ignoredInDiff are bookkeeping fields every version changes.
var ignoredInDiff = map[string]bool{"version": true, "updated_at": true, "published_version": true, "created_at": true}

// Diff compares two resources field by field, with paths like
// "items[3].name" and "share.conditions".
func Diff(before, after *Resource) []Change {
	a, b := flatten(before), flatten(after)
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out []Change
	for k := range keys {
		if ignoredInDiff[k] {
			continue
		}
		if a[k] != b[k] {
			out = append(out, Change{Field: k, Before: a[k], After: b[k]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func flatten(r *Resource) map[string]string {
	out := map[string]string{}
	if r == nil {
		return out
	}
	raw, _ := json.Marshal(r)
	var v any
	_ = json.Unmarshal(raw, &v)
	walk("", v, out)
	return out
}

func walk(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			walk(p, val, out)
		}
	case []any:
		for i, val := range x {
			walk(fmt.Sprintf("%s[%d]", prefix, i), val, out)
		}
	case nil:
	case string:
		if x != "" {
			out[prefix] = x
		}
	default:
		s := fmt.Sprint(x)
		if s != "false" && s != "0" {
			out[prefix] = s
		}
	}
}

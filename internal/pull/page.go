package pull

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// parsePage returns the records of a JSON page, each compacted onto one
// line, and the next link or cursor at nextPath ("" when there is none or
// nextPath is "").
func parsePage(body []byte, recordsPath, nextPath string) ([]json.RawMessage, string, error) {
	if !json.Valid(body) {
		return nil, "", errors.New("the response is not JSON")
	}
	arr, ok := lookup(body, recordsPath)
	if !ok {
		return nil, "", fmt.Errorf("the response has no %q", recordsPath)
	}
	var raw []json.RawMessage
	if !isNull(arr) {
		if err := json.Unmarshal(arr, &raw); err != nil {
			return nil, "", fmt.Errorf("the records at %q are not an array", recordsPath)
		}
	}
	recs := make([]json.RawMessage, len(raw))
	for i, r := range raw {
		var b bytes.Buffer
		if err := json.Compact(&b, r); err != nil {
			return nil, "", fmt.Errorf("record %d: %w", i+1, err)
		}
		recs[i] = b.Bytes()
	}
	if nextPath == "" {
		return recs, "", nil
	}
	v, ok := lookup(body, nextPath)
	if !ok || isNull(v) {
		return recs, "", nil
	}
	var next string
	switch v[0] {
	case '"':
		if err := json.Unmarshal(v, &next); err != nil {
			return nil, "", fmt.Errorf("the next link at %q: %w", nextPath, err)
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		next = string(v)
	default:
		return nil, "", fmt.Errorf("the next link at %q is not a string or number", nextPath)
	}
	return recs, next, nil
}

// lookup follows a dot path into a JSON document: a part is an object's
// key, or an array's index.
func lookup(doc json.RawMessage, path string) (json.RawMessage, bool) {
	doc = bytes.TrimSpace(doc)
	if path == "" {
		return doc, true
	}
	for part := range strings.SplitSeq(path, ".") {
		if len(doc) == 0 {
			return nil, false
		}
		switch doc[0] {
		case '{':
			var m map[string]json.RawMessage
			if json.Unmarshal(doc, &m) != nil {
				return nil, false
			}
			v, ok := m[part]
			if !ok {
				return nil, false
			}
			doc = bytes.TrimSpace(v)
		case '[':
			i, err := strconv.Atoi(part)
			var a []json.RawMessage
			if err != nil || json.Unmarshal(doc, &a) != nil || i < 0 || i >= len(a) {
				return nil, false
			}
			doc = bytes.TrimSpace(a[i])
		default:
			return nil, false
		}
	}
	return doc, true
}

func isNull(v json.RawMessage) bool { return string(v) == "null" }

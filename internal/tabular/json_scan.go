package tabular

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// objectFields returns the keys and values of b, one JSON value known to
// be valid (checked by json.Valid or a json.Decoder), as cells.
func objectFields(b []byte, l loc) ([]field, error) {
	i := skipSpace(b, 0)
	if b[i] != '{' {
		return nil, invalidAt(l, nil, "the value is not a JSON object", "该值不是 JSON 对象")
	}
	var fields []field
	var seen map[string]bool // for objects with many keys
	var bad error
	for i = skipSpace(b, i+1); b[i] != '}'; {
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		end := stringEnd(b, i)
		key := unquote(b[i:end])
		i = skipSpace(b, skipSpace(b, end)+1) // past the colon
		vend := valueEnd(b, i)
		if bad == nil && hasKey(fields, &seen, key) {
			bad = invalidAt(loc{unit: l.unit, n: l.n, column: key}, nil,
				"the key appears twice in the object", "该键在对象中出现了两次")
		}
		fields = append(fields, field{key, render(b[i:vend])})
		i = skipSpace(b, vend) // at a comma or the closing brace
	}
	return fields, bad
}

// hasKey reports whether fields has key, and records key in seen once
// there are many fields.
func hasKey(fields []field, seen *map[string]bool, key string) bool {
	const many = 16
	if len(fields) < many {
		for _, f := range fields {
			if f.key == key {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]bool, 2*many)
		for _, f := range fields {
			(*seen)[f.key] = true
		}
	}
	dup := (*seen)[key]
	(*seen)[key] = true
	return dup
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string starting at b[i].
func stringEnd(b []byte, i int) int {
	for j := i + 1; ; {
		k := bytes.IndexAny(b[j:], `"\`)
		if b[j+k] == '"' {
			return j + k + 1
		}
		j += k + 2 // past a backslash and the character it escapes
	}
}

// valueEnd returns the index after the value starting at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; ; j++ {
			switch b[j] {
			case '"':
				j = stringEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
	}
	j := i // a number, true, false or null
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return j
		}
		j++
	}
	return j
}

// unquote decodes the JSON string q, quotes included.
func unquote(q []byte) string {
	if s := q[1 : len(q)-1]; bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		return string(s)
	}
	var s string
	_ = json.Unmarshal(q, &s) // valid JSON; invalid UTF-8 becomes U+FFFD
	return s
}

// render turns a valid JSON value into a cell: strings unquoted, numbers as
// written, true and false, null as "", arrays and objects as compact JSON.
func render(v []byte) string {
	switch v[0] {
	case 'n':
		return ""
	case '"':
		return unquote(v)
	case '{', '[':
		var b bytes.Buffer
		_ = json.Compact(&b, v)
		return b.String()
	}
	return string(v) // a number as written, true or false
}

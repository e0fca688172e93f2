package verify

import "time"

// Methods of comparison.
const (
	MethodScan        = "scan"         // Store.Scan of both sides, joined in memory
	MethodDuckDBSQL   = "duckdb_sql"   // SQL over the DuckDB store's files
	MethodPostgresSQL = "postgres_sql" // SQL inside the PostgreSQL store
)

// Sides, for Request.Authoritative.
const (
	SideA = "a"
	SideB = "b"
)

// Sample sizes.
const (
	DefaultSampleLimit = 1000
	MaxSampleLimit     = 10000
)

// Request says what to compare.
type Request struct {
	A Side `json:"a"`
	B Side `json:"b"`
	// Key is the item both sides are joined on, e.g. 公民身份号码.
	Key Field `json:"key"`
	// Attributes are the items compared, e.g. 姓名, 出生日期, 户籍地址.
	Attributes []Field `json:"attributes"`
	// Authoritative is the side that is the authoritative source of the
	// compared facts (SideA, SideB, or "" when neither is): the caller
	// finds it among the catalog's sources (see AuthoritativeSide).
	Authoritative string `json:"authoritative,omitempty"`
	// SampleLimit caps the conflicts kept in the report
	// (DefaultSampleLimit when 0, at most MaxSampleLimit).
	SampleLimit int `json:"sample_limit,omitempty"`
	// Method forces a method (MethodScan, MethodDuckDBSQL or
	// MethodPostgresSQL); "" picks the fastest the store allows.
	Method string `json:"method,omitempty"`
}

// Side is one dataset of the record store.
type Side struct {
	Dataset string `json:"dataset"`
	// Version is the version to read; 0 means the current one.
	Version int64 `json:"version,omitempty"`
	// ResourceID is the catalog resource the dataset holds, if any; Run
	// fills OrgID from it.
	ResourceID string `json:"resource_id,omitempty"`
	// OrgID is the providing organisation.
	OrgID string `json:"org_id,omitempty"`
}

// Field names an item on both sides. A and B are the column on each side:
// its label (the data item's name) or its stored column name; each
// defaults to Name.
type Field struct {
	Name string `json:"name"`
	A    string `json:"a,omitempty"`
	B    string `json:"b,omitempty"`
}

// Report is the result of a comparison.
type Report struct {
	A SideReport `json:"a"`
	B SideReport `json:"b"`
	// Key is the key item's name.
	Key        string            `json:"key"`
	Attributes []AttributeReport `json:"attributes"`
	// MatchedKeys are the distinct keys found on both sides; OnlyA and
	// OnlyB those found on one side only.
	MatchedKeys int64 `json:"matched_keys"`
	OnlyA       int64 `json:"only_a"`
	OnlyB       int64 `json:"only_b"`
	// AmbiguousKeys are matched keys held by several rows of a side:
	// they are not compared. ComparedKeys = MatchedKeys - AmbiguousKeys.
	AmbiguousKeys int64 `json:"ambiguous_keys"`
	ComparedKeys  int64 `json:"compared_keys"`
	// ConflictingKeys are compared keys with at least one attribute
	// differing; Conflicts counts the differing (key, attribute) pairs.
	ConflictingKeys int64 `json:"conflicting_keys"`
	Conflicts       int64 `json:"conflicts"`
	// Sample holds the first SampleLimit conflicts (see the package
	// documentation for the order); Truncated says whether there were
	// more.
	Sample      []Conflict `json:"sample"`
	SampleLimit int        `json:"sample_limit"`
	Truncated   bool       `json:"truncated"`
	// Authoritative is the authoritative side ("a", "b" or "").
	Authoritative string `json:"authoritative,omitempty"`
	Method        string `json:"method"`
	// DurationMS is the comparison's wall-clock time in milliseconds.
	DurationMS int64 `json:"duration_ms"`
}

// Duration returns the comparison's wall-clock time.
func (r *Report) Duration() time.Duration { return time.Duration(r.DurationMS) * time.Millisecond }

// SideReport describes one side of a comparison.
type SideReport struct {
	Dataset    string `json:"dataset"`
	Version    int64  `json:"version"`
	ResourceID string `json:"resource_id,omitempty"`
	OrgID      string `json:"org_id,omitempty"`
	// KeyColumn is the stored column the key was read from.
	KeyColumn string `json:"key_column"`
	Rows      int64  `json:"rows"`
	// Keys are the distinct non-NULL keys; NullKeys the rows without a
	// key; DuplicateKeys the distinct keys held by more than one row.
	Keys          int64 `json:"keys"`
	NullKeys      int64 `json:"null_keys"`
	DuplicateKeys int64 `json:"duplicate_keys"`
}

// AttributeReport is the outcome for one compared attribute.
type AttributeReport struct {
	Name    string `json:"name"`
	ColumnA string `json:"column_a"`
	ColumnB string `json:"column_b"`
	// Matches and Conflicts split the compared keys.
	Matches   int64 `json:"matches"`
	Conflicts int64 `json:"conflicts"`
	// MatchRate is Matches / (Matches + Conflicts), 0 when nothing was
	// compared.
	MatchRate float64 `json:"match_rate"`
}

// Conflict is one attribute of one key that differs. A NULL value is nil.
type Conflict struct {
	Key       string  `json:"key"`
	Attribute string  `json:"attribute"`
	A         *string `json:"a"`
	B         *string `json:"b"`
}

// Run is a stored verification run. Lists leave Report nil; Get fills it.
type Run struct {
	ID              string    `json:"id"`
	NodeID          string    `json:"node_id"`
	OrgID           string    `json:"org_id"` // the organisation of who ran it
	ResourceA       string    `json:"resource_a,omitempty"`
	ResourceB       string    `json:"resource_b,omitempty"`
	OrgA            string    `json:"org_a,omitempty"`
	OrgB            string    `json:"org_b,omitempty"`
	DatasetA        string    `json:"dataset_a"`
	VersionA        int64     `json:"version_a"`
	DatasetB        string    `json:"dataset_b"`
	VersionB        int64     `json:"version_b"`
	Key             string    `json:"key"`
	Authoritative   string    `json:"authoritative,omitempty"`
	RowsA           int64     `json:"rows_a"`
	RowsB           int64     `json:"rows_b"`
	MatchedKeys     int64     `json:"matched_keys"`
	OnlyA           int64     `json:"only_a"`
	OnlyB           int64     `json:"only_b"`
	ConflictingKeys int64     `json:"conflicting_keys"`
	Method          string    `json:"method"`
	DurationMS      int64     `json:"duration_ms"`
	CreatedBy       string    `json:"created_by"`
	CreatedByName   string    `json:"created_by_name"`
	CreatedAt       time.Time `json:"created_at"`
	Report          *Report   `json:"report,omitempty"`
}

// RunFilter selects runs for List.
type RunFilter struct {
	// ResourceID selects runs with the resource on either side.
	ResourceID string `json:"resource_id,omitempty"`
	// OrgID selects runs run by, or about the data of, the organisation.
	OrgID  string `json:"org_id,omitempty"`
	Limit  int    `json:"limit,omitempty"` // 50 when 0, at most 500
	Offset int    `json:"offset,omitempty"`
}

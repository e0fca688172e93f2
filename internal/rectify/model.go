package rectify

import (
	"context"
	"encoding/json"
	"time"
)

// Status is a ticket's place in its lifecycle.
type Status string

const (
	Open         Status = "open"
	Acknowledged Status = "acknowledged"
	Fixed        Status = "fixed"
	Verified     Status = "verified"
	Closed       Status = "closed"
	Rejected     Status = "rejected"
)

// Statuses in lifecycle order.
var Statuses = []Status{Open, Acknowledged, Fixed, Verified, Closed, Rejected}

// Active reports whether a ticket in status s still needs work (neither
// closed nor rejected).
func (s Status) Active() bool { return s != Closed && s != Rejected }

// Source says where an issue came from.
type Source string

const (
	SourceRule         Source = "rule"         // a load's rejected rows
	SourceVerification Source = "verification" // conflicts of a verification run
	SourceConsumer     Source = "consumer"     // raised by a user of the data
)

// Transitions (and, for the history only, ActRaise and ActEscalate).
const (
	ActAcknowledge = "acknowledge"
	ActFix         = "fix"
	ActVerify      = "verify"
	ActReopen      = "reopen"
	ActClose       = "close"
	ActReject      = "reject"
	ActRaise       = "raise"
	ActEscalate    = "escalate"
)

// DefaultDeadlineDays is the working days a provider has to fix an issue.
const DefaultDeadlineDays = 10

// Ticket is one rectification request to a providing organisation.
type Ticket struct {
	ID            string `json:"id"`
	NodeID        string `json:"node_id"`
	OrgID         string `json:"org_id"` // the provider that must fix it
	OrgName       string `json:"org_name"`
	RaisedOrgID   string `json:"raised_org_id"`
	RaisedOrgName string `json:"raised_org_name"`
	RaisedBy      string `json:"raised_by"` // user id
	RaisedByName  string `json:"raised_by_name"`
	Source        Source `json:"source"`
	ResourceID    string `json:"resource_id,omitempty"`
	Dataset       string `json:"dataset,omitempty"`
	LoadID        string `json:"load_id,omitempty"`
	RunID         string `json:"run_id,omitempty"`
	RecordKey     string `json:"record_key,omitempty"`
	Item          string `json:"item,omitempty"`
	Title         string `json:"title"`
	// TitleEN is the English title of generated tickets (rule and
	// verification sources); consumers' tickets have only Title.
	TitleEN     string `json:"title_en,omitempty"`
	Description string `json:"description,omitempty"`
	// Detail is structured detail of generated tickets: rejections by
	// rule, or the verification's attributes and sample conflicts.
	Detail   json.RawMessage `json:"detail,omitempty"`
	Affected int64           `json:"affected"` // rows or keys affected
	Status   Status          `json:"status"`
	Deadline time.Time       `json:"deadline"`
	// Overdue: past the deadline and still active, as of the read.
	Overdue      bool       `json:"overdue"`
	Escalated    bool       `json:"escalated"`
	EscalatedAt  *time.Time `json:"escalated_at,omitempty"`
	RejectReason string     `json:"reject_reason,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	// History is every transition, oldest first (Get fills it).
	History []Event `json:"history,omitempty"`
}

// Event is one transition of a ticket.
type Event struct {
	Seq       int       `json:"seq"`
	Action    string    `json:"action"`
	From      Status    `json:"from"` // "" for raise
	To        Status    `json:"to"`
	Note      string    `json:"note,omitempty"`
	OrgID     string    `json:"org_id"` // the actor's organisation, "" for the system
	ActorID   string    `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	At        time.Time `json:"at"`
}

// Issue is what Raise needs to open a ticket.
type Issue struct {
	// ResourceID is the catalog resource concerned; its provider gets the
	// ticket. Without it, OrgID names the provider.
	ResourceID string `json:"resource_id,omitempty"`
	OrgID      string `json:"org_id,omitempty"`
	Dataset    string `json:"dataset,omitempty"`
	// RecordKey and Item locate the problem: a record's key, a column.
	RecordKey   string `json:"record_key,omitempty"`
	Item        string `json:"item,omitempty"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Affected    int64  `json:"affected,omitempty"`
	// DeadlineDays overrides DefaultDeadlineDays (1 to 60 working days).
	DeadlineDays int `json:"deadline_days,omitempty"`
}

// Filter selects tickets for List.
type Filter struct {
	OrgID       string   `json:"org_id,omitempty"`        // the provider
	RaisedOrgID string   `json:"raised_org_id,omitempty"` // the raiser's organisation
	ResourceID  string   `json:"resource_id,omitempty"`
	Source      Source   `json:"source,omitempty"`
	Statuses    []Status `json:"statuses,omitempty"`
	Overdue     bool     `json:"overdue,omitempty"` // only active tickets past their deadline
	Escalated   bool     `json:"escalated,omitempty"`
	Limit       int      `json:"limit,omitempty"` // 50 when 0, at most 500
	Offset      int      `json:"offset,omitempty"`
}

// OrgSummary counts one provider's tickets.
type OrgSummary struct {
	OrgID     string `json:"org_id"`
	OrgName   string `json:"org_name"`
	Active    int    `json:"active"`    // neither closed nor rejected
	Overdue   int    `json:"overdue"`   // active and past the deadline
	Escalated int    `json:"escalated"` // active and escalated
	Closed    int    `json:"closed"`
	Rejected  int    `json:"rejected"`
}

// Allowed is a transition the caller may make on a ticket, for the UI.
type Allowed struct {
	Action    string `json:"action"`
	NeedsNote bool   `json:"needs_note"`
	LabelZH   string `json:"label_zh"`
	LabelEN   string `json:"label_en"`
	Target    Status `json:"target"`
}

// Verifier re-checks a fixed ticket: it reports whether the problem is
// gone and, when it is not, why. Fix runs it when the service has one.
type Verifier func(ctx context.Context, t *Ticket) (resolved bool, reason string, err error)

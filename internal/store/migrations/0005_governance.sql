-- Governance (GOV-2, GOV-3, GOV-4): multi-source verification runs,
-- rectification tickets with their history, and lineage edges. Every row
-- records the node and organisation that own it.

-- One comparison of two datasets of the record store (internal/verify).
-- The whole report, with its bounded sample of conflicts, is kept as JSON;
-- the columns beside it are what lists filter and show.
CREATE TABLE verification_runs (
    id               TEXT PRIMARY KEY,
    node_id          TEXT NOT NULL,
    org_id           TEXT NOT NULL REFERENCES organisations(id), -- the organisation of who ran it
    resource_a       TEXT NOT NULL DEFAULT '',  -- catalog resource of side A ('' for none)
    resource_b       TEXT NOT NULL DEFAULT '',
    org_a            TEXT NOT NULL DEFAULT '',  -- providing organisation of side A
    org_b            TEXT NOT NULL DEFAULT '',
    dataset_a        TEXT NOT NULL,
    version_a        BIGINT NOT NULL,
    dataset_b        TEXT NOT NULL,
    version_b        BIGINT NOT NULL,
    key_name         TEXT NOT NULL,             -- the key's data item, e.g. 公民身份号码
    authoritative    TEXT NOT NULL DEFAULT '',  -- a | b | '' (one data, one source)
    rows_a           BIGINT NOT NULL,
    rows_b           BIGINT NOT NULL,
    matched_keys     BIGINT NOT NULL,
    only_a           BIGINT NOT NULL,
    only_b           BIGINT NOT NULL,
    conflicting_keys BIGINT NOT NULL,
    method           TEXT NOT NULL,             -- duckdb_sql | scan
    duration_ms      BIGINT NOT NULL,
    report           TEXT NOT NULL,             -- verify.Report as JSON
    created_by       TEXT NOT NULL,
    created_by_name  TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX verification_runs_created ON verification_runs(created_at);
CREATE INDEX verification_runs_resource_a ON verification_runs(resource_a, created_at);
CREATE INDEX verification_runs_resource_b ON verification_runs(resource_b, created_at);

-- A rectification ticket (internal/rectify): a problem with a provider's
-- data, sent to the providing organisation (org_id) with a working-day
-- deadline and tracked to closure.
CREATE TABLE rectification_tickets (
    id             TEXT PRIMARY KEY,
    node_id        TEXT NOT NULL,
    org_id         TEXT NOT NULL REFERENCES organisations(id), -- the provider that must fix it
    raised_org_id  TEXT NOT NULL REFERENCES organisations(id),
    raised_by      TEXT NOT NULL,             -- user id
    raised_by_name TEXT NOT NULL,
    source         TEXT NOT NULL,             -- rule | verification | consumer
    resource_id    TEXT NOT NULL DEFAULT '',
    dataset        TEXT NOT NULL DEFAULT '',
    load_id        TEXT NOT NULL DEFAULT '',  -- source rule: the load whose rows were rejected
    run_id         TEXT NOT NULL DEFAULT '',  -- source verification: the verification run
    record_key     TEXT NOT NULL DEFAULT '',  -- source consumer: the record's key
    item           TEXT NOT NULL DEFAULT '',  -- the data item (column) concerned
    title          TEXT NOT NULL,
    title_en       TEXT NOT NULL DEFAULT '',  -- generated tickets: the title in English
    description    TEXT NOT NULL DEFAULT '',
    detail         TEXT NOT NULL DEFAULT '',  -- JSON: counts by rule, sample conflicts
    affected       BIGINT NOT NULL DEFAULT 0, -- rows or keys affected
    status         TEXT NOT NULL,             -- open | acknowledged | fixed | verified | closed | rejected
    deadline       TEXT NOT NULL,
    escalated      INTEGER NOT NULL DEFAULT 0,
    escalated_at   TEXT,
    reject_reason  TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    closed_at      TEXT
);
CREATE INDEX rectification_tickets_org ON rectification_tickets(org_id, status);
CREATE INDEX rectification_tickets_raised ON rectification_tickets(raised_org_id, status);
CREATE INDEX rectification_tickets_deadline ON rectification_tickets(status, deadline);
CREATE INDEX rectification_tickets_resource ON rectification_tickets(resource_id);

-- Every transition of a ticket, in order.
CREATE TABLE rectification_events (
    ticket_id   TEXT NOT NULL REFERENCES rectification_tickets(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    action      TEXT NOT NULL,   -- raise | acknowledge | fix | verify | reopen | close | reject | escalate
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    node_id     TEXT NOT NULL,
    org_id      TEXT NOT NULL,   -- the actor's organisation ('' for the system)
    actor_id    TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);

-- Lineage (internal/lineage): how data flows from sources through
-- datasets to derived datasets. An edge points downstream, from -> to.
-- Links between datasets sharing a key element are computed from the
-- catalog, not stored.
CREATE TABLE lineage_edges (
    id         {{autoid}},
    node_id    TEXT NOT NULL,
    org_id     TEXT NOT NULL REFERENCES organisations(id),
    from_kind  TEXT NOT NULL,             -- source | resource | dataset
    from_ref   TEXT NOT NULL,             -- source name, resource id or dataset name
    from_label TEXT NOT NULL DEFAULT '',
    to_kind    TEXT NOT NULL,
    to_ref     TEXT NOT NULL,
    to_label   TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL,             -- pull_source | load | derived_from
    label      TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (from_kind, from_ref, to_kind, to_ref, kind)
);
CREATE INDEX lineage_edges_from ON lineage_edges(from_kind, from_ref);
CREATE INDEX lineage_edges_to ON lineage_edges(to_kind, to_ref);
CREATE INDEX lineage_edges_org ON lineage_edges(org_id);

-- Aggregation: loads (durable jobs that put a file or a pull into a new
-- dataset version of the record store) and the rules a resource adds to
-- those its data items imply.

CREATE TABLE loads (
    id              TEXT PRIMARY KEY,
    node_id         TEXT NOT NULL REFERENCES nodes(id),
    org_id          TEXT NOT NULL REFERENCES organisations(id), -- the providing organisation
    resource_id     TEXT NOT NULL REFERENCES resources(id),
    resource_code   TEXT NOT NULL,
    dataset         TEXT NOT NULL,
    mode            TEXT NOT NULL,              -- full | incremental
    state           TEXT NOT NULL,              -- queued | running | succeeded | failed
    source_kind     TEXT NOT NULL,              -- upload | push | db | http
    source_name     TEXT NOT NULL,
    source_ref      TEXT NOT NULL DEFAULT '',   -- aggregation source id, for pulls
    idempotency_key TEXT,                       -- push batches: a retried batch is not loaded twice
    spec            TEXT NOT NULL,              -- the load's ingest spec and options as JSON
    staged_path     TEXT NOT NULL DEFAULT '',   -- the staged file, until the load succeeds
    total_bytes     INTEGER NOT NULL DEFAULT 0,
    bytes           INTEGER NOT NULL DEFAULT 0,
    rows_read       INTEGER NOT NULL DEFAULT 0,
    rows_accepted   INTEGER NOT NULL DEFAULT 0,
    rows_rejected   INTEGER NOT NULL DEFAULT 0,
    rows_deleted    INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 0, -- the published dataset version
    result          TEXT NOT NULL DEFAULT '',   -- counts by rule, header, format... as JSON
    error           TEXT NOT NULL DEFAULT '',   -- the apperr of a failed load as JSON
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    submitted_by    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    started_at      TEXT NOT NULL DEFAULT '',
    finished_at     TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL
);
CREATE INDEX loads_state ON loads(state, next_attempt_at);
CREATE INDEX loads_resource ON loads(resource_id, created_at);
CREATE INDEX loads_org ON loads(org_id, created_at);
CREATE UNIQUE INDEX loads_idempotency ON loads(resource_id, idempotency_key);

CREATE TABLE resource_rules (
    resource_id TEXT PRIMARY KEY REFERENCES resources(id),
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    rules       TEXT NOT NULL,   -- []quality.Rule as JSON
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Pull sources of aggregation: databases and HTTP APIs a resource's data
-- is pulled from on a schedule (physical aggregation), or read from at
-- request time (logical aggregation, 逻辑接入).

CREATE TABLE pull_sources (
    id           TEXT PRIMARY KEY,
    node_id      TEXT NOT NULL REFERENCES nodes(id),
    org_id       TEXT NOT NULL REFERENCES organisations(id),
    resource_id  TEXT NOT NULL REFERENCES resources(id),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,              -- db | http
    config       TEXT NOT NULL,              -- JSON without secrets
    secret       TEXT NOT NULL DEFAULT '',   -- sealed (AES-256-GCM): DSN or HTTP headers
    mode         TEXT NOT NULL,              -- full | incremental
    mapping      TEXT NOT NULL DEFAULT '',   -- JSON: source column -> data item
    logical      INTEGER NOT NULL DEFAULT 0, -- 1: reads are forwarded to the source
    schema       TEXT NOT NULL DEFAULT '',   -- captured columns (JSON)
    schedule     TEXT NOT NULL DEFAULT '',   -- '' manual | 'cycle' (the resource's update cycle) | a cron expression
    next_run_at  TEXT NOT NULL DEFAULT '',
    watermark    TEXT NOT NULL DEFAULT '',   -- resumed by the next incremental pull
    enabled      INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX pull_sources_resource ON pull_sources(resource_id);
CREATE INDEX pull_sources_due ON pull_sources(enabled, next_run_at);

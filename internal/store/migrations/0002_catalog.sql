-- The catalog: classifications, standard data elements, resources with
-- their data items and versions, authoritative sources, update events and
-- the working-day calendar overrides.

CREATE TABLE classifications (
    code        TEXT PRIMARY KEY,   -- 1 digit (类), 3 (项), 6 (目) or 9 (细目)
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    parent_code TEXT,
    library     TEXT NOT NULL       -- base | theme | department
);

CREATE TABLE standard_elements (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    name_en     TEXT NOT NULL DEFAULT '',
    data_type   TEXT NOT NULL,
    length      INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE resource_sequences (
    class_code TEXT PRIMARY KEY,
    next_seq   INTEGER NOT NULL
);

CREATE TABLE resources (
    id                TEXT PRIMARY KEY,
    node_id           TEXT NOT NULL REFERENCES nodes(id),
    org_id            TEXT NOT NULL REFERENCES organisations(id),
    code              TEXT NOT NULL UNIQUE,
    class_code        TEXT NOT NULL,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL,
    version           INTEGER NOT NULL,
    published_version INTEGER,
    level             TEXT NOT NULL,
    sensitivity       TEXT NOT NULL,
    share_type        TEXT NOT NULL,
    open_type         TEXT NOT NULL,
    update_cycle      TEXT NOT NULL,
    doc               TEXT NOT NULL,   -- the whole entry as JSON (working copy)
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX resources_org_status ON resources(org_id, status);
CREATE INDEX resources_status ON resources(status);

CREATE TABLE data_items (
    resource_id  TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    data_type    TEXT NOT NULL,
    element_code TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL,
    sensitivity  TEXT NOT NULL,
    PRIMARY KEY (resource_id, position)
);
CREATE INDEX data_items_element ON data_items(element_code);

CREATE TABLE resource_versions (
    resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    action      TEXT NOT NULL,      -- create | update | submit | return | org_approve | approve | publish | retire | import
    reason      TEXT NOT NULL DEFAULT '',
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    at          TEXT NOT NULL,
    doc         TEXT NOT NULL,
    diff        TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (resource_id, version)
);

CREATE TABLE authoritative_sources (
    element_code TEXT NOT NULL REFERENCES standard_elements(code),
    region_code  TEXT NOT NULL REFERENCES regions(code),
    resource_id  TEXT NOT NULL REFERENCES resources(id),
    item_code    TEXT NOT NULL,
    org_id       TEXT NOT NULL REFERENCES organisations(id),
    node_id      TEXT NOT NULL,
    declared_by  TEXT NOT NULL,
    declared_at  TEXT NOT NULL,
    PRIMARY KEY (element_code, region_code)
);

CREATE TABLE update_events (
    id            TEXT PRIMARY KEY,
    node_id       TEXT NOT NULL,
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    resource_id   TEXT REFERENCES resources(id),
    kind          TEXT NOT NULL,     -- law | duty | other
    title         TEXT NOT NULL,
    occurred_on   TEXT NOT NULL,     -- YYYY-MM-DD
    recorded_at   TEXT NOT NULL,
    deadline      TEXT NOT NULL,     -- YYYY-MM-DD, end of that working day
    resolved_at   TEXT,
    resolved_version INTEGER,
    recorded_by   TEXT NOT NULL
);
CREATE INDEX update_events_org ON update_events(org_id, resolved_at);

CREATE TABLE calendar_overrides (
    day        TEXT PRIMARY KEY,     -- YYYY-MM-DD
    kind       TEXT NOT NULL,        -- holiday | workday
    name       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

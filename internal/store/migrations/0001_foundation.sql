-- Foundation: nodes, regions, organisations, identity, action log.
-- Every entity records the node and organisation that own it.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,           -- GB/T 2260 six digits
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    parent_code TEXT,
    level       TEXT NOT NULL               -- province | city | county
);

CREATE TABLE nodes (
    id          TEXT PRIMARY KEY,
    role        TEXT NOT NULL,              -- province | city | department | exchange
    region_code TEXT NOT NULL REFERENCES regions(code),
    name        TEXT NOT NULL,
    parent_id   TEXT REFERENCES nodes(id),
    is_local    INTEGER NOT NULL DEFAULT 0, -- 1 for the node this deployment is
    created_at  TEXT NOT NULL
);

CREATE TABLE organisations (
    id            TEXT PRIMARY KEY,
    node_id       TEXT NOT NULL REFERENCES nodes(id),
    name          TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    provider_code TEXT NOT NULL UNIQUE,     -- short code used in resource metadata
    uscc          TEXT NOT NULL UNIQUE,     -- GB 32100 unified social credit code
    kind          TEXT NOT NULL,            -- authority | department | bureau | institution | utility
    region_code   TEXT NOT NULL REFERENCES regions(code),
    parent_id     TEXT REFERENCES organisations(id),
    duties        TEXT NOT NULL DEFAULT '', -- who is responsible for what
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX organisations_node ON organisations(node_id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    node_id       TEXT NOT NULL REFERENCES nodes(id),
    org_id        TEXT NOT NULL REFERENCES organisations(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,          -- SHA-256 of the token; the token itself is never stored
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,             -- web | api
    csrf_token   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The action log: one append-only table, written by one function
-- (actionlog.Append). The tamper-evident audit trail will take it over.
CREATE TABLE action_log (
    seq          {{autoid}},
    at           TEXT NOT NULL,
    node_id      TEXT NOT NULL,
    org_id       TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    actor_name   TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    before_json  TEXT NOT NULL DEFAULT '',
    after_json   TEXT NOT NULL DEFAULT '',
    remote_addr  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX action_log_entity ON action_log(entity_type, entity_id);
CREATE INDEX action_log_org ON action_log(org_id, seq);

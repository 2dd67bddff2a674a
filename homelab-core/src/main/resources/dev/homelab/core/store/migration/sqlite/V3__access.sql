-- Access control: card policies, reader groups, the policy revision and the access log.
-- Times are epoch milliseconds; booleans are INTEGER 0/1; sets are JSON arrays.
CREATE TABLE card_policies (
  uid           TEXT    NOT NULL PRIMARY KEY,
  holder        TEXT,
  enabled       INTEGER NOT NULL,
  valid_from    INTEGER,
  valid_until   INTEGER,
  readers       TEXT    NOT NULL CHECK (json_valid(readers)),
  reader_groups TEXT    NOT NULL CHECK (json_valid(reader_groups)),
  schedule      TEXT    CHECK (schedule IS NULL OR json_valid(schedule)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE reader_groups (
  name       TEXT    NOT NULL PRIMARY KEY,
  readers    TEXT    NOT NULL CHECK (json_valid(readers)),
  updated_at INTEGER NOT NULL
);

-- One row: bumped by every policy change, so engines notice other instances' changes cheaply.
CREATE TABLE access_policy_revision (
  id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT INTO access_policy_revision (id, revision) VALUES (1, 0);

-- Append-only apart from retention. Ids are time-ordered UUIDs, so id order is time order.
CREATE TABLE access_logs (
  id         TEXT    NOT NULL PRIMARY KEY,
  time       INTEGER NOT NULL,
  device_id  TEXT    NOT NULL,
  card_uid   TEXT    NOT NULL,
  granted    INTEGER NOT NULL,
  reason     TEXT    NOT NULL,
  holder     TEXT,
  latency_ms DOUBLE  NOT NULL
);
CREATE INDEX access_logs_by_time ON access_logs (time);
CREATE INDEX access_logs_by_device ON access_logs (device_id, id);
CREATE INDEX access_logs_by_card ON access_logs (card_uid, id);

-- API keys may now have the 'access' scope (only POST /api/access/check). SQLite cannot change a
-- CHECK constraint in place, so the table is rebuilt; nothing references it.
CREATE TABLE api_keys_v3 (
  id          TEXT    NOT NULL PRIMARY KEY,
  user_id     TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        TEXT    NOT NULL,
  scope       TEXT    NOT NULL CHECK (scope IN ('admin', 'user', 'viewer', 'access')),
  secret_hash TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER
);
INSERT INTO api_keys_v3 SELECT id, user_id, name, scope, secret_hash, created_at, expires_at
  FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_v3 RENAME TO api_keys;
CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at);

-- Access control: card policies, reader groups, the policy revision and the access log.
-- Booleans are INTEGER 0/1 so that both dialects read them the same way; sets are JSON arrays.
CREATE TABLE card_policies (
  uid           TEXT        NOT NULL PRIMARY KEY,
  holder        TEXT,
  enabled       INTEGER     NOT NULL,
  valid_from    TIMESTAMPTZ,
  valid_until   TIMESTAMPTZ,
  readers       JSONB       NOT NULL,
  reader_groups JSONB       NOT NULL,
  schedule      JSONB,
  created_at    TIMESTAMPTZ NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE reader_groups (
  name       TEXT        NOT NULL PRIMARY KEY,
  readers    JSONB       NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

-- One row: bumped by every policy change, so engines notice other instances' changes cheaply.
CREATE TABLE access_policy_revision (
  id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  revision BIGINT  NOT NULL
);
INSERT INTO access_policy_revision (id, revision) VALUES (1, 0);

-- Append-only apart from retention. Ids are time-ordered UUIDs, so id order is time order.
CREATE TABLE access_logs (
  id         TEXT             NOT NULL PRIMARY KEY,
  time       TIMESTAMPTZ      NOT NULL,
  device_id  TEXT             NOT NULL,
  card_uid   TEXT             NOT NULL,
  granted    INTEGER          NOT NULL,
  reason     TEXT             NOT NULL,
  holder     TEXT,
  latency_ms DOUBLE PRECISION NOT NULL
);
CREATE INDEX access_logs_by_time ON access_logs (time);
CREATE INDEX access_logs_by_device ON access_logs (device_id, id);
CREATE INDEX access_logs_by_card ON access_logs (card_uid, id);

-- API keys may now have the 'access' scope (only POST /api/access/check).
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scope_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check
  CHECK (scope IN ('admin', 'user', 'viewer', 'access'));

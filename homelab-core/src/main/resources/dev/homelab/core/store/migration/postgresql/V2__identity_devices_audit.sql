-- Users, their API keys, revoked session tokens, devices and the audit log.
-- Booleans are INTEGER 0/1 so that both dialects read them the same way.
CREATE TABLE users (
  id            TEXT        NOT NULL PRIMARY KEY,
  username      TEXT        NOT NULL UNIQUE,
  role          TEXT        NOT NULL CHECK (role IN ('admin', 'user', 'viewer')),
  password_hash TEXT,
  disabled      INTEGER     NOT NULL DEFAULT 0,
  builtin       INTEGER     NOT NULL DEFAULT 0,
  created_at    TIMESTAMPTZ NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
  id          TEXT        NOT NULL PRIMARY KEY,
  user_id     TEXT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        TEXT        NOT NULL,
  scope       TEXT        NOT NULL CHECK (scope IN ('admin', 'user', 'viewer')),
  secret_hash TEXT        NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  expires_at  TIMESTAMPTZ
);
CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at);

CREATE TABLE revoked_tokens (
  jti        TEXT        NOT NULL PRIMARY KEY,
  expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE devices (
  id          TEXT        NOT NULL PRIMARY KEY,
  owner_id    TEXT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        TEXT        NOT NULL,
  device_type TEXT        NOT NULL,
  description TEXT,
  metadata    JSONB       NOT NULL,
  token_hash  TEXT        UNIQUE,
  created_at  TIMESTAMPTZ NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX devices_by_owner ON devices (owner_id, id);

-- Append-only: the application never updates a row; retention deletes the oldest.
CREATE TABLE audit_log (
  id         BIGSERIAL   NOT NULL PRIMARY KEY,
  time       TIMESTAMPTZ NOT NULL,
  action     TEXT        NOT NULL,
  outcome    TEXT        NOT NULL,
  actor_id   TEXT,
  actor      TEXT,
  source_ip  TEXT,
  request_id TEXT,
  target     TEXT,
  detail     JSONB       NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (time);

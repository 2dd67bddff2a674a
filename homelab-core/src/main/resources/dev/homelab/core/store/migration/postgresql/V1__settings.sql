-- Server settings: one JSON value per key.
CREATE TABLE settings (
  key        TEXT        NOT NULL PRIMARY KEY,
  value      JSONB       NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

-- The file store (see dev.homelab.core.files). Times are INTEGER     like the other tables of
-- this dialect; sizes are bytes.
-- blobs: one row per stored content (the file under STORAGE_PATH named by its SHA-256). The row is
-- the lock that orders an upload that reuses a blob against the removal of its last reference:
-- both lock it before they touch the file on disk.
CREATE TABLE blobs (
  sha256     TEXT        NOT NULL PRIMARY KEY,
  size       INTEGER     NOT NULL,
  created_at INTEGER     NOT NULL
);

-- files: what a user sees. filename is a display name only, never a path; search_name is its
-- lower-cased form for the name search; tags is the JSON array shown, file_tags the same tags for
-- the tag filter.
CREATE TABLE files (
  id           TEXT        NOT NULL PRIMARY KEY,
  owner_id     TEXT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  filename     TEXT        NOT NULL,
  search_name  TEXT        NOT NULL,
  content_type TEXT        NOT NULL,
  size         INTEGER     NOT NULL,
  sha256       TEXT        NOT NULL,
  tags         TEXT        NOT NULL,
  created_at   INTEGER     NOT NULL,
  updated_at   INTEGER     NOT NULL
);
CREATE INDEX files_by_owner ON files (owner_id, id);
CREATE INDEX files_by_sha256 ON files (sha256);

CREATE TABLE file_tags (
  file_id TEXT NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  tag     TEXT NOT NULL,
  PRIMARY KEY (file_id, tag)
);
CREATE INDEX file_tags_by_tag ON file_tags (tag, file_id);

-- Resumable (tus) uploads in progress. upload_offset is what is durably on disk under
-- STORAGE_PATH/uploads/<id>; file_id is set when the upload completed.
CREATE TABLE file_uploads (
  id            TEXT        NOT NULL PRIMARY KEY,
  owner_id      TEXT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  length        INTEGER     NOT NULL,
  upload_offset INTEGER     NOT NULL,
  filename      TEXT        NOT NULL,
  content_type  TEXT        NOT NULL,
  tags          TEXT        NOT NULL,
  file_id       TEXT,
  created_at    INTEGER     NOT NULL,
  expires_at    INTEGER     NOT NULL
);
CREATE INDEX file_uploads_by_expiry ON file_uploads (expires_at);

-- Share links: only the SHA-256 of the token is kept, so a copy of the database opens nothing.
CREATE TABLE file_shares (
  id            TEXT        NOT NULL PRIMARY KEY,
  file_id       TEXT        NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  token_hash    TEXT        NOT NULL UNIQUE,
  created_at    INTEGER     NOT NULL,
  expires_at    INTEGER     NOT NULL,
  max_downloads INTEGER,
  downloads     INTEGER     NOT NULL DEFAULT 0,
  revoked       INTEGER     NOT NULL DEFAULT 0
);
CREATE INDEX file_shares_by_file ON file_shares (file_id, id);

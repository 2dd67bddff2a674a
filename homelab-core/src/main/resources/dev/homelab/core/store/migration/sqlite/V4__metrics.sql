-- Metrics: raw points and the buckets of every rolled tier (see dev.homelab.core.metrics).
-- Times are milliseconds since the epoch. Series are numbered once, so that rows stay small.
CREATE TABLE metric_series (
  id   INTEGER NOT NULL PRIMARY KEY,
  key  TEXT    NOT NULL UNIQUE,
  name TEXT    NOT NULL
);
CREATE INDEX metric_series_by_name ON metric_series (name);

-- One point per series and millisecond: a repeated write is ignored, not counted twice.
CREATE TABLE metric_points (
  series_id INTEGER NOT NULL REFERENCES metric_series (id),
  time      INTEGER NOT NULL,
  value     REAL    NOT NULL,
  PRIMARY KEY (series_id, time)
) WITHOUT ROWID;
CREATE INDEX metric_points_by_time ON metric_points (time);

-- The buckets of every rolled tier, by tier name: count, sum, min, max and the last value with
-- its time, so that averages and extremes are exact at every tier.
CREATE TABLE metric_buckets (
  tier      TEXT    NOT NULL,
  series_id INTEGER NOT NULL REFERENCES metric_series (id),
  start     INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  sum       REAL    NOT NULL,
  min       REAL    NOT NULL,
  max       REAL    NOT NULL,
  last      REAL    NOT NULL,
  last_time INTEGER NOT NULL,
  PRIMARY KEY (tier, series_id, start)
) WITHOUT ROWID;
CREATE INDEX metric_buckets_by_time ON metric_buckets (tier, start);

-- Per rolled tier: everything before the watermark has been rolled up into it.
CREATE TABLE metric_watermarks (
  tier      TEXT    NOT NULL PRIMARY KEY,
  watermark INTEGER NOT NULL
);

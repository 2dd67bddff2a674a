-- Metrics: raw points and the buckets of every rolled tier (see dev.homelab.core.metrics).
-- Times are milliseconds since the epoch. Series are numbered once, so that rows stay small.
CREATE TABLE metric_series (
  id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key  TEXT   NOT NULL UNIQUE,
  name TEXT   NOT NULL
);
CREATE INDEX metric_series_by_name ON metric_series (name);

-- One point per series and millisecond: a repeated write is ignored, not counted twice.
CREATE TABLE metric_points (
  series_id BIGINT           NOT NULL REFERENCES metric_series (id),
  time      BIGINT           NOT NULL,
  value     DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (series_id, time)
);
CREATE INDEX metric_points_by_time ON metric_points (time);

-- The buckets of every rolled tier, by tier name: count, sum, min, max and the last value with
-- its time, so that averages and extremes are exact at every tier.
CREATE TABLE metric_buckets (
  tier      TEXT             NOT NULL,
  series_id BIGINT           NOT NULL REFERENCES metric_series (id),
  start     BIGINT           NOT NULL,
  count     BIGINT           NOT NULL,
  sum       DOUBLE PRECISION NOT NULL,
  min       DOUBLE PRECISION NOT NULL,
  max       DOUBLE PRECISION NOT NULL,
  last      DOUBLE PRECISION NOT NULL,
  last_time BIGINT           NOT NULL,
  PRIMARY KEY (tier, series_id, start)
);
CREATE INDEX metric_buckets_by_time ON metric_buckets (tier, start);

-- Per rolled tier: everything before the watermark has been rolled up into it.
CREATE TABLE metric_watermarks (
  tier      TEXT   NOT NULL PRIMARY KEY,
  watermark BIGINT NOT NULL
);

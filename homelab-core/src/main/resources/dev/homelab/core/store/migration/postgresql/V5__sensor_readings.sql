-- Sensor readings (see dev.homelab.core.telemetry). Times are milliseconds since the epoch.
-- A reading is kept once per device, time and message id: a QoS 1 redelivery or an HTTP retry
-- with the same message id is not stored twice. message_id is '' when the sender gave none, so
-- that readings without one are unique on (device_id, time) (NULLs would never conflict).
-- fields is the reading's numeric fields as a JSON object, in the order they were sent.
-- stored_at is the time of the commit: the collector that feeds the metric tiers reads the
-- readings in id order, only those stored a moment ago, so it never steps over a transaction that
-- took its ids earlier and committed later.
CREATE TABLE sensor_readings (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id  TEXT   NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  time       BIGINT NOT NULL,
  message_id TEXT   NOT NULL,
  fields     TEXT   NOT NULL,
  stored_at  BIGINT NOT NULL,
  UNIQUE (device_id, time, message_id)
);
CREATE INDEX sensor_readings_by_stored_at ON sensor_readings (stored_at);

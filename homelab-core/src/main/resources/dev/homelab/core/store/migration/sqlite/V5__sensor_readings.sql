-- Sensor readings (see dev.homelab.core.telemetry). Times are milliseconds since the epoch.
-- A reading is kept once per device, time and message id: a QoS 1 redelivery or an HTTP retry
-- with the same message id is not stored twice. message_id is '' when the sender gave none, so
-- that readings without one are unique on (device_id, time) (NULLs would never conflict).
-- fields is the reading's numeric fields as a JSON object, in the order they were sent.
-- stored_at is the time of the commit, for the collector's restart point. AUTOINCREMENT: an id is
-- never given again, even after the newest reading went with its device, so the collector's
-- cursor never skips a new reading.
CREATE TABLE sensor_readings (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id  TEXT    NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  time       INTEGER NOT NULL,
  message_id TEXT    NOT NULL,
  fields     TEXT    NOT NULL,
  stored_at  INTEGER NOT NULL,
  UNIQUE (device_id, time, message_id)
);
CREATE INDEX sensor_readings_by_stored_at ON sensor_readings (stored_at);

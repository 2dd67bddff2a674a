-- Device state history (seed 003's device_states): each change of a device's state, or of its
-- availability, heard on MQTT (see dev.homelab.core.telemetry.DeviceStateRecorder). Times are
-- milliseconds since the epoch; a state is the device's JSON object as it published it. The id
-- orders changes recorded in the same millisecond.
CREATE TABLE device_states (
  id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic TEXT   NOT NULL,
  kind  TEXT   NOT NULL,
  time  BIGINT NOT NULL,
  state TEXT   NOT NULL
);
-- A device's history in a range, and its newest change of each kind.
CREATE INDEX device_states_by_topic ON device_states (topic, kind, time);
-- Retention walks the oldest rows.
CREATE INDEX device_states_by_time ON device_states (time);

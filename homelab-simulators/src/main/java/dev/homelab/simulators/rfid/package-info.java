/**
 * What real RFID door readers publish over MQTT: {@link dev.homelab.simulators.rfid.RfidFixtures}
 * lists the recorded and documented payloads of esp-rfid and Tasmota (RC522, PN532, Wiegand), with
 * the topic each firmware publishes them on, for tests, examples and simulated readers.
 */
package dev.homelab.simulators.rfid;

/**
 * Events: named topics on which core publishes what happens (a card decision, a sensor reading, a
 * changed device) and on which the server's streams subscribe.
 *
 * <p>Every {@link dev.homelab.core.events.Event} carries an id that increases with each
 * publication, so that a stream can resume after the last id it delivered, and a {@link
 * dev.homelab.core.events.Visibility} that tells which users may see it.
 */
package dev.homelab.core.events;

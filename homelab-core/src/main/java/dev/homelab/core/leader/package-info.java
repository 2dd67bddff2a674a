/**
 * Leadership: one named role that at most one of several instances holds at a time, for the
 * background work that must run once per deployment and not once per instance (collectors, metric
 * roll-ups, retention).
 *
 * <p>A {@link dev.homelab.core.leader.Leadership} campaigns for a {@link
 * dev.homelab.core.leader.LeaderLock}: it tries to take the lock until it gets it, renews it while
 * it leads, and steps down at once when a renewal fails or its lease runs out. {@link
 * dev.homelab.core.leader.Leadership#always} is the leadership of an instance that is alone, and
 * {@link dev.homelab.core.store.Storage#leadership} gives the one that fits a store (a PostgreSQL
 * advisory lock for PostgreSQL).
 */
package dev.homelab.core.leader;

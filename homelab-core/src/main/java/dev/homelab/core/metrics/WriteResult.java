package dev.homelab.core.metrics;

/**
 * What became of the points of one write.
 *
 * @param stored points stored for the first time
 * @param duplicates points ignored because their series already had a point at that time
 * @param tooLate points refused because their bucket was already rolled up or they were older than
 *     the allowed lateness, or too far in the future
 */
public record WriteResult(int stored, int duplicates, int tooLate) {}

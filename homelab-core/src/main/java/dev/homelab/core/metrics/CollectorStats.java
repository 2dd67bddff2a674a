package dev.homelab.core.metrics;

import java.time.Instant;

/**
 * How a {@link Collector} has fared.
 *
 * @param successes runs that delivered points (retries included in one run)
 * @param failures runs that failed even after every retry
 * @param retries attempts that failed and were retried
 * @param lastSuccess when the last run succeeded, or {@code null}
 * @param lastError the last failure's message, or {@code null} after a success
 */
public record CollectorStats(
    long successes, long failures, long retries, Instant lastSuccess, String lastError) {}

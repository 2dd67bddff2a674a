package dev.homelab.core.access.impl;

import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.Reason;
import java.util.HashSet;
import java.util.Set;

/** A {@link CardPolicy} in the form the decision path reads. Immutable. */
final class CompiledCard {

  final CardPolicy policy;
  private final boolean enabled;
  private final long validFrom;
  private final long validUntil;
  private final boolean anyReader;
  private final Set<String> readers;
  private final Set<String> groups;
  private final CompiledSchedule schedule;

  CompiledCard(CardPolicy policy) {
    this.policy = policy;
    this.enabled = policy.enabled();
    this.validFrom =
        policy.validFrom() == null ? Long.MIN_VALUE : policy.validFrom().toEpochMilli();
    this.validUntil =
        policy.validUntil() == null ? Long.MAX_VALUE : policy.validUntil().toEpochMilli();
    this.anyReader = policy.anyReader();
    this.readers = new HashSet<>(policy.readers());
    this.groups = new HashSet<>(policy.readerGroups());
    this.schedule = policy.schedule() == null ? null : new CompiledSchedule(policy.schedule());
  }

  Reason evaluate(String reader, String[] readerGroups, long now) {
    if (!enabled) {
      return Reason.DISABLED;
    }
    if (now < validFrom) {
      return Reason.NOT_YET_VALID;
    }
    if (now >= validUntil) {
      return Reason.EXPIRED;
    }
    if (!anyReader && !readers.contains(reader) && !inAnyGroup(readerGroups)) {
      return Reason.READER_NOT_ALLOWED;
    }
    if (schedule != null && !schedule.allows(now)) {
      return Reason.OUTSIDE_SCHEDULE;
    }
    return Reason.GRANTED;
  }

  private boolean inAnyGroup(String[] readerGroups) {
    if (readerGroups == null) {
      return false;
    }
    for (String group : readerGroups) {
      if (groups.contains(group)) {
        return true;
      }
    }
    return false;
  }
}

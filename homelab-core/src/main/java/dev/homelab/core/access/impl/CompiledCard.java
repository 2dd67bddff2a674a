package dev.homelab.core.access.impl;

import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.CardUid;
import dev.homelab.core.access.ReaderGroup;
import dev.homelab.core.access.Reason;
import dev.homelab.core.access.WeeklySchedule;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@link CardPolicy} in the form the decision path reads: the readers it may use, its own and
 * those of its groups, as one bit set over a {@link ReaderIndex}, so that the check is a bit test
 * whatever the number of readers and groups. Immutable; recompiled when a group it names changes.
 */
final class CompiledCard {

  final CardPolicy policy;
  final String holder;
  final boolean unambiguous; // see CardUid.isUnambiguous
  private final boolean enabled;
  private final long validFrom;
  private final long validUntil;
  private final boolean anyReader;
  private final long firstReaders; // readers 0-63, inline: most sites have fewer readers
  private final long[] readers;
  private final CompiledSchedule schedule;

  /**
   * @param schedules compiled schedules to share: cards with equal schedules use one instance,
   *     which stays in the CPU cache however many cards there are
   */
  CompiledCard(
      CardPolicy policy,
      ReaderIndex index,
      Map<String, ReaderGroup> groups,
      Map<WeeklySchedule, CompiledSchedule> schedules) {
    this.policy = policy;
    this.holder = policy.holder();
    this.unambiguous = CardUid.isUnambiguous(policy.uid());
    this.enabled = policy.enabled();
    this.validFrom =
        policy.validFrom() == null ? Long.MIN_VALUE : policy.validFrom().toEpochMilli();
    this.validUntil =
        policy.validUntil() == null ? Long.MAX_VALUE : policy.validUntil().toEpochMilli();
    this.anyReader = policy.anyReader();
    long[] bits = index.bits(readersOf(policy, groups));
    this.firstReaders = bits.length == 0 ? 0 : bits[0];
    this.readers = bits.length > 1 ? bits : null;
    this.schedule =
        policy.schedule() == null
            ? null
            : schedules.computeIfAbsent(policy.schedule(), CompiledSchedule::new);
  }

  /** The readers a policy allows: its own and every reader of the groups it names. */
  static Set<String> readersOf(CardPolicy policy, Map<String, ReaderGroup> groups) {
    Set<String> readers = new HashSet<>(policy.readers());
    for (String name : policy.readerGroups()) {
      ReaderGroup group = groups.get(name);
      if (group != null) {
        readers.addAll(group.readers());
      }
    }
    return readers;
  }

  boolean namesGroup(String name) {
    return policy.readerGroups().contains(name);
  }

  private boolean mayUse(int reader) {
    if (reader < 0) {
      return false;
    }
    if (reader < 64) {
      return (firstReaders & (1L << reader)) != 0;
    }
    return readers != null && ReaderIndex.contains(readers, reader);
  }

  /**
   * @param reader the reader's number in the index this card was compiled with, or -1
   */
  Reason evaluate(int reader, long now) {
    if (!enabled) {
      return Reason.DISABLED;
    }
    if (now < validFrom) {
      return Reason.NOT_YET_VALID;
    }
    if (now >= validUntil) {
      return Reason.EXPIRED;
    }
    if (!anyReader && !mayUse(reader)) {
      return Reason.READER_NOT_ALLOWED;
    }
    if (schedule != null && !schedule.allows(now)) {
      return Reason.OUTSIDE_SCHEDULE;
    }
    return Reason.GRANTED;
  }
}

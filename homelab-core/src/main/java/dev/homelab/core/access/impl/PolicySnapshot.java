package dev.homelab.core.access.impl;

import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.ReaderGroup;
import dev.homelab.core.access.WeeklySchedule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every card policy and reader group at one moment, compiled for decisions. Immutable: a change
 * makes a new snapshot, which the engine swaps in atomically, so a decision reads one consistent
 * state without locks.
 */
final class PolicySnapshot {

  final long revision;
  final ReaderIndex readers;
  private final Map<String, CompiledCard> cards;
  private final TreeMap<String, ReaderGroup> groups;
  private final Map<WeeklySchedule, CompiledSchedule> schedules;
  private volatile List<CardPolicy> sorted;

  private PolicySnapshot(
      long revision,
      ReaderIndex readers,
      Map<String, CompiledCard> cards,
      TreeMap<String, ReaderGroup> groups,
      Map<WeeklySchedule, CompiledSchedule> schedules) {
    this.revision = revision;
    this.readers = readers;
    this.cards = cards;
    this.groups = groups;
    this.schedules = schedules;
  }

  static PolicySnapshot of(
      long revision, Collection<CardPolicy> cards, Collection<ReaderGroup> groups) {
    TreeMap<String, ReaderGroup> byName = new TreeMap<>();
    for (ReaderGroup group : groups) {
      byName.put(group.name(), group);
    }
    return compile(revision, cards, byName);
  }

  private static PolicySnapshot compile(
      long revision, Collection<CardPolicy> cards, TreeMap<String, ReaderGroup> groups) {
    ReaderIndex index = ReaderIndex.EMPTY;
    for (CardPolicy card : cards) {
      index = index.with(card.readers());
    }
    for (ReaderGroup group : groups.values()) {
      index = index.with(group.readers());
    }
    Map<String, CompiledCard> compiled = new HashMap<>(Math.max(16, cards.size() * 2));
    Map<WeeklySchedule, CompiledSchedule> schedules = new ConcurrentHashMap<>();
    for (CardPolicy card : cards) {
      compiled.put(card.uid(), new CompiledCard(card, index, groups, schedules));
    }
    return new PolicySnapshot(revision, index, compiled, groups, schedules);
  }

  CompiledCard card(String uid) {
    return cards.get(uid);
  }

  List<CardPolicy> cards() {
    List<CardPolicy> list = sorted;
    if (list == null) {
      List<CardPolicy> all = new ArrayList<>(cards.size());
      cards.values().forEach(c -> all.add(c.policy));
      all.sort(Comparator.comparing(CardPolicy::uid));
      list = List.copyOf(all);
      sorted = list;
    }
    return list;
  }

  List<ReaderGroup> groups() {
    return List.copyOf(groups.values());
  }

  PolicySnapshot withCard(CardPolicy card) {
    ReaderIndex index = readers.with(CompiledCard.readersOf(card, groups));
    Map<String, CompiledCard> copy = new HashMap<>(cards);
    copy.put(card.uid(), new CompiledCard(card, index, groups, schedules));
    return new PolicySnapshot(revision, index, copy, groups, schedules);
  }

  PolicySnapshot withoutCard(String uid) {
    Map<String, CompiledCard> copy = new HashMap<>(cards);
    copy.remove(uid);
    return new PolicySnapshot(revision, readers, copy, groups, schedules);
  }

  PolicySnapshot withGroup(ReaderGroup group) {
    TreeMap<String, ReaderGroup> copy = new TreeMap<>(groups);
    copy.put(group.name(), group);
    return regrouped(copy, group.name());
  }

  PolicySnapshot withoutGroup(String name) {
    TreeMap<String, ReaderGroup> copy = new TreeMap<>(groups);
    copy.remove(name);
    return regrouped(copy, name);
  }

  /** Recompiles the cards that name a changed group; the others keep their compiled form. */
  private PolicySnapshot regrouped(TreeMap<String, ReaderGroup> changed, String name) {
    ReaderGroup group = changed.get(name);
    ReaderIndex index = group == null ? readers : readers.with(group.readers());
    Map<String, CompiledCard> copy = new HashMap<>(cards);
    for (CompiledCard card : cards.values()) {
      if (card.namesGroup(name)) {
        copy.put(card.policy.uid(), new CompiledCard(card.policy, index, changed, schedules));
      }
    }
    return new PolicySnapshot(revision, index, copy, changed, schedules);
  }
}

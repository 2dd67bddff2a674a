package dev.homelab.core.access.impl;

import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.ReaderGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every card policy and reader group at one moment, compiled for decisions. Immutable: a change
 * makes a new snapshot, which the engine swaps in atomically, so a decision reads one consistent
 * state without locks.
 */
final class PolicySnapshot {

  final long revision;
  private final Map<String, CompiledCard> cards;
  private final TreeMap<String, ReaderGroup> groups;
  private final Map<String, String[]> groupsByReader;
  private volatile List<CardPolicy> sorted;

  private PolicySnapshot(
      long revision, Map<String, CompiledCard> cards, TreeMap<String, ReaderGroup> groups) {
    this.revision = revision;
    this.cards = cards;
    this.groups = groups;
    Map<String, List<String>> byReader = new HashMap<>();
    for (ReaderGroup group : groups.values()) {
      for (String reader : group.readers()) {
        byReader.computeIfAbsent(reader, r -> new ArrayList<>()).add(group.name());
      }
    }
    Map<String, String[]> index = new HashMap<>(byReader.size() * 2);
    byReader.forEach((reader, names) -> index.put(reader, names.toArray(String[]::new)));
    this.groupsByReader = index;
  }

  static PolicySnapshot of(
      long revision, Collection<CardPolicy> cards, Collection<ReaderGroup> groups) {
    Map<String, CompiledCard> compiled = new HashMap<>(Math.max(16, cards.size() * 2));
    for (CardPolicy card : cards) {
      compiled.put(card.uid(), new CompiledCard(card));
    }
    TreeMap<String, ReaderGroup> byName = new TreeMap<>();
    for (ReaderGroup group : groups) {
      byName.put(group.name(), group);
    }
    return new PolicySnapshot(revision, compiled, byName);
  }

  CompiledCard card(String uid) {
    return cards.get(uid);
  }

  String[] groupsOf(String reader) {
    return groupsByReader.get(reader);
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
    Map<String, CompiledCard> copy = new HashMap<>(cards);
    copy.put(card.uid(), new CompiledCard(card));
    return new PolicySnapshot(revision, copy, groups);
  }

  PolicySnapshot withoutCard(String uid) {
    Map<String, CompiledCard> copy = new HashMap<>(cards);
    copy.remove(uid);
    return new PolicySnapshot(revision, copy, groups);
  }

  PolicySnapshot withGroup(ReaderGroup group) {
    TreeMap<String, ReaderGroup> copy = new TreeMap<>(groups);
    copy.put(group.name(), group);
    return new PolicySnapshot(revision, cards, copy);
  }

  PolicySnapshot withoutGroup(String name) {
    TreeMap<String, ReaderGroup> copy = new TreeMap<>(groups);
    copy.remove(name);
    return new PolicySnapshot(revision, cards, copy);
  }
}

package dev.homelab.benchmarks;

import dev.homelab.core.access.AccessPolicyRepository;
import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.NewCardPolicy;
import dev.homelab.core.access.ReaderGroup;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An {@link AccessPolicyRepository} over fixed lists, so that an engine loads a benchmark's
 * policies without a database. Its revision never changes and every write fails. Thread-safe.
 */
final class ReadOnlyAccessPolicies implements AccessPolicyRepository {

  private final List<CardPolicy> cards;
  private final Map<String, CardPolicy> byUid;
  private final List<ReaderGroup> groups;

  ReadOnlyAccessPolicies(List<CardPolicy> cards, List<ReaderGroup> groups) {
    this.cards = cards.stream().sorted(Comparator.comparing(CardPolicy::uid)).toList();
    this.byUid = cards.stream().collect(Collectors.toMap(CardPolicy::uid, Function.identity()));
    this.groups = groups.stream().sorted(Comparator.comparing(ReaderGroup::name)).toList();
  }

  @Override
  public Future<List<CardPolicy>> cards() {
    return Future.succeededFuture(cards);
  }

  @Override
  public Future<CardPolicy> card(String uid) {
    return Future.succeededFuture(byUid.get(uid));
  }

  @Override
  public Future<CardPolicy> createCard(NewCardPolicy card) {
    return readOnly();
  }

  @Override
  public Future<CardPolicy> updateCard(CardPolicy card) {
    return readOnly();
  }

  @Override
  public Future<Boolean> deleteCard(String uid) {
    return readOnly();
  }

  @Override
  public Future<List<ReaderGroup>> groups() {
    return Future.succeededFuture(groups);
  }

  @Override
  public Future<ReaderGroup> putGroup(String name, Set<String> readers) {
    return readOnly();
  }

  @Override
  public Future<Boolean> deleteGroup(String name) {
    return readOnly();
  }

  @Override
  public Future<Long> revision() {
    return Future.succeededFuture(1L);
  }

  private static <T> Future<T> readOnly() {
    return Future.failedFuture(new UnsupportedOperationException("read-only benchmark store"));
  }
}

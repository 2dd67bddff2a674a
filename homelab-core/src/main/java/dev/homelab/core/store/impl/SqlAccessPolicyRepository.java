package dev.homelab.core.store.impl;

import dev.homelab.core.access.AccessPolicyRepository;
import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.NewCardPolicy;
import dev.homelab.core.access.ReaderGroup;
import dev.homelab.core.access.WeeklySchedule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@link AccessPolicyRepository} over a {@link SqlTarget} (the pools, or one transaction), shared
 * by both adapters. Every change bumps {@code access_policy_revision} in the same transaction.
 */
public final class SqlAccessPolicyRepository extends SqlRepositoryBase
    implements AccessPolicyRepository {

  private final String cardColumns;
  private final String groupColumns;

  /**
   * @param db where the statements go
   */
  public SqlAccessPolicyRepository(SqlTarget db) {
    super(db);
    this.cardColumns =
        "uid, holder, enabled, valid_from, valid_until, "
            + dialect.jsonColumn().formatted("readers")
            + " AS readers, "
            + dialect.jsonColumn().formatted("reader_groups")
            + " AS reader_groups, "
            + dialect.jsonColumn().formatted("schedule")
            + " AS schedule, created_at, updated_at";
    this.groupColumns =
        "name, " + dialect.jsonColumn().formatted("readers") + " AS readers, updated_at";
  }

  @Override
  public Future<List<CardPolicy>> cards() {
    return all("SELECT " + cardColumns + " FROM card_policies ORDER BY uid", this::toCard)
        .recover(failure("list card policies"));
  }

  @Override
  public Future<CardPolicy> card(String uid) {
    return reader
        .preparedQuery(dialect.sql("SELECT " + cardColumns + " FROM card_policies WHERE uid = $1"))
        .execute(Tuple.of(uid))
        .map(rows -> rows.size() == 0 ? null : toCard(rows.iterator().next()))
        .recover(failure("read a card policy"));
  }

  @Override
  public Future<CardPolicy> createCard(NewCardPolicy card) {
    CardPolicy stored = card.toPolicy(now());
    return changing(
            conn ->
                conn.preparedQuery(
                        dialect.sql(
                            "INSERT INTO card_policies (uid, holder, enabled, valid_from,"
                                + " valid_until, readers, reader_groups, schedule, created_at,"
                                + " updated_at) VALUES ($1, $2, $3, $4, $5, "
                                + dialect.jsonParameter().formatted("$6")
                                + ", "
                                + dialect.jsonParameter().formatted("$7")
                                + ", "
                                + dialect.jsonParameter().formatted("$8")
                                + ", $9, $10)"))
                    .execute(
                        Tuple.from(
                            new Object[] {
                              stored.uid(),
                              stored.holder(),
                              stored.enabled() ? 1 : 0,
                              timeOrNull(stored.validFrom()),
                              timeOrNull(stored.validUntil()),
                              sorted(stored.readers()),
                              sorted(stored.readerGroups()),
                              schedule(stored.schedule()),
                              dialect.time(stored.createdAt()),
                              dialect.time(stored.updatedAt())
                            }))
                    .map(rows -> stored))
        .recover(
            conflictOr("create a card policy", "CARD_EXISTS", "the card already has a policy"));
  }

  @Override
  public Future<CardPolicy> updateCard(CardPolicy card) {
    // Strictly later than the version replaced, so that a version is never seen twice.
    Instant clock = now();
    Instant now = clock.isAfter(card.updatedAt()) ? clock : card.updatedAt().plusMillis(1);
    CardPolicy stored =
        new CardPolicy(
            card.uid(),
            card.holder(),
            card.enabled(),
            card.validFrom(),
            card.validUntil(),
            card.readers(),
            card.readerGroups(),
            card.schedule(),
            card.createdAt(),
            now);
    return changing(
            conn ->
                conn.preparedQuery(
                        dialect.sql(
                            "UPDATE card_policies SET holder = $1, enabled = $2, valid_from = $3,"
                                + " valid_until = $4, readers = "
                                + dialect.jsonParameter().formatted("$5")
                                + ", reader_groups = "
                                + dialect.jsonParameter().formatted("$6")
                                + ", schedule = "
                                + dialect.jsonParameter().formatted("$7")
                                + ", updated_at = $8 WHERE uid = $9 AND updated_at = $10"))
                    .execute(
                        Tuple.from(
                            new Object[] {
                              stored.holder(),
                              stored.enabled() ? 1 : 0,
                              timeOrNull(stored.validFrom()),
                              timeOrNull(stored.validUntil()),
                              sorted(stored.readers()),
                              sorted(stored.readerGroups()),
                              schedule(stored.schedule()),
                              dialect.time(now),
                              stored.uid(),
                              dialect.time(card.updatedAt())
                            }))
                    .map(rows -> rows.rowCount() == 0 ? null : stored))
        .recover(failure("update a card policy"));
  }

  @Override
  public Future<Boolean> deleteCard(String uid) {
    return deleteOne("DELETE FROM card_policies WHERE uid = $1", uid)
        .recover(failure("delete a card policy"));
  }

  @Override
  public Future<List<ReaderGroup>> groups() {
    return all("SELECT " + groupColumns + " FROM reader_groups ORDER BY name", this::toGroup)
        .recover(failure("list reader groups"));
  }

  @Override
  public Future<ReaderGroup> putGroup(String name, Set<String> readers) {
    ReaderGroup stored = new ReaderGroup(name, readers, now());
    return changing(
            conn ->
                conn.preparedQuery(
                        dialect.sql(
                            "INSERT INTO reader_groups (name, readers, updated_at) VALUES ($1, "
                                + dialect.jsonParameter().formatted("$2")
                                + ", $3) ON CONFLICT (name) DO UPDATE SET readers ="
                                + " excluded.readers, updated_at = excluded.updated_at"))
                    .execute(
                        Tuple.of(
                            stored.name(),
                            sorted(stored.readers()),
                            dialect.time(stored.updatedAt())))
                    .map(rows -> stored))
        .recover(failure("store a reader group"));
  }

  @Override
  public Future<Boolean> deleteGroup(String name) {
    return deleteOne("DELETE FROM reader_groups WHERE name = $1", name)
        .recover(failure("delete a reader group"));
  }

  @Override
  public Future<Long> revision() {
    return reader
        .query("SELECT revision FROM access_policy_revision WHERE id = 1")
        .execute()
        .map(rows -> rows.iterator().next().getLong("revision"))
        .recover(failure("read the policy revision"));
  }

  /**
   * Runs a change and, if it changed something, bumps the revision in the same transaction.
   *
   * @param change the statements; a {@code null} or {@code false} result means nothing changed
   */
  private <T> Future<T> changing(Function<SqlClient, Future<T>> change) {
    return db.inTransaction(
        conn ->
            change
                .apply(conn)
                .compose(
                    result ->
                        result == null || Boolean.FALSE.equals(result)
                            ? Future.succeededFuture(result)
                            : conn.query(
                                    "UPDATE access_policy_revision SET revision = revision + 1"
                                        + " WHERE id = 1")
                                .execute()
                                .map(result)));
  }

  /** Deletes by key, bumping the revision only when a row went. */
  private Future<Boolean> deleteOne(String sql, String key) {
    return changing(
        conn ->
            conn.preparedQuery(dialect.sql(sql))
                .execute(Tuple.of(key))
                .map(rows -> rows.rowCount() > 0));
  }

  private <T> Future<List<T>> all(String sql, Function<Row, T> mapper) {
    return reader
        .query(sql)
        .execute()
        .map(
            rows -> {
              List<T> items = new ArrayList<>(rows.size());
              rows.forEach(row -> items.add(mapper.apply(row)));
              return items;
            });
  }

  private static String sorted(Set<String> values) {
    return new JsonArray(new ArrayList<>(new TreeSet<>(values))).encode();
  }

  private static String schedule(WeeklySchedule schedule) {
    return schedule == null ? null : schedule.toJson().encode();
  }

  private static Set<String> set(String json) {
    Set<String> values = new HashSet<>();
    new JsonArray(json).forEach(v -> values.add((String) v));
    return values;
  }

  private CardPolicy toCard(Row row) {
    String schedule = row.getString("schedule");
    return new CardPolicy(
        row.getString("uid"),
        row.getString("holder"),
        bool(row, "enabled"),
        timeOrNull(row, "valid_from"),
        timeOrNull(row, "valid_until"),
        set(row.getString("readers")),
        set(row.getString("reader_groups")),
        schedule == null ? null : WeeklySchedule.fromJson(new JsonObject(schedule)),
        dialect.time(row, "created_at"),
        dialect.time(row, "updated_at"));
  }

  private ReaderGroup toGroup(Row row) {
    return new ReaderGroup(
        row.getString("name"), set(row.getString("readers")), dialect.time(row, "updated_at"));
  }
}

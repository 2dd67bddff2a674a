package dev.homelab.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.StorageKind;
import dev.homelab.core.store.impl.Migrations;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class GroupCommitFloorTest {

  @TempDir Path dir;

  @Test
  void everyAppendIsWrittenBeforeItCompletesOnTheCallersContext() throws Exception {
    Vertx vertx = Vertx.vertx();
    Path file = dir.resolve("floor.dat");
    long capacity = 2_000L * GroupCommitFloor.RECORD_BYTES;
    try (GroupCommitFloor floor = GroupCommitFloor.onFile(file, capacity)) {
      assertThat(Files.size(file)).isEqualTo(capacity);
      Context context = vertx.getOrCreateContext();
      List<Boolean> onCaller = new ArrayList<>();
      List<Integer> statuses = appendAll(context, floor, 1_500, onCaller);
      assertThat(statuses).hasSize(1_500).containsOnly(200);
      assertThat(onCaller).hasSize(1_500).containsOnly(true);
      // The records were written in order from the start of the file: 1,500 lines, then zeros.
      byte[] bytes = Files.readAllBytes(file);
      long lines = 0;
      for (int i = 0; i < 1_500 * GroupCommitFloor.RECORD_BYTES; i++) {
        assertThat(bytes[i]).isNotZero();
        lines += bytes[i] == '\n' ? 1 : 0;
      }
      assertThat(lines).isEqualTo(1_500);
      assertThat(bytes[1_500 * GroupCommitFloor.RECORD_BYTES]).isZero();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void appendsPastTheCapacityWrapToTheStart() throws Exception {
    Path file = dir.resolve("small.dat");
    try (GroupCommitFloor floor = GroupCommitFloor.onFile(file, 1)) {
      for (int i = 0; i < 3_000; i++) {
        assertThat(floor.append().await()).isEqualTo(200);
      }
    }
    assertThat(Files.size(file)).isEqualTo(1_024L * GroupCommitFloor.RECORD_BYTES);
  }

  @Test
  void everyAppendToTheStoreIsACommittedAccessLogRow() throws Exception {
    Vertx vertx = Vertx.vertx();
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + dir.resolve("floor.db"));
    Migrations.migrate(source, StorageKind.SQLITE);
    try (GroupCommitFloor floor =
        GroupCommitFloor.onStore(source.getConnection(), "access_logs", true)) {
      List<Integer> statuses =
          appendAll(vertx.getOrCreateContext(), floor, 1_200, new ArrayList<>());
      assertThat(statuses).hasSize(1_200).containsOnly(200);
      // Answered means committed: another connection sees every row now.
      try (Connection reader = source.getConnection();
          Statement statement = reader.createStatement();
          ResultSet rows =
              statement.executeQuery("SELECT count(*), count(DISTINCT id) FROM access_logs")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(1_200);
        assertThat(rows.getInt(2)).isEqualTo(1_200);
      }
    } finally {
      vertx.close().await();
    }
  }

  /** Appends {@code count} at once from the context and waits for them all. */
  private static List<Integer> appendAll(
      Context context, GroupCommitFloor floor, int count, List<Boolean> onCaller) throws Exception {
    Promise<List<Integer>> all = Promise.promise();
    context.runOnContext(
        v -> {
          List<Future<Integer>> appends = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            appends.add(
                floor.append().onComplete(r -> onCaller.add(Vertx.currentContext() == context)));
          }
          Future.all(appends).map(f -> f.<Integer>list()).onComplete(all);
        });
    return all.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}

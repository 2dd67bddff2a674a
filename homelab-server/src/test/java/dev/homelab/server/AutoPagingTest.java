package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.Page;
import dev.homelab.client.Paginator;
import dev.homelab.client.access.AccessLogQuery;
import dev.homelab.client.access.CardQuery;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.devices.DeviceQuery;
import dev.homelab.client.devices.NewDevice;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-paging through every paged list of the real server, with the client's one {@link Paginator}:
 * devices, the audit log, the access log and card policies each hold more items than a page of 3,
 * and every way of reading them (collect, forEach, a Vert.x stream, the blocking iterable) yields
 * exactly what one large page does.
 */
class AutoPagingTest {

  private static final int ITEMS = 7;
  private static final int PAGE = 3;

  @TempDir static Path dir;
  static ServerTesting lab;
  static HomelabClient client;
  static BlockingHomelabClient blocking;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
    client = lab.client;
    blocking = client.blocking();
    for (int i = 0; i < ITEMS; i++) {
      await(client.devices().create(new NewDevice("Pager " + i, "sensor")));
      String uid = String.format(Locale.ROOT, "AB%06X", i);
      await(client.access().createCard(NewCardPolicy.of(uid).withHolder("Holder " + i)));
      await(client.access().check("pager-door", uid));
    }
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void devices() {
    DeviceQuery query = DeviceQuery.create();
    readsEveryPage(
        client.devices().autoPaging(query.withLimit(PAGE)),
        blocking.devices().autoPagingIterable(query.withLimit(PAGE)),
        await(client.devices().list(query.withLimit(500))));
  }

  @Test
  void auditLog() {
    AuditQuery query = AuditQuery.create().withAction("device.created");
    readsEveryPage(
        client.audit().autoPaging(query.withLimit(PAGE)),
        blocking.audit().autoPagingIterable(query.withLimit(PAGE)),
        await(client.audit().list(query.withLimit(500))));
  }

  @Test
  void accessLog() {
    AccessLogQuery query = AccessLogQuery.newest().withDeviceId("pager-door");
    readsEveryPage(
        client.access().autoPaging(query.withLimit(PAGE)),
        blocking.access().autoPagingIterable(query.withLimit(PAGE)),
        await(client.access().logs(query.withLimit(500))));
  }

  @Test
  void cardPolicies() {
    CardQuery query = CardQuery.create();
    readsEveryPage(
        client.access().autoPaging(query.withLimit(PAGE)),
        blocking.access().autoPagingIterable(query.withLimit(PAGE)),
        await(client.access().cards(query.withLimit(500))));
  }

  /** The one check every list goes through. */
  private static <T> void readsEveryPage(Paginator<T> pages, Iterable<T> iterable, Page<T> all) {
    assertThat(all.hasNext()).isFalse();
    assertThat(all.items()).hasSize(ITEMS).doesNotHaveDuplicates();
    Page<T> first = await(pages.firstPage());
    assertThat(first.items()).hasSize(PAGE);
    assertThat(first.hasNext()).as("more than one page").isTrue();

    assertThat(await(pages.collect(ITEMS))).isEqualTo(all.items());
    assertThat(await(pages.collect(ITEMS - 1).map(List::size).otherwise(-1))).isEqualTo(-1);

    List<T> each = new ArrayList<>();
    await(
        pages.forEach(
            item -> {
              each.add(item);
              return Future.succeededFuture();
            }));
    assertThat(each).isEqualTo(all.items());

    List<T> streamed = new ArrayList<>();
    Promise<Void> ended = Promise.promise();
    lab.vertx
        .getOrCreateContext()
        .runOnContext(
            start ->
                pages.stream()
                    .exceptionHandler(ended::fail)
                    .endHandler(ended::complete)
                    .handler(streamed::add));
    await(ended.future());
    assertThat(streamed).isEqualTo(all.items());

    List<T> iterated = new ArrayList<>();
    iterable.forEach(iterated::add);
    assertThat(iterated).isEqualTo(all.items());
  }
}

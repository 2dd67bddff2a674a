package dev.homelab.examples;

import dev.homelab.core.upstream.SharedEventStream;
import dev.homelab.core.upstream.automation.AutomationClient;
import dev.homelab.core.upstream.automation.AutomationList;
import dev.homelab.core.upstream.automation.AutomationOptions;
import dev.homelab.simulators.automation.AutomationSimulator;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lists automation containers, restarts one, and follows its log with two subscribers that share
 * one upstream connection ({@link SharedEventStream}). The automation API's simulator stands in for
 * the real one; with a real API only the base URL and the password change.
 */
public final class AutomationLogsExample {

  private AutomationLogsExample() {}

  public static void main(String[] args) throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Waits with {@code await()}: call it from a plain or a virtual thread, never an event loop.
   *
   * @param vertx the Vert.x instance
   * @return what the example found
   * @throws InterruptedException if interrupted while waiting for log lines
   */
  static List<String> run(Vertx vertx) throws InterruptedException {
    AutomationSimulator simulator = AutomationSimulator.start(vertx).await();
    List<String> out = new ArrayList<>();
    AutomationClient automations =
        AutomationClient.create(
            vertx,
            new AutomationOptions()
                .setBaseUrl(URI.create(simulator.baseUrl()))
                .setPassword("test")); // the simulator's; never logged or shown
    try {
      AutomationList list = automations.list().await();
      out.add(list.total() + " automations, " + list.running() + " running");
      out.add("restart monitor: " + automations.restart("monitor").await().newStatus());

      // Two readers of one log: the upstream is asked once, and both get every line.
      CountDownLatch lines = new CountDownLatch(6);
      SharedEventStream.Subscription first =
          automations.logs("monitor", event -> lines.countDown());
      SharedEventStream.Subscription second =
          automations.logs("monitor", event -> lines.countDown());
      boolean read = lines.await(10, TimeUnit.SECONDS);
      out.add("both readers got lines: " + read);
      out.add("upstream log connections: " + simulator.logStreamsOpened());
      first.cancel();
      second.cancel();
    } finally {
      automations.close().await();
      simulator.stop().await();
    }
    return out;
  }
}

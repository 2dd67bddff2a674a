package dev.homelab.core.upstream;

import static dev.homelab.core.testing.VertxTesting.await;

import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;

/**
 * One HTTP exchange, once per test JVM, with blocked-thread reports ignored: the first request of a
 * JVM loads Netty's and Vert.x's HTTP classes on an event loop, which takes a few hundred
 * milliseconds on a busy 2-CPU machine and says nothing about the code under test.
 */
final class HttpWarmUp {

  private static boolean done;

  private HttpWarmUp() {}

  static synchronized void once() {
    if (done) {
      return;
    }
    done = true;
    BlockedThreadGuard.ignoringReports(
        () -> {
          Vertx vertx = Vertx.vertx(VertxTesting.options());
          try {
            HttpServer server =
                await(
                    vertx
                        .createHttpServer()
                        .requestHandler(
                            request ->
                                request
                                    .response()
                                    .putHeader("Content-Type", "text/event-stream")
                                    .end("data: warm\n\n"))
                        .listen(0, "127.0.0.1"));
            HttpClient client = vertx.createHttpClient();
            await(
                client
                    .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                    .compose(request -> request.send())
                    .compose(response -> response.body()));
          } finally {
            await(vertx.close());
          }
        });
  }
}

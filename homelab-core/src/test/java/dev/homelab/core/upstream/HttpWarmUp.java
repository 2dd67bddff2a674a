package dev.homelab.core.upstream;

import static dev.homelab.core.testing.VertxTesting.await;

import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One HTTP exchange with a JSON body, once per test JVM, with blocked-thread reports ignored: the
 * first request of a JVM loads Netty's, Vert.x's and Jackson's classes on an event loop, which
 * takes a few hundred milliseconds on a busy 2-CPU machine and says nothing about the code under
 * test.
 */
public final class HttpWarmUp {

  private static boolean done;

  private HttpWarmUp() {}

  /** Runs the warm-up unless it ran in this JVM already. */
  public static synchronized void once() {
    if (done) {
      return;
    }
    done = true;
    // Jackson's first use initialises hundreds of classes: do it here, not on an event loop.
    new JsonObject(new JsonObject().put("warm", 1).put("up", List.of("x")).encode()).getValue("up");
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
                                    .putHeader("Content-Type", "application/json")
                                    .end(new JsonObject().put("warm", true).encode()))
                        .listen(0, "127.0.0.1"));
            HttpClient client = vertx.createHttpClient();
            await(
                client
                    .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                    .compose(request -> request.send())
                    .compose(response -> response.body())
                    .map(body -> body.toJsonObject()));
          } finally {
            await(vertx.close());
          }
        });
  }
}

package dev.homelab.core.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP upstream on a free loopback port that answers its head and then misbehaves the way a
 * broken host does after it: it goes silent without closing anything (a black-hole: power lost, a
 * network that drops packets, a process hung mid-write), or it dribbles a byte now and then. Tests
 * point a client at {@link #baseUrl()} and tell it per request what to do; it counts the
 * connections it accepted and those that were closed, so a test can check that nothing is left open
 * once the client gave up.
 */
public final class StallingUpstream implements AutoCloseable {

  private final Vertx vertx;
  private final HttpServer server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private volatile Handler<HttpServerRequest> behaviour = request -> {};

  private StallingUpstream(Vertx vertx) {
    this.vertx = vertx;
    this.server =
        vertx
            .createHttpServer()
            .connectionHandler(
                connection -> {
                  accepted.incrementAndGet();
                  connection.closeHandler(v -> closed.incrementAndGet());
                })
            .requestHandler(request -> behaviour.handle(request));
  }

  /**
   * @param vertx the Vert.x to serve on
   * @return an upstream listening on a free loopback port, answering nothing until told
   */
  public static StallingUpstream start(Vertx vertx) {
    StallingUpstream upstream = new StallingUpstream(vertx);
    VertxTesting.await(upstream.server.listen(0, "127.0.0.1"));
    return upstream;
  }

  /**
   * @return {@code http://127.0.0.1:<port>}
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /**
   * @param behaviour what to do with each request from now on
   */
  public void answer(Handler<HttpServerRequest> behaviour) {
    this.behaviour = behaviour;
  }

  /**
   * @return the connections accepted so far
   */
  public int accepted() {
    return accepted.get();
  }

  /**
   * @return the connections closed so far (by either side)
   */
  public int closed() {
    return closed.get();
  }

  /**
   * Answers 200 with a chunked body that starts with {@code first} and then stops, leaving the
   * connection open.
   *
   * @param request the request
   * @param contentType the answer's type
   * @param first the bytes sent before the silence
   */
  public static void silentAfter(HttpServerRequest request, String contentType, String first) {
    HttpServerResponse response =
        request.response().setChunked(true).putHeader("Content-Type", contentType);
    response.write(first);
  }

  /**
   * Answers 200 with a chunked body of one byte every {@code every}, at most {@code bytes} of them,
   * then ends it; it stops once the connection closes.
   *
   * @param request the request
   * @param contentType the answer's type
   * @param every the pause between two bytes
   * @param bytes how many bytes at most
   */
  public void dribble(HttpServerRequest request, String contentType, Duration every, int bytes) {
    HttpServerResponse response =
        request.response().setChunked(true).putHeader("Content-Type", contentType);
    response.writeHead();
    AtomicInteger sent = new AtomicInteger();
    long timer =
        vertx.setPeriodic(
            every.toMillis(),
            id -> {
              if (response.closed()) {
                vertx.cancelTimer(id);
              } else if (sent.incrementAndGet() > bytes) {
                vertx.cancelTimer(id);
                response.end();
              } else {
                response.write("x");
              }
            });
    response.closeHandler(v -> vertx.cancelTimer(timer));
  }

  @Override
  public void close() {
    VertxTesting.await(server.close());
  }
}

package dev.homelab.benchmarks.load;

import io.vertx.core.Vertx;

/**
 * The baseline of {@link Footprint}: a bare Vert.x HTTP server that answers 200 to every request,
 * started the way the server is (one JVM, default launcher settings). What the Homelab server takes
 * beyond this is its own doing.
 */
public final class HelloWorldServer {

  private HelloWorldServer() {}

  /**
   * @param args the port, and the address to listen on (127.0.0.1 unless given; a container's needs
   *     0.0.0.0)
   */
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    Vertx vertx = Vertx.vertx();
    vertx
        .createHttpServer()
        .requestHandler(request -> request.response().end("ok"))
        .listen(port, host)
        .await();
  }
}

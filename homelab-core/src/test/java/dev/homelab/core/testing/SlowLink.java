package dev.homelab.core.testing;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on a free loopback port in front of a server that carries bytes no faster than a set
 * rate in each direction, shared by all its connections: a slow link (a phone on a weak uplink, a
 * VPN over DSL), as {@code tc qdisc ... tbf} makes one on an interface, but on loopback and without
 * root.
 *
 * <p>Each direction is one queue of the link's time: a slice of at most {@value #SLICE} bytes takes
 * {@code length / rate} of it, after the slices before it, whichever connection they belong to, and
 * is written on only then. While a connection's slices wait, the relay reads no more from that
 * side, so the sender's writes back up in its kernel as they do on a slow link; a receiver that
 * reads slowly holds its direction back the same way. Closes pass once what came before them has.
 * Timers of at least a millisecond pace the slices, so that one connection carries at most about 4
 * MB/s whatever the rate: a slow link's rates are far below that.
 */
public final class SlowLink implements AutoCloseable {

  /** The most bytes passed on at once. */
  public static final int SLICE = 4096;

  private final Vertx vertx;
  private final int target;
  private final NetServer server;
  private final NetClient client;
  private final Pace up;
  private final Pace down;

  private SlowLink(Vertx vertx, int target, long upBytesPerSecond, long downBytesPerSecond) {
    this.vertx = vertx;
    this.target = target;
    this.up = new Pace(upBytesPerSecond);
    this.down = new Pace(downBytesPerSecond);
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::accepted);
  }

  /**
   * @param vertx the Vert.x to relay on
   * @param target the server's loopback port
   * @param upBytesPerSecond the rate from clients to the server
   * @param downBytesPerSecond the rate from the server to clients
   * @return a link listening on a free loopback port
   */
  public static SlowLink start(
      Vertx vertx, int target, long upBytesPerSecond, long downBytesPerSecond) {
    if (upBytesPerSecond <= 0 || downBytesPerSecond <= 0) {
      throw new IllegalArgumentException("rates must be positive");
    }
    SlowLink link = new SlowLink(vertx, target, upBytesPerSecond, downBytesPerSecond);
    VertxTesting.await(link.server.listen(0, "127.0.0.1"));
    return link;
  }

  /**
   * @return the port to connect to instead of the server's
   */
  public int port() {
    return server.actualPort();
  }

  /**
   * @return the bytes carried so far from clients to the server
   */
  public long carriedUp() {
    return up.carried();
  }

  /**
   * @return the bytes carried so far from the server to clients
   */
  public long carriedDown() {
    return down.carried();
  }

  @Override
  public void close() {
    VertxTesting.await(server.close());
    VertxTesting.await(client.close());
  }

  private void accepted(NetSocket in) {
    in.pause();
    Context context = vertx.getOrCreateContext();
    client
        .connect(target, "127.0.0.1")
        .onComplete(
            connected -> {
              if (connected.failed()) {
                in.close();
                return;
              }
              NetSocket out = connected.result();
              Direction toServer = new Direction(context, in, out, up);
              Direction toClient = new Direction(context, out, in, down);
              toServer.other = toClient;
              toClient.other = toServer;
              in.resume();
            });
  }

  /** The link's time in one direction, shared by its connections. */
  private static final class Pace {
    private final long nanosPerByte;
    private long nextFree;
    private long carried;

    Pace(long bytesPerSecond) {
      this.nanosPerByte = Math.max(1, TimeUnit.SECONDS.toNanos(1) / bytesPerSecond);
    }

    /**
     * @return when a slice of this length, sent after everything reserved before it, has arrived
     */
    synchronized long reserve(int length) {
      long start = Math.max(System.nanoTime(), nextFree);
      nextFree = start + length * nanosPerByte;
      carried += length;
      return nextFree;
    }

    synchronized long carried() {
      return carried;
    }
  }

  /** One direction of one connection. Touched only on the connection's context. */
  private final class Direction {
    final Context context;
    final NetSocket from;
    final NetSocket to;
    final Pace pace;
    final Deque<Buffer> waiting = new ArrayDeque<>();
    Direction other;
    boolean passing;
    boolean ended;
    boolean closed;

    Direction(Context context, NetSocket from, NetSocket to, Pace pace) {
      this.context = context;
      this.from = from;
      this.to = to;
      this.pace = pace;
      from.handler(this::arrived);
      // The end, unlike the close, comes in order after the data, however long reading is paused.
      from.endHandler(v -> ended());
      // A reset ends the connection like a close (the end handler runs too): nothing to report.
      from.exceptionHandler(failure -> {});
    }

    void arrived(Buffer data) {
      for (int at = 0; at < data.length(); at += SLICE) {
        waiting.add(data.slice(at, Math.min(data.length(), at + SLICE)));
      }
      from.pause();
      if (!passing) {
        pass();
      }
    }

    void ended() {
      ended = true;
      if (!passing && waiting.isEmpty()) {
        closeBoth();
      }
    }

    /** Passes the next slice once the link has carried it, then the next, and so on. */
    void pass() {
      if (closed) {
        return;
      }
      Buffer slice = waiting.poll();
      if (slice == null) {
        passing = false;
        if (ended) {
          closeBoth();
        } else {
          from.resume();
        }
        return;
      }
      passing = true;
      long delay = pace.reserve(slice.length()) - System.nanoTime();
      long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(delay));
      vertx.setTimer(
          millis,
          id ->
              context.runOnContext(
                  v -> {
                    if (closed) {
                      return;
                    }
                    to.write(slice);
                    if (to.writeQueueFull()) {
                      to.drainHandler(
                          drained -> {
                            to.drainHandler(null);
                            pass();
                          });
                    } else {
                      pass();
                    }
                  }));
    }

    void closeBoth() {
      if (closed) {
        return;
      }
      closed = true;
      other.closed = true;
      from.close();
      to.close();
    }
  }
}

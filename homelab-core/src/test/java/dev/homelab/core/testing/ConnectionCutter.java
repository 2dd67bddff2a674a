package dev.homelab.core.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A TCP relay on a free loopback port in front of a server, which a test can cut or black-hole.
 *
 * <p>{@link #cut()}: every open connection closes at once and new ones are closed as they arrive,
 * until {@link #restore()}. It is what a browser sees when the network or the server goes away,
 * which a browser's own offline emulation does not reproduce (it leaves a streaming response that
 * is already open alone), and what a client of a broker or a Redis sees when that restarts.
 *
 * <p>{@link #blackHole()}: a network partition. Nothing is closed and nothing passes: connections
 * stay open, no byte and no close goes through in either direction, and new connections are
 * accepted (the loopback kernel completes the handshake) but are not relayed on to the server.
 * {@link #heal()} then delivers what was held, in order, closes included, and relays again, as TCP
 * retransmission does after a partition shorter than its retry limit; a connection opened during
 * the hole reaches the server only then. Bytes are held, not dropped: dropping some would cut a
 * protocol frame in two, which no real network does to a live TCP stream. Each direction holds at
 * most {@value #HELD_LIMIT} bytes; beyond that the relay stops reading, so the sender's writes back
 * up in its kernel, as against a peer whose window stays closed. Closing the connections while
 * still black-holed ({@link #cut()} then {@link #restore()}) is the end of a partition that
 * outlived the retries.
 *
 * <p>It counts the connections it accepts, the attempts of its clients. Its methods may be called
 * from any thread but an event loop of its Vert.x (they wait for the relay's event loops).
 */
public final class ConnectionCutter implements AutoCloseable {

  /** Bytes held per direction of a connection during a black hole before reading stops. */
  public static final int HELD_LIMIT = 1 << 20;

  private enum Mode {
    RELAY,
    CUT,
    BLACK_HOLE
  }

  private final int target;
  private final NetServer server;
  private final NetClient client;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private volatile Mode mode = Mode.RELAY;

  private ConnectionCutter(Vertx vertx, int target) {
    this.target = target;
    this.client = vertx.createNetClient();
    this.server =
        vertx
            .createNetServer()
            .connectHandler(
                in -> {
                  accepted.incrementAndGet();
                  if (mode == Mode.CUT) {
                    in.close();
                    return;
                  }
                  Link link = new Link(vertx.getOrCreateContext(), in);
                  synchronized (links) {
                    links.add(link);
                    link.holding = mode == Mode.BLACK_HOLE;
                  }
                  if (!link.holding) {
                    link.connect();
                  }
                });
  }

  /**
   * @param vertx the Vert.x to relay on
   * @param target the server's loopback port
   * @return a relay listening on a free loopback port
   */
  public static ConnectionCutter start(Vertx vertx, int target) {
    ConnectionCutter cutter = new ConnectionCutter(vertx, target);
    VertxTesting.await(cutter.server.listen(0, "127.0.0.1"));
    return cutter;
  }

  /**
   * @return the port to connect to instead of the server's
   */
  public int port() {
    return server.actualPort();
  }

  /**
   * @return how many connections the relay accepted so far, relayed or not: the connection attempts
   *     of its clients
   */
  public long accepted() {
    return accepted.get();
  }

  /**
   * @return how many client connections the relay holds open now, relayed or held in a black hole
   */
  public int open() {
    return links.size();
  }

  /** Closes every open connection and every new one, until {@link #restore()}. */
  public void cut() {
    onEveryLink(Mode.CUT, Link::closeBoth);
  }

  /** Relays new connections again (after {@link #cut()}; after a black hole, see {@link #heal}). */
  public void restore() {
    if (mode == Mode.CUT) {
      mode = Mode.RELAY;
    }
  }

  /**
   * Starts a partition: from now on no byte and no close passes, on open connections and on new
   * ones, until {@link #heal()}. Nothing is closed.
   */
  public void blackHole() {
    onEveryLink(Mode.BLACK_HOLE, link -> link.holding = true);
  }

  /**
   * Ends a partition: what the connections held is delivered in order (closes last), connections
   * accepted during the hole are relayed on to the server, and everything flows again.
   */
  public void heal() {
    onEveryLink(Mode.RELAY, Link::release);
  }

  /**
   * Switches to a mode, then runs an action on each connection's event loop and waits until all
   * have run; a connection accepted from now on starts in the new mode.
   */
  private void onEveryLink(Mode next, Consumer<Link> action) {
    List<Link> before;
    synchronized (links) {
      mode = next;
      before = List.copyOf(links);
    }
    List<Future<Void>> done = new ArrayList<>();
    for (Link link : before) {
      Promise<Void> ran = Promise.promise();
      link.context.runOnContext(
          v -> {
            action.accept(link);
            ran.complete();
          });
      done.add(ran.future());
    }
    VertxTesting.await(Future.join(done).otherwiseEmpty());
  }

  @Override
  public void close() {
    VertxTesting.await(server.close());
    VertxTesting.await(client.close());
  }

  /**
   * One client connection and its connection to the server. Touched only on its event loop: while
   * {@code holding}, or while the server side is not connected yet, what arrives waits in a queue.
   */
  private final class Link {
    final Context context;
    final NetSocket in;
    NetSocket out;
    boolean connecting;
    boolean holding;
    final Direction toServer = new Direction();
    final Direction toClient = new Direction();

    Link(Context context, NetSocket in) {
      this.context = context;
      this.in = in;
      in.handler(data -> arrived(toServer, in, data));
      in.closeHandler(v -> closedBy(toServer));
    }

    void connect() {
      if (toServer.closed && toServer.held.isEmpty()) {
        // Opened and closed again without a byte during the hole: nothing to pass on.
        closeBoth();
        return;
      }
      connecting = true;
      client
          .connect(target, "127.0.0.1")
          .onComplete(
              connected -> {
                connecting = false;
                if (connected.failed()) {
                  closeBoth();
                  return;
                }
                out = connected.result();
                out.handler(data -> arrived(toClient, out, data));
                out.closeHandler(v -> closedBy(toClient));
                if (mode == Mode.CUT) {
                  closeBoth();
                } else if (!holding) {
                  flush();
                }
              });
    }

    void arrived(Direction direction, NetSocket from, Buffer data) {
      if (holding || out == null || !direction.held.isEmpty()) {
        direction.held.add(data);
        direction.heldBytes += data.length();
        if (direction.heldBytes >= HELD_LIMIT && !direction.full) {
          direction.full = true;
          from.pause();
        }
        return;
      }
      write(direction, from, data);
    }

    void write(Direction direction, NetSocket from, Buffer data) {
      NetSocket to = direction == toServer ? out : in;
      to.write(data);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(v -> from.resume());
      }
    }

    void closedBy(Direction direction) {
      direction.closed = true;
      // Otherwise the close waits behind what is held, or for the server side to connect.
      if (!holding && out != null && direction.held.isEmpty()) {
        closeBoth();
      }
    }

    void release() {
      holding = false;
      if (out == null) {
        if (!connecting) {
          connect();
        }
      } else {
        flush();
      }
    }

    void flush() {
      for (Direction direction : List.of(toServer, toClient)) {
        NetSocket from = direction == toServer ? in : out;
        Deque<Buffer> held = direction.held;
        while (!held.isEmpty()) {
          write(direction, from, held.poll());
        }
        direction.heldBytes = 0;
        if (direction.full) {
          direction.full = false;
          from.resume();
        }
      }
      if (toServer.closed || toClient.closed) {
        closeBoth();
      }
    }

    void closeBoth() {
      links.remove(this);
      in.close();
      if (out != null) {
        out.close();
      }
    }
  }

  /** One direction of a link: what it holds and whether its sender closed. */
  private static final class Direction {
    final Deque<Buffer> held = new ArrayDeque<>();
    long heldBytes;
    boolean full;
    boolean closed;
  }
}

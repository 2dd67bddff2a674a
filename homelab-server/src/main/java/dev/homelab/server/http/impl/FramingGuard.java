package dev.homelab.server.http.impl;

import dev.homelab.server.http.ApiError;
import dev.homelab.server.http.RequestLog;
import dev.homelab.server.http.SecurityHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards one HTTP/1.x connection below Vert.x: refuses requests whose framing is ambiguous, answers
 * the decoder's own refusals in the standard error body, and closes connections that take too long
 * to send a request head.
 *
 * <p>It sits in the Netty pipeline right after the response encoder, so it sees every decoded
 * request before Vert.x does and every response Vert.x writes. A refused request is answered {@code
 * Connection: close} and nothing read after it reaches Vert.x: bytes smuggled behind an ambiguous
 * request are never executed (RFC 9112 §6.1, §6.3). Its twin, the {@link WatchingDecoder} that
 * replaces Vert.x's request decoder, starts the head timer at the first byte of each request, so a
 * keep-alive connection idling between requests is left to the idle timeout.
 *
 * <p>Everything runs on the connection's event loop. Once the connection is upgraded to a WebSocket
 * both handlers leave the pipeline.
 */
public final class FramingGuard extends ChannelDuplexHandler {

  private static final Logger accessLog = LoggerFactory.getLogger(RequestLog.LOGGER);

  /** The pipeline name of the guard. */
  static final String NAME = "homelab-framing-guard";

  private static final String DECODER = "httpDecoder";

  /**
   * How long a connection being closed keeps reading (and dropping) what its client still sends.
   * Closing a socket with unread input makes the kernel send a reset, which can destroy the answer
   * before the client reads it: the answer goes out, the sending side is shut, and the rest of the
   * input is drained for at most this long (RFC 9112 §9.6, "lingering close").
   */
  static final long LINGER_MILLIS = 2_000;

  private final long headTimeoutMillis;
  private final Refusal refuseEverything;

  private ChannelHandlerContext ctx;

  /** Requests handed to Vert.x whose response has not ended yet. */
  private int pending;

  /** Whether the request handed on last still has body content to come. */
  private boolean inBody;

  /** Whether the current request's response has begun (its head passed through). */
  private boolean responseBegun;

  /**
   * Set when a request is answered 413 while its body is still coming: the rest is not read to keep
   * the connection, which closes once the answer is out.
   */
  private boolean closeAfterResponse;

  /** Waiting for the next request's head (nothing of it decoded yet). */
  private boolean awaitingHead = true;

  private ScheduledFuture<?> headTimer;

  /** Runs while a request already answered still has body to come; it closes the connection. */
  private ScheduledFuture<?> bodyTimer;

  /** Set once the connection is refused: every later inbound message is dropped. */
  private Refusal refused;

  private String refusedId;

  /** Set once the connection is a WebSocket: nothing is guarded any more. */
  private boolean upgraded;

  /** Set once the connection is being closed: input is drained, nothing more reaches Vert.x. */
  private boolean closing;

  /**
   * @param headTimeoutMillis how long a request head may take from its first byte
   * @param refuseEverything a refusal for every request on this connection (over a connection cap),
   *     or {@code null}
   */
  FramingGuard(long headTimeoutMillis, Refusal refuseEverything) {
    this.headTimeoutMillis = headTimeoutMillis;
    this.refuseEverything = refuseEverything;
  }

  /**
   * Adds the guard and its twin to a Vert.x HTTP/1.x server connection's pipeline.
   *
   * @param pipeline the connection's pipeline, as Vert.x configured it
   * @param options the server's options, for the decoder's limits
   * @param headTimeoutMillis how long a request head may take from its first byte
   * @param refuseEverything a refusal for every request, or {@code null}
   * @return whether the pipeline had the expected shape and the guard was added
   */
  static boolean install(
      ChannelPipeline pipeline,
      HttpServerOptions options,
      long headTimeoutMillis,
      Refusal refuseEverything) {
    if (!(pipeline.get(DECODER) instanceof VertxHttpRequestDecoder)
        || pipeline.get("httpEncoder") == null) {
      return false;
    }
    FramingGuard guard = new FramingGuard(headTimeoutMillis, refuseEverything);
    pipeline.replace(DECODER, DECODER, new WatchingDecoder(options, guard));
    pipeline.addAfter("httpEncoder", NAME, guard);
    return true;
  }

  /** A refusal: the status, its code and sentence, and extra headers such as Retry-After. */
  record Refusal(
      HttpResponseStatus status, String errorCode, String detail, Map<String, String> headers) {
    Refusal(HttpResponseStatus status, String errorCode, String detail) {
      this(status, errorCode, detail, Map.of());
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (refuseEverything != null) {
      // Over the cap: answered at once, before anything is read, and closed.
      ctx.executor().execute(() -> refuse(refuseEverything, "-"));
      return;
    }
    // A connection that never sends a complete head is closed like one that stalls mid-head.
    startHeadTimer();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelHeadTimer();
    cancelBodyTimer();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelHeadTimer();
    cancelBodyTimer();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (refused != null || closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      onHead(ctx, request);
    } else if (msg instanceof HttpContent content) {
      onContent(ctx, content);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest request) {
    cancelHeadTimer();
    awaitingHead = false;
    Refusal refusal = check(request);
    if (refusal != null) {
      ReferenceCountUtil.release(request);
      refuse(refusal, request.method().name());
      return;
    }
    pending++;
    responseBegun = false;
    boolean complete = request instanceof LastHttpContent;
    inBody = !complete;
    if (complete) {
      awaitingHead = true;
    }
    ctx.fireChannelRead(request);
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    if (!content.decoderResult().isSuccess()) {
      ReferenceCountUtil.release(content);
      // A malformed chunk: answer if the request's own response has not begun and no earlier
      // response is still on its way, else just close (the request never completes).
      refuse(
          new Refusal(
              HttpResponseStatus.BAD_REQUEST, "MALFORMED_REQUEST", "the request body is malformed"),
          "-");
      return;
    }
    if (content instanceof LastHttpContent) {
      inBody = false;
      awaitingHead = true;
      cancelBodyTimer();
    }
    ctx.fireChannelRead(content);
  }

  /**
   * Checks a decoded head: the decoder's own failures, Host, and body framing.
   *
   * @return the refusal, or {@code null} to let it through
   */
  static Refusal check(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (!result.isSuccess()) {
      Throwable cause = result.cause();
      if (cause instanceof TooLongHttpLineException) {
        return new Refusal(
            HttpResponseStatus.REQUEST_URI_TOO_LONG,
            "URI_TOO_LONG",
            "the request line is longer than this server accepts");
      }
      if (cause instanceof TooLongHttpHeaderException) {
        return new Refusal(
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
            "HEADER_FIELDS_TOO_LARGE",
            "the request headers are larger than this server accepts");
      }
      return new Refusal(
          HttpResponseStatus.BAD_REQUEST, "MALFORMED_REQUEST", "the request is not valid HTTP");
    }
    if (request.protocolVersion() != HttpVersion.HTTP_1_1
        && request.protocolVersion() != HttpVersion.HTTP_1_0) {
      return new Refusal(
          HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
          "HTTP_VERSION_NOT_SUPPORTED",
          "this server speaks HTTP/1.1 and HTTP/1.0");
    }
    if (!isValidTarget(request.uri())) {
      return new Refusal(
          HttpResponseStatus.BAD_REQUEST,
          "MALFORMED_REQUEST",
          "the request target has a control character or an invalid percent-encoding");
    }
    HttpHeaders headers = request.headers();
    List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1
        || (hosts.isEmpty() && request.protocolVersion() == HttpVersion.HTTP_1_1)) {
      return new Refusal(
          HttpResponseStatus.BAD_REQUEST,
          "MALFORMED_REQUEST",
          "an HTTP/1.1 request must carry exactly one Host header");
    }
    List<String> encodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (encodings.isEmpty()) {
      return null;
    }
    if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      return new Refusal(
          HttpResponseStatus.BAD_REQUEST,
          "MALFORMED_REQUEST",
          "a request must not carry both Content-Length and Transfer-Encoding");
    }
    if (request.protocolVersion() != HttpVersion.HTTP_1_1) {
      return new Refusal(
          HttpResponseStatus.BAD_REQUEST,
          "MALFORMED_REQUEST",
          "Transfer-Encoding is not allowed in an HTTP/1.0 request");
    }
    List<String> codings = new ArrayList<>();
    for (String value : encodings) {
      for (String coding : value.split(",", -1)) {
        codings.add(coding.strip().toLowerCase(Locale.ROOT));
      }
    }
    if (!"chunked".equals(codings.get(codings.size() - 1))
        || codings.indexOf("chunked") != codings.size() - 1) {
      return new Refusal(
          HttpResponseStatus.BAD_REQUEST,
          "MALFORMED_REQUEST",
          "the request's Transfer-Encoding must end with chunked, once");
    }
    if (codings.size() > 1) {
      return new Refusal(
          HttpResponseStatus.NOT_IMPLEMENTED,
          "TRANSFER_CODING_NOT_SUPPORTED",
          "only the chunked transfer coding is supported");
    }
    return null;
  }

  /**
   * @return whether a request target is free of control characters and spaces, and every {@code %}
   *     in it starts an escape of two hex digits (the router would fail on it otherwise)
   */
  static boolean isValidTarget(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c == 0x7F) {
        return false;
      }
      if (c == '%') {
        if (i + 2 >= uri.length()
            || Character.digit(uri.charAt(i + 1), 16) < 0
            || Character.digit(uri.charAt(i + 2), 16) < 0) {
          return false;
        }
        i += 2;
      }
    }
    return true;
  }

  /**
   * Refuses the connection: nothing more is read, the refusal is sent when every earlier response
   * has gone out (at once if none is pending), then the connection closes.
   */
  private void refuse(Refusal refusal, String method) {
    refused = refusal;
    cancelHeadTimer();
    ctx.channel().config().setAutoRead(false);
    String requestId = UUID.randomUUID().toString();
    refusedId = requestId;
    accessLog.info(
        "{} (refused before routing) {} 0ms request_id={} ({})",
        method,
        refusal.status().code(),
        requestId,
        refusal.errorCode());
    if (inBody) {
      if (pending == 1 && !responseBegun) {
        // The request whose body broke has no answer yet: this is it.
        pending = 0;
        sendRefusal(refusal, requestId);
      } else {
        // Its answer has begun (or was sent already): the connection can only be closed.
        closeGently();
      }
    } else if (pending == 0) {
      sendRefusal(refusal, requestId);
    }
    // else: earlier responses are still being written; write() sends the refusal after the last.
  }

  private void sendRefusal(Refusal refusal, String requestId) {
    if (!ctx.channel().isActive()) {
      return;
    }
    ctx.writeAndFlush(response(refusal, requestId)).addListener(written -> closeGently());
  }

  /**
   * Closes after what was written has gone out, without letting unread input turn the close into a
   * reset: the sending side is shut (the client sees the end of the answer), and what the client
   * still sends is read and dropped until it closes too, or {@link #LINGER_MILLIS} has passed.
   */
  private void closeGently() {
    if (closing) {
      return;
    }
    closing = true;
    cancelHeadTimer();
    Channel channel = ctx.channel();
    if (!channel.isActive()) {
      return;
    }
    ScheduledFuture<?> linger =
        ctx.executor().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(closed -> linger.cancel(false));
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            flushed -> {
              if (channel instanceof SocketChannel socket && flushed.isSuccess()) {
                socket.shutdownOutput();
              } else {
                channel.close();
              }
            });
    channel.config().setAutoRead(true);
  }

  /** The refusal as a complete response in the standard error body, headers included. */
  static FullHttpResponse response(Refusal refusal, String requestId) {
    byte[] body =
        ApiError.body(refusal.errorCode(), refusal.detail(), requestId)
            .encode()
            .getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, refusal.status(), Unpooled.wrappedBuffer(body));
    HttpHeaders headers = response.headers();
    headers.set("X-Request-Id", requestId);
    SecurityHeaders.STANDARD.forEach(headers::set);
    refusal.headers().forEach(headers::set);
    headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    headers.set(HttpHeaderNames.CONNECTION, "close");
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    boolean upgrading = false;
    boolean ended = false;
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      if (code == 101) {
        upgrading = true;
      } else if (code >= 200) {
        responseBegun = true;
        if (code == 413 && inBody && pending == 1) {
          // Too large: reading the rest (a gigabyte, announced) to reuse the connection is not
          // worth it. The client is told, and sees the end of the answer right after it.
          response.headers().set(HttpHeaderNames.CONNECTION, "close");
          closeAfterResponse = true;
        }
      }
    }
    if (msg instanceof LastHttpContent
        && !(msg instanceof HttpResponse informational && informational.status().code() < 200)) {
      ended = pending > 0;
    }
    ctx.write(msg, promise);
    if (upgrading) {
      if (refused != null || closing) {
        // Bytes after the upgrade request were refused: the WebSocket would never read again.
        ctx.close();
        return;
      }
      // A WebSocket from now on: no more HTTP framing to guard, and no head timer.
      this.upgraded = true;
      ctx.pipeline().remove(this);
      return;
    }
    if (ended) {
      pending--;
      if (refused != null && pending == 0) {
        sendRefusal(refused, refusedId);
      } else if (pending == 0 && inBody && refused == null && closeAfterResponse) {
        closeGently();
      } else if (pending == 0 && inBody && refused == null) {
        // Answered before its body ended: a GET's empty end follows at once, but after a 401 or
        // a timeout the rest of a body may trickle in for ever. It gets LINGER_MILLIS.
        startBodyTimer();
      }
    }
  }

  private void startHeadTimer() {
    if (headTimer != null || refused != null) {
      return;
    }
    headTimer =
        ctx.executor().schedule(this::headTimedOut, headTimeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void startBodyTimer() {
    if (bodyTimer == null) {
      bodyTimer = ctx.executor().schedule(this::closeGently, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void cancelBodyTimer() {
    if (bodyTimer != null) {
      bodyTimer.cancel(false);
      bodyTimer = null;
    }
  }

  private void cancelHeadTimer() {
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
  }

  private void headTimedOut() {
    headTimer = null;
    if (refused != null || !ctx.channel().isActive()) {
      return;
    }
    if (pending > 0) {
      // A response is still being written (a stream, say): the late head is dropped with the
      // connection rather than answered out of order.
      refused =
          new Refusal(
              HttpResponseStatus.REQUEST_TIMEOUT, "REQUEST_TIMEOUT", "the request head was late");
      refusedId = UUID.randomUUID().toString();
      ctx.close();
      return;
    }
    refuse(
        new Refusal(
            HttpResponseStatus.REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            "the request head did not arrive in time"),
        "-");
  }

  /** Called by the decoder before it reads bytes: the first bytes of a head start its timer. */
  void bytesArrived() {
    if (awaitingHead && !upgraded && !closing && ctx != null) {
      startHeadTimer();
    }
  }

  /**
   * Vert.x's request decoder, telling the guard when bytes arrive while no request is in progress.
   * Netty hands every message decoded from earlier bytes down the pipeline before it decodes more,
   * so the guard knows a request has ended before the bytes after it are looked at: a head that
   * starts in the same packet as the end of the previous request is timed like any other.
   */
  static final class WatchingDecoder extends VertxHttpRequestDecoder {
    private final FramingGuard guard;

    WatchingDecoder(HttpServerOptions options, FramingGuard guard) {
      super(options);
      this.guard = guard;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out)
        throws Exception {
      // Line breaks between requests are allowed and skipped (RFC 9112 §2.2): not a head yet.
      if (buffer.forEachByte(ByteProcessor.FIND_NON_CRLF) >= 0) {
        guard.bytesArrived();
      }
      super.decode(ctx, buffer, out);
    }

    /**
     * Keeps {@code Content-Length} beside {@code Transfer-Encoding: chunked} instead of dropping it
     * as Netty does, so that the guard sees the conflict and refuses the request.
     */
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {}
  }
}

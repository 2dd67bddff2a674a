/**
 * One Server-Sent Events reader, {@link dev.homelab.sse.SseReader}, that follows the WHATWG
 * event-stream rules (LF, CR and CRLF line ends, a leading byte order mark, comments, {@code id}
 * kept until changed, {@code retry}) and bounds what it buffers.
 *
 * <p>It is its own small artifact, depending on vertx-core only, so that the client SDK and core's
 * upstream streams read events with the same code without the client depending on core. Its test
 * jar carries the conformance corpus ({@code dev/homelab/sse/corpus.json}).
 */
package dev.homelab.sse;

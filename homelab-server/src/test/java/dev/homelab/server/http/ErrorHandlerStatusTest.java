package dev.homelab.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import dev.homelab.core.upstream.UpstreamException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one table from a failure's kind to its HTTP status, upstream failures included. */
class ErrorHandlerStatusTest {

  @Test
  void everyKindHasAStatus() {
    for (ErrorKind kind : ErrorKind.values()) {
      assertThat(ErrorHandler.STATUS_OF_KIND).as(kind.name()).containsKey(kind);
    }
  }

  @Test
  void upstreamFailuresAre502Or504AndAnUpstreams4xxPassesThroughButNotItsAuthFailures() {
    assertThat(ErrorHandler.statusOf(UpstreamException.unavailable("proxmox nas", "reset")))
        .isEqualTo(502);
    assertThat(
            ErrorHandler.statusOf(UpstreamException.timeout("proxmox nas", Duration.ofSeconds(10))))
        .isEqualTo(504);
    assertThat(ErrorHandler.statusOf(UpstreamException.answered("frigate", 404, "No camera")))
        .isEqualTo(404);
    assertThat(ErrorHandler.statusOf(UpstreamException.answered("frigate", 400, "bad filter")))
        .isEqualTo(400);
    for (int ours : new int[] {401, 403, 407}) {
      assertThat(ErrorHandler.statusOf(UpstreamException.answered("proxmox nas", ours, null)))
          .as("our credentials, not the caller's")
          .isEqualTo(502);
    }
    assertThat(ErrorHandler.statusOf(UpstreamException.answered("proxmox nas", 500, "boom")))
        .isEqualTo(502);
    assertThat(ErrorHandler.statusOf(UpstreamException.answered("proxmox nas", 596, "down")))
        .isEqualTo(502);
    assertThat(
            ErrorHandler.statusOf(
                new HomelabException(ErrorKind.NOT_FOUND, "NOT_FOUND", "no such device")))
        .isEqualTo(404);
  }
}

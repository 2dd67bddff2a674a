package dev.homelab.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.ErrorKind;
import org.junit.jupiter.api.Test;

/** What an upstream failure says: its name, its status, its own message, never an address. */
class UpstreamExceptionTest {

  @Test
  void anUpstreamsOwnMessageKeepsItsWordsButNotItsAddresses() {
    UpstreamException e =
        UpstreamException.answered(
            "proxmox nas",
            595,
            "Connection refused; unable to connect to 10.0.10.11:8006 or [fe80::1]:8006 via 2001:db8:0:1::5");
    assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(e.getMessage())
        .isEqualTo(
            "proxmox nas answered 595: Connection refused; unable to connect to <address> or"
                + " <address> via <address>")
        .doesNotContain("10.0.10.11")
        .doesNotContain("fe80");
  }

  @Test
  void anUnreachableNodesReasonHasNoAddressEither() {
    assertThat(
            UpstreamException.unavailable("proxmox nas", "hostname lookup failed for 192.168.1.20")
                .getMessage())
        .isEqualTo("proxmox nas is unavailable: hostname lookup failed for <address>");
  }

  @Test
  void timesNamesAndTaskIdsAreNotMistakenForAddresses() {
    String upid = "UPID:pve:0000ABCD:00012345:65A1B2C3:qmstart:101:root@pam:";
    assertThat(
            UpstreamException.answered(
                    "proxmox nas", 500, "task " + upid + " failed at 10:30:00 on node pve-2")
                .getMessage())
        .isEqualTo("proxmox nas answered 500: task " + upid + " failed at 10:30:00 on node pve-2");
  }
}

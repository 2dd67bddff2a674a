package dev.homelab.server.http.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a client address is counted under, for the connection cap. */
class ConnectionGuardTest {

  @Test
  void ipv4AddressesCountOnTheirOwn() {
    assertThat(ConnectionGuard.capKey("192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(ConnectionGuard.capKey("192.0.2.8"))
        .isNotEqualTo(ConnectionGuard.capKey("192.0.2.7"));
  }

  @Test
  void ipv6AddressesCountPerSlash64() {
    assertThat(ConnectionGuard.capKey("2001:db8:1:2:aaaa::1"))
        .isEqualTo(ConnectionGuard.capKey("2001:db8:1:2:ffff:eeee:dddd:cccc"))
        .isEqualTo("20010db800010002::/64");
    assertThat(ConnectionGuard.capKey("2001:db8:1:3::1"))
        .isNotEqualTo(ConnectionGuard.capKey("2001:db8:1:2::1"));
  }
}

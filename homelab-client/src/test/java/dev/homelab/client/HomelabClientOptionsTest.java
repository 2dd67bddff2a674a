package dev.homelab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class HomelabClientOptionsTest {

  @Test
  void theReconnectDelaysDefaultToHalfASecondAndThirtySeconds() {
    HomelabClientOptions options = new HomelabClientOptions();
    assertThat(options.getReconnectDelayMs()).isEqualTo(500);
    assertThat(options.getMaxReconnectDelayMs()).isEqualTo(30_000);
  }

  @Test
  void theReconnectDelaysAreCopiedAndGoThroughJson() {
    HomelabClientOptions options =
        new HomelabClientOptions().setReconnectDelayMs(5).setMaxReconnectDelayMs(40);
    assertThat(new HomelabClientOptions(options).getReconnectDelayMs()).isEqualTo(5);
    JsonObject json = options.toJson();
    assertThat(json.getLong("reconnectDelayMs")).isEqualTo(5);
    assertThat(json.getLong("maxReconnectDelayMs")).isEqualTo(40);
    HomelabClientOptions read = new HomelabClientOptions(json);
    assertThat(read.getReconnectDelayMs()).isEqualTo(5);
    assertThat(read.getMaxReconnectDelayMs()).isEqualTo(40);
    assertThat(new HomelabClientOptions(new JsonObject()).getReconnectDelayMs())
        .isEqualTo(HomelabClientOptions.DEFAULT_RECONNECT_DELAY_MS);
  }

  @Test
  void theReconnectDelaysAreAtLeastOneMillisecond() {
    HomelabClientOptions options = new HomelabClientOptions();
    assertThatThrownBy(() -> options.setReconnectDelayMs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reconnectDelayMs");
    assertThatThrownBy(() -> options.setMaxReconnectDelayMs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxReconnectDelayMs");
  }
}

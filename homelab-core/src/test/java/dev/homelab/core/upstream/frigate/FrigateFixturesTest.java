package dev.homelab.core.upstream.frigate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.upstream.frigate.impl.FrigateJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every recorded Frigate answer, read through the client's parser for its kind. */
class FrigateFixturesTest {

  private static final String DIR = "dev/homelab/simulators/fixtures/frigate";

  /** The fixtures as (file name, text): they sit in the simulators' jar or its classes folder. */
  static Stream<Arguments> fixtures() throws Exception {
    URL url = FrigateFixturesTest.class.getClassLoader().getResource(DIR);
    assertThat(url).as("the fixtures on the test classpath").isNotNull();
    URI uri = url.toURI();
    List<Arguments> fixtures = new ArrayList<>();
    if ("jar".equals(uri.getScheme())) {
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        read(jar.getPath(DIR), fixtures);
      }
    } else {
      read(Path.of(uri), fixtures);
    }
    assertThat(fixtures).hasSizeGreaterThanOrEqualTo(4);
    return fixtures.stream();
  }

  private static void read(Path dir, List<Arguments> into) throws Exception {
    try (Stream<Path> listed = Files.list(dir)) {
      for (Path file : listed.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        into.add(
            Arguments.of(
                file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8)));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void parses(String name, String text) {
    if (name.startsWith("config")) {
      List<FrigateCamera> cameras = FrigateJson.cameras("frigate", new JsonObject(text));
      assertThat(cameras)
          .extracting(FrigateCamera::name)
          .containsExactly("front_door", "backyard", "garage");
      assertThat(cameras.get(0).width()).isEqualTo(1280);
      assertThat(cameras.get(0).height()).isEqualTo(720);
      assertThat(cameras.get(0).fps()).isEqualTo(5);
      assertThat(cameras.get(0).enabled()).isTrue();
      assertThat(cameras.get(0).trackedObjects()).containsExactly("person");
    } else if (name.startsWith("events")) {
      List<FrigateEvent> events = FrigateJson.events("frigate", new JsonArray(text));
      assertThat(events).hasSize(1);
      FrigateEvent event = events.get(0);
      assertThat(event.id()).isEqualTo("1707479767.784216-y40y02");
      assertThat(event.camera()).isEqualTo("Cam2");
      assertThat(event.label()).isEqualTo("person");
      assertThat(event.score()).isEqualTo(0.84326171875);
      assertThat(event.startTime()).isEqualTo(Instant.parse("2024-02-09T11:56:02.784216Z"));
      assertThat(event.endTime()).isEqualTo(Instant.parse("2024-02-09T11:56:13.981245Z"));
      assertThat(event.hasClip()).isTrue();
      assertThat(event.hasSnapshot()).isFalse();
      assertThat(event.zones()).containsExactly("uppfart");
    } else if (name.startsWith("stats-0.9.4")) {
      FrigateStats stats = FrigateJson.stats("frigate", new JsonObject(text));
      assertThat(stats.legacyShape()).isTrue();
      assertThat(stats.version()).isEqualTo("0.9.4-26ae608");
      assertThat(stats.uptime().toSeconds()).isEqualTo(1189);
      assertThat(stats.cameras().keySet()).containsExactly("frontdoorfrig", "kitchenwindowfrig");
      assertThat(stats.cameras().get("frontdoorfrig").cameraFps()).isEqualTo(5.1);
      assertThat(stats.cameras().get("frontdoorfrig").capturePid()).isEqualTo(226);
      assertThat(stats.detectors().get("cpu1").inferenceSpeedMillis()).isEqualTo(127.66);
      assertThat(stats.storage().get("/dev/shm").mountType()).isEqualTo("tmpfs");
      assertThat(stats.cpuUsages()).isEmpty();
    } else if (name.startsWith("stats-docs-0.14")) {
      FrigateStats stats = FrigateJson.stats("frigate", new JsonObject(text));
      assertThat(stats.legacyShape()).isFalse();
      assertThat(stats.version()).isEqualTo("0.10.1-8883709");
      assertThat(stats.latestVersion()).isEqualTo("0.10.1");
      assertThat(stats.cameras().keySet()).containsExactly("back");
      assertThat(stats.cameras().get("back").detectionFps()).isEqualTo(1.5);
      assertThat(stats.detectors().get("coral").inferenceSpeedMillis()).isEqualTo(10.48);
      assertThat(stats.detectionFps()).isEqualTo(5.0);
      assertThat(stats.cpuUsages().get("pid").cpu()).isEqualTo(5.0);
      assertThat(stats.storage().get("/tmp/cache").mountType()).isEqualTo("tmpfs");
    } else {
      throw new AssertionError("a Frigate fixture of no known kind: " + name);
    }
  }
}

package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code Dockerfile} says what the server does: the port it exposes is the default {@code
 * PORT}, the health check's exact request is answered 200 by a real server, the jar it copies is
 * the one the build makes; and it runs as a non-root user with its data in a volume, listening on
 * every interface only inside the image.
 */
class DockerfileTest {

  private static final String DOCKERFILE = ComposeFiles.read("Dockerfile");

  /** Instructions, with continuation lines joined and comments dropped. */
  private static List<String> instructions() {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : DOCKERFILE.split("\n")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      if (!current.toString().isBlank()) {
        out.add(current.toString().strip());
      }
      current.setLength(0);
    }
    return out;
  }

  private static List<String> all(String keyword) {
    return instructions().stream().filter(i -> i.startsWith(keyword + " ")).toList();
  }

  /**
   * @return the HEALTHCHECK instruction
   */
  static String healthcheck() {
    List<String> found = all("HEALTHCHECK");
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  /** The request the health check writes to the socket, with printf's escapes applied. */
  private static String probeRequest() {
    Matcher printf = Pattern.compile("printf '([^']*)'").matcher(healthcheck());
    assertThat(printf.find()).isTrue();
    return printf.group(1).replace("\\\\r", "\r").replace("\\\\n", "\n");
  }

  @TempDir Path dir;

  @Test
  void baseImagesAreBuildArgumentsWithPublicDefaults() {
    assertThat(all("ARG"))
        .contains(
            "ARG BUILD_IMAGE=eclipse-temurin:17-jdk", "ARG RUNTIME_IMAGE=eclipse-temurin:17-jre");
    assertThat(all("FROM"))
        .containsExactly("FROM ${BUILD_IMAGE} AS build", "FROM ${RUNTIME_IMAGE} AS runtime");
    String compose = ComposeFiles.read("compose.yaml");
    assertThat(compose)
        .contains("BUILD_IMAGE: ${BUILD_IMAGE:-eclipse-temurin:17-jdk}")
        .contains("RUNTIME_IMAGE: ${RUNTIME_IMAGE:-eclipse-temurin:17-jre}");
  }

  @Test
  void theImageRunsTheShadedJarAsANonRootUserWithItsDataInAVolume() {
    assertThat(DOCKERFILE).contains("./mvnw -B -q -pl homelab-server -am package -DskipTests");
    assertThat(DOCKERFILE).contains("homelab-server/target/homelab-server.jar");
    assertThat(ComposeFiles.read("homelab-server/pom.xml"))
        .contains("<outputFile>${project.build.directory}/homelab-server.jar</outputFile>");
    assertThat(all("USER")).containsExactly("USER homelab:homelab");
    assertThat(all("VOLUME")).containsExactly("VOLUME [\"/data\"]");
    String env = String.join(" ", all("ENV"));
    assertThat(env).contains("DATA_DIR=/data").contains("HOST=0.0.0.0").contains("LOG_DIR=\"\"");
    assertThat(ConfigKeys.get("HOST").defaultValue())
        .as("0.0.0.0 is the image's, not the server's default")
        .isEqualTo("127.0.0.1");
    assertThat(env).contains("PORT=" + ConfigKeys.get("PORT").defaultValue());
    assertThat(all("EXPOSE"))
        .containsExactly("EXPOSE " + ConfigKeys.get("PORT").defaultValue() + " 1884");
    String entrypoint = all("ENTRYPOINT").get(0);
    assertThat(entrypoint)
        .startsWith("ENTRYPOINT [\"java\"")
        .contains("\"-XX:MaxRAMPercentage=75\"")
        .contains("\"-XX:+ExitOnOutOfMemoryError\"")
        .endsWith("\"-jar\", \"/opt/homelab/homelab-server.jar\"]");
  }

  @Test
  void theClassArchiveIsTrainedWithTheFlagsTheImageRunsWith() {
    List<String> training = all("RUN").stream().filter(r -> r.contains("cds-archive.sh")).toList();
    assertThat(training).hasSize(1);
    List<String> trainingFlags =
        List.of(training.get(0).split("\\s+")).stream()
            .filter(word -> word.startsWith("-"))
            .toList();
    String entrypoint = all("ENTRYPOINT").get(0);
    List<String> runFlags = new ArrayList<>();
    Matcher quoted = Pattern.compile("\"(-[^\"]*)\"").matcher(entrypoint);
    while (quoted.find()) {
      runFlags.add(quoted.group(1));
    }
    assertThat(runFlags)
        .as("the ENTRYPOINT uses the archive the training run writes")
        .contains("-XX:SharedArchiveFile=/opt/homelab/homelab.jsa");
    assertThat(training.get(0))
        .contains("/opt/homelab/homelab-server.jar /opt/homelab/homelab.jsa");
    runFlags.removeIf(flag -> flag.startsWith("-XX:SharedArchiveFile=") || flag.equals("-jar"));
    assertThat(trainingFlags)
        .as("a JVM ignores an archive made with other flags")
        .containsExactlyElementsOf(runFlags);
    assertThat(Files.isExecutable(ComposeFiles.ROOT.resolve("deploy/cds-archive.sh"))).isTrue();
  }

  @Test
  void theBuildContextLeavesOutDataSecretsAndBuildOutput() {
    List<String> ignored = List.of(ComposeFiles.read(".dockerignore").split("\n"));
    assertThat(ignored).contains(".env", "data/", "logs/", "**/target/", ".git");
  }

  @Test
  @Timeout(30)
  void theHealthCheckRequestIsAnsweredOkByTheServer() throws Exception {
    String request = probeRequest();
    assertThat(request).startsWith("GET /health/live HTTP/1.0\r\n").endsWith("\r\n\r\n");
    assertThat(healthcheck())
        .contains("/dev/tcp/127.0.0.1/${PORT:-" + ConfigKeys.get("PORT").defaultValue() + "}")
        .contains("grep -q ' 200 '");
    try (ServerTesting lab = ServerTesting.start(dir);
        RawHttp raw = new RawHttp(lab.server.port())) {
      RawHttp.Received received = raw.send(request).readResponse(5000);
      assertThat(received.statusLine()).as("head -n 1 of the answer").contains(" 200 ");
    }
  }
}

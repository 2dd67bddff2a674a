# The Homelab server image. Two stages: `build` packages the runnable jar with the Maven wrapper,
# `runtime` (the default target) runs it on a JRE as a non-root user, with its data in /data.
#
#   docker build -t homelab-server .
#   docker run -d -p 127.0.0.1:8000:8000 -v homelab-data:/data homelab-server
#
# Both base images are build arguments, so the image also builds from locally imported bases
# (deploy/smoke.sh builds one with debootstrap when no registry is reachable):
#   BUILD_IMAGE    a JDK 17+ with a POSIX shell (default eclipse-temurin:17-jdk)
#   RUNTIME_IMAGE  a JRE 17+ with bash, groupadd and useradd (default eclipse-temurin:17-jre;
#                  a Debian minbase with openjdk-17-jre-headless works too)
#   PREBUILT_JAR   true: skip Maven and take homelab-server/target/homelab-server.jar from the
#                  build context, as built on the host (default false)
ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
ARG PREBUILT_JAR=false
WORKDIR /src
# The whole reactor: .dockerignore keeps build output, data, logs and .env out of the context.
COPY . .
RUN if [ "$PREBUILT_JAR" = "true" ]; then \
      test -s homelab-server/target/homelab-server.jar; \
    else \
      ./mvnw -B -q -pl homelab-server -am package -DskipTests; \
    fi \
 && cp homelab-server/target/homelab-server.jar /homelab-server.jar

FROM ${RUNTIME_IMAGE} AS runtime
# A user with a fixed uid and no login, so that a bind-mounted /data can be chowned on the host to
# match (no --system: its uid range ends at 999, and useradd warns about 10001).
RUN groupadd --gid 10001 homelab \
 && useradd --uid 10001 --gid homelab --no-log-init --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin homelab \
 && mkdir -p /data /opt/homelab \
 && chown homelab:homelab /data \
 && chmod 0700 /data
COPY --from=build /homelab-server.jar /opt/homelab/homelab-server.jar
# Class-data sharing: one training start of the server writes the archive of its classes, which every
# later start maps instead of loading them from the jar (about half the time to ready; see
# deploy/cds-archive.sh). Same JRE, jar and flags as the ENTRYPOINT, or the JVM ignores the archive.
COPY deploy/cds-archive.sh /opt/homelab/cds-archive.sh
RUN /opt/homelab/cds-archive.sh /opt/homelab/homelab-server.jar /opt/homelab/homelab.jsa \
      -XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError \
      -Dfile.encoding=UTF-8 -Djava.io.tmpdir=/tmp
# HOST=0.0.0.0 only here: inside its own network namespace the server must listen on every
# interface to be reachable through a published port; the server's own default stays 127.0.0.1.
# Logs go to the console (docker logs), the data (SQLite, access_token, jwt_secret) to /data.
ENV HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data \
    LOG_DIR="" \
    LANG=C.UTF-8
WORKDIR /data
VOLUME ["/data"]
# 8000: HTTP (PORT). 1884: the MQTT device gateway (MQTT_GATEWAY_PORT, docs/mqtt.md).
EXPOSE 8000 1884
USER homelab:homelab
# Liveness through bash's /dev/tcp, so that the probe needs neither curl nor wget nor a second JVM.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8000} && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The class archive built above; the serial collector, which suits a heap of a few hundred MB on a
# small box (less memory of its own than G1, pauses of a few ms at this size); a container-aware
# heap ceiling (75% of the memory limit) and no initial heap floor, so that an idle server holds
# little; exit on OutOfMemoryError so that the restart policy brings up a clean process. Add flags
# with JAVA_TOOL_OPTIONS. The server stops gracefully on SIGTERM within SHUTDOWN_TIMEOUT_SECONDS;
# give `docker stop` more than that (compose: 20 s).
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/homelab/homelab.jsa", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/homelab/homelab-server.jar"]

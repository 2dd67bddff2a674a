#!/usr/bin/env bash
# Smoke test of the server image, opt-in (not part of CI): builds the image from local bases only
# (no registry needs to be reachable), runs it published on 127.0.0.1, waits for /health and for
# Docker's own health check, logs in with the access token, checks that it runs as a non-root user,
# and stops it, expecting a graceful exit.
#
#   sudo deploy/smoke.sh
#
# What it needs, and installs with apt-get when missing: docker.io and debootstrap. It starts
# dockerd when no daemon answers (DOCKERD_ARGS adds flags, e.g. "--storage-driver=vfs"), and builds
# the base image local/jre17 once with debootstrap (a Debian bookworm minbase with
# openjdk-17-jre-headless; DEBIAN_MIRROR picks the mirror). The jar is built on the host with the
# Maven wrapper and handed to the Dockerfile with PREBUILT_JAR=true, so the image build itself
# downloads nothing.
#
# Environment: SMOKE_PORT (host port, default 18000), DEBIAN_MIRROR (default
# http://deb.debian.org/debian), BASE_IMAGE (default local/jre17), SKIP_JAR_BUILD=true to use the
# jar already in homelab-server/target.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${SMOKE_PORT:-18000}"
BASE="${BASE_IMAGE:-local/jre17}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
IMAGE=homelab-server:smoke
NAME="homelab-smoke-$$"

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'SMOKE FAILED: %s\n' "$*" >&2; exit 1; }

step "tools"
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${need[@]}"
fi
docker --version

step "docker daemon"
if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd (log: /tmp/homelab-smoke-dockerd.log)"
  # shellcheck disable=SC2086 # DOCKERD_ARGS is a list of flags
  nohup dockerd ${DOCKERD_ARGS:-} >/tmp/homelab-smoke-dockerd.log 2>&1 &
  for _ in $(seq 1 30); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -n 20 /tmp/homelab-smoke-dockerd.log >&2; fail "dockerd did not start"; }
fi
docker info --format 'daemon {{.ServerVersion}}, storage {{.Driver}}'

step "base image $BASE"
if ! docker image inspect "$BASE" >/dev/null 2>&1; then
  root="$(mktemp -d /tmp/homelab-jre17.XXXXXX)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$root" "$MIRROR" \
    || fail "debootstrap could not build the base from $MIRROR"
  tar -C "$root" -c . | docker import - "$BASE"
  rm -rf "$root"
fi
docker run --rm "$BASE" java -version 2>&1 | sed -n 1p

step "jar"
if [ "${SKIP_JAR_BUILD:-false}" != true ]; then
  ./mvnw -B -q -pl homelab-server -am package -DskipTests
fi
test -s homelab-server/target/homelab-server.jar || fail "homelab-server/target/homelab-server.jar is missing"

step "image $IMAGE"
docker build -t "$IMAGE" \
  --build-arg BUILD_IMAGE="$BASE" \
  --build-arg RUNTIME_IMAGE="$BASE" \
  --build-arg PREBUILT_JAR=true \
  .

step "run on 127.0.0.1:$PORT"
token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# A short health interval so that Docker runs the image's own probe within seconds.
docker run -d --name "$NAME" -p "127.0.0.1:$PORT:8000" -e ACCESS_TOKEN="$token" \
  --health-interval 2s --health-start-period 5s "$IMAGE" >/dev/null
cleanup() { docker rm -f "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT

base="http://127.0.0.1:$PORT"
for _ in $(seq 1 90); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "$base/health" || { docker logs "$NAME" 2>&1 | tail -n 40; fail "/health did not answer"; }
echo

for _ in $(seq 1 60); do
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$NAME")" = healthy ] && break
  sleep 1
done
status="$(docker inspect -f '{{.State.Health.Status}}' "$NAME")"
echo "docker health: $status"
[ "$status" = healthy ] || { docker inspect -f '{{json .State.Health}}' "$NAME"; fail "the image's health check did not pass"; }

uid="$(docker exec "$NAME" id -u)"
echo "runs as uid $uid"
[ "$uid" != 0 ] || fail "the server runs as root"

step "login"
jwt="$(curl -fsS "$base/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"token\": \"$token\"}" | sed -n 's/.*"jwt":"\([^"]*\)".*/\1/p')"
[ -n "$jwt" ] || fail "login with the access token failed"
curl -fsS "$base/api/auth/me" -H "Authorization: Bearer $jwt"
echo

step "stop"
docker stop -t 20 "$NAME" >/dev/null
code="$(docker inspect -f '{{.State.ExitCode}}' "$NAME")"
echo "exit code $code"
docker logs "$NAME" 2>&1 | tail -n 5
[ "$code" = 0 ] || fail "the server did not stop gracefully"

step "smoke test passed"

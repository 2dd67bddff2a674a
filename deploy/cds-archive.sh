#!/usr/bin/env bash
# Builds the server's class-data-sharing archive at image build time (Dockerfile, runtime stage):
# starts the server once on a scratch data directory with -XX:ArchiveClassesAtExit, sends it the
# requests a first start and a first visit make (health, login, the dashboard, the API document),
# stops it with SIGTERM, and checks that the JVM wrote the archive. With the archive, the JVM maps
# the server's classes, already parsed and verified, instead of loading them from the jar: the
# container is ready in about a third less time (docs/performance.md, Footprint).
#
#   deploy/cds-archive.sh JAR ARCHIVE [JVM flags the image runs with...]
#
# The archive is only valid for the same JVM, the same jar (path and modification time) and
# compatible flags, which is why the image builds it with its own JRE, jar and ENTRYPOINT flags. A
# JVM that cannot use it says so once and starts without it. The training start uses SQLite: the
# classes of PostgreSQL and Redis, which a compose stack also loads, come from the jar as usual.
set -euo pipefail
jar="$1"
archive="$2"
shift 2
port=18999
data="$(mktemp -d)"
token="cds-training-access-token-$(date +%s%N)"

# A JRE without its base archive (lib/server/classes.jsa) cannot stack a dynamic one on it: make it,
# but only when it is missing, never over a JDK's own.
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
if [ ! -e "$java_home/lib/server/classes.jsa" ]; then
  java -Xshare:dump >/dev/null 2>&1 || true
fi

DATA_DIR="$data" HOST=127.0.0.1 PORT="$port" LOG_DIR="" ACCESS_TOKEN="$token" \
  java "$@" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" &
pid=$!

# One HTTP/1.0 request over bash's /dev/tcp; prints the status line.
request() {
  local method="$1" path="$2" body="${3:-}"
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf '%s %s HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
    "$method" "$path" "${#body}" "$body" >&3
  head -n 1 <&3
  exec 3<&-
}

ready=false
for _ in $(seq 1 240); do
  if request GET /health 2>/dev/null | grep -q ' 200 '; then
    ready=true
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.25
done
if [ "$ready" != true ]; then
  echo "cds-archive: the server did not become ready" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
fi
request GET /health/ready >/dev/null
request GET / >/dev/null
request GET /openapi.json >/dev/null
request POST /api/auth/login "{\"token\": \"$token\"}" >/dev/null
request GET /api/devices >/dev/null

kill -TERM "$pid"
wait "$pid" || true
rm -rf "$data"
test -s "$archive" || { echo "cds-archive: no archive was written" >&2; exit 1; }
echo "cds-archive: $(du -h "$archive" | cut -f1) written to $archive"

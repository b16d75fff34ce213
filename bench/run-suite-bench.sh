#!/usr/bin/env bash
# Builds the two services (packaged Quarkus apps) and the bench module (no tests), then runs the
# suite benchmark in its own JVM: embedded PostgreSQL + query-service + ingest-service started as
# `athanor up` starts them, ingest through the uploader library over gRPC, reads over REST.
# Arguments go to dev.athanor.bench.suite.SuiteBench (see bench/README.md), for example
#   bench/run-suite-bench.sh --parts ingest --streams 1,2 --points 500000
# Environment: BENCH_JAVA_OPTS (JVM flags of the driver, which also runs the uploaders),
# MVN_ARGS (extra Maven flags, e.g. -o), BENCH_SKIP_BUILD=1 (use the jars already built),
# BENCH_MAIN (another benchmark of the same suite, as bench/run-live-runs-bench.sh runs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh

if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  # shellcheck disable=SC2086
  ./mvnw -B -q -ntp ${MVN_ARGS:-} -pl ingest-service,query-service,bench -am package -DskipTests
fi

# What was measured: the services run from their built jars (work tree at build time, uncommitted changes included).
echo "source: HEAD $(git log -1 --format='%h' 2>/dev/null || echo '?'), $(git status --porcelain -- \
  ingest-service query-service index-schema uploader tfevents proto 2>/dev/null | wc -l) uncommitted files in the measured modules;" \
  "jars built $(date -r ingest-service/target/quarkus-app/quarkus-run.jar '+%F %T' 2>/dev/null || echo never) (ingest)," \
  "$(date -r query-service/target/quarkus-app/quarkus-run.jar '+%F %T' 2>/dev/null || echo never) (query)"

CP="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx1g}
# protobuf-java reads memory through sun.misc.Unsafe; JDK 24+ warns about it otherwise.
major=$(athanor_java_major "$JAVA_HOME/bin/java"); major=${major%%.*}
[ "${major:-0}" -ge 24 ] && JAVA_OPTS="$JAVA_OPTS --sun-misc-unsafe-memory-access=allow"
# gRPC's Netty loads its native transport.
JAVA_OPTS="$JAVA_OPTS --enable-native-access=ALL-UNNAMED"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $JAVA_OPTS -Dathanor.repo.root="$PWD" -cp "$CP" \
  "${BENCH_MAIN:-dev.athanor.bench.suite.SuiteBench}" "$@"

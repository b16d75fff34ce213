#!/usr/bin/env bash
# Builds query-service (the packaged Quarkus app) and the bench module, then runs the compare-read
# benchmark (issue 15): charts of 10/100/500 runs × 1 tag × 10k points at width=1000 against the
# older maxPoints=1000 read, p50/p95 in the service and on the client, bytes on the wire.
# Arguments go to dev.athanor.bench.query.CompareReadBench, e.g. --runs 100 --requests 50 --encoding br.
# Environment: BENCH_JAVA_OPTS (JVM flags of the bench driver), MVN_ARGS (extra Maven flags, e.g. -o),
# BENCH_SKIP_BUILD=1 (use the jars already built).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  # shellcheck disable=SC2086
  ./mvnw -B -q -ntp ${MVN_ARGS:-} -pl query-service,bench -am package -DskipTests
fi

CP="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx1g}
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $JAVA_OPTS -cp "$CP" dev.athanor.bench.query.CompareReadBench \
  --service query-service/target/quarkus-app/quarkus-run.jar "$@"

#!/usr/bin/env bash
# Builds query-service (the packaged Quarkus app) and the bench module, then runs the query
# benchmark in its own JVM: embedded PostgreSQL filled by COPY, the service started as a separate
# process, latencies measured over HTTP. Arguments go to dev.athanor.bench.query.QueryBench,
# for example  bench/run-query-bench.sh --points 1000000 --chunk 1000 --runs 10000 --requests 300
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
exec "$JAVA_HOME/bin/java" $JAVA_OPTS -cp "$CP" dev.athanor.bench.query.QueryBench \
  --service query-service/target/quarkus-app/quarkus-run.jar "$@"

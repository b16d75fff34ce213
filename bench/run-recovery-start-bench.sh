#!/usr/bin/env bash
# Start-up after a crash (issue 15 point 1): ingest's raw log on a hot root of N finished, indexed
# runs and a few live ones, timed with the list of runs to recover and without it (as before:
# every journal scanned and opened). Builds ingest-service and bench (no tests) and runs
# dev.athanor.ingest.rawlog.RecoveryStartBench from bench. Arguments: [runs (10000)] [live runs (20)]
# [hot root]. Environment: MVN_ARGS (e.g. -o), BENCH_SKIP_BUILD=1 (use the classes already built),
# BENCH_JAVA_OPTS (flags of the benchmark's JVM).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  # shellcheck disable=SC2086
  ./mvnw -B -q -ntp ${MVN_ARGS:-} -pl bench -am package -DskipTests
fi
CP="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$CP" dev.athanor.ingest.rawlog.RecoveryStartBench "$@"

#!/usr/bin/env bash
# Start-up after a crash (issue 15 point 1): ingest's raw log on a hot root of N finished, indexed
# runs and a few live ones, timed with the list of runs to recover and without it (as before:
# every journal scanned and opened). Arguments: [runs (10000)] [live runs (20)] [hot root].
# Environment: MVN_ARGS (e.g. -o), BENCH_SKIP_BUILD=1 (use the classes already built).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  ./mvnw -B -q ${MVN_ARGS:-} -pl ingest-service -am install -DskipTests
  ./mvnw -B -q ${MVN_ARGS:-} -pl ingest-service test-compile
fi
./mvnw -B -q ${MVN_ARGS:-} -pl ingest-service dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
CP="ingest-service/target/test-classes:ingest-service/target/classes:$(cat ingest-service/target/bench.classpath)"
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$CP" dev.athanor.ingest.rawlog.RecoveryStartBench "$@"

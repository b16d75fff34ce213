#!/usr/bin/env bash
# Builds what the uploader benchmark needs (the uploader and its test-jar's fake ingest server,
# bench; no tests) and runs dev.athanor.bench.uploader.UploaderBench; arguments: RUNS FILES EVENTS
# TAIL_SECONDS (default 8 2 150000 30). Environment: BENCH_JAVA_OPTS (flags of the benchmark's JVM),
# MVN_ARGS (extra Maven flags, e.g. -o). -Duploader.jvmArgs=... in BENCH_JAVA_OPTS goes to the
# uploader's own JVM, -Duploader.xmx=... sets its heap (default 64m).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh

# shellcheck disable=SC2086
./mvnw -B -q -ntp ${MVN_ARGS:-} -pl bench -am package -DskipTests

CP="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$CP" dev.athanor.bench.uploader.UploaderBench "$@"

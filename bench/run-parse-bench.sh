#!/usr/bin/env bash
# Builds what the parse benchmark needs (proto, tfevents, bench; no tests) and runs it in its own
# JVM. Arguments go to dev.athanor.bench.parse.ParseBench (see bench/README.md), for example
#   bench/run-parse-bench.sh --iterations 5 --no-data-server
# Environment: ATHANOR_TB_DATA_SERVER (path of TensorBoard's data-server binary),
# BENCH_JAVA_OPTS (JVM flags; default below), MVN_ARGS (extra Maven flags, e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh

# shellcheck disable=SC2086
./mvnw -B -q -ntp ${MVN_ARGS:-} -pl bench -am package -DskipTests

CLASSPATH_FILE=bench/target/runtime-classpath.txt
CP="bench/target/classes:$(cat "$CLASSPATH_FILE")"
# A fixed heap and a throughput collector: the figures are about the parser, not heap sizing.
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseParallelGC}
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $JAVA_OPTS -Dathanor.repo.root="$PWD" -cp "$CP" \
  dev.athanor.bench.parse.ParseBench "$@"

#!/usr/bin/env bash
# Builds archive-service (its classes and the test-jar with HotLog) and the bench module, then runs the
# archive benchmark: archive-service's tiering pass (hash, multipart upload, read-back verify, catalog,
# hot delete) into s3proxy (filesystem backend, child JVM, loopback), then a restore of every object.
# Arguments go to dev.athanor.bench.archive.ArchiveBench: --total-mib N (1024), --segment-mib N (128),
# --part-mib N (8), --out DIR (bench/target/archive-bench), --help.
# Environment: BENCH_JAVA_OPTS (JVM flags of the bench driver), MVN_ARGS (extra Maven flags, e.g. -o),
# BENCH_SKIP_BUILD=1 (use the jars already built).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh

for arg in "$@"; do
  if [[ "$arg" == "--help" || "$arg" == "-h" ]]; then
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
  fi
done

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  # shellcheck disable=SC2086
  ./mvnw -B -q -ntp ${MVN_ARGS:-} -pl archive-service,bench -am package -DskipTests
fi

CP="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx512m}
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $JAVA_OPTS -Dathanor.test.s3proxy.jar=bench/target/s3proxy/s3proxy.jar \
  -cp "$CP" dev.athanor.bench.archive.ArchiveBench "$@"

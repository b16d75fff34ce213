#!/usr/bin/env bash
# What one logdir scan costs the uploader: builds uploader and bench (no tests), generates a logdir
# of RUNS runs x FILES event files (default 5000 x 2) and runs dev.athanor.bench.uploader.ScanBench:
# time per scan (SCANS scans, default 60, ACTIVE growing files, default 100), then, with strace when
# it is installed, the file-system calls per scan (stat family, getdents64, openat: a run with SCANS
# scans minus one with none, divided by SCANS). BENCH_SKIP_BUILD=1 uses the classes already built;
# MVN_ARGS adds Maven flags (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
RUNS=${1:-5000}
FILES=${2:-2}
SCANS=${3:-60}
ACTIVE=${4:-100}

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  # shellcheck disable=SC2086
  ./mvnw -B -q -ntp ${MVN_ARGS:-} -pl bench -am package -DskipTests
fi
CP="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
DIR=$(mktemp -d /tmp/athanor-scan-bench.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
bench() { "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$CP" dev.athanor.bench.uploader.ScanBench "$@"; }
bench generate "$DIR/logdir" "$RUNS" "$FILES"
bench scan "$DIR/logdir" "$SCANS" "$ACTIVE"
if command -v strace >/dev/null; then
  calls() {
    strace -f -c -e trace=stat,lstat,fstat,newfstatat,statx,getdents64,openat -o "$DIR/strace.$1" \
      "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$CP" dev.athanor.bench.uploader.ScanBench scan "$DIR/logdir" "$1" "$ACTIVE" >/dev/null
    awk '$NF ~ /^(stat|lstat|fstat|newfstatat|statx|getdents64|openat)$/ { n[$NF] = $4 } END { for (k in n) print k, n[k] }' "$DIR/strace.$1" | sort
  }
  calls 0 > "$DIR/c0"
  calls "$SCANS" > "$DIR/cN"
  echo "file-system calls per steady scan (strace, ${SCANS} scans minus none; openat includes the bench's own ${ACTIVE} appends):"
  join -a1 -a2 -e 0 -o 0,1.2,2.2 "$DIR/c0" "$DIR/cN" | awk -v n="$SCANS" '{ printf "  %-12s %10.1f\n", $1, ($3 - $2) / n }'
fi

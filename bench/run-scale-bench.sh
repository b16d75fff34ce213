#!/usr/bin/env bash
# Issue 15's goals in one table: runs the existing benchmarks (live runs, suite ingest with its
# per-row COPY, compare reads, run search, athanor inspect vs TensorBoard's data server), each in its own JVM as its own script runs it, copies
# their CSVs into bench/target/scale-bench/ and prints one table of every figure beside its goal and
# floor (dev.athanor.bench.scale.ScaleReport), written as bench/target/scale-bench/scale-bench.csv.
#
#   bench/run-scale-bench.sh                      every part at the goals' sizes (about an hour; run it on a quiet machine)
#   bench/run-scale-bench.sh --quick              every part at small sizes (about 10 minutes): a smoke run, not figures
#   bench/run-scale-bench.sh --parts compare,search --compare-runs 100 --search-runs 100000
#
# Options (a later one wins over --quick's sizes):
#   --parts live,ingest,compare,search,inspect   which parts run (default all)
#   --live-runs N                        live runs held (10000; quick 300)
#   --ingest-streams 1,4,100             rounds of N runs, one uploader (logdir, experiment, gRPC stream) per run
#                                        (1,4,100); "" for none. 100 is the "100 streams, 100 uploaders" row
#                                        (100 training pods), which has no goal of its own
#   --ingest-sweeps 100                  rounds of one uploader over one logdir of N runs, one experiment
#                                        (100): the issue's "100-run sweep" goal row; "" for none
#   --ingest-points N                    points per ingest round (5000000; quick 200000)
#   --compare-runs 10,100,500            runs per chart (10,100,500; quick 10,100)
#   --compare-points N                   points per run (10000; quick 2000)
#   --search-runs 10000,100000           runs per search experiment (10000,100000; quick 2000,10000)
#   --requests N                         measured requests per read (compare 100, search 300; quick 15)
#   --inspect-events N                   events of the inspect logdir, over 20 runs (10000000; quick 1000000)
#   --inspect-repetitions N              timed repetitions of inspect and the data server (5; quick 3)
# The inspect part runs `./athanor inspect` (the launcher, as users run it) and the data server
# found at $ATHANOR_TB_DATA_SERVER (or a venv beside the repository or at /work/venv); its logdir
# is generated once under bench/target/inspect-logdir and reused.
# Environment: BENCH_JAVA_OPTS, MVN_ARGS (e.g. -o), BENCH_SKIP_BUILD=1 (use the jars already built).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh

parts=live,ingest,compare,search,inspect
live_runs=10000; live_streams=16; live_per_stream=50
ingest_streams=1,4,100; ingest_sweeps=100; ingest_points=5000000; ingest_warmup=1000000
compare_runs=10,100,500; compare_points=10000; compare_requests=100; compare_warmup=20
search_runs=10000,100000; search_requests=300
inspect_events=10000000; inspect_repetitions=5
requests=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick)
      live_runs=300; live_streams=4; live_per_stream=25
      ingest_points=200000; ingest_warmup=100000
      compare_runs=10,100; compare_points=2000; compare_requests=15; compare_warmup=5
      search_runs=2000,10000; search_requests=15
      inspect_events=1000000; inspect_repetitions=3 ;;
    --parts) parts=$2; shift ;;
    --live-runs) live_runs=$2; shift ;;
    --ingest-streams) ingest_streams=$2; shift ;;
    --ingest-sweeps) ingest_sweeps=$2; shift ;;
    --ingest-points) ingest_points=$2; shift ;;
    --compare-runs) compare_runs=$2; shift ;;
    --compare-points) compare_points=$2; shift ;;
    --search-runs) search_runs=$2; shift ;;
    --requests) requests=$2; shift ;;
    --inspect-events) inspect_events=$2; shift ;;
    --inspect-repetitions) inspect_repetitions=$2; shift ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d'; exit 0 ;;
    *) echo "run-scale-bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$requests" ]; then compare_requests=$requests; search_requests=$requests; fi
for part in ${parts//,/ }; do
  case "$part" in live|ingest|compare|search|inspect) ;; *) echo "run-scale-bench.sh: unknown part $part" >&2; exit 2 ;; esac
done
wants() { [[ ",$parts," == *",$1,"* ]]; }

out=bench/target/scale-bench
rm -rf "$out"
mkdir -p "$out"
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  # shellcheck disable=SC2086
  ./mvnw -B -q -ntp ${MVN_ARGS:-} -pl ingest-service,query-service,cli,bench -am package -DskipTests || exit 1
fi
export BENCH_SKIP_BUILD=1
failed=()

# Runs one part, its console in $out/<name>.log; a failed part is named at the end, the others still run.
run_part() {
  local name=$1; shift
  echo "== $name: $*"
  if ! "$@" 2>&1 | tee "$out/$name.log"; then
    failed+=("$name (see $out/$name.log)")
  fi
}
# Copies a CSV a benchmark wrote at its fixed path, if this run wrote it.
take() { [ -f "$1" ] && cp "$1" "$out/$2"; }

if wants live; then
  run_part live bench/run-live-runs-bench.sh --runs "$live_runs" --streams "$live_streams" \
    --runs-per-stream "$live_per_stream" --out "$out"
fi
if wants ingest; then
  rm -f bench/target/suite-bench-ingest.csv
  run_part ingest bench/run-suite-bench.sh --parts ingest --streams "$ingest_streams" --sweeps "$ingest_sweeps" \
    --points "$ingest_points" --warmup-points "$ingest_warmup"
  take bench/target/suite-bench-ingest.csv suite-bench-ingest.csv
fi
if wants compare; then
  rm -f bench/target/compare-bench.csv
  run_part compare bench/run-compare-bench.sh --runs "$compare_runs" --points "$compare_points" --width 1000 \
    --requests "$compare_requests" --warmup "$compare_warmup" --no-baseline
  take bench/target/compare-bench.csv compare-bench.csv
fi
if wants search; then
  for runs in ${search_runs//,/ }; do
    rm -f bench/target/query-bench.csv
    # The 1M-point series of the query benchmark is not a figure here: a small one keeps the fill short.
    run_part "search-$runs" bench/run-query-bench.sh --runs "$runs" --points 100000 --requests "$search_requests"
    take bench/target/query-bench.csv "query-bench-$runs.csv"
  done
fi

CP="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
# InspectBench in its own JVM (named by a function so the console shows its options, not the classpath).
inspect_bench() {
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -Dathanor.repo.root="$PWD" -cp "$CP" dev.athanor.bench.parse.InspectBench "$@"
}
if wants inspect; then
  rm -f bench/target/inspect-bench.csv
  run_part inspect inspect_bench --runs 20 --events "$inspect_events" --repetitions "$inspect_repetitions"
  take bench/target/inspect-bench.csv inspect-bench.csv
fi
"$JAVA_HOME/bin/java" -cp "$CP" dev.athanor.bench.scale.ScaleReport "$out"
echo "source: HEAD $(git log -1 --format='%h' 2>/dev/null || echo '?'); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'failed parts: %s\n' "${failed[@]}"
  exit 1
fi

#!/usr/bin/env bash
# The live-runs benchmark (issue 15): the suite as `athanor up` starts it, 10,000 runs that never
# finish written over time by Upload streams that open and close, ingest-service's open descriptors,
# RSS and heap sampled meanwhile. Built and started like the suite benchmark (same environment:
# BENCH_JAVA_OPTS, MVN_ARGS, BENCH_SKIP_BUILD). Arguments go to dev.athanor.bench.suite.LiveRunsBench
# (see bench/README.md), for example
#   bench/run-live-runs-bench.sh --runs 2000 --max-run-files 256
set -euo pipefail
BENCH_MAIN=dev.athanor.bench.suite.LiveRunsBench exec "$(dirname "$0")/run-suite-bench.sh" "$@"

#!/usr/bin/env bash
# The README's test command: builds every module and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
exec ./mvnw -B -ntp verify "$@"

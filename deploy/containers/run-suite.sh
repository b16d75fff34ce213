#!/usr/bin/env bash
# Runs helm/athanor's pods in podman exactly as the rendered chart runs them, against real
# PostgreSQL, Keycloak and s3proxy on this machine, and carries an upload through them to the
# archive: the helm module's ChartInContainersTest (deploy/containers/README.md says what it does).
# It packages the services, builds the images (build-images.sh) and prints every step; the
# containers' logs, their `podman run` lines and the rendered chart stay in helm/target/container-run/.
# Usage: deploy/containers/run-suite.sh [Maven options, e.g. -o]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-env.sh
exec ./mvnw -B -ntp -pl helm -am verify -Dtest=ChartInContainersTest -Dsurefire.failIfNoSpecifiedTests=false "$@"

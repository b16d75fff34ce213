#!/usr/bin/env bash
# Builds every image helm/athanor names (ingest, archive, query, web-ui) and the uploader image of
# helm/examples/uploader-job.yaml with podman, with no registry pull: the bases are Debian trixie
# root filesystems made by mmdebstrap from the Debian archive (openjdk-21-jre-headless; nginx),
# cached as tarballs keyed by their recipe and imported into podman. The images are tagged exactly
# as the chart names them (athanor/<name>:<appVersion>), so `run-suite.sh` and a local cluster
# (kind/k3s: `podman save`) find them.
#
# Needs the services packaged first (the script says the command when a jar is missing):
#   ./mvnw -B -pl ingest-service,archive-service,query-service,web-ui,cli -am package -DskipTests
# Usage: deploy/containers/build-images.sh [--only NAME[,NAME…]] [--push REGISTRY] [--list]
#   NAME: ingest, archive, query, web-ui, uploader. --push: also push to REGISTRY/athanor/<name>:<tag>.
#   --list: print "NAME IMAGE" for each image it would build, and build nothing (the helm module's
#   tests check the chart's images against this list).
# Environment: ATHANOR_IMAGE_CACHE (base tarballs; default ~/.m2/athanor-cache/images, beside the
#   Keycloak distribution the tests unpack, so a CI cache of ~/.m2 keeps them),
#   ATHANOR_DEBIAN_MIRROR (default: the first Debian URI of apt's sources, else deb.debian.org),
#   ATHANOR_JAVA_BASE / ATHANOR_WEB_BASE (use these base images instead of the mmdebstrap ones,
#   e.g. docker.io/library/eclipse-temurin:21-jre on a machine with registry access).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
here="$repo/deploy/containers"
only="ingest,archive,query,web-ui,uploader"
push=""
list=""
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    --push) push="${2%/}"; shift 2 ;;
    --list) list=1; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-images.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

version="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$repo/helm/athanor/Chart.yaml")"
[ -n "$version" ] || { echo "build-images.sh: no appVersion in helm/athanor/Chart.yaml" >&2; exit 1; }

# The image of each NAME, as helm/athanor/values.yaml and helm/examples/uploader-job.yaml name it.
image_of() {
  case "$1" in
    ingest|archive|query) echo "athanor/athanor-$1-service:$version" ;;
    web-ui) echo "athanor/web-ui:$version" ;;
    uploader) echo "athanor/athanor-uploader:$version" ;;
  esac
}
if [ -n "$list" ]; then
  for name in ${only//,/ }; do echo "$name $(image_of "$name")"; done
  exit 0
fi
cache="${ATHANOR_IMAGE_CACHE:-$HOME/.m2/athanor-cache/images}"
suite=trixie
podman=(podman)
if [ -z "${ATHANOR_PODMAN_RUNTIME:-}" ] && command -v runc >/dev/null 2>&1; then podman+=(--runtime runc); fi
[ -n "${ATHANOR_PODMAN_RUNTIME:-}" ] && podman+=(--runtime "$ATHANOR_PODMAN_RUNTIME")

say() { printf '[build-images] %s\n' "$*" >&2; }
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

debian_mirror() {
  if [ -n "${ATHANOR_DEBIAN_MIRROR:-}" ]; then echo "$ATHANOR_DEBIAN_MIRROR"; return; fi
  local uri
  uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs: *\(\S*\/debian\)\/\{0,1\}$/\1/p' | head -n 1)"
  [ -n "$uri" ] || uri="$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\(\S*\/debian\)\/\{0,1\} .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -n 1)"
  echo "${uri:-http://deb.debian.org/debian}"
}

# A base root filesystem: trixie's essential packages plus $2, without documentation, with the
# users the chart runs as in /etc/passwd (185 Quarkus, 101 nginx, 10001 the uploader). The tarball's
# name carries a hash of this function and its arguments, so a changed recipe builds a new one.
make_base() {
  local name="$1" packages="$2" key tar image started
  key="$( { declare -f make_base; echo "$suite $packages"; } | sha256sum | cut -c1-12)"
  tar="$cache/base-$name-$suite-$key.tar"
  image="localhost/athanor/base-$name:$suite-$key"
  if [ ! -s "$tar" ]; then
    command -v mmdebstrap >/dev/null 2>&1 || { echo "build-images.sh: mmdebstrap is not installed (apt-get install mmdebstrap)" >&2; exit 1; }
    mkdir -p "$cache"
    started="$(seconds)"
    say "base $name: mmdebstrap $suite with $packages from $(debian_mirror) (cached as $tar)"
    # update-alternatives (openjdk's postinst) links into /usr/share/man/man1 even when pages are excluded.
    mmdebstrap --quiet --variant=essential --mode=root --format=tar --include="$packages" \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
      --customize-hook='for u in athanor:185 nginx:101 athanor-uploader:10001; do n=${u%%:*}; i=${u#*:};
          grep -q "^[^:]*:x:$i:" "$1/etc/passwd" || echo "$n:x:$i:$i::/tmp:/usr/sbin/nologin" >> "$1/etc/passwd";
          grep -q "^[^:]*:x:$i:" "$1/etc/group" || echo "$n:x:$i:" >> "$1/etc/group"; done' \
      --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/log/* "$1"/var/lib/apt/lists/*' \
      "$suite" "$tar.partial" "$(debian_mirror)"
    mv "$tar.partial" "$tar"
    say "base $name: built in $(elapsed "$started") s ($(du -h "$tar" | cut -f1))"
  fi
  if ! "${podman[@]}" image exists "$image"; then
    started="$(seconds)"
    "${podman[@]}" import --quiet --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["/bin/sh"]' "$tar" "$image" >/dev/null
    say "base $name: imported into podman as $image in $(elapsed "$started") s"
  fi
  echo "$image"
}

need() {
  [ -e "$1" ] || { echo "build-images.sh: $1 is missing; package first:" >&2
    echo "  ./mvnw -B -pl ingest-service,archive-service,query-service,web-ui,cli -am package -DskipTests" >&2; exit 1; }
}

build() {
  local image="$1" base="$2" file="$3" context="$4" started size
  started="$(seconds)"
  # The mmdebstrap bases are local; a base named by ATHANOR_*_BASE is pulled when missing.
  local pull=never
  [[ "$base" == localhost/* ]] || pull=missing
  "${podman[@]}" build --quiet --pull="$pull" --build-arg "BASE=$base" \
    --label "org.opencontainers.image.version=$version" --label "org.opencontainers.image.source=athanor" \
    --label "dev.athanor.image=${image%%:*}" -f "$here/$file" -t "$image" "$context" >/dev/null
  size="$("${podman[@]}" image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1000000 }')"
  say "$image: built in $(elapsed "$started") s, $size"
  if [ -n "$push" ]; then
    "${podman[@]}" push "$image" "docker://$push/$image"
    say "pushed $push/$image"
  fi
}

total="$(seconds)"
wants() { [[ ",$only," == *",$1,"* ]]; }
# The two bases are made side by side (mostly waiting on the mirror when they are not cached).
bases="$(mktemp -d)"
trap 'rm -rf "$bases"' EXIT
if wants web-ui && [ -z "${ATHANOR_WEB_BASE:-}" ]; then
  make_base web nginx > "$bases/web" &
  web_job=$!
fi
if wants ingest || wants archive || wants query || wants uploader; then
  java_base="${ATHANOR_JAVA_BASE:-$(make_base java openjdk-21-jre-headless,ca-certificates)}"
fi
if wants web-ui; then
  if [ -n "${web_job:-}" ]; then
    wait "$web_job" || { echo "build-images.sh: the web base could not be made" >&2; exit 1; }
  fi
  web_base="${ATHANOR_WEB_BASE:-$(cat "$bases/web")}"
fi
for service in ingest archive query; do
  if wants "$service"; then
    need "$repo/$service-service/target/quarkus-app/quarkus-run.jar"
    build "$(image_of "$service")" "$java_base" quarkus-service.Containerfile \
      "$repo/$service-service/target/quarkus-app"
  fi
done
if wants web-ui; then
  need "$repo/web-ui/target/classes/META-INF/resources/index.html"
  context="$repo/web-ui/target/web-ui-image"
  rm -rf "$context" && mkdir -p "$context"
  cp "$here/web-ui-nginx-main.conf" "$context/nginx-main.conf"
  cp "$repo/web-ui/nginx.conf" "$context/nginx.conf"
  cp -r "$repo/web-ui/target/classes/META-INF/resources" "$context/html"
  build "$(image_of web-ui)" "$web_base" web-ui.Containerfile "$context"
fi
if wants uploader; then
  need "$repo/cli/target/athanor-cli.jar"
  build "$(image_of uploader)" "$java_base" uploader.Containerfile "$repo/cli/target"
fi
# Earlier builds of the same tags leave untagged images behind: only ours are removed.
"${podman[@]}" image prune --force --filter label=org.opencontainers.image.source=athanor >/dev/null 2>&1 || true
say "done in $(elapsed "$total") s"

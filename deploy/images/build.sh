#!/usr/bin/env bash
# Builds every image of the Compose deployment locally (nothing is pulled): the project's Debian base, the
# JRE image, the broker (herdctl's KRaft node), one image per service from its packaged fast-jar, the Squid
# egress proxy, and the agent images (test agent). Run `mvn -DskipTests package` first (./herdctl build does).
# An image is rebuilt only when its sources changed (label herdctl.source-hash).
#
#   deploy/images/build.sh                            everything
#   deploy/images/build.sh audit-service dashboard-service   only these service images (and what they need)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
BASE_IMAGE="${HERDCTL_BASE_IMAGE:-herdctl/debian:bookworm-slim}"
JRE_IMAGE="herdctl/jre:17"

bash "$root/agent-images/base/build-base.sh"

# build <tag> <dockerfile> <context> [build args...]
build() {
  local tag="$1" dockerfile="$2" context="$3" hash current
  shift 3
  hash=$( (cd "$context" && find . -type f -print0 | sort -z | xargs -0 sha256sum; sha256sum < "$dockerfile"; echo "$*") \
    | sha256sum | cut -c1-16)
  current=$(docker image inspect -f '{{ index .Config.Labels "herdctl.source-hash" }}' "$tag" 2>/dev/null || true)
  if [ "$current" = "$hash" ]; then
    echo "image $tag: up to date"
    return
  fi
  echo "image $tag: building"
  local args=()
  for a in "$@"; do args+=(--build-arg "$a"); done
  DOCKER_BUILDKIT=0 docker build -q "${args[@]}" --label "herdctl.source-hash=$hash" -f "$dockerfile" -t "$tag" \
    "$context" >/dev/null 2>&1 || DOCKER_BUILDKIT=0 docker build "${args[@]}" --label "herdctl.source-hash=$hash" \
    -f "$dockerfile" -t "$tag" "$context"
  echo "image $tag: built"
}

port_of() {
  case "$1" in
    config-service) echo 3242 ;; scheduler-service) echo 3241 ;; runner-service) echo 3243 ;;
    audit-service) echo 3244 ;; dashboard-service) echo 3232 ;;
    *) echo "unknown service '$1' (config-service, scheduler-service, runner-service, audit-service, dashboard-service)" >&2
       return 2 ;;
  esac
}

# Debian packages a service's image adds to the JRE image.
packages_of() {
  case "$1" in
    runner-service) echo git ;;   # the workspace change audit reads each job's repository with git
    *) echo "" ;;
  esac
}

services=("$@")
everything=0
if [ "${#services[@]}" -eq 0 ]; then
  everything=1
  services=(config-service scheduler-service runner-service audit-service dashboard-service)
fi
for s in "${services[@]}"; do port_of "$s" >/dev/null; done

build "$JRE_IMAGE" "$here/jre/Dockerfile" "$here/jre" "BASE_IMAGE=$BASE_IMAGE"
if [ "$everything" = 1 ]; then
  if [ ! -f "$root/launcher/target/herdctl-launcher.jar" ]; then
    echo "error: the launcher is not packaged (launcher/target/herdctl-launcher.jar is missing); run: mvn -DskipTests package" >&2
    exit 1
  fi
  # Only the launcher jar and its libraries go into the broker's build context.
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  cp "$root/launcher/target/herdctl-launcher.jar" "$stage/"
  cp -r "$root/launcher/target/lib" "$stage/lib"
  build "herdctl/broker:latest" "$here/broker/Dockerfile" "$stage" "JRE_IMAGE=$JRE_IMAGE"
  build "herdctl/squid:latest" "$root/squid/Dockerfile" "$root/squid" "BASE_IMAGE=$BASE_IMAGE"
  bash "$root/agent-images/build.sh"
fi
for s in "${services[@]}"; do
  target="$root/services/$s/target"
  if [ ! -f "$target/quarkus-app/quarkus-run.jar" ]; then
    echo "error: $s is not packaged ($target/quarkus-app/quarkus-run.jar is missing); run: mvn -DskipTests package" >&2
    exit 1
  fi
  build "herdctl/$s:latest" "$here/service/Dockerfile" "$target/quarkus-app" "JRE_IMAGE=$JRE_IMAGE" "PORT=$(port_of "$s")" \
    "PACKAGES=$(packages_of "$s")"
done

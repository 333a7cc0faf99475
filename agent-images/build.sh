#!/usr/bin/env bash
# Builds the project's images locally; nothing is ever pulled from a registry.
#
#   agent-images/build.sh            base image and test agent (what tests and the demo need)
#   agent-images/build.sh runtime    also the Claude Code runtime image (needs Debian and npm mirrors)
#
# An image is rebuilt only when its sources changed: each carries a hash of its
# build context in the label herdctl.source-hash.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BASE_IMAGE="${HERDCTL_BASE_IMAGE:-herdctl/debian:bookworm-slim}"

bash "$here/base/build-base.sh"

build() { # build <tag> <context dir>
  local tag="$1" dir="$2" hash current
  hash=$( (cd "$dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum; echo "$BASE_IMAGE") | sha256sum | cut -c1-16)
  current=$(docker image inspect -f '{{ index .Config.Labels "herdctl.source-hash" }}' "$tag" 2>/dev/null || true)
  if [ "$current" = "$hash" ]; then
    echo "image $tag: up to date"
    return
  fi
  echo "image $tag: building"
  DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE_IMAGE=$BASE_IMAGE" --label "herdctl.source-hash=$hash" \
    -t "$tag" "$dir" >/dev/null 2>&1 || DOCKER_BUILDKIT=0 docker build --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --label "herdctl.source-hash=$hash" -t "$tag" "$dir"
  docker image prune -f --filter "label=herdctl.source-hash" >/dev/null 2>&1 || true
  echo "image $tag: built"
}

build herdctl/test-agent:latest "$here/test-agent"
for target in "$@"; do
  case "$target" in
    runtime)
      # Trust the host's extra CAs (an inspecting proxy) inside the image too.
      find "$here/runtime/extra-ca" -name '*.crt' -delete
      if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$here/runtime/extra-ca/"
      fi
      build herdctl/runtime:latest "$here/runtime"
      ;;
    *) echo "unknown image '$target' (known: runtime)" >&2; exit 2 ;;
  esac
done

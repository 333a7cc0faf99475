#!/usr/bin/env bash
# Builds the local Debian base image that every project image starts FROM.
#
# No container registry is reachable on the build machines, so the base is made
# locally: debootstrap a minimal bookworm into a temp dir and import it. Where
# the public image is already present (a machine with a registry), it is tagged
# instead. Idempotent: does nothing when the tag exists.
set -euo pipefail

TAG="${HERDCTL_BASE_IMAGE:-herdctl/debian:bookworm-slim}"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "base image $TAG: present"
  exit 0
fi

if docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
  docker tag debian:bookworm-slim "$TAG"
  echo "base image $TAG: tagged from debian:bookworm-slim"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "error: base image $TAG is missing and debootstrap is not installed." >&2
  echo "       Install it (apt-get install debootstrap) or load debian:bookworm-slim into Docker." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "error: debootstrap needs root to build $TAG; run this script with sudo." >&2
  exit 1
fi

root=$(mktemp -d /tmp/herdctl-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "base image $TAG: debootstrap $SUITE (about a minute)"
debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >/dev/null
# Trim what an image never needs, as the official slim image does.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
       "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/*
find "$root"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' - "$TAG" >/dev/null
echo "base image $TAG: built"

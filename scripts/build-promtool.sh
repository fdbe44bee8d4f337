#!/usr/bin/env bash
# Builds Prometheus's promtool from source through the Go module proxy, for the chart's alert tests
# (test/helm/alerts.test.ts runs `promtool check rules` and `promtool test rules` on the rendered
# PrometheusRule), and caches it in test/helm/promtool/.cache/bin/<key>/promtool (ignored by git).
#
#   scripts/build-promtool.sh                  build if the cache misses; prints PROMTOOL=<path> last
#   scripts/build-promtool.sh --print-path     print where the pinned promtool lives (no build)
#   scripts/build-promtool.sh --force          rebuild even when cached
#
# `go install module/cmd/promtool@version` builds it with the versions of every dependency that
# Prometheus's own go.mod and go.sum pin (checked against the checksum database), so no go.mod of
# ours is needed. Prometheus tags its Go module v0.3<minor>.<patch> for release 3.<minor>.<patch>.
# The cache key is that version plus a hash of this script and the Go version: any change rebuilds,
# and a run with nothing changed only checks one file. The build runs under `nice -n 10`: two cores
# are shared with everything else. Cold, it took 26 minutes of a loaded 2-core machine (Prometheus
# links the Kubernetes client and the cloud SDKs of its service discovery); 30 s with a warm Go
# build cache (the link).
set -euo pipefail

PROMETHEUS_MODULE_VERSION=v0.316.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="$ROOT/test/helm/promtool/.cache"

log() { echo "build-promtool: $*" >&2; }

promtool_path() {
  local hash
  hash="$( { cat "${BASH_SOURCE[0]}"; go env GOVERSION GOOS GOARCH; } | sha256sum | cut -c1-12)"
  echo "$CACHE_DIR/bin/promtool-$PROMETHEUS_MODULE_VERSION-$hash/promtool"
}

force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --print-path) promtool_path; exit 0 ;;
    --force) force=1; shift ;;
    *) log "unknown argument: $1"; exit 2 ;;
  esac
done

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
PROMTOOL="$(promtool_path)"
BIN_DIR="$(dirname "$PROMTOOL")"
mkdir -p "$CACHE_DIR"

# One build at a time: parallel test files may all ask for promtool at once.
exec 9>"$CACHE_DIR/build.lock"
flock 9

if [ "$force" = 0 ] && [ -x "$PROMTOOL" ]; then
  log "cached: $PROMTOOL"
  echo "PROMTOOL=$PROMTOOL"
  exit 0
fi

# Module v0.3MM.P is Prometheus 3.MM.P (v0.316.0: 3.16.0); stamped as its release build does, so
# that `promtool --version` says which.
[[ "$PROMETHEUS_MODULE_VERSION" =~ ^v0\.3([0-9]{2})\.([0-9]+)$ ]] || { log "unexpected module version $PROMETHEUS_MODULE_VERSION"; exit 1; }
RELEASE="3.$((10#${BASH_REMATCH[1]})).${BASH_REMATCH[2]}"
LDFLAGS="-s -w -X github.com/prometheus/common/version.Version=$RELEASE -X github.com/prometheus/common/version.Branch=release -X github.com/prometheus/common/version.Revision=$PROMETHEUS_MODULE_VERSION"

TMP="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
log "building promtool $RELEASE ($PROMETHEUS_MODULE_VERSION) with $(go env GOVERSION) (cold: about 25 minutes on 2 shared cores; 30 s with a warm Go build cache)"
start=$SECONDS
# Outside any module of ours (go install @version ignores it anyway); -mod=mod lets it resolve
# from Prometheus's go.mod alone. The machine's GOFLAGS (e.g. -buildvcs=false) are kept. No
# -trimpath: it changes every compile's cache key, so a plain `go install` of promtool done before
# would not be reused; the binary is a test tool that never leaves this machine.
(cd "$TMP" && GOBIN="$TMP" GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod" CGO_ENABLED=0 \
  nice -n 10 go install -ldflags "$LDFLAGS" "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_MODULE_VERSION")
"$TMP/promtool" --version >&2

mkdir -p "$CACHE_DIR/bin"
rm -rf "$BIN_DIR"
mv "$TMP" "$BIN_DIR"
trap - EXIT
chmod 755 "$BIN_DIR"
# Builds of other pins or older hashes are dead weight.
find "$CACHE_DIR/bin" -mindepth 1 -maxdepth 1 -type d -name 'promtool-*' ! -path "$BIN_DIR" -exec rm -rf {} +
log "built in $((SECONDS - start))s: $PROMTOOL"
echo "PROMTOOL=$PROMTOOL"

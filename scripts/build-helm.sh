#!/usr/bin/env bash
# Builds the real helm CLI from source through the Go module proxy, for the chart tests, and caches
# it in test/helm/tool/.cache/bin/<key>/helm (ignored by git), the way scripts/build-test-cluster.sh
# caches kube-apiserver and etcd.
#
#   scripts/build-helm.sh                  build if the cache misses; prints HELM=<path> last
#   scripts/build-helm.sh --print-path     print where the pinned helm lives (no build)
#   scripts/build-helm.sh --force          rebuild even when cached
#
# The version comes from test/helm/tool/go.mod alone (require helm.sh/helm/v3 vX.Y.Z; go.sum from
# `go mod tidy`, so every dependency is at the version that release pins). The cache key is that
# version plus a hash of go.mod, go.sum, this script and the Go version: any change rebuilds, and a
# run with nothing changed only checks one file. Go's build and module caches stay in their default
# places. The build runs under `nice -n 10`: two cores are shared with everything else.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MOD_DIR="$ROOT/test/helm/tool"
CACHE_DIR="$MOD_DIR/.cache"

log() { echo "build-helm: $*" >&2; }

helm_version() { sed -n 's/^require helm.sh\/helm\/v3 \(v[^ ]*\)$/\1/p; s/^\s*helm.sh\/helm\/v3 \(v[^ ]*\)$/\1/p' "$MOD_DIR/go.mod" | head -1; }

helm_path() {
  local version hash
  version="$(helm_version)"
  [ -n "$version" ] || { log "cannot read the pinned helm version from $MOD_DIR/go.mod"; exit 1; }
  hash="$( { cat "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "${BASH_SOURCE[0]}"; go env GOVERSION GOOS GOARCH; } | sha256sum | cut -c1-12)"
  echo "$CACHE_DIR/bin/helm-$version-$hash/helm"
}

force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --print-path) helm_path; exit 0 ;;
    --force) force=1; shift ;;
    *) log "unknown argument: $1"; exit 2 ;;
  esac
done

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
HELM="$(helm_path)"
BIN_DIR="$(dirname "$HELM")"
mkdir -p "$CACHE_DIR"

# One build at a time: parallel test files may all ask for helm at once.
exec 9>"$CACHE_DIR/build.lock"
flock 9

if [ "$force" = 0 ] && [ -x "$HELM" ]; then
  log "cached: $HELM"
  echo "HELM=$HELM"
  exit 0
fi

VERSION="$(helm_version)"
cd "$MOD_DIR"
# As helm's Makefile stamps a release: the version, and the Kubernetes version that `helm lint` and
# `helm template` assume (.Capabilities.KubeVersion), major+1.minor of the client-go it links.
CLIENT_GO="$(go list -f '{{.Version}}' -m k8s.io/client-go)"
[[ "$CLIENT_GO" =~ ^v0\.([0-9]+)\. ]] || { log "unexpected k8s.io/client-go version $CLIENT_GO"; exit 1; }
K8S_MINOR="${BASH_REMATCH[1]}"
LDFLAGS="-s -w -X helm.sh/helm/v3/internal/version.version=$VERSION -X helm.sh/helm/v3/internal/version.metadata= -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  LDFLAGS+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$K8S_MINOR"
done

TMP="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
log "building helm $VERSION with $(go env GOVERSION) (cold: a few minutes on 2 cores; seconds with a warm Go build cache)"
start=$SECONDS
CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "$LDFLAGS" -o "$TMP/helm" helm.sh/helm/v3/cmd/helm
"$TMP/helm" version --short >&2

mkdir -p "$CACHE_DIR/bin"
rm -rf "$BIN_DIR"
mv "$TMP" "$BIN_DIR"
trap - EXIT
chmod 755 "$BIN_DIR"
# Builds of other pins or older hashes are dead weight.
find "$CACHE_DIR/bin" -mindepth 1 -maxdepth 1 -type d -name 'helm-*' ! -path "$BIN_DIR" -exec rm -rf {} +
log "built in $((SECONDS - start))s: $HELM"
echo "HELM=$HELM"

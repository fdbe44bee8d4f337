#!/usr/bin/env bash
# Builds the test cluster's binaries, a real kube-apiserver and etcd, from source through the Go
# module proxy, and caches them in test/cluster/.cache/bin/<key>/ (ignored by git).
#
#   scripts/build-test-cluster.sh                 build if the cache misses; prints BIN_DIR=<dir> last
#   scripts/build-test-cluster.sh --print-bin-dir print the cache folder for the pinned versions (no build)
#   scripts/build-test-cluster.sh --force         rebuild even when cached
#   scripts/build-test-cluster.sh --pin v1.33.13  re-pin: rewrite test/cluster/go.mod for that
#                                                 Kubernetes release, then tidy (then build as usual)
#
# The versions come from test/cluster/go.mod alone: k8s.io/kubernetes at the pinned release, a
# `replace` for each of its staging modules at the matching v0.X.Y (derived by --pin from that
# release's own go.mod), and go.etcd.io/etcd/server/v3 at the version that release pins. The cache
# key is both versions plus a hash of go.mod, go.sum, this script and the Go version, so any change
# rebuilds, and a later run with nothing changed only checks two files and exits.
#
# The Go build cache and module cache stay in their default places (go env GOCACHE GOMODCACHE), so
# a rebuild after a version bump reuses what it can. The build runs under `nice -n 10`: it is
# CPU-heavy and the machine has two cores shared with everything else.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MOD_DIR="$ROOT/test/cluster"
CACHE_DIR="$MOD_DIR/.cache"

log() { echo "build-test-cluster: $*" >&2; }

pin() {
  local version="$1"
  [[ "$version" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { log "--pin wants a release like v1.33.13, got '$version'"; exit 2; }
  local staging="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
  log "reading k8s.io/kubernetes@$version's go.mod from the module proxy"
  local gomod
  gomod="$(cd "$MOD_DIR" && go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p')"
  [ -f "$gomod" ] || { log "could not download k8s.io/kubernetes@$version"; exit 1; }
  local godebug
  godebug="$(sed -n 's/^godebug \(.*\)$/\1/p' "$gomod")"
  {
    echo "// The test cluster's own Go module: builds a real kube-apiserver and etcd from source through the"
    echo "// Go module proxy (scripts/build-test-cluster.sh). Separate from everything else in the project."
    echo "// Regenerate with: scripts/build-test-cluster.sh --pin <k8s version>"
    echo "module chime-voice-operator/test/cluster"
    echo
    sed -n 's/^go \(.*\)$/go \1/p' "$gomod"
    if [ -n "$godebug" ]; then
      echo
      echo "// As in k8s.io/kubernetes@$version's own go.mod."
      echo "godebug $godebug"
    fi
    echo
    echo "require k8s.io/kubernetes $version"
    echo
    echo "// Each staging module of k8s.io/kubernetes@$version (its go.mod replaces them with ./staging/src/...),"
    echo "// at the matching published $staging."
    echo "replace ("
    sed -n "s#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\t\1 => \1 $staging#p" "$gomod"
    echo ")"
  } > "$MOD_DIR/go.mod"
  rm -f "$MOD_DIR/go.sum"
  # etcd's server module is left to `tidy`: tools.go imports its main package, and minimal version
  # selection takes the version k8s.io/kubernetes requires (go.etcd.io/etcd/server/v3 in its go.mod).
  (cd "$MOD_DIR" && nice -n 10 go mod tidy)
  log "pinned k8s.io/kubernetes $version, etcd $(etcd_version)"
}

k8s_version() { sed -n 's/^require k8s.io\/kubernetes \(v[^ ]*\)$/\1/p; s/^\s*k8s.io\/kubernetes \(v[^ ]*\)$/\1/p' "$MOD_DIR/go.mod" | head -1; }
etcd_version() { sed -n 's/^\s*go.etcd.io\/etcd\/server\/v3 \(v[^ ]*\).*$/\1/p' "$MOD_DIR/go.mod" | head -1; }

bin_dir() {
  local k8s etcd hash
  k8s="$(k8s_version)"
  etcd="$(etcd_version)"
  [ -n "$k8s" ] && [ -n "$etcd" ] || { log "cannot read the pinned versions from $MOD_DIR/go.mod"; exit 1; }
  hash="$( { cat "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "${BASH_SOURCE[0]}"; go env GOVERSION GOOS GOARCH; } | sha256sum | cut -c1-12)"
  echo "$CACHE_DIR/bin/kube-$k8s-etcd-$etcd-$hash"
}

force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --pin) pin "${2:?--pin needs a version}"; shift 2 ;;
    --print-bin-dir) bin_dir; exit 0 ;;
    --force) force=1; shift ;;
    *) log "unknown argument: $1"; exit 2 ;;
  esac
done

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
BIN_DIR="$(bin_dir)"
mkdir -p "$CACHE_DIR"

# One build at a time: test files in parallel workers may all ask for the binaries at once.
exec 9>"$CACHE_DIR/build.lock"
flock 9

if [ "$force" = 0 ] && [ -x "$BIN_DIR/kube-apiserver" ] && [ -x "$BIN_DIR/etcd" ]; then
  log "cached: $BIN_DIR"
  echo "BIN_DIR=$BIN_DIR"
  exit 0
fi

K8S="$(k8s_version)"
ETCD="$(etcd_version)"
[[ "$K8S" =~ ^v([0-9]+)\.([0-9]+)\. ]]
MAJOR="${BASH_REMATCH[1]}"
MINOR="${BASH_REMATCH[2]}"

# What kube-apiserver reports at /version (as the release build's hack/lib/version.sh sets it);
# unset, it would say v0.0.0-master and kubectl would warn about the version skew.
LDFLAGS="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LDFLAGS+=" -X $pkg.gitVersion=$K8S -X $pkg.gitMajor=$MAJOR -X $pkg.gitMinor=$MINOR -X $pkg.gitTreeState=clean"
done

TMP="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

log "building kube-apiserver $K8S and etcd $ETCD with $(go env GOVERSION) (cold: 5 to 8 minutes on 2 cores; seconds with a warm Go build cache)"
start=$SECONDS
cd "$MOD_DIR"
# Static binaries, as the release builds them; -trimpath keeps local paths out of them.
export CGO_ENABLED=0
nice -n 10 go build -trimpath -ldflags "$LDFLAGS" -o "$TMP/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
log "kube-apiserver built after $((SECONDS - start))s"
nice -n 10 go build -trimpath -ldflags "-s -w" -o "$TMP/etcd" go.etcd.io/etcd/server/v3
log "etcd built after $((SECONDS - start))s"

"$TMP/kube-apiserver" --version >&2
"$TMP/etcd" --version >&2

mkdir -p "$(dirname "$BIN_DIR")"
rm -rf "$BIN_DIR"
mv "$TMP" "$BIN_DIR"
trap - EXIT
chmod 755 "$BIN_DIR"
# Binaries of other pins or older hashes are dead weight (about 125 MB each).
find "$CACHE_DIR/bin" -mindepth 1 -maxdepth 1 -type d -name 'kube-*' ! -path "$BIN_DIR" -exec rm -rf {} +
log "built in $((SECONDS - start))s: $BIN_DIR"
echo "BIN_DIR=$BIN_DIR"

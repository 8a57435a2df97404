#!/usr/bin/env bash
# Builds kube-apiserver v1.20.2 from Debian bookworm's `kubernetes` source package into the per-user
# cache (offline after apt), and installs etcd-server. Idempotent: exits at once when the binary is cached.
# Recipe: ../shared/kube-apiserver/README.md. Needs root (apt-get) and Debian's archive.
set -euo pipefail
VERSION=v1.20.2
# Bump the suffix whenever the recipe changes what is built, so cached binaries of an older recipe are rebuilt.
BUILD_ID="$VERSION+kubetyped.1"
CACHE_ROOT="${KUBETYPED_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubetyped}"
DEST="$CACHE_ROOT/kube-apiserver/$BUILD_ID"
say() { printf '[kube-apiserver %s] %s\n' "$VERSION" "$*" >&2; }

if [ -x "$DEST/kube-apiserver" ] && command -v etcd >/dev/null 2>&1; then
  say "cached at $DEST/kube-apiserver"; exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "apt-get not found: this build needs Debian's packages. Set KUBEBUILDER_ASSETS to a folder with kube-apiserver and etcd instead."; exit 3
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    say "root is needed to install Debian packages (golang-go, etcd-server). Run as root, or set KUBEBUILDER_ASSETS."; exit 3
  fi
fi

mkdir -p "$CACHE_ROOT"
# One build at a time per cache (a test run and `.ci/run` may both get here); the holder's result is reused.
exec 9>"$CACHE_ROOT/build.flock"
if ! flock -n 9; then say "waiting for another build to finish"; flock 9; fi
if [ -x "$DEST/kube-apiserver" ] && command -v etcd >/dev/null 2>&1; then
  say "cached at $DEST/kube-apiserver"; exit 0
fi

SRC_LIST=/etc/apt/sources.list.d/kubetyped-debian-src.sources
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list 2>/dev/null; then
  say "adding a deb-src entry for bookworm ($SRC_LIST)"
  $SUDO tee "$SRC_LIST" >/dev/null <<'X'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
X
fi
say "apt-get update"
$SUDO apt-get update -qq
say "installing build and runtime packages"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq golang-go etcd-server rsync openssl dpkg-dev >/dev/null

if [ -x "$DEST/kube-apiserver" ]; then say "cached at $DEST/kube-apiserver"; exit 0; fi

# Kubernetes 1.20 vendors modern-go/reflect2 1.0.1, whose linkname to reflect.mapiterinit has the
# signature from before Go 1.18; built with bookworm's Go 1.19 the apiserver dies (fatal, not a panic)
# the first time json-iterator encodes a map with sorted keys, e.g. on any custom resource. reflect2
# 1.0.2 fixed it by passing a caller-allocated iterator; this applies the same change to the vendored copy.
patch_reflect2_for_go118() {
  local dir=vendor/github.com/modern-go/reflect2
  grep -q 'm unsafe.Pointer) \*hiter$' "$dir/unsafe_link.go" || return 0
  perl -0pi -e 's/func mapiterinit\(rtype unsafe.Pointer, m unsafe.Pointer\) \*hiter/func mapiterinit(rtype unsafe.Pointer, m unsafe.Pointer, it *hiter)/;
    s/(type hiter struct \{\n\tkey +unsafe.Pointer[^\n]*\n\tvalue +unsafe.Pointer[^\n]*\n)\t\/\/ rest fields are ignored\n/$1\tt, h, buckets, bptr unsafe.Pointer\n\toverflow, oldoverflow unsafe.Pointer\n\tstartBucket uintptr\n\toffset uint8\n\twrapped bool\n\tB, i uint8\n\tbucket, checkBucket uintptr\n/' "$dir/unsafe_link.go"
  perl -0pi -e 's/\treturn &UnsafeMapIterator\{\n\t\thiter: +mapiterinit\(type2.rtype, \*\(\*unsafe.Pointer\)\(obj\)\),/\tvar it hiter\n\tmapiterinit(type2.rtype, *(*unsafe.Pointer)(obj), &it)\n\treturn &UnsafeMapIterator{\n\t\thiter:      &it,/' "$dir/unsafe_map.go"
  grep -q 'it \*hiter)$' "$dir/unsafe_link.go" && grep -q 'hiter:      &it,' "$dir/unsafe_map.go" || {
    say "could not patch $dir for Go >= 1.18"; exit 1; }
  say "patched vendored reflect2 for Go >= 1.18 (map iteration)"
}

WORK="$CACHE_ROOT/build"
mkdir -p "$WORK" "$DEST"
cd "$WORK"
if [ ! -d kubernetes-1.20.2 ]; then
  say "fetching Debian's kubernetes source package"
  apt-get source --download-only kubernetes >/dev/null
  tar xzf kubernetes_1.20.5+really1.20.2.orig.tar.gz
fi
cd kubernetes-1.20.2
rm -rf _output
patch_reflect2_for_go118
# The recipe needs bookworm's Go 1.19 (../shared/kube-apiserver/README.md), and the machine's newer Go comes first on the PATH: name it.
GO119=/usr/lib/go-1.19/bin
[ -x "$GO119/go" ] || { say "bookworm's Go 1.19 is missing at $GO119 (package golang-1.19-go)"; exit 1; }
say "building cmd/kube-apiserver with $("$GO119/go" version | cut -d' ' -f3) (about 4 minutes on 2 cores)"
env PATH="$GO119:$PATH" GOTOOLCHAIN=local GOPATH="$WORK/gopath" GOFLAGS=-mod=vendor CGO_ENABLED=0 make WHAT=cmd/kube-apiserver >"$WORK/build.log" 2>&1 || {
  say "build failed; last lines of $WORK/build.log:"; tail -20 "$WORK/build.log" >&2; exit 1; }
install -m 0755 _output/bin/kube-apiserver "$DEST/kube-apiserver.tmp"
mv "$DEST/kube-apiserver.tmp" "$DEST/kube-apiserver"
cd "$WORK" && rm -rf kubernetes-1.20.2 gopath
say "built $DEST/kube-apiserver"

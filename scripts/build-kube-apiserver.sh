#!/usr/bin/env bash
# Builds kube-apiserver v1.20.2 from Debian bookworm's `kubernetes` source package into the per-user
# cache (offline after apt), and installs etcd-server. Idempotent: exits at once when the binary is cached.
# Recipe: ../shared/kube-apiserver/README.md. Needs root (apt-get) and Debian's archive.
set -euo pipefail
VERSION=v1.20.2
CACHE_ROOT="${KUBETYPED_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubetyped}"
DEST="$CACHE_ROOT/kube-apiserver/$VERSION"
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
say "building cmd/kube-apiserver (about 4 minutes on 2 cores)"
env GOPATH="$WORK/gopath" GOFLAGS=-mod=vendor CGO_ENABLED=0 make WHAT=cmd/kube-apiserver >"$WORK/build.log" 2>&1 || {
  say "build failed; last lines of $WORK/build.log:"; tail -20 "$WORK/build.log" >&2; exit 1; }
install -m 0755 _output/bin/kube-apiserver "$DEST/kube-apiserver.tmp"
mv "$DEST/kube-apiserver.tmp" "$DEST/kube-apiserver"
cd "$WORK" && rm -rf kubernetes-1.20.2 gopath
say "built $DEST/kube-apiserver"

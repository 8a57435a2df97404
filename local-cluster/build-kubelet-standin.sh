#!/usr/bin/env bash
# Builds kubetyped's kubelet stand-in (local-cluster/kubelet-standin: our main.go, and a go.mod naming the
# k8s.io/cri-streaming release whose SPDY and WebSocket servers it uses) with the machine's Go, through the Go module
# proxy. Nothing of theirs is copied into this repository.
#
#   build-kubelet-standin.sh SOURCE_DIR DEST
#
# DEST gets kubelet-standin, or nothing: it is built into DEST.partial and renamed at the end, so an interrupted build
# leaves no half-built binary where the cache looks. Exit 2: bad arguments; 1: the build failed (the one line that
# says why comes last on stderr).
set -euo pipefail
SRC="${1:?source folder (local-cluster/kubelet-standin)}"
DEST="${2:?destination folder}"
say() { printf '[kubelet stand-in] %s\n' "$*" >&2; }
[ -f "$SRC/main.go" ] && [ -f "$SRC/go.mod" ] || { say "$SRC has no main.go and go.mod"; exit 2; }
command -v go >/dev/null 2>&1 || { say "go is not on the PATH: install Go (https://go.dev/dl) to build the kubelet stand-in"; exit 1; }

WORK="$DEST.work"
PARTIAL="$DEST.partial"
rm -rf "$WORK" "$PARTIAL"
mkdir -p "$WORK" "$PARTIAL"
cp "$SRC/main.go" "$SRC/go.mod" "$SRC/go.sum" "$WORK/"
say "compiling with $(go env GOVERSION) (fetches k8s.io/cri-streaming through the Go module proxy the first time; about a minute on 2 cores)"
if ! (cd "$WORK" && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "-s -w" -o "$PARTIAL/kubelet-standin" .) >"$WORK/build.log" 2>&1; then
  cause=$(grep -m1 -iE 'no space left on device|requires go >= |^go: ' "$WORK/build.log" || tail -1 "$WORK/build.log")
  say "go build failed: $cause (full log: $WORK/build.log)"
  exit 1
fi
rm -rf "$DEST"
mv "$PARTIAL" "$DEST"
rm -rf "$WORK"
say "built $DEST/kubelet-standin"

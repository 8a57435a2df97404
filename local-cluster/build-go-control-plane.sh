#!/usr/bin/env bash
# Builds kube-apiserver and etcd as Go users build them: from their Go modules at tagged releases, through the Go
# module proxy, with the machine's Go (or GOTOOLCHAIN). Nothing of theirs is copied into this repository: this
# script names modules and versions, and `go` fetches them.
#
#   build-go-control-plane.sh KUBERNETES_VERSION ETCD_VERSION DEST    e.g. v1.37.2 v3.6.16 ~/.cache/kubetyped/...
#
# DEST gets kube-apiserver and etcd, or nothing: both are built into DEST.partial and renamed at the end, so an
# interrupted build leaves no half-built binary where the cache looks; a rerun resumes from Go's module and build
# caches. Exit 2: bad arguments; 1: the build failed (the one line that says why comes last on stderr).
set -euo pipefail
KUBE="${1:?kubernetes version, e.g. v1.37.2}"
ETCD="${2:?etcd version, e.g. v3.6.16}"
DEST="${3:?destination folder}"
[[ "$KUBE" =~ ^v1\.([0-9]+)\.[0-9]+$ ]] || { echo "kubernetes version must look like v1.37.2, not $KUBE" >&2; exit 2; }
MINOR="${BASH_REMATCH[1]}"
STAGING="v0.$MINOR.${KUBE##*.}"
say() { printf '[control plane %s] %s\n' "$KUBE" "$*" >&2; }
command -v go >/dev/null 2>&1 || { say "go is not on the PATH: install Go (https://go.dev/dl) or set KUBEBUILDER_ASSETS"; exit 1; }

WORK="$DEST.work"
PARTIAL="$DEST.partial"
mkdir -p "$WORK/kube-apiserver" "$WORK/etcd" "$PARTIAL"
LOG="$WORK/build.log"
: >"$LOG"

# Runs one go command; on failure prints the line that names the cause (a module that cannot be had, a full
# disk, a Go too old) rather than the whole log.
run_go() {
  local what="$1"; shift
  if ! "$@" >>"$LOG" 2>&1; then
    local cause
    cause=$(grep -m1 -iE 'no space left on device' "$LOG" ||
      grep -m1 -E 'requires go >= |go\.mod requires go' "$LOG" ||
      grep -m1 -E '^go: .*(404|410|not found|unknown revision|invalid version|reading .*: )' "$LOG" ||
      grep -m1 -E '^go: |: error|cannot find' "$LOG" || tail -1 "$LOG")
    case "$cause" in
      *"no space left"*) cause="the disk is full ($cause); free space under $(dirname "$DEST") and $(go env GOMODCACHE), then rerun" ;;
      *"requires go"*) cause="$cause; a newer Go comes by GOTOOLCHAIN, e.g. GOTOOLCHAIN=go1.27.3" ;;
    esac
    say "$what failed: $cause (full log: $LOG)"
    exit 1
  fi
}

# k8s.io/kubernetes names its staging modules (k8s.io/api, k8s.io/apiserver, ...) as v0.0.0 replaced by folders in
# its own tree; a module that requires it pins each to the matching published v0.x instead.
say "resolving k8s.io/kubernetes@$KUBE and its staging modules at $STAGING"
cd "$WORK/kube-apiserver"
run_go "go mod download k8s.io/kubernetes@$KUBE" go mod download "k8s.io/kubernetes@$KUBE"
KUBE_MOD="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$KUBE.mod"
GO_LINE=$(grep -m1 -E '^go [0-9.]+$' "$KUBE_MOD")
{
  printf 'module kubetyped.local/kube-apiserver\n\n%s\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$GO_LINE" "$KUBE"
  sed -n -E 's#^[[:space:]]*(k8s\.io/[a-z0-9-]+) => \./staging/.*#\t\1 => \1 '"$STAGING"'#p' "$KUBE_MOD"
  printf ')\n'
} >go.mod
printf '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver"\n' >tools.go
say "downloading modules (the first build fetches a few hundred MB through the Go module proxy)"
run_go "go mod tidy (kube-apiserver)" go mod tidy

# /version tells the truth: the same variables Kubernetes' own build stamps (hack/lib/version.sh).
VERSION_PKG=k8s.io/component-base/version
LDFLAGS="-s -w -X $VERSION_PKG.gitVersion=$KUBE -X $VERSION_PKG.gitMajor=1 -X $VERSION_PKG.gitMinor=$MINOR"
LDFLAGS+=" -X $VERSION_PKG.gitTreeState=clean -X $VERSION_PKG.buildDate=1970-01-01T00:00:00Z"
say "compiling kube-apiserver (about 10 minutes on 2 cores the first time)"
run_go "go build kube-apiserver" env CGO_ENABLED=0 go build -trimpath -ldflags "$LDFLAGS" -o "$PARTIAL/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver

say "resolving go.etcd.io/etcd/server/v3@$ETCD"
cd "$WORK/etcd"
printf 'module kubetyped.local/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD" >go.mod
printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >tools.go
run_go "go mod tidy (etcd)" go mod tidy
say "compiling etcd (about 2 minutes on 2 cores the first time)"
run_go "go build etcd" env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$PARTIAL/etcd" go.etcd.io/etcd/server/v3

"$PARTIAL/kube-apiserver" --version | grep -qx "Kubernetes $KUBE" || { say "the built kube-apiserver says $("$PARTIAL/kube-apiserver" --version), not Kubernetes $KUBE"; exit 1; }
rm -rf "$DEST"
mv "$PARTIAL" "$DEST"
rm -rf "$WORK"
say "built $DEST/kube-apiserver and $DEST/etcd"

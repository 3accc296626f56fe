#!/usr/bin/env bash
# Build the test control plane (and KWOK) into <repo>/.cache/control-plane/bin.
# Skips work when the stamp (hash of everything that affects the binaries) is unchanged, so
# calling it at the start of every test run costs well under a second.
#   infra/control-plane/build.sh            # control-plane + kwok
#   CONTROL_PLANE_NO_KWOK=1 build.sh         # control-plane only
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/go-env.sh"
cd "$CP_DIR"

BIN="$REPO_ROOT/.cache/control-plane/bin"
mkdir -p "$BIN"
# Parallel test workers may all call build.sh; one builds, the others wait and then hit the stamp.
exec 9>"$BIN/.lock"
flock 9

started=$(date +%s)
K8S="$(sed -n 's#^[[:space:]]*k8s.io/kubernetes \(v[0-9.]*\)$#\1#p' go.mod)"
KWOK="$(cat kwok/VERSION)"
[[ "$K8S" =~ ^v1\.([0-9]+)\.[0-9]+$ ]] || { echo "cannot read k8s.io/kubernetes version from go.mod" >&2; exit 1; }
minor="${BASH_REMATCH[1]}"

stamp_of() { { go version; cat "$@"; } | sha256sum | cut -d' ' -f1; }

cp_stamp="$(stamp_of go.mod go.sum *.go build.sh)"
if [ -x "$BIN/control-plane" ] && [ "$(cat "$BIN/control-plane.stamp" 2>/dev/null)" = "$cp_stamp" ]; then
  echo "control-plane: up to date ($K8S)"
else
  echo "control-plane: building kube-apiserver/controller-manager/scheduler $K8S (cold: ~6-8 min on 2 cores)"
  # -trimpath: cache entries don't depend on the checkout path (CI workspaces move).
  # -s -w: no symbol table/DWARF; smaller binary and a noticeably faster link.
  pkg=k8s.io/component-base/version
  go build -trimpath -o "$BIN/control-plane.tmp" -ldflags "-s -w \
    -X $pkg.gitVersion=$K8S -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor \
    -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z" .
  mv "$BIN/control-plane.tmp" "$BIN/control-plane"
  echo "$cp_stamp" > "$BIN/control-plane.stamp"
  echo "control-plane: built in $(( $(date +%s) - started ))s"
fi

if [ -z "${CONTROL_PLANE_NO_KWOK:-}" ]; then
  kwok_stamp="$(echo "$KWOK" | stamp_of build.sh -)"
  if [ -x "$BIN/kwok" ] && [ "$(cat "$BIN/kwok.stamp" 2>/dev/null)" = "$kwok_stamp" ]; then
    echo "kwok: up to date ($KWOK)"
  else
    echo "kwok: building $KWOK"
    kwok_started=$(date +%s)
    # KWOK has no replace directives, so it installs straight from the module proxy,
    # outside our module (it needs newer client-go than k8s 1.34's staging modules).
    GOBIN="$BIN" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK"
    echo "$kwok_stamp" > "$BIN/kwok.stamp"
    echo "kwok: built in $(( $(date +%s) - kwok_started ))s"
  fi
fi

echo "build.sh: done in $(( $(date +%s) - started ))s -> $BIN"

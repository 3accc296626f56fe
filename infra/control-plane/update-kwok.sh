#!/usr/bin/env bash
# Pin KWOK and re-vendor its Stage files from the same module version:
#   infra/control-plane/update-kwok.sh v0.8.0
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/go-env.sh"
cd "$CP_DIR"

KWOK="${1:?usage: update-kwok.sh vX.Y.Z}"
src="$(go mod download -json "sigs.k8s.io/kwok@$KWOK" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')/kustomize/stage"
# node-initialize: Ready node with addresses/capacity; heartbeat-with-lease: keeps it Ready
# (node lifecycle controller would taint and evict otherwise); pod-*: Pending -> Running,
# Jobs' pods complete, deletions finish without a kubelet.
stages=(node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
        pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml)
rm -f kwok/*.yaml
for s in "${stages[@]}"; do
  { echo "# Vendored from sigs.k8s.io/kwok@$KWOK kustomize/stage/$s (Apache-2.0); refresh with update-kwok.sh"
    cat "$src/$s"; } > "kwok/$(basename "$s")"
done
echo "$KWOK" > kwok/VERSION
echo "pinned kwok $KWOK; stages: ${stages[*]}"

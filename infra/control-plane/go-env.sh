# Sourced by build.sh and update-k8s.sh: one Go module/build cache under <repo>/.cache/go
# (git-ignored) so a CI cache of .cache/ makes the second run fast, and nothing leaks into ~/go.
CP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$CP_DIR/../.." && pwd)"
export GOPATH="$REPO_ROOT/.cache/go/path" # checksum-db cache lands here, not in ~/go
export GOMODCACHE="$REPO_ROOT/.cache/go/mod"
export GOCACHE="$REPO_ROOT/.cache/go/build"
# -modcacherw: the module cache is otherwise read-only and `rm -rf .cache` fails.
# -buildvcs=false: the binary must not depend on git state (stamp is content-based).
export GOFLAGS="-modcacherw -buildvcs=false"
# Never fetch a Go toolchain from the network; the machine's Go (1.26) builds k8s 1.34.
export GOTOOLCHAIN=local
# No cgo: pure-Go build is faster, needs no C toolchain and gives a static binary.
export CGO_ENABLED=0

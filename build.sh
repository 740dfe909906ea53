#!/usr/bin/env bash
# Builds, serves and tests NeuroMOP.
#
#   ./build.sh           build public/main.wasm, public/worker.wasm when
#                        wasm/worker exists, and copy Go's wasm_exec.js
#   ./build.sh serve     build, then serve public/ on 127.0.0.1:${PORT:-8080}
#   ./build.sh test      go vet, gofmt check, go test (the browser tests and
#                        a 2-minute soak included) and go vet for GOOS=js
#                        GOARCH=wasm
#   ./build.sh desktop   build the native desktop program build/neuromop-desktop
#   ./build.sh soak      run the browser soak test for ${SOAK:-30m}
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

log() { printf 'build.sh: %s\n' "$*" >&2; }

# wasm_exec_path prints the path of wasm_exec.js in the Go installation.
# Go 1.24 moved it from misc/wasm to lib/wasm.
wasm_exec_path() {
  local goroot
  goroot="$(go env GOROOT)"
  for candidate in "$goroot/lib/wasm/wasm_exec.js" "$goroot/misc/wasm/wasm_exec.js"; do
    if [[ -f $candidate ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  log "wasm_exec.js not found in $goroot/lib/wasm or $goroot/misc/wasm"
  return 1
}

build_wasm() {
  local pkg=$1 out=$2
  GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out" "$pkg"
  log "built $out: $(wc -c <"$out") bytes, $(gzip -9 -c "$out" | wc -c) bytes gzipped"
}

build_web() {
  build_wasm ./wasm public/main.wasm
  if [[ -d wasm/worker ]]; then
    build_wasm ./wasm/worker public/worker.wasm
  fi
  cp "$(wasm_exec_path)" public/wasm_exec.js
}

run_tests() {
  go vet ./...

  local unformatted
  unformatted="$(gofmt -l .)"
  if [[ -n $unformatted ]]; then
    log "these files need gofmt -w:"
    printf '%s\n' "$unformatted" >&2
    return 1
  fi

  # The soak test runs for SOAK, which is set here so that a SOAK in the
  # caller's environment does not make this run last 30 minutes.
  SOAK=2m go test -timeout 45m ./...

  local js_packages=()
  for dir in sim wasm; do
    if [[ -d $dir ]]; then
      js_packages+=("./$dir/...")
    fi
  done
  if ((${#js_packages[@]} > 0)); then
    GOOS=js GOARCH=wasm go vet "${js_packages[@]}"
  fi
}

case "${1:-build}" in
build)
  build_web
  ;;
serve)
  build_web
  addr="127.0.0.1:${PORT:-8080}"
  exec go run ./cmd/neuromop serve -dir public -addr "$addr"
  ;;
test)
  run_tests
  ;;
desktop)
  mkdir -p build
  CGO_ENABLED=0 go build -trimpath -o build/neuromop-desktop ./wasm/desktop
  log "built build/neuromop-desktop"
  ;;
soak)
  soak="${SOAK:-30m}"
  # go test's -timeout is the soak time plus 15 minutes for the build and
  # start; time.ParseDuration adds up a string such as 30m15m.
  SOAK="$soak" go test -count=1 -v -run '^TestSoak$' -timeout "${soak}15m" ./wasm
  ;;
*)
  log "unknown command ${1@Q}: want one of build, serve, test, desktop, soak"
  exit 2
  ;;
esac

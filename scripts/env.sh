# shellcheck shell=bash
# scripts/env.sh — source it (`. scripts/env.sh`) before building or testing by hand; the scripts in
# scripts/ and scripts/ci/ source it themselves. Safe to source repeatedly; sets no shell options.

LEDGERBRIDGE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export LEDGERBRIDGE_ROOT

# PATH: npm tools first (npm binaryen's wasm-opt 132 must shadow a Debian /usr/bin/wasm-opt 108, which
# corrupts reference-types wasm), then cargo-installed tools (wasm-bindgen, worker-build).
_lb_cargo_bin=${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin
_lb_prepend_path() {
  local p=":$PATH:"
  p=${p//":$1:"/:}
  p=${p#:}
  p=${p%:}
  PATH="$1${p:+:$p}"
}
_lb_prepend_path "$_lb_cargo_bin"
_lb_prepend_path "$LEDGERBRIDGE_ROOT/node_modules/.bin"
export PATH

# worker-build looks these up instead of downloading from GitHub (unreachable here).
export WASM_BINDGEN_BIN="$_lb_cargo_bin/wasm-bindgen"
# wasm-opt: npm's binaryen, through scripts/wasm-opt-worker (drops worker-build's --debuginfo: size).
export WASM_OPT_BIN="$LEDGERBRIDGE_ROOT/scripts/wasm-opt-worker"
export ESBUILD_BIN="$LEDGERBRIDGE_ROOT/node_modules/.bin/esbuild" # wrangler's esbuild, pinned by package-lock.json

# wrangler / miniflare: no telemetry, no fetch of https://workers.cloudflare.com/cf.json (3 s timeout per start).
export WRANGLER_SEND_METRICS=false
export WRANGLER_SEND_ERROR_REPORTS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false

# `cargo test --target wasm32-unknown-unknown` (also in .cargo/config.toml). Never pass -q with it:
# cargo forwards --quiet to the runner, which rejects it.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver

if [[ -n ${CI:-} && ${CI} != false && ${CI} != 0 ]]; then
  export CARGO_TERM_COLOR=never
fi

unset -f _lb_prepend_path
unset _lb_cargo_bin

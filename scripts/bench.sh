#!/usr/bin/env bash
# Sets up, builds the release widget and the release development server, then runs
# the benchmark (widget vs a vanilla-JS floor in headless Chromium) and checks the
# budgets. Arguments go to bench/run.mjs, e.g. --runs 3 --sizes 1000,5000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo +stable build -q --release -p devserver
# The same widget with Leptos' <For> in place of KeyedList, for one comparison row
# (built first, so that dist/ ends as the release build).
trunk build --release --quiet --features bench-for-list --dist target/bench-for-list
trunk build --release --quiet
# Where the release wasm's bytes go: wasm-bindgen's output through the release's
# wasm-opt settings, keeping names (-g): the shipped code's sizes, before the short
# names (build/short-names.mjs), which also drop wasm-streams' classes (~5 KB raw).
wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int \
  target/wasm-bindgen/release/presence-widget_bg.wasm -o target/sizes.wasm
node bench/wasm-sizes.mjs target/sizes.wasm 25
exec node bench/run.mjs --for-list "$PWD/target/bench-for-list" "$@"

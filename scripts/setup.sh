#!/usr/bin/env bash
# Installs what building and testing the widget needs, each only when missing or at
# the wrong version, from the registries this machine can reach (crates.io, npm,
# Debian). Safe to run again: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed --toolchain stable | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target (stable: browser tests and clippy)"
  rustup target add wasm32-unknown-unknown --toolchain stable
fi

# The release build: nightly with std's sources (rust-toolchain.toml, .cargo/config.toml).
if [ "$(rustc +nightly -V 2>/dev/null)" != "$NIGHTLY_VERSION" ]; then
  echo "setup: the release build needs the machine's nightly, $NIGHTLY_VERSION;" \
       "rustup has: $(rustc +nightly -V 2>&1 | head -n 1)" >&2
  exit 1
fi
if ! rustup component list --installed --toolchain nightly | grep -q '^rust-src'; then
  step "adding rust-src to nightly"
  rustup component add rust-src --toolchain nightly
fi
if ! rustup target list --installed --toolchain nightly | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target to nightly"
  rustup target add wasm32-unknown-unknown --toolchain nightly
fi
# std's own dependencies, into cargo's cache: Trunk builds offline.
std_lock="$(rustc +nightly --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
if [ ! -f target/.std-fetched ] || [ "$std_lock" -nt target/.std-fetched ]; then
  step "fetching std's dependencies for build-std"
  cargo +nightly fetch -q --manifest-path "$std_lock"
  mkdir -p target && touch target/.std-fetched
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "installing trunk $TRUNK_VERSION (several minutes, once)"
  # Trunk 0.22 declares a newer rustc than this machine's; it builds and runs fine.
  cargo +stable install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about two minutes, once)"
  # Not --locked: one locked dependency of the CLI is missing from the registry.
  cargo +stable install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  step "installing Debian's chromium and chromium-driver"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# npm: binaryen (wasm-opt) and playwright-core, exactly as locked; never a browser download.
if [ ! -f node_modules/.setup-stamp ] || [ package-lock.json -nt node_modules/.setup-stamp ] \
   || [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  step "installing npm packages (binaryen, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.setup-stamp
fi

if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != 132 ]; then
  echo "setup: wasm-opt on PATH is not binaryen 132 ($(command -v wasm-opt))" >&2
  exit 1
fi
step "ready: $(trunk --version), $(rustc +nightly -V | cut -d" " -f2-), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | grep -o 'Chromium [0-9.]*')"

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

# The release build: the dated nightly of rust-toolchain.toml, with std's sources.
# Where rustup can download, it installs exactly that one. Where it cannot (these
# machines reach crates.io, npm, Debian and PyPI only), the machine image's own
# `nightly` is used if it is that very version: rustup is shown it under the dated
# name (a toolchain directory linked to the other, as the image itself links
# 1.95.0 to stable; `rustup toolchain link` refuses official names).
if [ "$(rustc +"$NIGHTLY" -V 2>/dev/null)" != "$NIGHTLY_VERSION" ]; then
  step "installing $NIGHTLY ($NIGHTLY_VERSION)"
  if ! rustup toolchain install "$NIGHTLY" --profile minimal \
         --component rust-src --target wasm32-unknown-unknown 2>/dev/null; then
    if [ "$(rustc +nightly -V 2>/dev/null)" != "$NIGHTLY_VERSION" ]; then
      echo "setup: the release build needs $NIGHTLY ($NIGHTLY_VERSION)." >&2
      echo "setup: rustup could not download it, and the installed nightly is" \
           "'$(rustc +nightly -V 2>&1 | head -n 1)'." >&2
      echo "setup: install it with: rustup toolchain install $NIGHTLY" >&2
      exit 1
    fi
    rustup component add rust-src --toolchain nightly
    rustup target add wasm32-unknown-unknown --toolchain nightly
    toolchains="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
    host=$(rustc +nightly -vV | awk '/^host:/ { print $2 }')
    rm -rf "${toolchains:?}/$NIGHTLY-$host"
    ln -s "nightly-$host" "$toolchains/$NIGHTLY-$host"
    step "using the installed nightly as $NIGHTLY"
  fi
fi
if ! rustup component list --installed --toolchain "$NIGHTLY" | grep -q '^rust-src'; then
  step "adding rust-src to $NIGHTLY"
  rustup component add rust-src --toolchain "$NIGHTLY"
fi
if ! rustup target list --installed --toolchain "$NIGHTLY" | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target to $NIGHTLY"
  rustup target add wasm32-unknown-unknown --toolchain "$NIGHTLY"
fi
# std's own dependencies, into cargo's cache: Trunk builds offline.
std_lock="$(rustc +"$NIGHTLY" --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
if [ ! -f target/.std-fetched ] || [ "$std_lock" -nt target/.std-fetched ]; then
  step "fetching std's dependencies for build-std"
  cargo +"$NIGHTLY" fetch -q --manifest-path "$std_lock"
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
step "ready: $(trunk --version), $(rustc +"$NIGHTLY" -V | cut -d" " -f2-), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | grep -o 'Chromium [0-9.]*')"

# Sourced by the other scripts: pinned tool versions and a PATH with the project's
# own tools first (node_modules/.bin holds wasm-opt from the npm binaryen package;
# Debian's binaryen 108 builds wasm that browsers reject).
TRUNK_VERSION=0.22.1
# The nightly of the release build: the channel rust-toolchain.toml names, and the
# version it must print (the one the machine image carries; setup.sh installs or
# links it). Everything else: stable.
NIGHTLY=$(awk -F'"' '/^channel/ { print $2 }' rust-toolchain.toml)
NIGHTLY_VERSION="rustc 1.97.0-nightly (e50aa6fba 2026-05-19)"
# The wasm-bindgen CLI must equal the library in Cargo.lock (pinned with = in Cargo.toml).
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=/usr/bin/chromedriver
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

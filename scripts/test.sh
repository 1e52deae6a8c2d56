#!/usr/bin/env bash
# Sets everything up and runs every check and test layer:
#   formatting, clippy (host and wasm), host unit and property tests, browser
#   component tests (wasm-bindgen-test in headless Chromium), the release build,
#   the release package built twice (same bytes), end-to-end tests (Playwright +
#   Debian's Chromium + the development server), and a one-run smoke of the
#   benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$(date +%s)

section "rustfmt"
cargo +stable fmt --all -- --check

section "clippy (host, wasm)"
cargo +stable clippy -q --workspace --all-targets -- -D warnings
cargo +stable clippy -q -p presence-widget --target wasm32-unknown-unknown --all-targets -- -D warnings

section "host tests (unit + property)"
cargo +stable test -q --workspace

section "browser tests (wasm-bindgen-test, headless Chromium)"
cargo +stable test -p presence-widget --target wasm32-unknown-unknown --test browser
# The wire tests again, through the decoder that ships (JSON.parse, serde-wasm-bindgen).
cargo +stable test -p presence-widget --target wasm32-unknown-unknown --lib

section "release build"
cargo +stable build -q -p devserver
trunk build --release --quiet
ls dist/embed.js >/dev/null

section "release package (built twice from this commit: the same bytes)"
first=$(bash scripts/package.sh | tail -n 1)
first_sum=$(sha256sum "$first" | cut -d' ' -f1)
touch src/lib.rs  # the second build compiles the widget again
second=$(bash scripts/package.sh | tail -n 1)
second_sum=$(sha256sum "$second" | cut -d' ' -f1)
echo "$first: $first_sum"
echo "$second: $second_sum"
[ "$first" = "$second" ] && [ "$first_sum" = "$second_sum" ] || { echo "the package is not reproducible" >&2; exit 1; }
# Its integrity record matches its files, and both panel pages name embed.js by it.
python3 - "$first" <<'PY'
import base64, hashlib, sys, zipfile
archive = zipfile.ZipFile(sys.argv[1])
root = archive.namelist()[0].split("/")[0]
read = lambda path: archive.read(f"{root}/{path}")
sri = lambda data: "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
lines = read("INTEGRITY.txt").decode().splitlines()
assert len(lines) == 3, lines
for line in lines:
    value, path = line.split("  ")
    assert sri(read(path)) == value, f"{path}: {value}"
embed = next(line.split("  ")[0] for line in lines if line.endswith("dist/embed.js"))
for page in ["deploy/superoffice-online/presence-panel.crmscript", "deploy/onsite/presence-panel.html"]:
    text = read(page).decode()
    assert f'"{embed}"' in text and "FILLED-IN" not in text, page
print("package integrity: INTEGRITY.txt matches, both panel pages name embed.js by it")
PY

section "end-to-end tests (Playwright, Debian's Chromium, development server)"
node --test --test-concurrency=1 --test-reporter=spec tests/e2e/

if [ -f bench/run.mjs ]; then
  section "benchmark smoke (1,000 agents, one run, no budgets)"
  node bench/run.mjs --smoke
fi

printf '\n\033[1mAll checks passed\033[0m in %ss\n' "$(( $(date +%s) - started ))"

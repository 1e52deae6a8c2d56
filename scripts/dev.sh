#!/usr/bin/env bash
# Sets everything up, starts the development server (a SuperOffice-like tenant) and
# `trunk serve` in front of it, and prints the URL that signs you in and opens the
# development page. Ctrl-C stops both.
#   DEV_PORT (8080): trunk serve; the development server listens on 8081, where
#   Trunk.toml's proxy sends /api/. Extra arguments go to the development server,
#   e.g. scripts/dev.sh --agents 1000 --latency-ms 400
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
DEV_PORT=${DEV_PORT:-8080}
API_PORT=8081

cargo build -q -p devserver
./target/debug/devserver --port "$API_PORT" "$@" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT INT TERM

url="http://127.0.0.1:$DEV_PORT/api/dev/login?return=/"
printf '\n\033[1mWidget:\033[0m %s\n(signs you in to the development tenant and opens the development page)\n\n' "$url"
trunk serve --port "$DEV_PORT"

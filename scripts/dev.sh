#!/usr/bin/env bash
# Sets everything up, starts the development server (a SuperOffice-like tenant) and
# `trunk serve` in front of it, and prints the URLs that sign you in and open the
# development page, and the CRM-like page whose side panel loads the widget from a
# second origin. Ctrl-C stops both.
#   DEV_PORT (8080): trunk serve; the development server listens on 8081, where
#   Trunk.toml's proxy sends /api/, and serves dist/ (which trunk serve rebuilds)
#   as a static host with CORS on 8082. Extra arguments go to the development
#   server, e.g. scripts/dev.sh --agents 1000 --latency-ms 400
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
DEV_PORT=${DEV_PORT:-8080}
API_PORT=8081
FILES_PORT=8082

cargo +stable build -q -p devserver
./target/debug/devserver --port "$API_PORT" --files-port "$FILES_PORT" --files dist \
  --signin-origins "http://127.0.0.1:$FILES_PORT" "$@" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT INT TERM

url="http://127.0.0.1:$DEV_PORT/api/dev/login?return=/"
crm="http://127.0.0.1:$API_PORT/api/dev/login?return=/Cust12345/default.aspx"
printf '\n\033[1mWidget:\033[0m %s\n(signs you in to the development tenant and opens the development page)\n' "$url"
printf '\033[1mCRM side panel:\033[0m %s\n(a CRM-like page; its side panel is the CRMScript-like page loading the widget from http://127.0.0.1:%s/widget/)\n' "$crm" "$FILES_PORT"
intranet="http://127.0.0.1:$FILES_PORT/intranet/sign-in.html?tenant=http://127.0.0.1:$API_PORT"
printf '\033[1mIntranet page, Sign in with SuperOffice:\033[0m %s\n(another origin than the CRM: the widget signs in through a pop-up and calls the API with a Bearer token)\n\n' "$intranet"
trunk serve --port "$DEV_PORT"

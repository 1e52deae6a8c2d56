#!/bin/sh
# Trunk post-build hook: writes dist/embed.js, the stable entry point host pages
# load. It imports the content-hashed wasm-bindgen glue next to it and fetches the
# wasm relative to its own URL, so dist/ works wherever it is served from, on the
# page's origin or another one that sends CORS headers.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk}"
glue=$(cd "$dir" && ls presence-widget-*.js 2>/dev/null | head -n 1)
[ -n "$glue" ] || { echo "write-embed: no wasm-bindgen glue in $dir" >&2; exit 1; }
wasm=$(cd "$dir" && ls presence-widget-*_bg.wasm 2>/dev/null | head -n 1)
[ -n "$wasm" ] || { echo "write-embed: no wasm in $dir" >&2; exit 1; }
# Release builds: short import and export names in the wasm and its glue, and no
# unused wasm-streams classes (build/short-names.mjs says why; about 8 KB brotli).
# The two files are then named after what they now hold, as Trunk named them after
# what it wrote: a changed rewrite is a new name, never new bytes under an old one.
if [ "${TRUNK_PROFILE:-}" = "release" ]; then
  node "$(dirname "$0")/../build/short-names.mjs" "$dir/$wasm" "$dir/$glue"
  hash() { sha256sum "$dir/$1" | cut -c1-16; }
  renamed_wasm="presence-widget-$(hash "$wasm")_bg.wasm"
  renamed_glue="presence-widget-$(hash "$glue").js"
  mv "$dir/$wasm" "$dir/$renamed_wasm"
  mv "$dir/$glue" "$dir/$renamed_glue"
  wasm=$renamed_wasm
  glue=$renamed_glue
fi
version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$(dirname "$0")/../Cargo.toml" | head -n 1)
# Subresource Integrity of the two files embed.js loads: whoever can change a file on
# the static host must not get it run (embed.js itself is checked by the page).
sri() { printf 'sha384-%s' "$(openssl dgst -sha384 -binary "$dir/$1" | openssl base64 -A)"; }
glue_sri=$(sri "$glue")
wasm_sri=$(sri "$wasm")
[ -n "$version" ] || { echo "write-embed: no version in Cargo.toml" >&2; exit 1; }
# The other languages' texts (web/lang, written from the tables by the host
# tests), each named after its bytes and listed in embed.js with its hash, under
# its tag and every other tag it answers to (web/lang/aliases.txt).
lang_dir="$(dirname "$0")/../web/lang"
[ -f "$lang_dir/aliases.txt" ] && ls "$lang_dir"/*.json >/dev/null 2>&1 ||
  { echo "write-embed: no language files or aliases.txt in $lang_dir" >&2; exit 1; }
rm -f "$dir"/lang-*.json
entries=""
for file in "$lang_dir"/*.json; do
  tag=$(basename "$file" .json)
  name="lang-$tag-$(sha256sum "$file" | cut -c1-16).json"
  cp "$file" "$dir/$name"
  # SHA-256 (shorter in embed.js than SHA-384, and as strong for this purpose).
  entry="[\"$name\",\"sha256-$(openssl dgst -sha256 -binary "$dir/$name" | openssl base64 -A)\"]"
  entries="$entries\"$tag\":$entry,"
  for alias in $(awk -v tag="$tag" '$2 == tag { print $1 }' "$lang_dir/aliases.txt"); do
    entries="$entries\"$alias\":$entry,"
  done
done
texts="{${entries%,}}"
# Sign in with SuperOffice returns to signed-in.html beside embed.js.
cp "$(dirname "$0")/../web/signed-in.html" "$(dirname "$0")/../web/signed-in.js" "$dir/"
# embed.js from its template (web/embed.template.js): this release's version, file
# names and hashes filled in, and the comments after its header left out (they are
# for its readers here, not for every page that downloads it).
sed -e "s|__VERSION__|$version|g" -e "s|__GLUE__|$glue|g" -e "s|__WASM__|$wasm|g" \
    -e "s|__GLUE_INTEGRITY__|$glue_sri|g" -e "s|__WASM_INTEGRITY__|$wasm_sri|g" \
    -e "s|__TEXTS__|$texts|g" \
    "$(dirname "$0")/../web/embed.template.js" |
  awk 'header && /^\/\// { print; next } { header = 0 } !/^[[:space:]]*\/\// { print }' header=1 \
  > "$dir/embed.js"
if grep -q "__[A-Z_]*__" "$dir/embed.js"; then
  echo "write-embed: a placeholder of web/embed.template.js was left unfilled" >&2
  exit 1
fi

#!/usr/bin/env bash
# Builds the release and writes one archive for administrators:
#   presence-widget-VERSION/
#     dist/        embed.js, the hashed glue and wasm (what a host page loads)
#     deploy/      CRM Online (CRMScript panel page), on-site IIS, intranet pages
#     docs/embedding.md, SECURITY.md   the attributes and the security model
#     LICENSE, INSTALL.txt, SHA256SUMS (of every other file)
# Reproducible: two runs from the same commit give the same bytes (entries in
# name order, the commit's time on every entry, fixed permissions). Prints the
# archive's path as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
source scripts/env.sh

version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' Cargo.toml | head -n 1)
name="presence-widget-$version"
out="$PWD/target/package"
stage="$out/$name"

trunk build --release --quiet >&2

rm -rf "$stage" "$out/$name.zip"
mkdir -p "$stage/dist"
cp dist/embed.js dist/presence-widget-*.js dist/presence-widget-*_bg.wasm dist/lang-*.json dist/signed-in.html dist/signed-in.js "$stage/dist/"
# deploy/ as committed (no stray or ignored files), when this is a git checkout.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z deploy | while IFS= read -r -d '' file; do
    mkdir -p "$stage/$(dirname "$file")"
    cp "$file" "$stage/$file"
  done
else
  cp -R deploy "$stage/deploy"
fi
cp LICENSE SECURITY.md "$stage/"
mkdir -p "$stage/docs"
cp docs/embedding.md "$stage/docs/"
# Subresource Integrity of the three files a page loads, and the two pages that
# load embed.js filled in with its value.
sri() { printf 'sha384-%s' "$(openssl dgst -sha384 -binary "$1" | openssl base64 -A)"; }
embed_sri=$(sri "$stage/dist/embed.js")
(cd "$stage/dist" && for file in embed.js presence-widget-*.js presence-widget-*_bg.wasm; do
  printf '%s  dist/%s\n' "$(sri "$file")" "$file"
done) | LC_ALL=C sort -k2 > "$stage/INTEGRITY.txt"
for page in deploy/superoffice-online/presence-panel.crmscript deploy/onsite/presence-panel.html; do
  sed -i "s|sha384-FILLED-IN-BY-THE-RELEASE-PACKAGE|$embed_sri|" "$stage/$page"
done
cat > "$stage/INSTALL.txt" <<TXT
Chat presence widget for SuperOffice CRM, version $version

dist/      The widget: embed.js (the one file pages load; cache it briefly) and the
           content-hashed glue, wasm and lang-*.json (the texts of the languages
           other than English, loaded by pages in them) next to it (cache them
           for good), and
           signed-in.html + signed-in.js, the page Sign in with SuperOffice returns
           to (serve them on the intranet's own origin; see docs/embedding.md). Serve the
           folder as it is, .wasm as application/wasm if the server allows.
deploy/    Step-by-step guides:
             superoffice-online/README.md   CRM Online side panel (a CRMScript page)
             onsite/README.md               on-site CRM (IIS virtual directory)
             README.md                      any intranet page
docs/embedding.md  Every attribute, theming, Content-Security-Policy, deploy.
SECURITY.md  What the widget sends where, and what a page can and cannot make it do.
SHA256SUMS Checksums of every file here: sha256sum -c SHA256SUMS
INTEGRITY.txt  The Subresource Integrity (sha384) of the three files a page loads. The panel
           pages in deploy/ name embed.js with its value already; embed.js checks
           the other two, and the language files, itself. A changed file is refused and nothing runs.

Which build a page runs: embed.js exports "version", and the widget's root
element (inside its shadow root) carries data-version="$version".
TXT
# Listed before the list exists (a redirect creates its file at once, and find
# could see it half the time).
(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum) > "$out/SHA256SUMS"
mv "$out/SHA256SUMS" "$stage/SHA256SUMS"

epoch=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)
python3 - "$out" "$name" "$epoch" <<'PY'
import os, sys, time, zipfile
out, name, epoch = sys.argv[1], sys.argv[2], int(sys.argv[3])
stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot go before 1980
root = os.path.join(out, name)
paths = []
for folder, dirs, files in os.walk(root):
    paths += [os.path.relpath(os.path.join(folder, f), out) for f in files]
with zipfile.ZipFile(os.path.join(out, name + ".zip"), "w") as archive:
    for path in sorted(paths):
        entry = zipfile.ZipInfo(path.replace(os.sep, "/"), date_time=stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.create_system = 3
        entry.external_attr = 0o100644 << 16
        with open(os.path.join(out, path), "rb") as f:
            archive.writestr(entry, f.read(), compresslevel=9)
PY
echo "$out/$name.zip"

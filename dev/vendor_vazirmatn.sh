#!/usr/bin/env bash
# Refresh vendor/vazirmatn, the Persian edition's typeface (SIL OFL 1.1), from
# the npm registry (needs npm; the build does not: the files are committed).
# Usage: dev/vendor_vazirmatn.sh 33.0.3. Keeps the regular and bold webfonts.
set -euo pipefail
version=${1:?usage: dev/vendor_vazirmatn.sh VERSION}
out=$(cd "$(dirname "$0")/.." && pwd)/vendor/vazirmatn
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "vazirmatn@$version" >/dev/null \
  && tar xzf "vazirmatn-$version.tgz")
rm -rf "$out" && mkdir -p "$out"
cp "$work"/package/fonts/webfonts/Vazirmatn-{Regular,Bold}.woff2 \
  "$work"/package/OFL.txt "$out/"
echo "$version" > "$out/VERSION"
(cd "$out" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort \
  | xargs sha256sum > SHA256SUMS)
echo "vendor/vazirmatn: Vazirmatn $version, $(du -sh "$out" | cut -f1)"

#!/usr/bin/env bash
# Refresh vendor/axe-core from the npm registry (needs npm; the site check
# does not: the vendored files are committed). Usage: dev/vendor_axe.sh 4.14.1
# Keeps the one file tests/site injects into each page, and its licence.
set -euo pipefail
version=${1:?usage: dev/vendor_axe.sh VERSION}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "axe-core@$version" >/dev/null
tar xzf "axe-core-$version.tgz"
out=$root/vendor/axe-core
rm -rf "$out"
mkdir -p "$out"
cp package/axe.min.js package/LICENSE "$out/"
echo "$version" > "$out/VERSION"
(cd "$out" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort \
  | xargs sha256sum > SHA256SUMS)
echo "vendor/axe-core: axe-core $version, $(du -sh "$out" | cut -f1)"

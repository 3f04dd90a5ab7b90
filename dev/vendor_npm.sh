#!/usr/bin/env bash
# Refresh a folder of vendor/ from one npm package (needs npm; the build and
# the checks do not: the vendored files are committed). Keeps the files
# named (paths inside the package), the VERSION and their SHA256SUMS.
#   dev/vendor_npm.sh axe-core 4.14.1 vendor/axe-core axe.min.js LICENSE
#   dev/vendor_npm.sh vazirmatn 33.0.3 vendor/vazirmatn OFL.txt \
#     fonts/webfonts/Vazirmatn-Regular.woff2 fonts/webfonts/Vazirmatn-Bold.woff2
set -euo pipefail
usage="usage: dev/vendor_npm.sh PACKAGE VERSION FOLDER FILE..."
[ $# -ge 4 ] || { echo "$usage" >&2; exit 2; }
package=$1 version=$2 folder=$3
shift 3
out=$(cd "$(dirname "$0")/.." && pwd)/$folder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package@$version" >/dev/null \
  && tar xzf ./*.tgz)
rm -rf "$out" && mkdir -p "$out"
for file in "$@"; do cp "$work/package/$file" "$out/"; done
echo "$version" > "$out/VERSION"
(cd "$out" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort \
  | xargs sha256sum > SHA256SUMS)
echo "$folder: $package $version, $(du -sh "$out" | cut -f1)"

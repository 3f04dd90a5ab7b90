#!/usr/bin/env bash
# Refresh vendor/mathjax from the npm registry (needs npm; the book's build does
# not: the vendored files are committed). Usage: dev/vendor_mathjax.sh 4.1.3
# Keeps only what the site loads: MathJax's separate components (startup, core,
# TeX input and the extensions it autoloads, CHTML output, lazy typesetting;
# the site loads these, not the combined bundle, see _ext/mathjax4.py), the
# menu and accessibility parts with English speech and Nemeth braille
# (loaded when a reader asks for them), the New Computer Modern font, and
# node-main, with which _ext/typeset_math.cjs runs the same components in node
# at build time (vendor/mathjax/node, not copied to the site).
set -euo pipefail
version=${1:?usage: dev/vendor_mathjax.sh VERSION}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "mathjax@$version" "@mathjax/mathjax-newcm-font@$version" \
  >/dev/null
mkdir core font
tar xzf "mathjax-$version.tgz" -C core --strip-components=1
tar xzf "mathjax-mathjax-newcm-font-$version.tgz" -C font --strip-components=1
out=$root/vendor/mathjax
rm -rf "$out"
mkdir -p "$out/sre/mathmaps" "$out/input/tex" "$out/output" "$out/node" \
  "$out/fonts/mathjax-newcm-font"
cp core/startup.js core/core.js core/LICENSE "$out/"
cp core/node-main.js core/node-main.cjs "$out/node/"
cp core/input/tex.js core/input/mml.js "$out/input/"
cp core/output/chtml.js "$out/output/"
cp -r core/a11y core/ui "$out/"
cp -r core/input/tex/extensions "$out/input/tex/"
cp core/sre/speech-worker.js "$out/sre/"
cp core/sre/mathmaps/{base,en,nemeth}.json "$out/sre/mathmaps/"
cp -r font/chtml font/chtml.js "$out/fonts/mathjax-newcm-font/"
echo "$version" > "$out/VERSION"
(cd "$out" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort \
  | xargs sha256sum > SHA256SUMS)
echo "vendor/mathjax: MathJax $version, $(du -sh "$out" | cut -f1)"

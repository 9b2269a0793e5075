#!/bin/bash
# XIP figures: the same tree as a plain image and as an XIP image
# (mkcramfs -X -X), with the padding our layout needs against the padding
# cramfs-tools' inline layout would need for the same blocks (computed by
# mkcramfs from the blocks it writes), and the page-cache RAM saved.
#
#   bench/xip.sh [-b BUILD_DIR] [TREE]
#
# TREE defaults to the corpus bench/run.sh builds from this machine's /usr.
set -euo pipefail

build=build
while getopts "b:" opt; do
	case $opt in
	b) build=$OPTARG ;;
	*) echo "usage: $0 [-b BUILD_DIR] [TREE]" >&2; exit 16 ;;
	esac
done
shift $((OPTIND - 1))
work=${BENCH_DIR:-/tmp/cramfs-bench}
tree=${1:-$work/corpus-usr}
[ -d "$tree" ] || { echo "no tree $tree: run bench/run.sh first or name one" >&2; exit 8; }
mkdir -p "$work"

"$build/mkcramfs" -q "$tree" "$work/plain.img"
"$build/mkcramfs" -q -X -X --report="$work/xip.json" --report-format=json \
	"$tree" "$work/xip.img"
"$build/cramfsck" "$work/xip.img" >/dev/null

python3 - "$work" "$tree" <<'PY'
import json, os, sys
work, tree = sys.argv[1], sys.argv[2]
r = json.load(open(os.path.join(work, "xip.json")))
t = r["totals"]
plain = os.path.getsize(os.path.join(work, "plain.img"))
xip = os.path.getsize(os.path.join(work, "xip.img"))
mib = lambda b: b / 1048576
print(f"tree: {tree}")
print(f"plain image:            {plain:>12,} bytes")
print(f"XIP image (-X -X):      {xip:>12,} bytes ({xip / plain:.2f} x plain)")
print(f"XIP files / pages:      {t['xip_files']:>12,} / {t['xip_pages']:,}")
print(f"padding, ours:          {t['padding']:>12,} bytes")
print(f"padding, inline layout: {t['inline_padding']:>12,} bytes (cramfs-tools style, computed)")
print(f"page-cache RAM saved:   {t['ram_saved']:>12,} bytes ({mib(t['ram_saved']):.1f} MiB) when every XIP page is in use")
PY

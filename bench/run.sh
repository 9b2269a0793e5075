#!/bin/bash
# Side-by-side benchmark: our mkcramfs/cramfsck against util-linux
# mkfs.cramfs/fsck.cramfs on the same tree, in the same run, alternating.
#
#   bench/run.sh [-n RUNS] [-b BUILD_DIR] [TREE]
#
# TREE defaults to a corpus copied from this machine's /usr (files under
# 16 MiB, which cramfs can hold), made once under $BENCH_DIR.
# Prints median wall time, CPU time, peak RSS and image size per tool.
set -euo pipefail

runs=5
build=build
while getopts "n:b:" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	b) build=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [-b BUILD_DIR] [TREE]" >&2; exit 16 ;;
	esac
done
shift $((OPTIND - 1))

work=${BENCH_DIR:-/tmp/cramfs-bench}
mkdir -p "$work"
tree=${1:-$work/corpus-usr}

# About 120 MB of real binaries, libraries and translations, capped by size
# so the image stays within cramfs' 256 MiB data limit.
make_usr_corpus() {
	local dst=$1
	echo "building corpus $dst from /usr (about 120 MB)" >&2
	rm -rf "$dst.tmp"
	mkdir -p "$dst.tmp"
	(cd / && find usr/bin usr/sbin usr/share/locale usr/lib/x86_64-linux-gnu \
		\( -type f -size -16M -o -type l \) -printf '%s %p\n' 2>/dev/null |
		LC_ALL=C sort -k2 | awk '{ t += $1; if (t > 120000000) exit; sub(/^[0-9]+ /, ""); print }' |
		tar --no-recursion -T - -cf - 2>/dev/null) | tar -C "$dst.tmp" -xf -
	mv "$dst.tmp" "$dst"
}

[ -d "$tree" ] || make_usr_corpus "$tree"
for t in /usr/sbin/mkfs.cramfs /usr/sbin/fsck.cramfs "$build/mkcramfs" "$build/cramfsck"; do
	[ -x "$t" ] || { echo "missing $t" >&2; exit 8; }
done

# measure NAME CMD...: append "NAME wall cpu rss_kb" to $work/times
measure() {
	local name=$1; shift
	/usr/bin/time -f "$name %e %U %S %M" -a -o "$work/times" "$@" >/dev/null 2>&1
}

: > "$work/times"
for ((i = 0; i < runs; i++)); do
	measure util-linux-mkfs /usr/sbin/mkfs.cramfs "$tree" "$work/ref.img"
	measure mkcramfs "$build/mkcramfs" -q "$tree" "$work/our.img"
	measure util-linux-fsck /usr/sbin/fsck.cramfs --extract "$work/ref.img"
	measure cramfsck "$build/cramfsck" "$work/our.img"
done

files=$(find "$tree" | wc -l)
bytes=$(du -sb "$tree" | cut -f1)
echo "tree: $tree ($files entries, $bytes bytes); $runs runs; $(nproc) CPUs; $(uname -m)"
printf '%-18s %10s %10s %10s %12s\n' tool "wall s" "cpu s" "RSS MiB" "image bytes"
for name in util-linux-mkfs mkcramfs util-linux-fsck cramfsck; do
	case $name in
	util-linux-mkfs) img=$(stat -c %s "$work/ref.img") ;;
	mkcramfs) img=$(stat -c %s "$work/our.img") ;;
	*) img=- ;;
	esac
	awk -v n="$name" -v img="$img" '
		$1 == n { w[++c] = $2; cpu[c] = $3 + $4; r[c] = $5 }
		function median(a, k,   i, j, t) {
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
		}
		END { printf "%-18s %10.3f %10.3f %10.1f %12s\n", n, median(w, c),
			median(cpu, c), median(r, c) / 1024, img }' "$work/times"
done
if cmp -s "$work/ref.img" "$work/our.img"; then
	echo "images: byte-identical"
else
	echo "images: differ"
fi

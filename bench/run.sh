#!/bin/bash
# Side-by-side benchmark: our mkcramfs/cramfsck against util-linux
# mkfs.cramfs/fsck.cramfs (and cramfs-tools' mkcramfs when $CRAMFS_TOOLS
# names it) on the same tree, in the same run, alternating.
#
#   bench/run.sh [-n RUNS] [-b BUILD_DIR] [-c minbase|usr] [TREE]
#
# The corpus: a Debian 12 minbase root file system (debootstrap, as root,
# with the apt caches and package lists removed as an image recipe would),
# or, with -c usr or when debootstrap cannot run, about 120 MB of this
# machine's /usr. Both are made once under $BENCH_DIR (/tmp/cramfs-bench).
# Prints median wall time, CPU time, peak RSS and image size per tool, the
# ratios the performance and block-dedup issues set targets for, and the
# peak RSS on a tree with twice the data (the corpus plus the other one).
set -euo pipefail

runs=5
build=build
corpus=minbase
while getopts "n:b:c:" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	b) build=$OPTARG ;;
	c) corpus=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [-b BUILD_DIR] [-c minbase|usr] [TREE]" >&2; exit 16 ;;
	esac
done
shift $((OPTIND - 1))

work=${BENCH_DIR:-/tmp/cramfs-bench}
mkdir -p "$work"

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

# Debian 12 minbase, as debootstrap leaves it, less what no image ships:
# the downloaded .deb files and the package lists.
make_minbase_corpus() {
	local dst=$1
	command -v debootstrap >/dev/null && [ "$(id -u)" -eq 0 ] || return 1
	echo "building corpus $dst with debootstrap --variant=minbase bookworm" >&2
	rm -rf "$dst.tmp"
	debootstrap --variant=minbase bookworm "$dst.tmp" \
		http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || return 1
	rm -f "$dst.tmp"/var/cache/apt/archives/*.deb
	rm -rf "$dst.tmp"/var/lib/apt/lists/*
	mv "$dst.tmp" "$dst"
}

usr=$work/corpus-usr
minbase=$work/corpus-minbase
if [ $# -ge 1 ]; then
	tree=$1
elif [ "$corpus" = minbase ] && { [ -d "$minbase" ] || make_minbase_corpus "$minbase"; }; then
	tree=$minbase
else
	[ "$corpus" = usr ] || echo "debootstrap unavailable: using the /usr corpus" >&2
	[ -d "$usr" ] || make_usr_corpus "$usr"
	tree=$usr
fi
for t in /usr/sbin/mkfs.cramfs /usr/sbin/fsck.cramfs "$build/mkcramfs" "$build/cramfsck"; do
	[ -x "$t" ] || { echo "missing $t" >&2; exit 8; }
done
tools=${CRAMFS_TOOLS:-}

# measure NAME CMD...: append "NAME wall cpu rss_kb" to $work/times
measure() {
	local name=$1; shift
	/usr/bin/time -f "$name %e %U %S %M" -a -o "$work/times" "$@" >/dev/null 2>&1
}

: > "$work/times"
for ((i = 0; i < runs; i++)); do
	measure util-linux-mkfs /usr/sbin/mkfs.cramfs "$tree" "$work/ref.img"
	measure mkcramfs "$build/mkcramfs" -q "$tree" "$work/our.img"
	measure mkcramfs-best-level "$build/mkcramfs" -q -l 12 "$tree" "$work/best.img"
	measure mkcramfs-XX "$build/mkcramfs" -q -X -X "$tree" "$work/xip.img"
	measure mkcramfs-dedup-block "$build/mkcramfs" -q --dedup=block "$tree" "$work/block.img"
	measure mkcramfs-best "$build/mkcramfs" -q --best "$tree" "$work/bestdedup.img"
	measure mkcramfs-zlib-j1 "$build/mkcramfs" -q -j 1 --compressor=zlib "$tree" "$work/zlib.img"
	[ -n "$tools" ] && measure cramfs-tools-mkcramfs "$tools" "$tree" "$work/tools.img"
	measure util-linux-fsck /usr/sbin/fsck.cramfs --extract "$work/ref.img"
	measure cramfsck "$build/cramfsck" "$work/our.img"
done

# The same data twice over: peak RSS must not follow the data size.
other=$usr
[ "$tree" = "$usr" ] && other=$minbase
if [ -d "$other" ]; then
	double=$work/double
	if [ ! -d "$double" ]; then
		mkdir -p "$double"
		cp -a "$tree" "$double/a"
		cp -a "$other" "$double/b"
	fi
	measure mkcramfs-double "$build/mkcramfs" -q "$double" "$work/double.img"
fi

files=$(find "$tree" | wc -l)
bytes=$(du -sb "$tree" | cut -f1)
echo "tree: $tree ($files entries, $bytes bytes); $runs runs"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -m)"
size_of() { [ -f "$1" ] && stat -c %s "$1" || echo -; }
printf '%-22s %8s %8s %8s %12s\n' tool "wall s" "cpu s" "RSS MiB" "image bytes"
for name in util-linux-mkfs mkcramfs mkcramfs-best-level mkcramfs-XX \
	    mkcramfs-dedup-block mkcramfs-best mkcramfs-zlib-j1 \
	    cramfs-tools-mkcramfs util-linux-fsck cramfsck mkcramfs-double; do
	case $name in
	util-linux-mkfs) img=$(size_of "$work/ref.img") ;;
	mkcramfs) img=$(size_of "$work/our.img") ;;
	mkcramfs-best-level) img=$(size_of "$work/best.img") ;;
	mkcramfs-XX) img=$(size_of "$work/xip.img") ;;
	mkcramfs-dedup-block) img=$(size_of "$work/block.img") ;;
	mkcramfs-best) img=$(size_of "$work/bestdedup.img") ;;
	mkcramfs-zlib-j1) img=$(size_of "$work/zlib.img") ;;
	cramfs-tools-mkcramfs) img=$(size_of "$work/tools.img") ;;
	mkcramfs-double) img=$(size_of "$work/double.img") ;;
	*) img=- ;;
	esac
	awk -v n="$name" -v img="$img" '
		$1 == n { w[++c] = $2; cpu[c] = $3 + $4; r[c] = $5 }
		function median(a, k,   i, j, t) {
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
		}
		END { if (c) printf "%-22s %8.3f %8.3f %8.1f %12s\n", n, median(w, c),
			median(cpu, c), median(r, c) / 1024, img }' "$work/times"
done > "$work/table"
cat "$work/table"

# Ratios against util-linux, from the medians above.
awk '
	{ wall[$1] = $2; rss[$1] = $4; img[$1] = $5 }
	function ratio(a, b) { return b > 0 ? sprintf("%.3f", a / b) : "-" }
	END {
		u = "util-linux-mkfs"
		printf "mkcramfs wall / util-linux:            %s (target <= 0.25)\n", ratio(wall["mkcramfs"], wall[u])
		printf "mkcramfs image / util-linux:           %s (target <= 0.998)\n", ratio(img["mkcramfs"], img[u])
		printf "mkcramfs -l 12 image / util-linux:     %s (target <= 0.982)\n", ratio(img["mkcramfs-best-level"], img[u])
		printf "mkcramfs -l 12 wall / util-linux:      %s (target <= 1.0)\n", ratio(wall["mkcramfs-best-level"], wall[u])
		printf "mkcramfs -X -X wall / mkcramfs:        %s (target <= 1.0)\n", ratio(wall["mkcramfs-XX"], wall["mkcramfs"])
		printf "cramfsck wall / fsck.cramfs --extract: %s (target <= 0.5)\n", ratio(wall["cramfsck"], wall["util-linux-fsck"])
		printf "--dedup=block image / util-linux:      %s (target <= 0.96)\n", ratio(img["mkcramfs-dedup-block"], img[u])
		printf "--best image / util-linux:             %s (target <= 0.95)\n", ratio(img["mkcramfs-best"], img[u])
		printf "--best wall / util-linux:              %s (target <= 1.5)\n", ratio(wall["mkcramfs-best"], wall[u])
		printf "mkcramfs peak RSS MiB:                 %s (target <= 16)\n", rss["mkcramfs"]
		if ("mkcramfs-double" in rss)
			printf "mkcramfs peak RSS MiB, twice the data: %s\n", rss["mkcramfs-double"]
	}' "$work/table"
if cmp -s "$work/ref.img" "$work/zlib.img"; then
	echo "mkcramfs --compressor=zlib: byte-identical to util-linux"
else
	echo "mkcramfs --compressor=zlib: differs from util-linux (files of one content but different modes or owners do not share data)"
fi

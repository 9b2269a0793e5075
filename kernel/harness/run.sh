#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# kernel/harness/run.sh [--kernel 6.1|6.12] BUILD_DIR
#
# Boots a Debian 6.1 (default) or 6.12 kernel in QEMU with cramfs images built by BUILD_DIR's
# mkcramfs loaded into a reserved window of guest RAM that stands in for
# NOR flash, mounts them with "mount -t cramfs mtd:NAME" and proves, page
# for page, which file pages the kernel maps in place; then compares that
# with the prediction of libcramfs (cramfs_image_xip_audit) and mkcramfs'
# JSON report. See kernel/README.md.
#
# Exit status: 0 pass, 1 fail, 77 skip (no QEMU, no kernel packages and
# not root to install them, not x86-64, ...).
#
# Environment:
#   CRAMFS_KERNEL_WORK     cache and run directory (/var/tmp/cramfs-kernel)
#   CRAMFS_KERNEL_ACCEL    tcg (default), kvm, or auto (kvm if it boots)
#   CRAMFS_KERNEL_TIMEOUT  deadline of one boot in seconds (300)
#   CRAMFS_KERNEL_VERSION  kernel release to use (6.1.0-N-amd64,
#                          6.12.N+deb12-amd64)
#   CRAMFS_KERNEL_INSTALL  0: never run apt-get, skip instead (default 1)
#   CRAMFS_KERNEL_PATCHED  0: do not build the patched cramfs (default 1)
#   CRAMFS_KERNEL_DEBUG    1: cramfs dynamic debug in the guest
set -euo pipefail
export LC_ALL=C

HARNESS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KERNEL_DIR=$(dirname "$HARNESS")
REPO=$(dirname "$KERNEL_DIR")
if [ "$(id -u)" = 0 ]; then
	WORK=${CRAMFS_KERNEL_WORK:-/var/tmp/cramfs-kernel}
else
	WORK=${CRAMFS_KERNEL_WORK:-/var/tmp/cramfs-kernel-$(id -u)}
fi
ACCEL=${CRAMFS_KERNEL_ACCEL:-tcg}
TIMEOUT=${CRAMFS_KERNEL_TIMEOUT:-300}
INSTALL=${CRAMFS_KERNEL_INSTALL:-1}
PATCHED=${CRAMFS_KERNEL_PATCHED:-1}
DEBUG=${CRAMFS_KERNEL_DEBUG:-0}
# The flash window: guest physical address and size (grown if needed).
WIN_BASE=0x18000000
WIN_MB=64
# Bump when the module build recipe below changes (invalidates the cache).
MOD_RECIPE=1

T0=$(date +%s.%N)
say() { echo "kernel-xip: $*"; }
skip() { echo "SKIP: $*"; echo "RESULT skip reason=$(echo "$*" | tr ' ' _)"; exit 77; }
fail() { echo "FAIL: $*" >&2; echo "RESULT fail reason=$(echo "$*" | tr ' ' _)"; exit 1; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
have() { command -v "$1" >/dev/null 2>&1; }

usage() {
	echo "usage: $0 [--kernel 6.1|6.12] BUILD_DIR   (the CMake build directory of mkcramfs-xip)" >&2
	exit 1
}
SERIES=6.1
case "${1:-}" in
--kernel) [ $# -ge 2 ] || usage; SERIES=$2; shift 2 ;;
--kernel=*) SERIES=${1#--kernel=}; shift ;;
esac
[ $# -eq 1 ] || usage
case "$1" in -h|--help) usage ;; esac
# Per series: the Debian kernel release pattern (a glob for /boot and a
# regex for apt-cache), the package with the kernel image, the metapackage
# that names the current release, and the source tarball.
case "$SERIES" in
6.1)
	KVER_GLOB='6.1.0-*-amd64'
	KVER_RE='6\.1\.0-[0-9]+-amd64'
	IMAGE_SUFFIX=
	META=linux-image-amd64 ;;
6.12)
	KVER_GLOB='6.12.*+deb12-amd64'
	KVER_RE='6\.12\.[0-9]+\+deb12-amd64'
	IMAGE_SUFFIX=-unsigned
	META=linux-image-6.12-amd64 ;;
*) fail "--kernel is 6.1 or 6.12, not $SERIES" ;;
esac
SRC_TARBALL=/usr/src/linux-source-$SERIES.tar.xz
# shellcheck disable=SC2254 # KVER_GLOB is a pattern
case "${CRAMFS_KERNEL_VERSION:-}" in
'' | $KVER_GLOB) ;;
*) fail "CRAMFS_KERNEL_VERSION=$CRAMFS_KERNEL_VERSION is not a $SERIES kernel ($KVER_GLOB)" ;;
esac
BUILD=$(cd "$1" 2>/dev/null && pwd) || fail "no build directory $1"
MKCRAMFS=$BUILD/mkcramfs
[ -x "$MKCRAMFS" ] || fail "$MKCRAMFS is missing: build the project first"
CRAMFSCK=$BUILD/cramfsck
[ -x "$CRAMFSCK" ] || fail "$CRAMFSCK is missing: build the project first"
if [ -f "$BUILD/libcramfs.a" ]; then
	LIBCRAMFS=("$BUILD/libcramfs.a")
elif [ -f "$BUILD/libcramfs.so" ]; then
	# shellcheck disable=SC2054 # the commas belong to the option
	LIBCRAMFS=(-L"$BUILD" -lcramfs -Wl,-rpath,"$BUILD")
else
	fail "no libcramfs.a or libcramfs.so in $BUILD"
fi
# The headers that belong to that library, and the compiler and
# instrumentation it was built with (sanitizer and fuzzing builds).
INCLUDE=$REPO/include
AUDIT_CC=gcc
AUDIT_FLAGS=()
if [ -f "$BUILD/CMakeCache.txt" ]; then
	cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt" | head -1; }
	home=$(cache CMAKE_HOME_DIRECTORY)
	[ -n "$home" ] && [ -f "$home/include/cramfs/cramfs.h" ] && INCLUDE=$home/include
	cc=$(cache CMAKE_C_COMPILER)
	[ -n "$cc" ] && [ -x "$cc" ] && AUDIT_CC=$cc
	# shellcheck disable=SC2054 # the commas belong to the option
	[ "$(cache CRAMFS_SANITIZE)" = ON ] && AUDIT_FLAGS=(-fsanitize=address,undefined)
	# shellcheck disable=SC2054
	[ "$(cache CRAMFS_FUZZ)" = ON ] && AUDIT_FLAGS=(-fsanitize=fuzzer-no-link,address,undefined)
fi
# xipaudit keeps its tables until exit: no leak reports from such builds.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

[ "$(uname -m)" = x86_64 ] || skip "the harness boots an amd64 kernel: x86-64 hosts only"
for t in gcc make pkg-config timeout sha256sum awk sed tar xz; do
	have "$t" || skip "$t is not installed"
done

# ---- packages ---------------------------------------------------------------

installed_kver() {
	local f v
	# shellcheck disable=SC2012 # plain kernel file names
	# shellcheck disable=SC2086 # the glob
	for f in $(ls -1 /boot/vmlinuz-$KVER_GLOB 2>/dev/null | sort -rV); do
		v=${f#/boot/vmlinuz-}
		[ -n "${CRAMFS_KERNEL_VERSION:-}" ] && [ "$v" != "$CRAMFS_KERNEL_VERSION" ] && continue
		ls /lib/modules/"$v"/kernel/drivers/mtd/mtd.ko* >/dev/null 2>&1 || continue
		echo "$v"
		return 0
	done
	return 1
}

static_busybox() {
	[ -f /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1
}

KVER=$(installed_kver || true)
missing=()
have qemu-system-x86_64 || missing+=(qemu-system-x86)
static_busybox || missing+=(busybox-static)
have cpio || missing+=(cpio)
have patch || missing+=(patch)
[ -f "$SRC_TARBALL" ] || missing+=("linux-source-$SERIES")
if [ -z "$KVER" ]; then
	missing+=("linux-image-$SERIES")
elif [ ! -f "/usr/src/linux-headers-$KVER/Makefile" ]; then
	missing+=("linux-headers-$KVER")
fi

if [ ${#missing[@]} -gt 0 ]; then
	[ "$INSTALL" = 1 ] || skip "missing ${missing[*]} (CRAMFS_KERNEL_INSTALL=0)"
	[ "$(id -u)" = 0 ] || skip "missing ${missing[*]}; run as root to install them with apt-get"
	have apt-get || skip "missing ${missing[*]} and no apt-get"
	say "installing: ${missing[*]}"
	apt-get update -q >"${TMPDIR:-/tmp}/cramfs-kernel-apt.log" 2>&1 ||
		skip "apt-get update failed (no package mirror?)"
	pkgs=()
	for p in "${missing[@]}"; do
		if [ "$p" = "linux-image-$SERIES" ]; then
			if [ -n "${CRAMFS_KERNEL_VERSION:-}" ]; then
				KVER=$CRAMFS_KERNEL_VERSION
			else
				# The current ABI of the series: what its metapackage
				# points to on bookworm, else the newest the mirror has.
				KVER=$(apt-cache depends "$META" 2>/dev/null |
				       sed -En "s/^ *Depends: linux-image-($KVER_RE)\$/\1/p" | head -1)
				[ -n "$KVER" ] || KVER=$(apt-cache search --names-only "^linux-image-$KVER_RE$IMAGE_SUFFIX\$" |
				       awk -v s="$IMAGE_SUFFIX" '{ sub(/^linux-image-/, "", $1)
				           if (s != "") sub(s "$", "", $1); print $1 }' | sort -V | tail -1)
			fi
			[ -n "$KVER" ] || skip "no Debian linux-image-$KVER_GLOB$IMAGE_SUFFIX package available"
			pkgs+=("linux-image-$KVER$IMAGE_SUFFIX" "linux-headers-$KVER")
		else
			pkgs+=("$p")
		fi
	done
	# INITRD=No: the harness brings its own initramfs; skip update-initramfs.
	if ! INITRD=No DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${pkgs[@]}" >>"${TMPDIR:-/tmp}/cramfs-kernel-apt.log" 2>&1; then
		tail -20 "${TMPDIR:-/tmp}/cramfs-kernel-apt.log"
		skip "apt-get install ${pkgs[*]} failed"
	fi
	KVER=$(installed_kver || true)
	[ -n "$KVER" ] || skip "no usable $SERIES kernel after installing"
fi
have qemu-system-x86_64 || skip "qemu-system-x86_64 is not available"
static_busybox || skip "no static /bin/busybox (busybox-static)"
have cpio || skip "cpio is not available"
have patch || skip "patch is not available"
[ -f "$SRC_TARBALL" ] || skip "$SRC_TARBALL is missing (linux-source-$SERIES)"
HEADERS=/usr/src/linux-headers-$KVER
[ -f "$HEADERS/Makefile" ] || skip "$HEADERS is missing"
VMLINUZ=/boot/vmlinuz-$KVER
[ -r "$VMLINUZ" ] || skip "$VMLINUZ is not readable (run as root)"
# shellcheck disable=SC2012
MTD_KO=$(ls /lib/modules/"$KVER"/kernel/drivers/mtd/mtd.ko* | head -1)
# The block-device control mounts a copy of an image on a loop device.
# shellcheck disable=SC2012
LOOP_KO=$(ls /lib/modules/"$KVER"/kernel/drivers/block/loop.ko* 2>/dev/null | head -1)
[ -n "$LOOP_KO" ] || skip "no loop.ko in linux-image-$KVER"

mkdir -p "$WORK"
exec 9>"$WORK/lock"
have flock && { flock -w 900 9 || fail "$WORK is locked by another run"; }
say "kernel $KVER (series $SERIES), work dir $WORK"

# ---- modules: cramfs (stock, patched) and phram (physical point()) --------

SRC_ID=$(stat -c '%s-%Y' "$SRC_TARBALL")
SRC=$WORK/src/$SRC_ID
if [ ! -f "$SRC/.done" ]; then
	say "extracting fs/cramfs and phram.c from $SRC_TARBALL"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	tar -xJf "$SRC_TARBALL" -C "$SRC" --strip-components=1 --wildcards \
		'*/fs/cramfs/*' '*/drivers/mtd/devices/phram.c' ||
		fail "cannot extract the kernel sources"
	touch "$SRC/.done"
fi

shopt -s nullglob
HARNESS_PATCHES=("$KERNEL_DIR"/patches/harness/*.patch)
FIX_PATCHES=("$KERNEL_DIR"/patches/"$SERIES"/*.patch)
shopt -u nullglob
[ "$PATCHED" = 1 ] || FIX_PATCHES=()

MOD_ID=$( { echo "recipe=$MOD_RECIPE src=$SRC_ID kver=$KVER"
	    cat "$HEADERS/include/config/kernel.release" 2>/dev/null || true
	    cat ${HARNESS_PATCHES[@]+"${HARNESS_PATCHES[@]}"} \
		${FIX_PATCHES[@]+"${FIX_PATCHES[@]}"}; } | sha256sum | cut -c1-16)
MODS=$WORK/modules/$KVER-$MOD_ID

# build_module DIR: out-of-tree build against the installed headers.
build_module() {
	if ! make -C "$HEADERS" M="$1" modules >"$1/build.log" 2>&1; then
		tail -30 "$1/build.log"
		fail "module build in $1 failed"
	fi
}

# prepare_tree DIR PATCH...: a copy of the sources with the patches
# applied; non-zero when one does not apply.
prepare_tree() {
	local dir=$1 p
	shift
	mkdir -p "$dir/fs" "$dir/drivers/mtd/devices"
	cp -r "$SRC/fs/cramfs" "$dir/fs/"
	cp "$SRC/drivers/mtd/devices/phram.c" "$dir/drivers/mtd/devices/"
	for p in "$@"; do
		if ! patch -p1 -s -d "$dir" <"$p" >>"$dir/patch.log" 2>&1; then
			cat "$dir/patch.log"
			echo "patch $(basename "$p") does not apply to $SRC_TARBALL"
			return 1
		fi
	done
}

cramfs_kbuild() {
	cat >"$1/Kbuild" <<'EOF'
# Built out of tree by kernel/harness/run.sh: cramfs with MTD (XIP) and
# block device support, which the Debian kernel configuration lacks.
obj-m := cramfs.o
cramfs-y := inode.o uncompress.o
ccflags-y += -DCONFIG_CRAMFS_MTD=1 -DCONFIG_CRAMFS_BLOCKDEV=1
EOF
}

if [ ! -f "$MODS/.done" ]; then
	t=$(date +%s.%N)
	say "building modules for $KVER"
	rm -rf "$MODS"
	prepare_tree "$MODS/stock" ${HARNESS_PATCHES[@]+"${HARNESS_PATCHES[@]}"} ||
		fail "the harness patches do not apply"
	cramfs_kbuild "$MODS/stock/fs/cramfs"
	echo 'obj-m := phram.o' >"$MODS/stock/drivers/mtd/devices/Kbuild"
	build_module "$MODS/stock/fs/cramfs"
	build_module "$MODS/stock/drivers/mtd/devices"
	# The patched cramfs is an extra: if the patches no longer apply to
	# this source, test the stock module alone and say so.
	if [ ${#FIX_PATCHES[@]} -gt 0 ]; then
		if prepare_tree "$MODS/fixed" "${FIX_PATCHES[@]}"; then
			cramfs_kbuild "$MODS/fixed/fs/cramfs"
			build_module "$MODS/fixed/fs/cramfs"
		else
			rm -rf "$MODS/fixed"
		fi
	fi
	touch "$MODS/.done"
	say "modules built in $(elapsed "$t") s"
fi
VARIANTS=stock
NOTES=()
if [ -f "$MODS/fixed/fs/cramfs/cramfs.ko" ]; then
	VARIANTS=stock,fixed
elif [ ${#FIX_PATCHES[@]} -gt 0 ]; then
	NOTES+=("NOTE patches/$SERIES do not apply to $SRC_TARBALL: stock module only")
fi

# ---- per-run directory: tools, test tree, images, initramfs ------------------

RUN=$WORK/last-$SERIES
rm -rf "$RUN"
mkdir -p "$RUN"

gcc -static -O2 -Wall -o "$RUN/xipcheck" "$HARNESS/xipcheck.c" ||
	fail "cannot build the static xipcheck (is libc6-dev installed?)"
# shellcheck disable=SC2046
"$AUDIT_CC" -O2 -Wall ${AUDIT_FLAGS[@]+"${AUDIT_FLAGS[@]}"} -I"$INCLUDE" \
	-o "$RUN/xipaudit" "$HARNESS/xipaudit.c" "${LIBCRAMFS[@]}" \
	$(pkg-config --libs zlib libdeflate libxxhash libarchive libcap) -pthread ||
	fail "cannot build xipaudit against $BUILD"

# The test tree: static busybox, dynamic programs with their libraries at
# the paths the loader wants, a text file mapped whole, a small text file,
# a file whose size is an exact multiple of the page.
TREE=$RUN/tree
mkdir -p "$TREE/bin" "$TREE/proc" "$TREE/etc" "$TREE/share" "$TREE/data"
cp /bin/busybox "$TREE/bin/busybox"
for prog in ls cat; do
	path=$(command -v "$prog")
	cp -L "$path" "$TREE/bin/$prog"
	for lib in $(ldd "$path" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		mkdir -p "$TREE$(dirname "$lib")"
		[ -f "$TREE$lib" ] || cp -L "$lib" "$TREE$lib"
	done
done
echo "cramfs execute-in-place harness" >"$TREE/etc/motd"
awk 'BEGIN { for (i = 1; i <= 300; i++)
	printf "line %04d: the kernel maps this text file in place\n", i }' >"$TREE/share/notes.txt"
# 5 pages of non-zero bytes: its last page must read back right.
awk 'BEGIN { for (i = 0; i < 5 * 4096 / 64; i++)
	printf "%-63s\n", sprintf("page %d line %04d: the last page must read back right", int(i / 64), i) }' \
	>"$TREE/data/pages.bin"
[ "$(stat -c %s "$TREE/data/pages.bin")" = 20480 ] || fail "test file has the wrong size"
printf '%s\n' share/notes.txt data/pages.bin >"$RUN/xip.list"
# Blocks that repeat across files at other offsets, a short tail equal to
# another, and a whole copy with another mode (so only its blocks, not its
# inode, can be shared): --dedup=block stores each block once.
mkdir -p "$TREE/dedup"
for p in A B C; do
	awk -v p="$p" 'BEGIN { for (i = 0; i < 4096 / 64; i++)
		printf "%-63s\n", sprintf("dedup page %s line %04d", p, i) }' >"$RUN/page$p"
done
cat "$RUN/pageA" "$RUN/pageB" "$RUN/pageC" >"$TREE/dedup/abc"
{ cat "$RUN/pageC" "$RUN/pageA"; head -c 1000 "$RUN/pageB"; } >"$TREE/dedup/ca-tail"
{ cat "$RUN/pageB"; head -c 1000 "$RUN/pageB"; } >"$TREE/dedup/b-tail"
cp "$TREE/dedup/abc" "$TREE/dedup/abc-private"
chmod 600 "$TREE/dedup/abc-private"

# Images: label, expectation, mkcramfs options.
IMAGES=(xip lastpage plain dedup)
declare -A IMG_OPTS=(
	[xip]="-X -X --xip-list=$RUN/xip.list"
	[lastpage]="-X -X --xip-list=$RUN/xip.list --xip-map-last-page"
	[plain]=""
	[dedup]="-X -X --xip-list=$RUN/xip.list --dedup=block"
)
declare -A IMG_OFF IMG_LEN
off=0
for label in "${IMAGES[@]}"; do
	# shellcheck disable=SC2086
	"$MKCRAMFS" -q ${IMG_OPTS[$label]} --report="$RUN/$label.json" \
		--report-format=json "$TREE" "$RUN/$label.img" >"$RUN/$label.mkcramfs.log" 2>&1 ||
		{ cat "$RUN/$label.mkcramfs.log"; fail "mkcramfs failed for $label"; }
	size=$(stat -c %s "$RUN/$label.img")
	len=$(( (size + 4095) / 4096 * 4096 ))
	IMG_OFF[$label]=$off
	IMG_LEN[$label]=$len
	off=$(( (off + len + 0xfffff) / 0x100000 * 0x100000 ))
done

# The bounds test: a crafted image whose file data/pages.bin has direct
# pointers that lead past the end of the image, to a marker pattern that
# QEMU loads there. Its flash device (phram) covers image and marker, as
# a flash chip larger than the image would.
mkdir -p "$RUN/evil-tree/data" "$RUN/evil-tree/etc"
cp "$TREE/data/pages.bin" "$RUN/evil-tree/data/"
cp "$TREE/etc/motd" "$RUN/evil-tree/etc/"
echo data/pages.bin >"$RUN/evil.list"
"$MKCRAMFS" -q -X -X --xip-list="$RUN/evil.list" --xip-map-last-page \
	"$RUN/evil-tree" "$RUN/evil-base.img" >"$RUN/evil.mkcramfs.log" 2>&1 ||
	{ cat "$RUN/evil.mkcramfs.log"; fail "mkcramfs failed for the bounds test"; }
EVIL_SIZE=$(stat -c %s "$RUN/evil-base.img")
EVIL_TARGET=$(( (EVIL_SIZE + 0xffff) / 0x10000 * 0x10000 + 0x10000 ))
"$RUN/xipaudit" craft-outside "$RUN/evil-base.img" "$RUN/evil.img" data/pages.bin \
	"$EVIL_TARGET" >"$RUN/evil.craft.log" 2>&1 ||
	{ cat "$RUN/evil.craft.log"; fail "cannot craft the bounds test image"; }
awk 'BEGIN { for (i = 0; i < 5 * 4096 / 32; i++) printf "OUTSIDE THE IMAGE %013d\n", i }' >"$RUN/marker.bin"
MARKER_LEN=$(stat -c %s "$RUN/marker.bin")
MARKER_CRC=$("$RUN/xipaudit" crc "$RUN/marker.bin" 20480)
IMG_OFF[evil]=$off
IMG_LEN[evil]=$(( (EVIL_TARGET + MARKER_LEN + 4095) / 4096 * 4096 ))
MARKER_OFF=$(( off + EVIL_TARGET ))
off=$(( (off + IMG_LEN[evil] + 0xfffff) / 0x100000 * 0x100000 ))

# The compressed-block variant: data/two.bin (2 pages) starts with a
# direct compressed pointer past the end of the image, then a classic
# block that starts where that one ends. read_folio reads their length
# words outside the image. No marker: out of range, the stock module
# reads the zero page, which makes both blocks empty (read() zeros).
mkdir -p "$RUN/evilz-tree/data"
head -c 8192 "$TREE/data/pages.bin" >"$RUN/evilz-tree/data/two.bin"
echo data/two.bin >"$RUN/evilz.list"
# (an XIP image: extended block pointers, which direct pointers need)
"$MKCRAMFS" -q -X -X --xip-list="$RUN/evilz.list" "$RUN/evilz-tree" "$RUN/evilz-base.img" >"$RUN/evilz.mkcramfs.log" 2>&1 ||
	{ cat "$RUN/evilz.mkcramfs.log"; fail "mkcramfs failed for the compressed bounds test"; }
EVILZ_SIZE=$(stat -c %s "$RUN/evilz-base.img")
EVILZ_TARGET=$(( (EVILZ_SIZE + 0xffff) / 0x10000 * 0x10000 + 0x10000 ))
"$RUN/xipaudit" craft-compressed "$RUN/evilz-base.img" "$RUN/evilz.img" data/two.bin \
	"$EVILZ_TARGET" >"$RUN/evilz.craft.log" 2>&1 ||
	{ cat "$RUN/evilz.craft.log"; fail "cannot craft the compressed bounds test image"; }
head -c 8192 /dev/zero >"$RUN/zeros.bin"
ZEROS_CRC=$("$RUN/xipaudit" crc "$RUN/zeros.bin" 8192)
TWO_CRC=$("$RUN/xipaudit" crc "$RUN/evilz-tree/data/two.bin" 8192)
IMG_OFF[evilz]=$off
IMG_LEN[evilz]=$(( (EVILZ_SIZE + 4095) / 4096 * 4096 ))
off=$(( (off + IMG_LEN[evilz] + 0xfffff) / 0x100000 * 0x100000 ))
while [ $((WIN_MB * 1024 * 1024)) -lt "$off" ]; do WIN_MB=$((WIN_MB * 2)); done
[ "$WIN_MB" -le 512 ] || fail "images too large for the flash window ($off bytes)"
WIN_SIZE=$(printf '0x%x' $((WIN_MB * 1024 * 1024)))

# initramfs: busybox, init, xipcheck, modules.
INITRD_DIR=$RUN/initramfs
mkdir -p "$INITRD_DIR/bin" "$INITRD_DIR/lib/modules/stock"
cp /bin/busybox "$INITRD_DIR/bin/busybox"
cp "$HARNESS/init.sh" "$INITRD_DIR/init"
chmod 755 "$INITRD_DIR/init"
cp "$RUN/xipcheck" "$INITRD_DIR/bin/xipcheck"
# unpack_ko KO: the package's module, decompressed, into the initramfs.
unpack_ko() {
	local out
	out=$INITRD_DIR/lib/modules/$(basename "$1" | sed 's/\.ko.*/.ko/')
	case "$1" in
	*.xz) xz -dc "$1" >"$out" ;;
	*.zst) zstd -dqc "$1" >"$out" ;;
	*) cp "$1" "$out" ;;
	esac
}
for ko in "$MTD_KO" "$LOOP_KO"; do
	unpack_ko "$ko" || fail "cannot unpack $ko"
done
cp "$MODS/stock/drivers/mtd/devices/phram.ko" "$INITRD_DIR/lib/modules/"
cp "$MODS/stock/fs/cramfs/cramfs.ko" "$INITRD_DIR/lib/modules/stock/"
if [ -f "$MODS/fixed/fs/cramfs/cramfs.ko" ]; then
	mkdir -p "$INITRD_DIR/lib/modules/fixed"
	cp "$MODS/fixed/fs/cramfs/cramfs.ko" "$INITRD_DIR/lib/modules/fixed/"
fi
(cd "$INITRD_DIR" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$RUN/initramfs.cpio" ||
	fail "cannot build the initramfs"

# ---- boot ----------------------------------------------------------------------

imgs=
loaders=(-device "loader,file=$RUN/marker.bin,addr=$(printf '0x%x' $((WIN_BASE + MARKER_OFF))),force-raw=on")
for label in "${IMAGES[@]}" evil evilz; do
	addr=$(printf '0x%x' $((WIN_BASE + IMG_OFF[$label])))
	imgs="$imgs${imgs:+,}$label:$addr:$(printf '0x%x' "${IMG_LEN[$label]}")"
	loaders+=(-device "loader,file=$RUN/$label.img,addr=$addr,force-raw=on")
done
APPEND="console=ttyS0 memmap=${WIN_MB}M\$$WIN_BASE quiet loglevel=4 panic=-1"
APPEND="$APPEND xipwin=$WIN_BASE:$WIN_SIZE xipimgs=$imgs xipvariants=$VARIANTS xipblk=xip xipdebug=$DEBUG"

# boot ACCEL DEADLINE: run the guest; results in $RUN/results.txt.
boot() {
	local accel=(-accel tcg) rc=0
	[ "$1" = kvm ] && accel=(-accel kvm -cpu host)
	rm -f "$RUN/console.raw" "$RUN/results.raw"
	echo "--- qemu ($1, deadline $2 s)" >>"$RUN/qemu.log"
	# (braces: the shell's own "Aborted" notices go to the log too)
	{ timeout -k 10 "$2" qemu-system-x86_64 "${accel[@]}" -m 1G -smp 1 \
		-nographic -no-reboot -no-user-config -nic none -monitor none \
		-serial "file:$RUN/console.raw" -serial "file:$RUN/results.raw" \
		-kernel "$VMLINUZ" -initrd "$RUN/initramfs.cpio" -append "$APPEND" \
		"${loaders[@]}" </dev/null; } >>"$RUN/qemu.log" 2>&1 || rc=$?
	# Serial output carries terminal escape codes and CRs: strip them.
	for f in console results; do
		sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[()][A-Za-z0-9]//g' \
			-e 's/\x1b[=>c]//g' -e 's/\r//g' "$RUN/$f.raw" >"$RUN/$f.txt" 2>/dev/null || : >"$RUN/$f.txt"
	done
	return $rc
}

booted() { grep -q '^@@XIP-END@@' "$RUN/results.txt"; }

case "$ACCEL" in
kvm|auto)
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		ACCEL_USED=kvm
	else
		[ "$ACCEL" = kvm ] && skip "/dev/kvm is not usable"
		ACCEL_USED=tcg
	fi ;;
tcg) ACCEL_USED=tcg ;;
*) fail "CRAMFS_KERNEL_ACCEL is tcg, kvm or auto" ;;
esac

say "booting $KVER ($ACCEL_USED), images: $imgs"
tb=$(date +%s.%N)
rc=0
if [ "$ACCEL_USED" = kvm ] && [ "$ACCEL" = auto ]; then
	# /dev/kvm may open and still hang a nested guest: short deadline.
	boot kvm 60 || rc=$?
	if ! booted; then
		say "kvm did not finish (rc $rc); falling back to tcg"
		ACCEL_USED=tcg
		tb=$(date +%s.%N)
		rc=0
		boot tcg "$TIMEOUT" || rc=$?
	fi
else
	boot "$ACCEL_USED" "$TIMEOUT" || rc=$?
fi
BOOT_S=$(elapsed "$tb")
if ! booted; then
	echo "--- qemu"; tail -20 "$RUN/qemu.log"
	echo "--- console (last 40 lines)"; tail -40 "$RUN/console.txt"
	echo "--- results"; cat "$RUN/results.txt"
	[ "$rc" = 124 ] && fail "the guest did not finish within $TIMEOUT s"
	fail "the guest did not report (qemu exit $rc)"
fi

# ---- judge -----------------------------------------------------------------------

R=$RUN/results.txt
failures=()
lines=()
add() { lines+=("$*"); }
for n in ${NOTES[@]+"${NOTES[@]}"}; do add "$n"; done
add "KERNEL series=$SERIES release=$(sed -n 's/^K release=\([^ ]*\).*/\1/p' "$R" | head -1) package=linux-image-$KVER$IMAGE_SUFFIX accel=$ACCEL_USED boot_s=$BOOT_S variants=$VARIANTS window=$WIN_BASE+${WIN_MB}M"
while read -r line; do
	failures+=("guest: ${line#K }")
done < <(grep '^K error=' "$R" || true)
if grep -qiE '^D .*(BUG:|Oops|WARNING:|general protection)' "$R"; then
	failures+=("kernel warning or oops in dmesg")
fi

# cramfsck_check TAG LABEL: cramfsck's own XIP audit of the image (its
# --json xip_pages per file) against the pages the kernel mapped direct.
cramfsck_check() {
	local bad
	"$CRAMFSCK" --json "$RUN/$2.img" >"$RUN/$2.cramfsck.json" 2>&1 ||
		{ failures+=("$1: cramfsck does not find $2.img clean"); return; }
	bad=$(awk '
		FNR == NR {
			# regular files; no xip_pages (an image without XIP): 0
			if (match($0, /"path": "[^"]*"/) && index($0, "\"type\": \"f\"")) {
				split($0, a, "\""); p = substr(a[4], 2)
				x = 0
				if (match($0, /"xip_pages": [0-9]+/))
					x = substr($0, RSTART + 13, RLENGTH - 13)
				want[p] = x; n++
			}
			next
		}
		$1 == "F" { d = $0; sub(/.* direct=/, "", d); sub(/ .*/, "", d)
			seen++; if (!($2 in want) || want[$2] != d) { printf "%s%s:%s/%s", s, $2, want[$2], d; s = "," } }
		END { if (seen != n) printf "%sfiles:%d/%d", s, n, seen }' \
		"$RUN/$2.cramfsck.json" "$RUN/${1%%:*}.$2.guest")
	add "CRAMFSCK $1 xip_pages=direct verdict=$([ -z "$bad" ] && echo ok || echo "FAIL why=$bad")"
	[ -z "$bad" ] || failures+=("$1: cramfsck's xip_pages differ from the kernel's: $bad")
}

exec_check() { # TAG WHAT CONDITION-TEXT OK(0/1)
	add "EXEC $1 $2 $3 verdict=$([ "$4" = 1 ] && echo ok || echo FAIL)"
	[ "$4" = 1 ] || failures+=("$1: $2 $3")
}
vma_kinds() { # TAG WHAT PATH-SUBSTRING: "kind/rss_kB" of its r-x vmas
	sed -n "s|^X $1 $2 V ||p" "$R" | awk -v p="$3" '
		$2 == "perms=r-xp" && index($1, p) {
			sub(/^kind=/, "", $3); sub(/^rss=/, "", $4)
			printf "%s%s/%s", s, $3, $4; s = "," }'
}

for v in ${VARIANTS//,/ }; do
	kernel=stock
	[ "$v" = fixed ] && kernel=fixed
	# xip-blk: the xip image mounted from /dev/mtdblockN (negative control).
	for label in "${IMAGES[@]}" xip-blk; do
		tag=$v:$label
		if ! grep -q "^M $tag ok" "$R"; then
			failures+=("$tag: mount failed: $(grep "^M $tag " "$R" | head -1)")
			continue
		fi
		sed -n "s|^R $tag ||p" "$R" >"$RUN/$v.$label.guest"
		img=${label%-blk}
		extra=()
		[ "$label" = plain ] && extra=(--expect-none)
		[ "$label" = xip-blk ] && extra=(--blockdev)
		rcj=0
		"$RUN/xipaudit" judge --label "$tag" --image "$RUN/$img.img" \
			--guest "$RUN/$v.$label.guest" --report "$RUN/$img.json" \
			--src "$TREE" --image-offset "${IMG_OFF[$img]}" --kernel "$kernel" \
			"${extra[@]}" >"$RUN/$v.$label.judge" 2>&1 || rcj=$?
		while IFS= read -r l; do add "$l"; done <"$RUN/$v.$label.judge"
		[ "$label" = xip-blk ] || cramfsck_check "$tag" "$label"
		[ "$rcj" = 0 ] || failures+=("$tag: $(grep -c 'verdict=FAIL' "$RUN/$v.$label.judge" || true) file(s) failed")
		grep -q "^C $tag rc=0" "$R" || failures+=("$tag: xipcheck complained: $(grep "^W $tag " "$R" | head -3 | tr '\n' ' ')")
	done

	# The bounds test: stock kernels map the pages outside the image
	# (and the process sees the marker); patched ones refuse them.
	tag=$v:evil
	if grep -q "^M $tag ok" "$R"; then
		line=$(grep "^R $tag F data/pages.bin " "$R" || true)
		direct=$(echo "$line" | sed -n 's/.* direct=\([0-9]*\) .*/\1/p')
		ind=$(echo "$line" | sed -n 's/.* ind=\([^ ]*\).*/\1/p')
		crc=$(echo "$line" | sed -n 's/.* crc_mmap=\([0-9a-f]*\) .*/\1/p')
		faults=$(echo "$line" | sed -n 's/.* sigbus=\([0-9]*\) .*/\1/p')
		rerr=no
		grep -q "^W $tag .*pages.bin: read: Input/output error" "$R" && rerr=eio
		want_ind=$(printf '0+5@%x' "$MARKER_OFF")
		if [ "$kernel" = stock ]; then
			if [ "$direct" = 5 ] && [ "$ind" = "$want_ind" ] && [ "$crc" = "$MARKER_CRC" ]; then
				verdict=known-defect
			else
				verdict=FAIL
				failures+=("$tag: stock kernel did not map the crafted pointers as predicted ($line)")
			fi
		else
			if [ "$direct" = 0 ] && [ "$ind" = - ]; then
				verdict=ok
			else
				verdict=FAIL
				failures+=("$tag: patched kernel mapped pages outside the image ($line)")
			fi
		fi
		add "BOUNDS $tag data/pages.bin pointers_to=+$(printf '0x%x' "$EVIL_TARGET") image_size=$EVIL_SIZE direct=${direct:-?} ind=${ind:-?} mmap_is_marker=$([ "$crc" = "$MARKER_CRC" ] && echo yes || echo no) read_error=$rerr faults=${faults:-?} verdict=$verdict"
	else
		failures+=("$tag: mount failed: $(grep "^M $tag " "$R" | head -1)")
	fi

	# The compressed-block paths: stock kernels read the length words
	# outside the image as 0 and return zeros without an error; patched
	# ones fail the read with EIO (and a mapping with SIGBUS).
	tag=$v:evilz
	if grep -q "^M $tag ok" "$R"; then
		line=$(grep "^R $tag F data/two.bin " "$R" || true)
		direct=$(echo "$line" | sed -n 's/.* direct=\([0-9]*\) .*/\1/p')
		crc=$(echo "$line" | sed -n 's/.* crc_read=\([0-9a-f]*\) .*/\1/p')
		faults=$(echo "$line" | sed -n 's/.* sigbus=\([0-9]*\) .*/\1/p')
		rerr=no
		grep -q "^W $tag .*two.bin: read: Input/output error" "$R" && rerr=eio
		if [ "$kernel" = stock ]; then
			if [ "$direct" = 0 ] && [ "$rerr" = no ] && [ "$crc" = "$ZEROS_CRC" ] && [ "$faults" = 0 ]; then
				verdict=known-defect
			else
				verdict=FAIL
				failures+=("$tag: stock kernel did not read the crafted compressed blocks as predicted ($line)")
			fi
		else
			# 2 pages of the whole mapping + 2 single pages fault.
			if [ "$direct" = 0 ] && [ "$rerr" = eio ] && [ "$faults" = 4 ]; then
				verdict=ok
			else
				verdict=FAIL
				failures+=("$tag: patched kernel did not fail the crafted compressed blocks ($line)")
			fi
		fi
		# (what read() returned: nothing to compare when it failed)
		rz=- rd=-
		if [ "$rerr" = no ]; then
			rz=no rd=no
			[ "$crc" = "$ZEROS_CRC" ] && rz=yes
			[ "$crc" = "$TWO_CRC" ] && rd=yes
		fi
		add "BOUNDS $tag data/two.bin compressed_to=+$(printf '0x%x' "$EVILZ_TARGET") image_size=$EVILZ_SIZE direct=${direct:-?} read_is_zeros=$rz read_is_data=$rd read_error=$rerr faults=${faults:-?} verdict=$verdict"
	else
		failures+=("$tag: mount failed: $(grep "^M $tag " "$R" | head -1)")
	fi

	# Programs executed from the images.
	for label in xip plain xip-blk; do
		tag=$v:$label
		grep -q "^M $tag ok" "$R" || continue
		out=$(sed -n "s|^X $tag busybox-echo ||p" "$R")
		exec_check "$tag" busybox-echo "output=$out" "$([ "$out" = ok ] && echo 1 || echo 0)"
		ls_out=$(sed -n "s|^X $tag chroot-ls ||p" "$R")
		ok=0
		case " $ls_out " in *" bin "*" lib"*) ok=1 ;; esac
		exec_check "$tag" chroot-ls "output=$(echo "$ls_out" | tr ' ' ,)" "$ok"
		for what in busybox-vma:/bin/busybox cat-vma:/bin/cat cat-vma:/libc.so cat-vma:/ld-linux; do
			prog=${what#*:}
			kinds=$(vma_kinds "$tag" "${what%%:*}" "$prog")
			if [ "$label" = xip ]; then
				# Text mapped in place: remap_pfn_range (pf, no Rss) or
				# mixed (mm).
				case ",$kinds," in *,pf/0,*|*,mm/*) ok=1 ;; *) ok=0 ;; esac
			else
				# Negative control: nothing mapped in place.
				case ",$kinds," in ,,|*,pf/*|*,mm/*) ok=0 ;; *) ok=1 ;; esac
			fi
			exec_check "$tag" "text:${prog#/}" "rx_vma=${kinds:-none}" "$ok"
		done
	done
done

TOTAL_S=$(elapsed "$T0")
{
	echo "==== cramfs XIP kernel harness: per-file table ===="
	printf '%-14s %-40s %6s %6s %8s %6s %10s %6s %4s %5s %-7s %s\n' \
		image file pages report mappable direct from_start whole vma rss read verdict
	for l in "${lines[@]}"; do
		case "$l" in FILE*) ;; *) continue ;; esac
		echo "$l" | awk '{
			for (i = 4; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) }
			printf "%-14s %-40s %6s %6s %8s %6s %10s %6s %4s %5s %-7s %s\n", $2, $3,
				f["pages"], f["report"], f["mappable"], f["direct"], f["from_start"],
				f["whole"], f["kind"], f["rss"], f["read"], f["verdict"] }'
	done
	echo
	echo "==== cramfs XIP kernel harness: results ===="
	printf '%s\n' "${lines[@]}"
	echo "TIME total_s=$TOTAL_S boot_s=$BOOT_S"
	if [ ${#failures[@]} -eq 0 ]; then
		echo "RESULT pass"
	else
		printf 'FAILURE %s\n' "${failures[@]}"
		echo "RESULT fail failures=${#failures[@]}"
	fi
	echo "==== end ===="
} | tee "$RUN/result.txt"
say "logs and images in $RUN"
[ ${#failures[@]} -eq 0 ] || exit 1
exit 0

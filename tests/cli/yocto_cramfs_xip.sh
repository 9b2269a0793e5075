# Yocto: the cramfs-xip image type of contrib/yocto/meta-cramfs-xip. Its
# IMAGE_CMD is expanded from the class with what a machine sets (page size,
# byte order, MMU or not) and run as do_image would run it: under a
# fakeroot (pseudo in Yocto), our mkcramfs first in PATH. The images are
# checked with cramfsck. Then OE-core's stock IMAGE_CMD:cramfs runs with our
# mkfs.cramfs in its PATH.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have python3 || skip "python3 not installed"
have fakeroot || skip "fakeroot not installed"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
CLASS=$SRCDIR/contrib/yocto/meta-cramfs-xip/classes/image_types_cramfs_xip.bbclass

# The native sysroot: our tools under their installed names.
mkdir -p sysroot-native/usr/sbin deploy
ln -s "$MKCRAMFS" sysroot-native/usr/sbin/mkcramfs
ln -s "$MKCRAMFS" sysroot-native/usr/sbin/mkfs.cramfs
NATIVE_PATH=$TMP/sysroot-native/usr/sbin:$PATH

# IMAGE_ROOTFS: an ELF program, a library, a device node made in the
# fakeroot session of the command, as rootfs and image tasks share pseudo.
mkdir -p rootfs/bin rootfs/lib rootfs/etc rootfs/dev
cp "$(command -v ls)" rootfs/bin/busybox
lib=$(readlink -f /lib/*-linux-gnu/libz.so.1 /usr/lib/libz.so.1 2>/dev/null | head -n 1)
[ -n "$lib" ] && cp "$lib" rootfs/lib/libz.so.1
echo 'qemu login' > rootfs/etc/issue

# image MACHINE VAR=VALUE...: expand IMAGE_CMD:cramfs-xip for that machine
# and run it; the image is deploy/MACHINE.cramfs-xip.
image() {
	local machine=$1 cmd
	shift
	cmd=$(python3 "$SRCDIR/tests/cli/bb_expand.py" "$CLASS" cramfs-xip IMAGE_CMD \
		IMAGE_ROOTFS="$TMP/rootfs" IMGDEPLOYDIR="$TMP/deploy" \
		IMAGE_NAME="$machine" "$@") || fail "cannot expand IMAGE_CMD:cramfs-xip"
	echo "--- $machine: $cmd" >&2
	run env PATH="$NATIVE_PATH" fakeroot -- sh -ec \
		"mknod '$TMP/rootfs/dev/console' c 5 1 2>/dev/null || :; chown -R 0:0 '$TMP/rootfs'; $cmd"
	expect_rc 0
	[ ! -s "$TMP/out" ] || { cat "$TMP/out"; fail "$machine: IMAGE_CMD printed to stdout"; }
	rm -f rootfs/dev/console
}

# check MACHINE ENDIAN PAGE_SIZE MMU
check() {
	local img=deploy/$1.cramfs-xip magic want
	[ -f "$img" ] || fail "$1: $img not written"
	magic=$(od -An -tx1 -N4 "$img" | tr -d ' ')
	if [ "$2" = big ]; then want=28cd3d45; else want=453dcd28; fi
	[ "$magic" = "$want" ] || fail "$1: magic $magic, expected $2 endian"
	run "$CRAMFSCK" -v -b "$3" "$img"
	expect_rc 0
	expect_out "clean"
	grep -qE '^crw-.* 0:0 +5,1 /dev/console$' "$TMP/out" ||
		{ cat "$TMP/out"; fail "$1: /dev/console is not the device"; }
	if [ "$4" = y ]; then
		grep -qE '/bin/busybox \[xip (fully|partly)' "$TMP/out" ||
			{ cat "$TMP/out"; fail "$1: busybox is not XIP"; }
	fi
}

image qemuarm64 SITEINFO_ENDIANNESS=le
check qemuarm64 little 4096 y
image qemuppc SITEINFO_ENDIANNESS=be
check qemuppc big 4096 y
image arm64-64k SITEINFO_ENDIANNESS=le CRAMFS_XIP_PAGE_SIZE=65536
check arm64-64k little 65536 y
image mips-16k SITEINFO_ENDIANNESS=be CRAMFS_XIP_PAGE_SIZE=16384
check mips-16k big 16384 y
image stm32-nommu SITEINFO_ENDIANNESS=le CRAMFS_XIP_OPTS=-X
check stm32-nommu little 4096 n
image forced SITEINFO_ENDIANNESS=le CRAMFS_XIP_ENDIAN=big EXTRA_IMAGECMD:cramfs-xip=-z
check forced big 4096 y

# OE-core's stock type: IMAGE_CMD:cramfs = "mkfs.cramfs ${IMAGE_ROOTFS}
# ${IMGDEPLOYDIR}/${IMAGE_NAME}.cramfs ${EXTRA_IMAGECMD}", util-linux's
# options after the operands; ours take -X -X there too.
for extra in "" "-X -X"; do
	run env PATH="$NATIVE_PATH" fakeroot -- sh -ec \
		"mkfs.cramfs $TMP/rootfs $TMP/deploy/stock.cramfs $extra"
	expect_rc 0
	[ ! -s "$TMP/out" ] || fail "stock IMAGE_CMD:cramfs printed to stdout"
	run "$CRAMFSCK" deploy/stock.cramfs
	expect_rc 0
done
expect_out "XIP:"
echo "ok: the cramfs-xip IMAGE_CMD and the stock cramfs one run with our tools"

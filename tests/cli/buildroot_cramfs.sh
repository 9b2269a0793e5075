# Buildroot's fs/cramfs invocation, run as Buildroot runs it: a fakeroot
# script that chowns the target tree to root, applies a makedevs device
# table and runs ROOTFS_CRAMFS_CMD as contrib/buildroot/external.mk
# defines it, with the CRAMFS_OPTS fs/cramfs/cramfs.mk computes (-B or -L,
# -X -X with an MMU, -X without). The image is checked with cramfsck. The
# older cramfs-tools style (mkcramfs -D TABLE) runs too.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have fakeroot || skip "fakeroot not installed"
DATA=$SRCDIR/tests/data/buildroot
MAKEDEVS=$(command -v makedevs || echo "$DATA/makedevs-lite")
# Sanitizer builds: fakeroot's preload comes before the ASan runtime.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# ROOTFS_CRAMFS_CMD from our external tree, with make's variables in
# shell form: the one line between define and endef.
cmd=$(sed -n '/^define ROOTFS_CRAMFS_CMD/,/^endef/{/^define\|^endef/!p}' \
	"$SRCDIR/contrib/buildroot/external.mk" | sed 's/^[[:space:]]*//')
[ "$(printf '%s\n' "$cmd" | wc -l)" -eq 1 ] && [ -n "$cmd" ] ||
	fail "no one-line ROOTFS_CRAMFS_CMD in contrib/buildroot/external.mk"
case $cmd in
'$(HOST_DIR)/sbin/mkcramfs $(CRAMFS_OPTS) $(TARGET_DIR) $@') ;;
*) fail "unexpected ROOTFS_CRAMFS_CMD: $cmd" ;;
esac

# A small target tree: an ELF program (setuid busybox), a shared library,
# a symlink, text files; makedevs adds /dev and fixes modes and owners.
mkdir -p target/bin target/sbin target/lib target/etc target/home
cp "$(command -v ls)" target/bin/busybox
lib=$(readlink -f /lib/*-linux-gnu/libz.so.1 /usr/lib/libz.so.1 2>/dev/null | head -n 1)
[ -n "$lib" ] && cp "$lib" target/lib/libz.so.1
ln -s ../bin/busybox target/sbin/init
printf '::sysinit:/etc/init.d/rcS\n' > target/etc/inittab
echo 'root::0:0:99999:7:::' > target/etc/shadow

# buildroot ENDIAN MMU: run the fakeroot script, check the image.
buildroot() {
	local endian=$1 mmu=$2 opts img=rootfs-$1-$2.cramfs
	if [ "$endian" = BIG ]; then opts=-B; else opts=-L; fi
	if [ "$mmu" = y ]; then opts="$opts -X -X"; else opts="$opts -X"; fi
	rm -rf rootfs && cp -a target rootfs
	{
		echo '#!/bin/sh'
		echo 'set -e'
		echo "chown -h -R 0:0 $TMP/rootfs"
		echo "$MAKEDEVS -d $DATA/device_table.txt $TMP/rootfs"
		printf '%s\n' "$cmd" | sed -e "s|\$(HOST_DIR)/sbin/mkcramfs|$MKCRAMFS|" \
			-e "s|\$(CRAMFS_OPTS)|$opts|" -e "s|\$(TARGET_DIR)|$TMP/rootfs|" \
			-e "s|\\\$@|$TMP/$img|"
	} > fakeroot.fs
	chmod a+x fakeroot.fs
	echo "--- $endian endian, MMU=$mmu: fakeroot script" >&2
	cat fakeroot.fs >&2
	run env FAKEROOTDONTTRYCHOWN=1 fakeroot -- "$TMP/fakeroot.fs"
	expect_rc 0
	check_image "$img" "$endian" "$mmu"
}

# check_image IMAGE ENDIAN MMU
check_image() {
	local magic
	magic=$(od -An -tx1 -N4 "$1" | tr -d ' ')
	if [ "$2" = BIG ]; then
		[ "$magic" = 28cd3d45 ] || fail "$1: not big endian ($magic)"
	else
		[ "$magic" = 453dcd28 ] || fail "$1: not little endian ($magic)"
	fi
	run "$CRAMFSCK" -v "$1"
	expect_rc 0
	expect_out "$1: clean"
	expect_line '^crw-------  *0:0  *5,1 /dev/console$'
	expect_line '^crw-rw-rw-  *0:0  *1,3 /dev/null$'
	expect_line '^crw-rw-rw-  *0:0  *4,67 /dev/ttyS3$'
	expect_line '^brw-r-----  *0:0  *31,1 /dev/mtdblock1$'
	expect_line '^prw-------  *0:0 .* /dev/initctl$'
	expect_line '^-rw-------  *0:0 .* /etc/shadow$'
	expect_line '^drwxr-s---  *1000:100 .* /home/default$'
	expect_line '^drwx--x--x  *0:0 .* /var/empty$'
	expect_line '^lrwxrwxrwx  *0:0 .* /sbin/init -> \.\./bin/busybox$'
	if [ "$3" = y ]; then
		# MMU: page-aligned XIP, the kernel maps busybox in place.
		expect_line '^-rwsr-xr-x  *0:0 .* /bin/busybox \[xip (fully|partly)'
		expect_out "XIP:"
	else
		expect_line '^-rwsr-xr-x  *0:0 .* /bin/busybox'
	fi
}

expect_line() {
	grep -qE -- "$1" "$TMP/out" || { cat "$TMP/out"; fail "cramfsck -v lacks a line matching: $1"; }
}

buildroot LITTLE y
buildroot BIG y
buildroot LITTLE n
buildroot BIG n
# XIP blocks of an MMU image are page aligned; no-MMU ones need not be.
cmp -s rootfs-LITTLE-y.cramfs rootfs-LITTLE-n.cramfs &&
	fail "-X and -X -X wrote the same image"

# cramfs-tools' own device table option, as older Buildroot used it.
for endian in LITTLE BIG; do
	if [ "$endian" = BIG ]; then opts=-B; else opts=-L; fi
	rm -rf rootfs && cp -a target rootfs
	printf '#!/bin/sh\nset -e\nchown -h -R 0:0 %s\n%s -q -D %s %s -X -X %s %s\n' \
		"$TMP/rootfs" "$MKCRAMFS" "$DATA/device_table.txt" "$opts" \
		"$TMP/rootfs" "$TMP/d-$endian.cramfs" > fakeroot.d
	chmod a+x fakeroot.d
	run fakeroot -- "$TMP/fakeroot.d"
	expect_rc 0
	check_image "d-$endian.cramfs" "$endian" y
done
echo "ok: Buildroot's cramfs invocation works with our mkcramfs"

# Drop-in compatibility: for a varied tree, mkcramfs writes byte for byte
# the image util-linux mkfs.cramfs writes, for every option the two share,
# with --compressor=zlib (level 6 is the default; libdeflate, our default
# compressor, writes other, smaller streams).
# The one deliberate difference: files with the same bytes but a different
# mode or owner do not share data in our images (the kernel derives the
# inode number from the data offset, so sharing would merge the inodes).
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

MKFS=${MKFS_CRAMFS:-$(command -v mkfs.cramfs || echo /usr/sbin/mkfs.cramfs)}
FSCK=${FSCK_CRAMFS:-$(command -v fsck.cramfs || echo /usr/sbin/fsck.cramfs)}
[ -x "$MKFS" ] || skip "util-linux mkfs.cramfs is not installed"
is_root() { [ "$(id -u)" -eq 0 ]; }

# --- A varied tree ---------------------------------------------------------
mkdir -p t/usr/lib/deep/er t/empty t/sticky t/private
chmod 1777 t/sticky
chmod 700 t/private
: > t/emptyfile
printf x > t/one
head -c 4095 /dev/urandom > t/r4095
head -c 4096 /dev/urandom > t/r4096
head -c 4097 /dev/urandom > t/r4097
yes "block $RANDOM" | head -c $((3 * 4096 + 7)) > t/usr/lib/deep/er/three
# The largest file cramfs can hold, compressible.
yes "the largest file cramfs holds" | head -c $((16 * 1024 * 1024 - 1)) > t/usr/lib/max
chmod 755 t/usr/lib/max
# A sparse file with holes (zero blocks) around some data.
truncate -s 1M t/sparse
printf 'in the middle' | dd of=t/sparse bs=1 seek=500000 conv=notrunc 2>/dev/null
printf 'and later' | dd of=t/sparse bs=1 seek=900001 conv=notrunc 2>/dev/null
# Symlinks, relative and absolute (targets unlike any file content: the
# peer would share a file and a symlink of the same bytes).
ln -s usr/lib/deep/er/three t/rel
ln -s /usr/lib/does/not/exist t/abs
ln -s ../../one t/usr/lib/up
mkfifo t/fifo
# Hard links and two identical files (same mode and owner).
ln t/r4097 t/usr/hard
head -c 20000 /dev/urandom > t/usr/twin1
cp -p t/usr/twin1 t/private/twin2
cp t/usr/lib/deep/er/three t/copy3
# Long and unusual names.
name252=$(printf 'n%.0s' $(seq 252))
echo long > "t/$name252"
echo accent > "t/$(printf 'caf\303\251 au lait')"
echo latin1 > "t/$(printf '\377\376 high bytes \200')"
echo space > "t/ leading and trailing "
mkdir "t/dir with spaces"
echo in > "t/dir with spaces/file with spaces"
if is_root; then
	echo owned > t/usr/owned
	chown 1234:56 t/usr/owned
	chown 65535:255 t/usr/lib
	mknod t/null c 1 3 2>/dev/null || :
	mknod t/sda1 b 8 1 2>/dev/null || :
fi
# A socket, when something here can make one.
if have python3; then
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' t/socket
fi
# The file for -i: not a multiple of 4 bytes.
head -c 1001 /dev/urandom > insert.bin

# --- Byte-identical images ------------------------------------------------
# same OPTION...: both tools exit 0 and write the same bytes.
same() {
	run "$MKCRAMFS" -q --compressor=zlib "$@" t ours.img
	expect_rc 0
	run "$MKFS" "$@" t theirs.img
	expect_rc 0
	cmp ours.img theirs.img || fail "images differ for options: $*"
}

same
same -N big
same -N little
same -N host
same -p
same -b 16384
same -b 65536
same -e 42 -n volname
same -n 1234567890123456
same -i insert.bin
same -z
same -s
if [ "$(id -g)" -le 255 ]; then
	same -E
fi
same -N big -b 65536 -z -p -e 7 -n everything -i insert.bin
same -N little -b 16384 -z -i insert.bin

# A gid over 255: both warn, store the low 8 bits, and fail with -E.
if is_root; then
	mkdir g
	echo group > g/file
	chgrp 300 g/file
	run "$MKCRAMFS" -q --compressor=zlib g ours.img
	expect_rc 0
	expect_err "mkcramfs: warning: file: gid 300 does not fit the 8 bits cramfs stores; stored as gid 44"
	run "$MKFS" g theirs.img
	expect_rc 0
	cmp ours.img theirs.img || fail "images differ for a gid over 255"
	rm ours.img
	run "$MKCRAMFS" -E g ours.img
	expect_rc 8
	[ ! -e ours.img ] || fail "-E wrote an image"
	run "$MKFS" -E g theirs.img
	expect_rc 8
fi

# The sparse file does become holes with -z (so "same -z" compared holes).
run "$MKCRAMFS" -v -z t ours.img
expect_rc 0
grep -q ' zlib+hole  *sparse$' "$TMP/out" || { cat "$TMP/out"; fail "sparse file has no holes with -z"; }

# --- Same bytes, different mode: stored twice by us, once by the peer ----
mkdir s
head -c 16384 /dev/urandom > s/plain
cp s/plain s/suid
chmod 644 s/plain
chmod 4755 s/suid

# data_offset IMAGE N: byte offset of the data of the Nth entry of the root
# directory of a little-endian image with no padding (entries start at 76;
# the names here are 5 and 4 bytes, padded to 8 and 4).
data_offset() {
	local at
	case $2 in 1) at=$((76 + 8)) ;; 2) at=$((76 + 12 + 8 + 8)) ;; esac
	echo $(( ($(od -An -tu4 --endian=little -j "$at" -N 4 "$1") >> 6) * 4 ))
}

run "$MKCRAMFS" -v -N little s ours.img
expect_rc 0
grep -q '^ *16384 .* zlib  *suid$' "$TMP/out" || { cat "$TMP/out"; fail "suid not stored on its own"; }
if grep -q 'dedup\|duplicate' "$TMP/out"; then cat "$TMP/out"; fail "suid and plain share data"; fi
run "$MKFS" -N little s theirs.img
expect_rc 0
if cmp -s ours.img theirs.img; then fail "the images should differ"; fi
ours_plain=$(data_offset ours.img 1)
ours_suid=$(data_offset ours.img 2)
theirs_plain=$(data_offset theirs.img 1)
theirs_suid=$(data_offset theirs.img 2)
echo "data offsets: ours plain=$ours_plain suid=$ours_suid, theirs plain=$theirs_plain suid=$theirs_suid"
[ "$theirs_plain" = "$theirs_suid" ] || fail "mkfs.cramfs no longer shares data across modes"
[ "$ours_plain" != "$ours_suid" ] || fail "our image shares data between plain and suid"
[ "$(stat -c %s ours.img)" -ge $(( $(stat -c %s theirs.img) + 16384 )) ] ||
	fail "our image is not one file's data larger: $(stat -c %s ours.img) vs $(stat -c %s theirs.img)"

# Both files keep their own mode and content: extract with the peer, and
# read the modes from its listing (unprivileged, it drops the setuid bit).
if [ -x "$FSCK" ]; then
	run "$FSCK" -v --extract=x ours.img
	expect_rc 0
	grep -Eq '^f 0644 +16384 .* x/plain$' "$TMP/out" || { cat "$TMP/out"; fail "plain: wrong mode"; }
	grep -Eq '^f 4755 +16384 .* x/suid$' "$TMP/out" || { cat "$TMP/out"; fail "suid: wrong mode"; }
	cmp x/plain s/plain || fail "plain content differs"
	cmp x/suid s/plain || fail "suid content differs"
	if [ "$(id -u)" -eq 0 ]; then
		[ "$(stat -c %a x/suid)" = 4755 ] || fail "suid extracted as $(stat -c %a x/suid)"
	fi
fi

# The same for a different owner, and for a file and a symlink with the
# same bytes: never shared by us.
if is_root; then
	rm -rf s && mkdir s
	head -c 8192 /dev/urandom > s/a
	cp s/a s/b
	chown 1000 s/b
	run "$MKCRAMFS" -v s ours.img
	expect_rc 0
	grep -q ' zlib  *b$' "$TMP/out" || { cat "$TMP/out"; fail "file of another owner shares data"; }
fi
rm -rf s && mkdir s
printf 'target' > s/file
ln -s target s/link
run "$MKCRAMFS" -v s ours.img
expect_rc 0
if grep -q 'dedup' "$TMP/out"; then cat "$TMP/out"; fail "a symlink shares a file's data"; fi

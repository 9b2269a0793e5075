# Parallel compression changes nothing but the time: every option set gives
# the same bytes with 1, 2 and 8 threads, on a tree whose files span
# several batches (large files), fill one with many small files, and repeat
# each other across batches. With zlib the bytes are util-linux's.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

mkdir -p t/small t/bin
# More small files than one batch takes (512 blocks of 4 KiB).
for i in $(seq 700); do
	printf 'small file %d\n%s\n' "$i" "$(seq "$i")" > "t/small/f$i"
done
# Files larger than a batch (1 MiB): compressible, random, and mixed.
yes "a line that compresses well" | head -c $((3 * 1024 * 1024 + 123)) > t/big-text
head -c $((2 * 1024 * 1024 + 4096)) /dev/urandom > t/big-random
{ head -c 700000 /dev/urandom; head -c 900000 /dev/zero; yes z | head -c 500000; } > t/mixed
# Duplicates, one far from the other in image order.
cp -p t/big-text t/small/zz-copy-of-big-text
cp -p t/small/f7 t/zz-copy-of-f7
# Executables for XIP, when the machine has them.
for b in /bin/ls /bin/busybox /usr/bin/busybox; do
	[ -f "$b" ] && cp "$b" "t/bin/$(basename "$b")"
done

# same_for_threads [-b SIZE] OPTION...: -j 1, 2 and 8 give one image, and
# it is clean.
same_for_threads() {
	local j bs=4096
	if [ "${1:-}" = -b ]; then bs=$2; fi
	for j in 1 2 8; do
		run "$MKCRAMFS" -q -j "$j" "$@" t "img$j"
		expect_rc 0
	done
	cmp img1 img2 || fail "-j 1 and -j 2 differ for: $*"
	cmp img1 img8 || fail "-j 1 and -j 8 differ for: $*"
	run "$CRAMFSCK" -b "$bs" img1
	expect_rc 0
}

same_for_threads
same_for_threads --compressor=zlib
same_for_threads -l 12
same_for_threads -l 0
same_for_threads -z -x
same_for_threads -X -X
same_for_threads -X -X -x -z
same_for_threads --xip=all
same_for_threads -b 16384 -X -X
same_for_threads -b 65536 --xip=all -x

# The default compressor is libdeflate, and its images are smaller here.
run "$MKCRAMFS" -q t deflate.img
expect_rc 0
run "$MKCRAMFS" -q --compressor=zlib t zlib.img
expect_rc 0
[ "$(stat -c %s deflate.img)" -le "$(stat -c %s zlib.img)" ] ||
	fail "libdeflate image larger than zlib's"

# With zlib at level 6 the streamed, parallel writer matches util-linux.
MKFS=${MKFS_CRAMFS:-$(command -v mkfs.cramfs || echo /usr/sbin/mkfs.cramfs)}
if [ -x "$MKFS" ]; then
	run "$MKFS" t theirs.img
	expect_rc 0
	run "$MKCRAMFS" -q -j 8 --compressor=zlib t ours.img
	expect_rc 0
	cmp ours.img theirs.img || fail "zlib -j 8 image differs from util-linux"
else
	echo "note: util-linux mkfs.cramfs not installed; comparison skipped"
fi

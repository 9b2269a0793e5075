# Images written by mkcramfs pass util-linux fsck.cramfs --extract, and the
# extracted tree equals the source: content, modes, owners, symlink targets.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

FSCK=${FSCK_CRAMFS:-$(command -v fsck.cramfs || echo /usr/sbin/fsck.cramfs)}
MKFS=${MKFS_CRAMFS:-$(command -v mkfs.cramfs || echo /usr/sbin/mkfs.cramfs)}
[ -x "$FSCK" ] || skip "util-linux fsck.cramfs is not installed"
is_root() { [ "$(id -u)" -eq 0 ]; }

mkdir -p src/usr/lib/deep src/empty src/etc
: > src/emptyfile
printf x > src/one
head -c 4095 /dev/urandom > src/r4095
head -c 4096 /dev/urandom > src/r4096
head -c 4097 /dev/urandom > src/r4097
head -c 70000 /dev/urandom > src/usr/lib/random
yes "some text $RANDOM" | head -c $((3 * 4096 + 7)) > src/usr/lib/deep/text
yes "a large compressible file" | head -c $((5 * 1024 * 1024 + 3)) > src/usr/lib/large
cp src/usr/lib/deep/text src/etc/text.copy
ln src/r4097 src/usr/hard
chmod 755 src/usr/lib/large
chmod 4755 src/one
chmod 600 src/r4095
chmod 2711 src/usr/lib/deep
ln -s usr/lib/deep/text src/rel
ln -s /nonexistent/absolute src/abs
ln -s ../../one src/usr/lib/up
mkfifo src/fifo
echo name > "src/$(printf 'caf\303\251 \377 spaced')"
echo long > "src/$(printf 'n%.0s' $(seq 252))"
if is_root; then
	chown 1234:56 src/usr/lib/random
	chown 7:7 src/etc
	mknod src/etc/null c 1 3 2>/dev/null || :
	mknod src/etc/sda1 b 8 1 2>/dev/null || :
fi

# listing DIR: tree_listing, minus what fsck.cramfs cannot restore when it
# runs unprivileged: owners, special files, setuid and setgid bits.
listing() {
	if is_root; then
		tree_listing "$1"
	else
		tree_listing "$1" | grep -v ' fifo \| character_special_file \| block_special_file ' |
			sed -E 's/ ([0-9]+):([0-9]+) / /
				s/ (f|directory) [246]([0-7]{3}) / \1 \2 /
				s/ (f|directory) [357]([0-7]{3}) / \1 1\2 /'
	fi
}
listing src > want.txt
# Sanity: the special files are in the listing we compare.
if is_root; then
	grep -q '^fifo fifo 644 ' want.txt || fail "the fifo is missing from the listing"
fi

# check_extract IMAGE [FSCK OPTION...]: fsck.cramfs accepts the image and
# extracts the source tree.
check_extract() {
	local img=$1
	shift
	rm -rf x
	run "$FSCK" "$@" --extract=x "$img"
	expect_rc 0
	listing x > got.txt
	diff want.txt got.txt || fail "extracted tree of $img differs from the source"
}

# Not here: -z and -x images (fsck.cramfs rejects holes and raw blocks).
for opts in "" "-p" "-N host" "-N little" "-N big" "-l 9" "-l 0"; do
	# shellcheck disable=SC2086  # $opts is a list of options
	run "$MKCRAMFS" -q $opts src img
	expect_rc 0
	case $opts in
	"-N little"|"-N big")
		# fsck.cramfs reads the foreign byte order from util-linux 2.29 on;
		# make sure this one does, with an image of its own sibling.
		if [ -x "$MKFS" ]; then
			# shellcheck disable=SC2086
			"$MKFS" $opts src peer.img >/dev/null
			if ! "$FSCK" peer.img >/dev/null 2>&1; then
				echo "SKIP part: fsck.cramfs cannot read $opts images"
				continue
			fi
		fi ;;
	esac
	check_extract img
	# Without --extract, fsck.cramfs checks the superblock and the CRC.
	run "$FSCK" img
	expect_rc 0
done

# Larger pages: fsck.cramfs must be told the block size.
for b in 16384 65536; do
	run "$MKCRAMFS" -q -b "$b" src img
	expect_rc 0
	check_extract img -b "$b"
done

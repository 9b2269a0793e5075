# cramfsck on sound images: every layout mkcramfs writes checks clean with
# the exact summary line (counts computed from the source tree), -v lists
# every entry ls -l style, a wrong -b is diagnosed with the right size,
# trailing bytes are fine, and util-linux mkfs.cramfs images check clean.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

is_root() { [ "$(id -u)" -eq 0 ]; }
uid=$(id -u)
gid=$(($(id -g) & 255))

plural() { if [ "$1" -eq 1 ]; then echo "$1 $2"; else echo "$1 $3"; fi; }

# summary IMAGE TREE [BLOCK_SIZE]: the line cramfsck prints for a clean
# image of TREE. Entries count the root; files are regular files (each
# hard link too); blocks are those of distinct data (files and symlinks
# with content, hard links once; the trees here hold no duplicate content).
summary() {
	local img=$1 tree=$2 bs=${3:-4096} entries files blocks
	entries=$(find "$tree" | wc -l)
	files=$(find "$tree" -type f | wc -l)
	blocks=$(find "$tree" \( -type f -o -type l \) -printf '%i %s\n' | sort -u |
		awk -v bs="$bs" '{ n += int(($2 + bs - 1) / bs) } END { print n + 0 }')
	echo "$img: clean, $(plural "$entries" entry entries), $(plural "$files" file files), $(plural "$blocks" block blocks)"
}

# expect_clean IMAGE TREE [BLOCK_SIZE] [CRAMFSCK OPTION...]: exit 0, the
# exact summary on stdout, nothing on stderr.
expect_clean() {
	local img=$1 tree=$2 bs=${3:-4096}
	shift 3 || shift $#
	run "$CRAMFSCK" "$@" "$img"
	expect_rc 0
	summary "$img" "$tree" "$bs" > want.out
	cmp -s want.out "$TMP/out" || { diff want.out "$TMP/out" || :; fail "summary of $img differs"; }
	[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "findings on a sound image $img"; }
}

# A tree with a bit of everything, every file's content distinct.
mkdir -p src/usr/lib/deep src/empty src/etc
: > src/emptyfile
printf x > src/one
head -c 4095 /dev/urandom > src/r4095
head -c 4096 /dev/urandom > src/r4096
head -c 4097 /dev/urandom > src/r4097
head -c 70000 /dev/urandom > src/usr/lib/random
seq 1 20000 > src/usr/lib/deep/text
yes "a large compressible file" | head -c $((1024 * 1024 + 3)) > src/usr/lib/large
{ head -c 10000 /dev/urandom; head -c 50000 /dev/zero; echo end; } > src/sparse
truncate -s 300000 src/usr/lib/holes
ln src/r4097 src/usr/hard
chmod 4755 src/one
chmod 2711 src/usr/lib/deep
ln -s usr/lib/deep/text src/rel
ln -s /nonexistent/absolute src/abs
mkfifo src/fifo
echo name > "src/$(printf 'caf\303\251 \377 spaced')"
echo long > "src/$(printf 'n%.0s' $(seq 252))"
if is_root; then
	chown 1234:56 src/usr/lib/random
	mknod src/etc/null c 1 3
	mknod src/etc/sda1 b 8 1
fi
head -c 3000 /dev/urandom > boot.bin

# Every layout checks clean, with the block size it was written for.
while read -r bs opts; do
	# shellcheck disable=SC2086  # $opts is a list of options
	run "$MKCRAMFS" -q -b "$bs" $opts src img
	expect_rc 0
	if [ "$bs" = 4096 ]; then
		expect_clean img src 4096
	fi
	expect_clean img src "$bs" -b "$bs"
	expect_clean img src "$bs" --blocksize="$bs"
done <<EOF
4096
4096 -N big
4096 -N little
4096 -p
4096 -z
4096 -x
4096 -z -x -p -N big
4096 -l 0
4096 -l 9
4096 -i boot.bin
4096 -i boot.bin -p
4096 -e 7 -n volume-name-16ch
16384
16384 -z -x
65536
65536 -p -N big
EOF

# An empty tree: only the root.
mkdir bare
run "$MKCRAMFS" -q bare bare.img
expect_rc 0
expect_clean bare.img bare
[ "$(cat "$TMP/out")" = "bare.img: clean, 1 entry, 0 files, 0 blocks" ] ||
	fail "unexpected summary for an empty tree"

# The wrong block size: errors (exit 4), and a note naming the right one.
# Files of more than one block are needed to tell the sizes apart.
for bs in 16384 65536; do
	run "$MKCRAMFS" -q -b "$bs" src img
	expect_rc 0
	run "$CRAMFSCK" img
	expect_rc 4
	expect_err "cramfsck: img: note: the image checks clean with -b $bs"
	expect_err "cramfsck: img: error: "
	grep -q "^img: [0-9]* errors\?, " "$TMP/out" || { cat "$TMP/out"; fail "no error summary"; }
done
run "$MKCRAMFS" -q src img
expect_rc 0
run "$CRAMFSCK" -b 16384 img
expect_rc 4
expect_err "cramfsck: img: note: the image checks clean with -b 4096"

# Bytes after the image (a partition larger than the image): clean; the
# note about them shows with -v only.
run "$MKCRAMFS" -q src img
expect_rc 0
cp img padded.img
head -c 12345 /dev/urandom >> padded.img
expect_clean padded.img src
run "$CRAMFSCK" -v padded.img
expect_rc 0
[ "$(cat "$TMP/err")" = "cramfsck: padded.img: note: image followed by 12345 bytes of padding" ] ||
	{ cat "$TMP/err"; fail "unexpected stderr for trailing bytes with -v"; }
tail -n 1 "$TMP/out" > got.out
summary padded.img src > want.out
cmp -s want.out got.out || { diff want.out got.out || :; fail "summary with -v differs"; }

# -v: the listing, exactly, for a small tree (then the summary).
mkdir -p small/etc small/tmp
chmod 755 small small/etc
chmod 1777 small/tmp
printf 'root\n' > small/etc/passwd
chmod 640 small/etc/passwd
ln -s usr/bin small/bin
mkfifo -m 600 small/pipe
printf '#!/bin/sh\n' > small/su
if is_root; then
	chown 7:8 small/etc
	chown 0:0 small small/etc/passwd small/su small/tmp small/pipe
	mknod -m 666 small/null c 1 3
	mknod -m 660 small/sda1 b 8 1
	chown 0:6 small/sda1
	chown -h 0:0 small/bin
fi
chmod 4755 small/su
run "$MKCRAMFS" -q small small.img
expect_rc 0
run "$CRAMFSCK" -v small.img
expect_rc 0
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "findings on a sound image"; }
if is_root; then
	cat > want.out <<'EOF'
drwxr-xr-x       0:0       112 /
lrwxrwxrwx       0:0         7 /bin -> usr/bin
drwxr-xr-x       7:8        20 /etc
-rw-r-----       0:0         5 /etc/passwd
crw-rw-rw-       0:0       1,3 /null
prw-------       0:0         0 /pipe
brw-rw----       0:6       8,1 /sda1
-rwsr-xr-x       0:0        10 /su
drwxrwxrwt       0:0         0 /tmp
small.img: clean, 9 entries, 2 files, 3 blocks
EOF
else
	o="$uid:$gid"
	printf '%s %9s %9s %s\n' \
		drwxr-xr-x "$o" 80 / \
		lrwxrwxrwx "$o" 7 "/bin -> usr/bin" \
		drwxr-xr-x "$o" 20 /etc \
		-rw-r----- "$o" 5 /etc/passwd \
		prw------- "$o" 0 /pipe \
		-rwsr-xr-x "$o" 10 /su \
		drwxrwxrwt "$o" 0 /tmp > want.out
	echo "small.img: clean, 7 entries, 2 files, 3 blocks" >> want.out
fi
cmp -s want.out "$TMP/out" || { diff want.out "$TMP/out" || :; fail "-v listing differs"; }
# --verbose is -v.
run "$CRAMFSCK" --verbose small.img
expect_rc 0
cmp -s want.out "$TMP/out" || { diff want.out "$TMP/out" || :; fail "--verbose listing differs"; }

# Names a terminal would interpret are escaped in the listing.
mkdir ctl
touch "ctl/$(printf 'bell\007tab\tnl\nback\\slash')"
run "$MKCRAMFS" -q ctl ctl.img
expect_rc 0
run "$CRAMFSCK" -v ctl.img
expect_rc 0
expect_out ' /bell\007tab\011nl\012back\134slash'

# Images written by util-linux mkfs.cramfs check clean too.
MKFS=${MKFS_CRAMFS:-$(command -v mkfs.cramfs || echo /usr/sbin/mkfs.cramfs)}
if [ ! -x "$MKFS" ]; then
	echo "SKIP part: util-linux mkfs.cramfs is not installed"
	exit 0
fi
while read -r bs opts; do
	# shellcheck disable=SC2086  # $opts is a list of options
	if ! "$MKFS" -b "$bs" $opts src peer.img >/dev/null 2>&1; then
		echo "SKIP part: mkfs.cramfs -b $bs $opts failed"
		continue
	fi
	expect_clean peer.img src "$bs" -b "$bs"
done <<EOF
4096
4096 -N big
4096 -N little
4096 -p
4096 -z
4096 -i boot.bin
4096 -e 3 -n peer
16384
65536
EOF
exit 0

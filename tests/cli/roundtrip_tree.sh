# Round trip: tree -> mkcramfs -> cramfsck --extract gives the tree back
# (content, modes, owners, symlink targets, devices, fifos, sockets), for
# every layout mkcramfs writes; and util-linux fsck.cramfs --extract gives
# the same tree for the layouts it reads.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C
umask 022

is_root() { [ "$(id -u)" -eq 0 ]; }

# wipe DIR: remove a tree that holds read-only directories.
wipe() {
	chmod -R u+rwX "$1" 2>/dev/null || :
	rm -rf "$1"
}
trap 'wipe "$TMP"' EXIT

# ---- The tree ----

mkdir src
cd src || exit 1

# Sizes around block boundaries and the 24-bit limit, random and
# compressible content.
for n in 0 1 4095 4096 4097 65535 65536 16777215; do
	head -c "$n" /dev/urandom > "random-$n"
	yes "compressible line for a file of $n bytes" | head -c "$n" > "text-$n"
done
# Zeros: holes with -z, in whole blocks and between data.
truncate -s $((1024 * 1024)) zeros-1m
{ head -c 5000 /dev/urandom; head -c 70000 /dev/zero; echo tail; } > holey
truncate -s 12289 sparse-tail
# Shared data: hard links, a copy, a symlink and a file with the same
# bytes, a plain and a setuid file with the same bytes.
ln random-4097 hardlink
mkdir -p links/deeper
ln text-65536 links/deeper/hardlink2
cp random-65535 copy-of-random
printf 'usr/lib/target' > same-bytes-as-link
ln -s usr/lib/target link-same-bytes
printf '#!/bin/sh\necho same\n' > plain
printf '#!/bin/sh\necho same\n' > setuid
chmod 755 plain
chmod 4755 setuid

# Modes.
mkdir m-dir-1777 m-dir-2755 m-dir-0711 m-dir-0555
echo a > m-file-0640
echo b > m-file-0711
if is_root; then
	# Unprivileged, mkcramfs could not read it.
	echo c > m-file-0000
	chmod 000 m-file-0000
fi
echo d > m-file-2755
echo e > m-file-0444
chmod 640 m-file-0640
chmod 711 m-file-0711
chmod 2755 m-file-2755
chmod 444 m-file-0444
chmod 1777 m-dir-1777
chmod 2755 m-dir-2755
chmod 711 m-dir-0711
touch m-dir-0555/inside
chmod 555 m-dir-0555

# Symlinks: relative, absolute, dangling, up and out, 4095 bytes.
ln -s random-1 links/rel
ln -s /etc/hostname links/abs
ln -s ../../does/not/exist links/dangling
ln -s ../../../../../../../../outside links/up
ln -s "$(head -c 4095 /dev/zero | tr '\0' 'L')" links/long
ln -s . links/self
ln -s "dir with spaces/file" links/spaced

# Special files.
mkfifo fifo
mkfifo -m 600 links/fifo-600
if python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock")' 2>/dev/null; then
	chmod 755 sock
else
	echo "SKIP part: cannot create a unix socket"
fi

# Names: spaces, UTF-8, high bytes, 252 bytes, control characters.
mkdir "dir with spaces"
echo spaced > "dir with spaces/file"
echo utf8 > "$(printf 'caf\303\251-\346\227\245\346\234\254-\360\237\230\200')"
echo high > "$(printf 'high\200\201\376\377bytes')"
echo ctl > "$(printf 'tab\there\033[0m')"
echo long > "$(printf 'n%.0s' $(seq 252))"
mkdir "$(printf 'd%.0s' $(seq 252))"
echo "long dir" > "$(printf 'd%.0s' $(seq 252))/$(printf 'f%.0s' $(seq 252))"

# Deep nesting: 100 levels.
deep=$(printf 'l/%.0s' $(seq 100))
mkdir -p "$deep"
echo bottom > "${deep}bottom"

mkdir empty-dir

if is_root; then
	# Owners: uid 0..65535, gid 0..255 (cramfs stores 8 bits).
	chown 1:1 m-file-0640
	chown 1000:100 m-file-0711
	chown 65534:255 m-dir-0711
	chown 65535:254 random-4096
	chown 4242:42 m-file-2755
	chmod 2755 m-file-2755
	chown 0:7 setuid
	chmod 4755 setuid
	chown -h 500:50 links/rel
	chown 12:34 fifo
	chown 65535:255 empty-dir
	# Devices.
	mknod -m 600 dev-null c 1 3
	mknod -m 660 dev-sda1 b 8 1
	mknod -m 640 dev-max c 255 255
	chown 0:6 dev-sda1
	mknod -m 666 links/deeper/dev-zero c 1 5
fi
cd "$TMP" || exit 1
chmod 755 src

# want: the listing every extraction must match. Unprivileged, extraction
# drops set-id bits on files (the owner is not restored) and the gid that
# mkcramfs stored in 8 bits is ours again.
if is_root; then
	tree_listing src > want.txt
else
	tree_listing src | sed -E 's/ f [246]([0-7]{3}) / f \1 /; s/ f [357]([0-7]{3}) / f 1\1 /' > want.txt
fi
root_want=$(stat -c '%a %u:%g' src)
# Sanity: what the comparison is meant to cover is in the listing.
for line in 'fifo fifo 644 ' "links/long l 777 " 'random-16777215 f 644 ' \
	"${deep}bottom f 644 " 'm-dir-1777 directory 1777 ' 'm-dir-0555 directory 555 '; do
	grep -qF -- "$line" want.txt || fail "the listing lacks: $line"
done
if [ -S src/sock ]; then
	grep -qF 'sock socket 755 ' want.txt || fail "the listing lacks the socket"
fi
if is_root; then
	for line in 'dev-max character_special_file 640 0:0 ff:ff' \
		'dev-sda1 block_special_file 660 0:6 8:1' 'm-file-0711 f 711 1000:100 ' \
		'setuid f 4755 0:7 ' 'random-4096 f 644 65535:254 ' 'm-file-0000 f 0 '; do
		grep -qF -- "$line" want.txt || fail "the listing lacks: $line"
	done
fi

# check_tree DIR WHAT: DIR holds the source tree.
check_tree() {
	tree_listing "$1" > got.txt
	diff want.txt got.txt > diff.txt || { head -40 diff.txt; fail "$2: the extracted tree differs"; }
	[ "$(stat -c '%a %u:%g' "$1")" = "$root_want" ] ||
		fail "$2: root directory is $(stat -c '%a %u:%g' "$1"), expected $root_want"
}

FSCK=${FSCK_CRAMFS:-$(command -v fsck.cramfs || echo /usr/sbin/fsck.cramfs)}
MKFS=${MKFS_CRAMFS:-$(command -v mkfs.cramfs || echo /usr/sbin/mkfs.cramfs)}
[ -x "$FSCK" ] || echo "SKIP part: util-linux fsck.cramfs is not installed"

while read -r name peer opts; do
	bs=4096
	case $opts in *"-b "*) bs=${opts#*-b }; bs=${bs%% *} ;; esac
	# shellcheck disable=SC2086  # $opts is a list of options
	run "$MKCRAMFS" -q $opts src img
	expect_rc 0
	wipe x
	run "$CRAMFSCK" -b "$bs" --extract=x img
	expect_rc 0
	grep -q '^img: clean, ' "$TMP/out" || { cat "$TMP/out"; fail "$name: not clean"; }
	if is_root; then
		[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "$name: warnings extracting as root"; }
	fi
	check_tree x "$name"
	wipe x

	# Unprivileged, fsck.cramfs cannot fill read-only directories, nor
	# create special files (compat_fsck.sh covers what it can do).
	if [ "$peer" != peer ] || [ ! -x "$FSCK" ] || ! is_root; then
		continue
	fi
	case $opts in
	*"-N big"*)
		# fsck.cramfs reads the foreign byte order from util-linux 2.29 on.
		if [ -x "$MKFS" ]; then
			# shellcheck disable=SC2086
			"$MKFS" $opts src/links peer.img >/dev/null 2>&1 || :
			if ! "$FSCK" peer.img >/dev/null 2>&1; then
				echo "SKIP part: fsck.cramfs cannot read $opts images"
				continue
			fi
		fi ;;
	esac
	run "$FSCK" -b "$bs" --extract=x img
	expect_rc 0
	check_tree x "$name, extracted by fsck.cramfs"
	wipe x
done <<'EOF'
default     peer
big-endian  peer -N big
padded      peer -p
holes       -    -z
raw-blocks  -    -x
all         -    -z -x -p -N big -l 9
block-16k   peer -b 16384
block-64k   peer -b 65536
level-0     peer -l 0
level-9     peer -l 9
EOF

# Names tree_listing cannot show (a newline, a leading dash), compared
# entry by entry.
if ! have python3; then
	echo "SKIP part: names with a newline need python3 to compare"
	exit 0
fi
mkdir odd
printf 'one\n' > "odd/$(printf 'new\nline')"
printf 'two\n' > odd/-dash
printf 'three\n' > 'odd/back\slash'
mkdir "odd/$(printf 'dir\nnl')" odd/-d
ln -s "$(printf 'target\nwith a newline')" "odd/$(printf 'dir\nnl')/link"
mkfifo "odd/-d/$(printf '\nfifo')"
run "$MKCRAMFS" -q odd odd.img
expect_rc 0
run "$CRAMFSCK" --extract=oddx odd.img
expect_rc 0
run python3 - odd oddx <<'PY'
import os, stat, sys


def walk(root):
    """path -> (type, mode, uid, gid, content or target) for every entry."""
    entries = {}
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            v = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid)
            if stat.S_ISLNK(st.st_mode):
                v += (os.readlink(p),)
            elif stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    v += (f.read(),)
            entries[os.path.relpath(p, root)] = v
    return entries


want, got = walk(sys.argv[1]), walk(sys.argv[2])
for p in sorted(set(want) | set(got)):
    if want.get(p) != got.get(p):
        print("%r: source %r, extracted %r" % (p, want.get(p), got.get(p)))
sys.exit(0 if want == got and len(want) == 7 else 1)
PY
expect_rc 0
exit 0

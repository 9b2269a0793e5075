# Same image, whatever the source: a root file system as a directory (built
# under fakeroot with devices, setuid and owners), its GNU tar made with
# --numeric-owner (plain and compressed), its cpio newc, the tree without
# devices and owners plus a device table (under fakeroot, and rootless with
# --all-root) all give byte-identical images, with several option sets.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C
umask 022

have tar || skip "GNU tar is needed"
have cpio || skip "cpio is needed"
have fakeroot || skip "fakeroot is needed"
have gzip || skip "gzip is needed"

# fakeroot preloads its library ahead of a sanitizer build's runtime.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

ELF=$(type -P true || :)
[ -n "$ELF" ] || ELF=$(type -P sh)

# base DIR: the tree a build system produces as a user: no devices, every
# file owned by whoever built it, plain modes.
base() {
	mkdir -p "$1/bin" "$1/etc" "$1/home/user" "$1/var/lib" "$1/usr/share"
	cp "$ELF" "$1/bin/busybox"
	ln "$1/bin/busybox" "$1/bin/sh"
	ln -s busybox "$1/bin/ls"
	printf 'su\n' > "$1/bin/su"
	chmod 755 "$1/bin/su"
	printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:100::/home/user:/bin/sh\n' > "$1/etc/passwd"
	printf 'root:x:0:\ntty:x:5:\nusers:x:100:\n' > "$1/etc/group"
	printf 'dear diary\n' > "$1/home/user/notes"
	cp random.bin "$1/usr/share/random"
	yes cramfs | head -c 50000 > "$1/usr/share/text"
	: > "$1/var/lib/empty"
	# Sparse: holes with -z, and data around them.
	printf 'head' > "$1/var/lib/sparse"
	truncate -s 200000 "$1/var/lib/sparse"
	printf 'tail' >> "$1/var/lib/sparse"
	printf 'bytes\n' > "$1/usr/share/$(printf 'caf\351-\377')"
}

head -c 70000 /dev/urandom > random.bin

cat > table <<'TABLE'
# name		type mode uid  gid   major minor start inc count
/dev		d    755  0    0     -     -     -     -   -
/dev/console	c    600  0    0     5     1     -     -   -
/dev/ttyS	c    660  0    tty   4     64    0     1   3
/dev/sda	b    660  0    0     8     0     -     -   -
/dev/initctl	p    600  0    0     -     -     -     -   -
/bin/su		f    4755 0    0     -     -     -     -   -
/home/user	r    -    user users
/home/user	d    750  user users
TABLE

# The same tree, made the way a root build would.
cat > full.sh <<'SCRIPT'
set -eu
. ./base.sh
base full
mkdir full/dev
mknod -m 600 full/dev/console c 5 1
for i in 0 1 2; do mknod -m 660 "full/dev/ttyS$i" c 4 $((64 + i)); chgrp 5 "full/dev/ttyS$i"; done
mknod -m 660 full/dev/sda b 8 0
mkfifo -m 600 full/dev/initctl
chmod 4755 full/bin/su
chown -R 1000:100 full/home/user
chmod 750 full/home/user
tar --numeric-owner --sparse -C full -cf full.tar .
gzip -9 -k full.tar
(cd full && find . | cpio -o -H newc --quiet) > full.cpio
SCRIPT
{ printf 'ELF=%q\n' "$ELF"; declare -f base; } > base.sh
run fakeroot -s fakeroot.state -- bash full.sh
expect_rc 0
base plain

for opts in "" "-z -x" "-X -X" "--xip=all -b 16384" "-z -N big"; do
	# shellcheck disable=SC2086  # option lists
	{
	run fakeroot -i fakeroot.state -- "$MKCRAMFS" -q $opts full dir.img
	expect_rc 0
	run "$MKCRAMFS" -q $opts full.tar tar.img
	expect_rc 0
	run "$MKCRAMFS" -q $opts --tar=- tgz.img < full.tar.gz
	expect_rc 0
	run "$MKCRAMFS" -q $opts full.cpio cpio.img
	expect_rc 0
	run fakeroot -- "$MKCRAMFS" -q $opts -D table plain dt.img
	expect_rc 0
	run "$MKCRAMFS" -q $opts --all-root -D table plain root.img
	expect_rc 0
	}
	for img in tar tgz cpio dt root; do
		cmp dir.img "$img.img" || fail "options '$opts': $img.img differs from dir.img"
	done
	echo "ok: six sources, one image with options '$opts'"
done

# And the image holds what was asked for.
run "$CRAMFSCK" --list dir.img
expect_rc 0
cat > want <<'LIST'
drwxr-xr-x       0:0        96 /
drwxr-xr-x       0:0        68 /bin
-rwxr-xr-x       0:0    SIZE /bin/busybox
lrwxrwxrwx       0:0         7 /bin/ls -> busybox
-rwxr-xr-x       0:0    SIZE /bin/sh
-rwsr-xr-x       0:0         3 /bin/su
drwxr-xr-x       0:0       116 /dev
crw-------       0:0       5,1 /dev/console
prw-------       0:0         0 /dev/initctl
brw-rw----       0:0       8,0 /dev/sda
crw-rw----       0:5      4,64 /dev/ttyS0
crw-rw----       0:5      4,65 /dev/ttyS1
crw-rw----       0:5      4,66 /dev/ttyS2
drwxr-xr-x       0:0        40 /etc
-rw-r--r--       0:0        32 /etc/group
-rw-r--r--       0:0        66 /etc/passwd
drwxr-xr-x       0:0        16 /home
drwxr-x---  1000:100        20 /home/user
-rw-r--r--  1000:100        11 /home/user/notes
drwxr-xr-x       0:0        20 /usr
drwxr-xr-x       0:0        56 /usr/share
-rw-r--r--       0:0         6 /usr/share/NAME
-rw-r--r--       0:0     70000 /usr/share/random
-rw-r--r--       0:0     50000 /usr/share/text
drwxr-xr-x       0:0        16 /var
drwxr-xr-x       0:0        40 /var/lib
-rw-r--r--       0:0         0 /var/lib/empty
-rw-r--r--       0:0    200004 /var/lib/sparse
LIST
# The name that is not UTF-8 is stored as its bytes (listed as octal
# escapes: \\ in the sed replacement is one backslash).
name='caf\\351-\\377'
sed -e "s/    SIZE /$(printf '%10s' "$(stat -L -c %s "$ELF")") /" -e "s|/NAME\$|/$name|" want > want.sized
grep -v '^dir.img: ' "$TMP/out" | diff want.sized - || fail "listing differs"
expect_out "dir.img: clean, 28 entries, 11 files, "
echo "ok: inputs give identical images"

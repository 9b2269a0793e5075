# Device tables (-D, makedevs format) on a directory and on an archive,
# ownership options, and errors that name the table's line.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C
umask 022

mkdir -p in/etc in/bin in/home/www in/opt/app/lib
printf 'root:x:0:0::/root:/bin/sh\nwww:x:33:33::/home/www:/bin/false\n' > in/etc/passwd
printf 'root:x:0:\ntty:x:5:\nwww-data:x:33:\n' > in/etc/group
printf 'x\n' > in/bin/ping
printf 'lib\n' > in/opt/app/lib/libapp.so
ln -s libapp.so in/opt/app/lib/libapp.so.1
cat > table <<'TABLE'
# A Buildroot-style table: comments, blank lines, '-' fields.

/dev		d	755	0	0	-	-	-	-	-
/dev/null	c	666	0	0	1	3	-	-	-
/dev/tty	c	620	root	tty	4	0	0	1	3
/dev/mtdblock	b	640	0	0	31	0	0	2	2
/dev/log	s	666	0	0	-	-	-	-	-
/run/initctl	p	600	0	0
/bin/ping	f	4755	0	0	-	-	-	-	-
/bin/absent	F	755	0	0	-	-	-	-	-
/home/www	d	750	www	www-data
/opt/app	r	-	www	33
TABLE

run "$MKCRAMFS" -q --all-root -D table in dt.img
expect_rc 0
run "$CRAMFSCK" --list dt.img
expect_rc 0
cat > want <<'LIST'
drwxr-xr-x       0:0        96 /
drwxr-xr-x       0:0        16 /bin
-rwsr-xr-x       0:0         2 /bin/ping
drwxr-xr-x       0:0       128 /dev
srw-rw-rw-       0:0         0 /dev/log
brw-r-----       0:0      31,0 /dev/mtdblock0
brw-r-----       0:0      31,2 /dev/mtdblock1
crw-rw-rw-       0:0       1,3 /dev/null
crw--w----       0:5       4,0 /dev/tty0
crw--w----       0:5       4,1 /dev/tty1
crw--w----       0:5       4,2 /dev/tty2
drwxr-xr-x       0:0        40 /etc
-rw-r--r--       0:0        34 /etc/group
-rw-r--r--       0:0        60 /etc/passwd
drwxr-xr-x       0:0        16 /home
drwxr-x---     33:33         0 /home/www
drwxr-xr-x       0:0        16 /opt
drwxr-xr-x     33:33        16 /opt/app
drwxr-xr-x     33:33        48 /opt/app/lib
-rw-r--r--     33:33         4 /opt/app/lib/libapp.so
lrwxrwxrwx     33:33         9 /opt/app/lib/libapp.so.1 -> libapp.so
drwxr-xr-x       0:0        20 /run
prw-------       0:0         0 /run/initctl
dt.img: clean, 23 entries, 4 files, 5 blocks
LIST
diff want "$TMP/out" || fail "listing with the device table differs"
echo "ok: device table on a directory"

# The same table on a tar of the same tree gives the same image.
if have tar; then
	tar --numeric-owner --owner=0 --group=0 -C in -cf in.tar .
	run "$MKCRAMFS" -q -D table in.tar tar.img
	expect_rc 0
	cmp dt.img tar.img || fail "table on the tar: image differs"
	echo "ok: device table on an archive"
fi

# Ownership options.
run "$MKCRAMFS" -q --force-uid=1000 --force-gid=100 in owner.img
expect_rc 0
run "$CRAMFSCK" --list owner.img
grep -v '^owner.img:' "$TMP/out" | awk '{print $2}' | sort -u > owners
[ "$(cat owners)" = "1000:100" ] || fail "--force-uid/--force-gid: owners are $(tr '\n' ' ' < owners)"
run "$MKCRAMFS" -q --force-gid=7 --all-root in root.img
expect_rc 0
run "$CRAMFSCK" --list root.img
grep -v '^root.img:' "$TMP/out" | awk '{print $2}' | sort -u > owners
[ "$(cat owners)" = "0:0" ] || fail "--all-root after --force-gid: owners are $(tr '\n' ' ' < owners)"
echo "ok: --force-uid, --force-gid, --all-root"

# bad LINE MESSAGE: the table's line and a clear message, exit 8, no image.
bad() {
	printf '%s\n' "# line 1" "$1" > bad.table
	run "$MKCRAMFS" -q --all-root -D bad.table in bad.img
	expect_rc 8
	expect_err "mkcramfs: bad.table:2: $2"
	[ ! -e bad.img ] || fail "an image was written for: $1"
}
bad "/dev/x q 644 0 0" "unknown type (use f, F, d, r, c, b, p or s)"
bad "/dev/x c 644 0" "expected: name type mode uid gid [major minor start inc count]"
bad "/dev/x c 644 0 0 1 2 3 4 5 6" "more than 10 fields"
bad "/dev/x c 999 0 0 1 2" "mode must be octal permission bits, at most 7777"
bad "/dev/x c 644 0 0 - 2" "a device needs major and minor numbers"
bad "/dev/x c 644 0 0 1 x" "major, minor, start, inc and count must be numbers or '-'"
bad "/dev/x c 644 nobody 0 1 2" "user 'nobody' is not in the tree's etc/passwd"
bad "/dev/x c 644 0 wheel 1 2" "group 'wheel' is not in the tree's etc/group"
bad "/dev/x c 644 70000 0 1 2" "dev/x: uid 70000 does not fit; cramfs limit is 65535"
bad "/dev/x c 644 0 0 256 0" "dev/x: device 256:0 does not fit; cramfs limit is 255:255"
bad "/dev/tty c 644 0 0 4 250 0 3 3" "dev/tty2: device 4:256 does not fit"
bad "/bin/missing f 755 0 0" "/bin/missing: no such file in the tree"
bad "/etc f 755 0 0" "/etc: not a regular file"
bad "/bin/ping d 755 0 0" "/bin/ping: exists and is not a directory"
bad "/bin/ping c 644 0 0 1 2" "/bin/ping: exists as another type"
bad "/nowhere r - 0 0" "/nowhere: no such directory in the tree"
bad "/ c 644 0 0 1 2" "/: the root cannot be a device"
bad "/a/../b d 755 0 0" '".." in path /a/../b'
echo "ok: table errors name the line"

# Names resolve against the tree, never the host: no etc/passwd, no names.
rm in/etc/passwd
printf '/bin/ping f 755 root 0\n' > root.table
run "$MKCRAMFS" -q -D root.table in x.img
expect_rc 8
expect_err "mkcramfs: root.table:1: user 'root' is not in the tree's etc/passwd"
run "$MKCRAMFS" -q -D nosuch.table in x.img
expect_rc 8
expect_err "mkcramfs: device table nosuch.table: No such file or directory"
echo "ok: names only from the tree"

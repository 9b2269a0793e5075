# Archive input: members become the tree (owners, devices, links from the
# headers, no root needed); the documented rules for odd members; clear
# errors for bad archives, and never a partial image or a spool file left.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have python3 || skip "python3 is needed to craft the archives"

export TMPDIR=$TMP/spool
mkdir "$TMPDIR"

# craft FILE FORMAT: a tar built member by member from Python on stdin.
craft() {
	python3 - "$@"
}

craft odd.tar <<'PY'
import io, sys, tarfile
def add(t, name, data=b"", **kw):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    for k, v in kw.items():
        setattr(ti, k, v)
    t.addfile(ti, io.BytesIO(data))
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT) as t:
    add(t, "/etc/hosts", b"127.0.0.1 localhost\n")        # leading '/' stripped
    add(t, "a/b/c/deep", b"deep\n", uid=7, gid=8)          # parents created 0755 root
    add(t, "a/b", type=tarfile.DIRTYPE, mode=0o700, uid=3, gid=4)  # later dir merges
    add(t, "dup", b"first\n")
    add(t, "dup", b"second wins\n", mode=0o600)             # later member wins
    add(t, "./", type=tarfile.DIRTYPE, mode=0o751)          # the root itself
    add(t, "dev/null", type=tarfile.CHRTYPE, mode=0o666, devmajor=1, devminor=3)
    add(t, "dev/loop0", type=tarfile.BLKTYPE, mode=0o660, gid=6, devmajor=7, devminor=0)
    add(t, "run/pipe", type=tarfile.FIFOTYPE, mode=0o600)
    add(t, "bin/busybox", b"#!/bin/sh\n", mode=0o4755)
    add(t, "bin/sh", type=tarfile.LNKTYPE, linkname="bin/busybox")
    add(t, "bin/ls", type=tarfile.SYMTYPE, linkname="busybox", mode=0o777)
PY
run "$MKCRAMFS" -q odd.tar odd.img
expect_rc 0
run "$CRAMFSCK" --list odd.img
expect_rc 0
cat > want <<'LIST'
drwxr-x--x       0:0        96 /
drwxr-xr-x       0:0        16 /a
drwx------       3:4        16 /a/b
drwxr-xr-x       0:0        16 /a/b/c
-rw-r--r--       7:8         5 /a/b/c/deep
drwxr-xr-x       0:0        52 /bin
-rwsr-xr-x       0:0        10 /bin/busybox
lrwxrwxrwx       0:0         7 /bin/ls -> busybox
-rwsr-xr-x       0:0        10 /bin/sh
drwxr-xr-x       0:0        36 /dev
brw-rw----       0:6       7,0 /dev/loop0
crw-rw-rw-       0:0       1,3 /dev/null
-rw-------       0:0        12 /dup
drwxr-xr-x       0:0        20 /etc
-rw-r--r--       0:0        20 /etc/hosts
drwxr-xr-x       0:0        16 /run
prw-------       0:0         0 /run/pipe
odd.img: clean, 17 entries, 5 files, 5 blocks
LIST
diff want "$TMP/out" || fail "listing of odd.tar differs"
echo "ok: odd members follow the documented rules"

# Compressed, from standard input and from a file, detected from content.
for z in gzip xz zstd bzip2; do
	have "$z" || continue
	"$z" -c odd.tar > odd.tar.z
	run "$MKCRAMFS" -q --tar=- stdin.img < odd.tar.z
	expect_rc 0
	cmp odd.img stdin.img || fail "$z on standard input: image differs"
	run "$MKCRAMFS" -q odd.tar.z file.img
	expect_rc 0
	cmp odd.img file.img || fail "$z file: image differs"
	echo "ok: $z archive, from a file and from standard input"
done

# pax: names in UTF-8 and names that are not UTF-8 are stored as bytes.
craft names.tar <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    for raw in (b"caf\xc3\xa9", b"caf\xe9-\xff"):
        ti = tarfile.TarInfo(raw.decode("utf-8", "surrogateescape"))
        ti.size = 2
        t.addfile(ti, io.BytesIO(b"x\n"))
PY
run "$MKCRAMFS" -q names.tar names.img
expect_rc 0
run "$CRAMFSCK" --list names.img
expect_out "/$(printf 'caf\303\251')"
# (the listing shows bytes that are not UTF-8 as octal escapes)
expect_out '/caf\351-\377'
echo "ok: names stored as bytes"

# bad ARCHIVE MESSAGE: exit 8, that message, no image, no spool file.
bad() {
	run "$MKCRAMFS" -q "$1" bad.img
	expect_rc 8
	expect_err "$2"
	[ ! -e bad.img ] || fail "$1: an image was written"
	[ -z "$(ls -A "$TMPDIR")" ] || fail "$1: spool file left in TMPDIR"
}

head -c 3000 odd.tar > truncated.tar
bad truncated.tar "mkcramfs: truncated.tar: Truncated tar archive"
head -c 1800 odd.tar > truncated.tar
bad truncated.tar "mkcramfs: truncated.tar: a/b/c/deep: Truncated input file"
craft dotdot.tar <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    ti = tarfile.TarInfo("etc/../../outside")
    ti.size = 1
    t.addfile(ti, io.BytesIO(b"x"))
PY
bad dotdot.tar 'mkcramfs: dotdot.tar: ".." in path etc/../../outside'
craft hardlink.tar <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    ti = tarfile.TarInfo("bin/sh")
    ti.type = tarfile.LNKTYPE
    ti.linkname = "bin/busybox"
    t.addfile(ti)
PY
bad hardlink.tar "mkcramfs: hardlink.tar: bin/sh: hard link to bin/busybox, which is not a file earlier in the archive"
craft dirfile.tar <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name, data in (("etc/passwd", b"root\n"), ("etc", b"a file now\n")):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
PY
bad dirfile.tar "mkcramfs: dirfile.tar: etc: cannot replace a directory that has entries"
craft big.tar <<'PY'
import sys, tarfile
class Zeros:
    def read(self, n):
        return bytes(n)
with tarfile.open(sys.argv[1], "w") as t:
    ti = tarfile.TarInfo("big")
    ti.size = 16 * 1024 * 1024
    t.addfile(ti, Zeros())
PY
bad big.tar "mkcramfs: big.tar: big: file is 16777216 bytes; cramfs limit is 16777215"
craft bigdev.tar <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    ti = tarfile.TarInfo("dev/sda")
    ti.type = tarfile.BLKTYPE
    ti.devmajor, ti.devminor = 259, 0
    t.addfile(ti)
PY
bad bigdev.tar "device 259:0 does not fit; cramfs limit is 255:255"
echo 'not an archive' > text.txt
bad text.txt "mkcramfs: text.txt: not a directory or an archive (Unrecognized archive format)"
echo "ok: bad archives fail cleanly"

# cpio newc from GNU cpio: hard links whose data comes with the last link.
if have cpio; then
	mkdir -p tree/bin
	printf 'multi-call\n' > tree/bin/busybox
	ln tree/bin/busybox tree/bin/sh
	(cd tree && find . | cpio -o -H newc --quiet) > tree.cpio
	tar --numeric-owner -C tree -cf tree.tar .
	run "$MKCRAMFS" -q tree.cpio cpio.img
	expect_rc 0
	run "$MKCRAMFS" -q tree.tar tar.img
	expect_rc 0
	cmp cpio.img tar.img || fail "cpio and tar of one tree differ"
	run "$CRAMFSCK" --list cpio.img
	expect_out "        11 /bin/sh"
	echo "ok: cpio hard links"
fi

# File capabilities in a pax archive (SCHILY.xattr.security.capability):
# a warning with the capability text by default, an error with
# --caps=error, nothing with --caps=ignore; -E makes the warning fatal.
craft caps.tar <<'PY'
import io, sys, tarfile
# vfs_cap_data revision 2, effective, permitted = cap_net_raw (bit 13).
raw = bytes([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    ti = tarfile.TarInfo("bin/ping")
    ti.size, ti.mode = 4, 0o755
    ti.pax_headers = {"SCHILY.xattr.security.capability":
                      raw.decode("utf-8", "surrogateescape")}
    t.addfile(ti, io.BytesIO(b"ping"))
PY
run "$MKCRAMFS" -q caps.tar caps.img
expect_rc 0
expect_err "mkcramfs: warning: bin/ping: file capabilities cap_net_raw=ep are not stored (cramfs has no xattrs); the file loses them"
run "$MKCRAMFS" -q --caps=error caps.tar caps2.img
expect_rc 8
expect_err "mkcramfs: caps.tar: bin/ping: has file capabilities cap_net_raw=ep, which cramfs cannot store"
[ ! -e caps2.img ] || fail "--caps=error wrote an image"
run "$MKCRAMFS" -q -E caps.tar caps2.img
expect_rc 8
[ ! -e caps2.img ] || fail "-E wrote an image"
run "$MKCRAMFS" -q --caps=ignore caps.tar caps3.img
expect_rc 0
[ ! -s "$TMP/err" ] || fail "--caps=ignore printed: $(cat "$TMP/err")"
cmp caps.img caps3.img || fail "the capability policy changed the image"
echo "ok: capabilities in a pax archive"

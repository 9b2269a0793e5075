#!/bin/sh
# Seeds for fuzz_archive: small archives of one tree in the formats and
# compressions mkcramfs reads, and damaged ones (cut, "..", a hard link to
# nothing). Usage: make_archive_corpus.sh OUTDIR (needs tar, cpio, gzip,
# xz, python3). Deterministic: fixed owners, modes and mtimes.
set -eu
out=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
umask 022
mkdir -p t/bin t/etc t/dev
printf 'multi-call binary\n' > t/bin/busybox
ln t/bin/busybox t/bin/sh
ln -s busybox t/bin/ls
printf 'root:x:0:0::/root:/bin/sh\n' > t/etc/passwd
truncate -s 20000 t/etc/sparse
printf 'end' >> t/etc/sparse
mkfifo t/dev/initctl
touch -d @0 t t/bin t/etc t/dev t/bin/* t/etc/* t/dev/*
tar_opts="--numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name -C t"
# shellcheck disable=SC2086  # option list
{
tar $tar_opts --format=gnu -S -cf "$out/valid-gnu.tar" .
tar $tar_opts --format=pax -cf "$out/valid-pax.tar" .
tar $tar_opts --format=ustar -cf - . | gzip -n9 > "$out/valid-ustar.tar.gz"
tar $tar_opts --format=gnu -cf - . | xz -c > "$out/valid-gnu.tar.xz"
}
(cd t && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) > "$out/valid-newc.cpio"
(cd t && find . | LC_ALL=C sort | cpio -o -H odc --quiet --reproducible) > "$out/valid-odc.cpio"
head -c 1800 "$out/valid-gnu.tar" > "$out/bad-cut-data.tar"
head -c 2300 "$out/valid-pax.tar" > "$out/bad-cut-header.tar"
python3 - "$out" <<'PY'
import io, sys, tarfile
def tar(path, members):
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as t:
        for ti, data in members:
            ti.mtime = 0
            t.addfile(ti, io.BytesIO(data) if data else None)
def m(name, data=b"", **kw):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    for k, v in kw.items():
        setattr(ti, k, v)
    return ti, data
out = sys.argv[1]
tar(out + "/bad-dotdot.tar", [m("a/../../x", b"x")])
tar(out + "/bad-hardlink.tar", [m("sh", type=tarfile.LNKTYPE, linkname="busybox")])
tar(out + "/bad-dir-then-file.tar", [m("d/x", b"1"), m("d", b"2")])
tar(out + "/odd-duplicates.tar", [m("/etc/f", b"1"), m("etc/f", b"22"),
                                  m("etc", type=tarfile.DIRTYPE, mode=0o700)])
PY

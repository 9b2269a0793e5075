# mkcramfs XIP options: --xip=all maps every regular file; --xip-list maps
# exactly the listed files whole (base name patterns, path patterns, a
# leading '/', comments and blank lines); --no-xip-list wins over both;
# -v and --report show the XIP pages; a failed build leaves no report;
# --xip-map-last-page maps the last page of a page-multiple file.
# Pages are counted in the image by xip_pages.py, without libcramfs.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have python3 || skip "python3 is not installed"
XIP_PAGES=$SRCDIR/tests/cli/xip_pages.py

mkdir -p src/bin src/etc src/share/fonts src/fw src/lib/sub src/data
# A small ELF64 executable: R+X segment over the first page, RW after it.
python3 - src/bin/prog <<'EOF'
import struct, sys
body = bytearray(b"\x90" * 6000)
eh = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, 62,
                 1, 0x401000, 64, 0, 0, 64, 56, 2, 64, 0, 0)
text = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 3000, 3000, 0x1000)
data = struct.pack("<IIQQQQQQ", 1, 6, 4096, 0x401000, 0x401000, 1904, 4000, 0x1000)
body[0:len(eh + text + data)] = eh + text + data
open(sys.argv[1], "wb").write(body)
EOF
yes "text that is not an executable" | head -c 10000 > src/etc/text1
yes "notes" | head -c 3000 > src/etc/notes.txt
head -c 8000 /dev/urandom > src/share/fonts/font.bin
head -c 6000 /dev/urandom > src/fw/font.bin
head -c 5000 /dev/urandom > src/lib/libx.so
head -c 5000 /dev/urandom > src/lib/sub/liby.so
head -c 8192 /dev/urandom > src/data/page8192
ln -s etc/text1 src/link
chmod 755 src/bin/prog

# check_xip EXPECT [MKCRAMFS OPTION...]: build, then the XIP pages of the
# image must be exactly those of EXPECT (see xip_pages.py), and clean.
check_xip() {
	local expect=$1
	shift
	rm -f img
	run "$MKCRAMFS" -q "$@" src img
	expect_rc 0
	run python3 "$XIP_PAGES" img --expect "$expect"
	expect_rc 0
	run "$CRAMFSCK" img
	expect_rc 0
}

all_files() { (cd src && find . -type f | sed 's|^\./||' | sort); }

# --xip=all: every regular file, text included, whole.
all_files | sed 's/^/all /' > expect-all.txt
check_xip expect-all.txt --xip=all
run python3 "$XIP_PAGES" img --list
expect_out "etc/text1 size=10000 pages=3 xip=3 mappable=3 from_start=3"
expect_out "etc/notes.txt size=3000 pages=1 xip=1 mappable=1"

# The ELF alone with -X -X: its read-only page, not its data page.
echo "ro bin/prog 0 0" > expect-elf.txt
check_xip expect-elf.txt -X -X
check_xip expect-elf.txt --xip=elf

# --xip-list: base name in any directory, a path with a leading '/', a
# path pattern whose '*' stays in one directory; comments, blank lines and
# surrounding blanks are skipped.
cat > list.txt <<'EOF'
# files to map whole

font.bin
   /etc/text1
lib/*.so
	# an indented comment
EOF
cat > expect-list.txt <<'EOF'
all share/fonts/font.bin
all fw/font.bin
all etc/text1
all lib/libx.so
EOF
check_xip expect-list.txt --xip-list=list.txt
# With -X -X as well, the ELF's read-only page joins them.
{ cat expect-list.txt; echo "ro bin/prog 0 0"; } > expect-list-elf.txt
check_xip expect-list-elf.txt -X -X --xip-list=list.txt

# --no-xip-list wins over --xip=all and over --xip-list.
cat > nolist.txt <<'EOF'
*.txt
/bin/prog
share/fonts/*
EOF
all_files | grep -v -e '^etc/notes.txt$' -e '^bin/prog$' -e '^share/fonts/font.bin$' |
	sed 's/^/all /' > expect-nolist.txt
check_xip expect-nolist.txt --xip=all --no-xip-list=nolist.txt
grep -v font.bin expect-list.txt | grep -v 'fw/' > expect-both.txt
echo "all fw/font.bin" >> expect-both.txt
check_xip expect-both.txt --xip-list=list.txt --no-xip-list=nolist.txt

# -v: "xip" in the method column and the pages of each file.
run "$MKCRAMFS" -v --xip=all src img
expect_rc 0
grep -Eq '^ +10000 +[0-9]+  xip +etc/text1 \[xip 3 pages\]$' "$TMP/out" ||
	{ cat "$TMP/out"; fail "-v shows no xip line for etc/text1"; }
grep -Eq '^ +8192 +[0-9]+  zlib\+xip +data/page8192 \[xip 1 pages\] \[.*--xip-map-last-page' "$TMP/out" ||
	{ cat "$TMP/out"; fail "-v shows no zlib+xip line for data/page8192"; }
grep -E ' link$' "$TMP/out" | grep -q xip && fail "-v says the symlink is XIP"

# The text report: the header, one row per regular file, the totals.
run "$MKCRAMFS" -q --xip=all --report=rep.txt src img
expect_rc 0
head -n 1 rep.txt | grep -Eq '^ +size +stored +xip_pages +zlib +raw +hole +padding +path$' ||
	{ cat rep.txt; fail "text report header"; }
rows=$(sed '1d;/^total:/d' rep.txt | wc -l)
[ "$rows" -eq "$(all_files | wc -l)" ] ||
	{ cat rep.txt; fail "$rows report rows for $(all_files | wc -l) regular files"; }
# size stored xip_pages zlib raw hole padding: 3 pages, 3 * 4096 - 10000 zeros.
grep -Eq '^ +10000 +[0-9]+ +3 +0 +0 +0 +2288  etc/text1$' rep.txt ||
	{ cat rep.txt; fail "text report row of etc/text1"; }
grep -q '^link' rep.txt && fail "the report lists the symlink"
tail -n 1 rep.txt | grep -Eq '^total: image [0-9]+ bytes, [0-9]+ entries; XIP 8 files' ||
	{ cat rep.txt; fail "text report totals"; }
# Without a file name the report goes to standard output.
run "$MKCRAMFS" -q --xip=all --report src img
expect_rc 0
expect_out "xip_pages"
expect_out "total: image"

# A failed build leaves no report (and no image): a malformed ELF with -E
# fails in the write, a 16 MiB file fails while scanning.
mkdir -p bad
python3 - bad/broken <<'EOF'
import struct, sys
# 100 program headers of 56 bytes announced in a 1000-byte file.
eh = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, 62,
                 1, 0, 64, 0, 0, 64, 56, 100, 64, 0, 0)
open(sys.argv[1], "wb").write(eh + bytes(1000 - len(eh)))
EOF
run "$MKCRAMFS" -X -X --report=bad.json --report-format=json bad bad.img
expect_rc 0
expect_err "broken: malformed ELF"
[ -f bad.json ] || fail "no report after a build with a warning"
run "$MKCRAMFS" -E -X -X --report=bad2.json --report-format=json bad bad2.img
expect_rc 8
expect_err "broken: malformed ELF"
expect_err "warnings are errors"
[ ! -e bad2.json ] || fail "-E: the report of a failed build was left behind"
[ ! -e bad2.img ] || fail "-E: an image was written"
truncate -s 16M bad/huge
run "$MKCRAMFS" --xip=all --report=huge.txt bad huge.img
expect_rc 8
expect_err "huge"
[ ! -e huge.txt ] || fail "the report of a failed build was left behind"
[ ! -e huge.img ] || fail "an image was written"

# --xip-map-last-page: the 8192-byte file maps 2 pages instead of 1.
run "$MKCRAMFS" -q --xip=all src img
expect_rc 0
run python3 "$XIP_PAGES" img --list
expect_out "data/page8192 size=8192 pages=2 xip=1 mappable=1 from_start=1"
run "$MKCRAMFS" -q --xip=all --xip-map-last-page src img
expect_rc 0
run python3 "$XIP_PAGES" img --list
expect_out "data/page8192 size=8192 pages=2 xip=2 mappable=2 from_start=2"
run python3 "$XIP_PAGES" img --expect expect-all.txt --map-last-page
expect_rc 0

# A list pattern that selects nothing (a typo) is a warning naming it;
# with -E it fails the build.
printf 'data/page8192\nfw/firmwre.bin\n' > typo.list
run "$MKCRAMFS" -q --xip-list=typo.list src img
expect_rc 0
expect_err "mkcramfs: warning: --xip-list: pattern 'fw/firmwre.bin' matches no file with content"
grep -q "page8192" "$TMP/err" && fail "a pattern that matched was warned about"
printf 'nothing/here\n' > typo-no.list
run "$MKCRAMFS" -q -E -X -X --no-xip-list=typo-no.list src img2
expect_rc 8
expect_err "mkcramfs: warning: --no-xip-list: pattern 'nothing/here' matches no file with content"

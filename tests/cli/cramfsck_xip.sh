# cramfsck's XIP audit: summary counts, -v pages, warnings, --strict.
. "$CLI_LIB"

mkdir -p in/bin
cp /usr/bin/ls in/bin/ls
head -c 10000 /dev/urandom > in/data     # 3 pages, last one partly used
head -c 8192 /dev/urandom > in/whole     # 2 pages exactly
echo text > in/readme

# --xip=all: every file maps whole, tails zero-filled.
run "$MKCRAMFS" -q --xip=all in all.img
expect_rc 0
run "$CRAMFSCK" -v all.img
expect_rc 0
expect_out "all.img: clean, 6 entries, 4 files,"
expect_out "XIP: 3 fully, 1 partly,"
expect_out "/data [xip fully, 3/3 pages]"
expect_out "/whole [xip partly, 1/2 pages, 1 from offset 0, 1 run]"
expect_out "/readme [xip fully, 1/1 page]"

# An ELF file: only its read-only segments map, from offset 0 on.
run "$CRAMFSCK" -v all.img
run "$MKCRAMFS" -q -X -X in elf.img
run "$CRAMFSCK" -v elf.img
expect_rc 0
grep -Eq '/bin/ls \[xip partly, ([0-9]+)/[0-9]+ pages, \1 from offset 0, 1 run\]$' "$TMP/out" ||
	{ cat "$TMP/out"; fail "bin/ls: expected one run of read-only pages from offset 0"; }

# --xip-map-last-page: the page-multiple file maps whole, with the
# stock-kernel read() warning; --strict turns it into a failure.
run "$MKCRAMFS" -q --xip=all --xip-map-last-page in last.img
expect_rc 0
run "$CRAMFSCK" last.img
expect_rc 0
expect_out "XIP: 4 fully, 0 partly,"
expect_out "1 warning"
expect_err "whole: block 1: last block is uncompressed and direct"
run "$CRAMFSCK" --strict --extract=xdir last.img
expect_rc 4
expect_err "not extracted: the image has warnings (--strict)"
[ ! -e xdir ] || fail "--strict extracted an image with warnings"

# -X once (no-MMU alignment): not page aligned, so notes, not warnings.
run "$MKCRAMFS" -q -X in nommu.img
expect_rc 0
run "$CRAMFSCK" -v nommu.img
expect_rc 0
expect_err "note: bin/ls:"
expect_err "not aligned to 4096 bytes: only a no-MMU kernel maps them"
if grep -q "warning" "$TMP/err"; then cat "$TMP/err"; fail "no-MMU image gave warnings"; fi

# A plain image: no XIP part in the summary.
run "$MKCRAMFS" -q in plain.img
run "$CRAMFSCK" -v plain.img
expect_rc 0
if grep -q "XIP\|\[xip" "$TMP/out"; then cat "$TMP/out"; fail "plain image reported XIP"; fi

# --page-size is -b.
run "$MKCRAMFS" -q -b 16384 --xip=all in big.img
run "$CRAMFSCK" --page-size=16384 big.img
expect_rc 0
expect_out "XIP: "
echo "ok: cramfsck XIP audit"

# --dedup=block: identical blocks of different files (at other offsets,
# short tails of equal length, copies under another mode) are stored once,
# the image reads back exactly, and the savings are reported apart from
# whole-file dedup. --best is the highest level plus block dedup.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

mkdir -p t/a t/b
head -c $((6 * 4096)) /dev/urandom > pages
for i in 0 1 2 3 4 5; do dd if=pages of="page$i" bs=4096 skip="$i" count=1 2>/dev/null; done
cat page0 page1 page2 page3 > t/a/first
cat page3 page2 page0 > t/b/reordered
{ cat page4; head -c 1500 page5; } > t/a/tail1
{ cat page1; head -c 1500 page5; } > t/b/tail2
cp t/a/first t/b/private-copy
chmod 600 t/b/private-copy
cp -p t/a/first t/b/same-mode-copy
yes "compressible text" | head -c 50000 > t/a/text
cp t/a/text t/b/text-again

run "$MKCRAMFS" -q t file.img
expect_rc 0
run "$MKCRAMFS" -v --dedup=block t block.img
expect_rc 0
# Whole-file copies of the same mode share the file (same-mode-copy,
# text-again) and count there only. Blocks: page3 page2 page0 in
# reordered, page1 and the 1500-byte tail in tail2, the 4 pages of
# private-copy, and 3 blocks of text that repeat its first 3 (18-byte
# lines: every 9th block is the same): 3 + 2 + 4 + 3 = 12.
expect_out "12 duplicate blocks share storage"
expect_out "2 duplicate files share data"
grep -q "shared.*b/reordered" "$TMP/out" || { cat "$TMP/out"; fail "-v does not show b/reordered as shared"; }
[ "$(stat -c %s block.img)" -lt "$(stat -c %s file.img)" ] ||
	fail "block dedup did not make the image smaller"
run "$CRAMFSCK" block.img
expect_rc 0
run "$CRAMFSCK" -x extracted block.img
expect_rc 0
diff -r t extracted || fail "the block-dedup image does not read back as the tree"

# The report counts both kinds of dedup.
run "$MKCRAMFS" -q --dedup=block --report=r.json --report-format=json t r.img
expect_rc 0
grep -q '"dedup_files": 2' r.json || fail "report lacks dedup_files"
grep -q '"dedup_blocks": 12' r.json || fail "report lacks dedup_blocks"

# Same bytes for any thread count.
for j in 1 3; do
	run "$MKCRAMFS" -q -j "$j" --dedup=block t "j$j.img"
	expect_rc 0
done
cmp j1.img j3.img || fail "--dedup=block differs between -j 1 and -j 3"
cmp j1.img block.img || fail "--dedup=block differs from the default thread count"

# With XIP: the pages of ELF files stay in their runs; the image is clean.
mkdir t/bin
cp /bin/ls t/bin/ls
cp /bin/ls t/bin/ls-copy
chmod 700 t/bin/ls-copy
run "$MKCRAMFS" -q -X -X --dedup=block t xip.img
expect_rc 0
run "$CRAMFSCK" xip.img
expect_rc 0
run "$CRAMFSCK" -x xout xip.img
expect_rc 0
diff -r t xout || fail "the XIP block-dedup image does not read back as the tree"

# --best: the highest level and block dedup, for either compressor.
run "$MKCRAMFS" -q --best t best.img
expect_rc 0
run "$MKCRAMFS" -q -l 12 --dedup=block t l12.img
expect_rc 0
cmp best.img l12.img || fail "--best is not -l 12 --dedup=block"
run "$MKCRAMFS" -q --compressor=zlib --best t bestz.img
expect_rc 0
run "$MKCRAMFS" -q --compressor=zlib -l 9 --dedup=block t l9z.img
expect_rc 0
cmp bestz.img l9z.img || fail "--best with zlib is not -l 9 --dedup=block"

run "$MKCRAMFS" --dedup=bytes t x.img
expect_rc 16
expect_err "mkcramfs: invalid dedup mode 'bytes': use file or block"

# 64 KiB blocks: the last block of a whole-block file too big for a 16-bit
# length follows the block before it (classic end pointer), so that block
# is stored there, not shared; the image stays clean and reads back.
mkdir big
yes "sixty-four kilobytes of text" | head -c 65536 > big/a
{ cat big/a; head -c 65536 /dev/urandom; } > big/b
run "$MKCRAMFS" -q -b 65536 --dedup=block big big.img
expect_rc 0
run "$CRAMFSCK" --strict -b 65536 -x big-out big.img
expect_rc 0
diff -r big big-out || fail "the 64 KiB block-dedup image does not read back"

# After an XIP page, the last block of a whole-block file stays compressed
# even with -x: direct and raw, stock kernels would read it as zeros.
mkdir lastpage
head -c 8192 /dev/urandom > lastpage/r
run "$MKCRAMFS" -q --xip=all -x lastpage lastpage.img
expect_rc 0
run "$CRAMFSCK" --strict lastpage.img
expect_rc 0
run "$MKCRAMFS" -q --xip=all -x --dedup=block lastpage lastpage-b.img
expect_rc 0
run "$CRAMFSCK" --strict lastpage-b.img
expect_rc 0

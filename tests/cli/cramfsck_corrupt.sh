# cramfsck on damaged and hostile images: exit 4, every finding names the
# path inside the image (and the block and offset for data), nothing is
# extracted, and no crash or sanitizer report (an ASan/UBSan build aborts,
# so the exit code would not be 4). The peers crash on a directory that
# lists its parent's entries.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have python3 || skip "python3 is needed to craft images"
CRAFT="$(dirname "$CLI_LIB")/craft_image.py"

# wipe DIR: remove an extracted tree, whatever modes the image gave it.
wipe() {
	chmod -R u+rwX "$1" 2>/dev/null || :
	rm -rf "$1"
}
trap 'wipe "$TMP"' EXIT

no_sanitizer_report() {
	if grep -q -e 'Sanitizer' -e 'runtime error' -e 'LeakSanitizer' "$TMP/err"; then
		cat "$TMP/err"
		fail "sanitizer report"
	fi
}

# expect_corrupt IMAGE MESSAGE...: exit 4, each MESSAGE in a finding on
# stderr, a summary with the error count on stdout, no sanitizer report.
# Then the same with -v, and with --extract (refused, nothing created).
expect_corrupt() {
	local img=$1 m
	shift
	run "$CRAMFSCK" "$img"
	no_sanitizer_report
	expect_rc 4
	for m in "$@"; do
		expect_err "cramfsck: $img: $m"
	done
	grep -q "^$img: [1-9][0-9]* errors\?, [0-9]* entr" "$TMP/out" ||
		{ cat "$TMP/out"; fail "no error summary for $img"; }
	run "$CRAMFSCK" -v "$img"
	no_sanitizer_report
	expect_rc 4
	for m in "$@"; do
		expect_err "cramfsck: $img: $m"
	done
	expect_refused "$img"
}

# expect_unopenable IMAGE MESSAGE: corrupt beyond opening; exit 4, the one
# message, no summary.
expect_unopenable() {
	run "$CRAMFSCK" "$1"
	no_sanitizer_report
	expect_rc 4
	[ "$(cat "$TMP/err")" = "cramfsck: $1: $2" ] || { cat "$TMP/err"; fail "unexpected message for $1"; }
	[ ! -s "$TMP/out" ] || { cat "$TMP/out"; fail "stdout not empty for $1"; }
	run "$CRAMFSCK" -v "$1"
	no_sanitizer_report
	expect_rc 4
	expect_refused "$1"
}

# expect_refused IMAGE: --extract does nothing, exit 4.
expect_refused() {
	wipe x
	run "$CRAMFSCK" --extract=x "$1"
	no_sanitizer_report
	expect_rc 4
	[ ! -e x ] || { ls -lR x; fail "$1 was extracted despite its errors"; }
}

craft() {
	python3 "$CRAFT" "$1" "$1.img" || fail "craft_image.py $1 failed"
}

# The crafter's sound image checks clean: the failures below are the
# damage's, not the crafter's.
craft good
run "$CRAMFSCK" -v good.img
expect_rc 0
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "findings on the crafted sound image"; }
expect_out "good.img: clean, 7 entries, 2 files, 5 blocks"
expect_out "-rw-r--r--       0:0     12283 /dir/file"
expect_out "crw-rw-rw-       0:0       1,3 /null"
expect_out "lrwxrwxrwx       0:0         8 /link -> dir/file"

# ---- Superblock ----

craft bad-crc
expect_corrupt bad-crc.img "error: CRC mismatch: superblock says 0x"
craft unsupported-flag
expect_unopenable unsupported-flag.img "superblock at 0x0: unsupported flags 0x1000 (known: 0xfff)"
craft root-not-dir
expect_unopenable root-not-dir.img "superblock at 0x0: root inode mode 0100644 is not a directory"

# ---- Directories ----

# A directory listing the root's entries, or its parent's: a cycle.
craft cycle-root
expect_corrupt cycle-root.img "error: dir: directory cycle: entries at 0x4c are those of ancestor /"
craft cycle-parent
expect_corrupt cycle-parent.img "error: a/b: directory cycle: entries at 0x5c are those of ancestor a"
craft shared-dir
expect_corrupt shared-dir.img "error: two: directory entries at 0x6c are shared with another directory"
craft deep-nesting
expect_corrupt deep-nesting.img "error: d/d/d/d/d/d/d/d/d/d/d/d"
expect_err "/d/d/d: directory nested deeper than 256 levels"
craft dir-beyond-end
expect_corrupt dir-beyond-end.img "error: dir: directory entries at 0x100000 (36 bytes) extend beyond image end 0x"
craft entry-crosses-dir-end
expect_corrupt entry-crosses-dir-end.img "error: dir: name of entry at 0x9c crosses the end of its directory at 0xac"

# Names no directory may hold.
craft name-dotdot
expect_corrupt name-dotdot.img 'error: dir: entry at 0x5c: invalid name "..": reserved name'
craft name-dot
expect_corrupt name-dot.img 'error: dir: entry at 0x5c: invalid name ".": reserved name'
craft name-slash
expect_corrupt name-slash.img "error: dir: entry at 0x5c: invalid name \"a/b\": '/' in the name"
craft name-nul
expect_corrupt name-nul.img 'error: dir: entry at 0x5c: invalid name "a\000b": NUL byte inside the name'
craft name-padding
expect_corrupt name-padding.img "error: dir/long: name padded with 4 NUL bytes (at most 3)"
craft unsorted
expect_corrupt unsorted.img 'error: dir: entries not sorted: "a" follows "b" (1 out of order)'
craft duplicate
expect_corrupt duplicate.img 'error: dir: duplicate name "same" in directory'

# Entries that cannot be what they say.
craft fifo-size
expect_corrupt fifo-size.img "error: fifo: fifo with size 5 (must be 0)"
craft socket-size
expect_corrupt socket-size.img "error: sock: socket with size 7 (must be 0)"
craft unknown-type
expect_corrupt unknown-type.img "error: what: unknown file type in mode 0644"

# ---- File data: the path, the block number, the offset in hex ----

craft data-beyond-end
expect_corrupt data-beyond-end.img "error: dir/file: block pointer table at 0x100000 (12 bytes) extends beyond image end 0x"
craft ptr-beyond-end
expect_corrupt ptr-beyond-end.img "error: dir/file: block 1: pointer 0x00100000 beyond image end 0x"
craft ptr-decreasing
expect_corrupt ptr-decreasing.img "error: dir/file: block 2: pointer 0x"
expect_err "(pointers must not decrease)"
craft bad-zlib
expect_corrupt bad-zlib.img "error: dir/file: block 1: bad zlib stream at 0x"
craft zlib-short
expect_corrupt zlib-short.img "error: dir/file: block 0: zlib stream at 0x70 inflates to 100 bytes, expected 4096"
craft long-block
expect_corrupt long-block.img "error: dir/file: block 0: compressed block at 0x70 is 9028 bytes, more than twice the block size 4096"
craft hole-without-flag
expect_corrupt hole-without-flag.img "error: dir/file: block 0: empty block (hole) at 0x74 but the image lacks CRAMFS_FLAG_HOLES"
craft ext-ptr-without-flag
expect_corrupt ext-ptr-without-flag.img "error: dir/file: block 0: pointer 0x8"
expect_err "has flag bits but the image lacks CRAMFS_FLAG_EXT_BLOCK_POINTERS"

# ---- Byte edits of images mkcramfs wrote ----

mkdir -p src/sub
seq 1 5000 > src/sub/numbers
head -c 20000 /dev/urandom > src/random
ln -s sub/numbers src/link
"$MKCRAMFS" -q src good-le.img
"$MKCRAMFS" -q -N big src good-be.img
"$MKCRAMFS" -q -p src good-pad.img
size=$(stat -c %s good-le.img)

# patch FILE OFFSET HEXBYTES: overwrite bytes in place.
patch() {
	local hex=$3 esc=
	while [ -n "$hex" ]; do
		esc="$esc\\x${hex:0:2}"
		hex=${hex:2}
	done
	printf '%b' "$esc" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# Bad magic, at 0 and in the padded image at 512.
cp good-le.img magic.img
patch magic.img 0 00000000
expect_unopenable magic.img "no cramfs magic at offset 0 or 512: not a cramfs image"
cp good-pad.img magic-pad.img
patch magic-pad.img 512 453dcd29
expect_unopenable magic-pad.img "no cramfs magic at offset 0 or 512: not a cramfs image"

# The CRC field, in either byte order, and a data byte.
for order in le be; do
	cp "good-$order.img" "crc-$order.img"
	patch "crc-$order.img" 32 01020304
	expect_corrupt "crc-$order.img" "error: CRC mismatch: superblock says 0x"
done
cp good-le.img flip.img
patch flip.img $((size - 2)) 5a
expect_corrupt flip.img "error: CRC mismatch: superblock says 0x"

# The size field larger than the file.
cp good-le.img size.img
patch size.img 4 00001000
expect_corrupt size.img "error: image is truncated: superblock size is 1048576 bytes, only $size available"

# Truncated images, cut at every structure.
: > cut-0.img
expect_unopenable cut-0.img "empty file: not a cramfs image"
for len in 1 4 75; do
	head -c "$len" good-le.img > "cut-$len.img"
	expect_unopenable "cut-$len.img" "image is $len bytes, too small for a cramfs superblock"
done
for len in 76 77 100 200 $((size / 2)) $((size - 4)) $((size - 1)); do
	head -c "$len" good-le.img > "cut-$len.img"
	expect_corrupt "cut-$len.img" \
		"error: image is truncated: superblock size is $size bytes, only $len available"
done

# Every byte of the superblock and the directory entries (the first 200
# bytes here), then one byte in 251 through the data, changed in turn,
# with the CRC recomputed so that the checks go past it: the verdict may
# be anything but a crash, and an image found clean extracts.
mkdir mutants
# shellcheck disable=SC2046  # a list of offsets
python3 "$CRAFT" --mutate good-le.img mutants $(seq 0 199) $(seq 200 251 $((size - 1)))
clean=0
for m in mutants/*.img; do
	set +e
	"$CRAMFSCK" -v "$m" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	set -e
	no_sanitizer_report
	case $RC in
	0)
		clean=$((clean + 1))
		wipe x
		set +e
		"$CRAMFSCK" -v --extract=x "$m" >"$TMP/out" 2>"$TMP/err"
		RC=$?
		set -e
		no_sanitizer_report
		[ "$RC" -eq 0 ] || { cat "$TMP/err"; fail "$m checks clean but does not extract (exit $RC)"; } ;;
	4) ;;
	*) cat "$TMP/err"; fail "$m: exit $RC" ;;
	esac
done
echo "mutants: $(find mutants -name "*.img" | wc -l), of which $clean check clean"
wipe x
exit 0

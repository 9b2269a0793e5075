# What mkcramfs writes and prints: the image replaces an old one only on
# success, gets 0666 & ~umask, -v lists every stored file with its method,
# the summary describes the image, -q is silent, and the superblock flags
# say which block kinds (raw, hole) the image uses.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

# err_text: stderr without the warnings for our own gid when it does not
# fit 8 bits (unprivileged runs): those are right and not tested here.
err_text() { grep -v "^mkcramfs: warning: .*: gid $(id -g) does not fit the 8 bits" "$TMP/err" || :; }

# flags IMAGE: the superblock flags word (host byte order, no padding).
flags() { od -An -tx4 -j8 -N4 "$1" | tr -d ' '; }
# magic IMAGE: the first word, in host byte order.
magic() { od -An -tx4 -N4 "$1" | tr -d ' '; }

mkdir -p in/sub in/emptydir
yes "some text" | head -c 9000 > in/sub/text
cp in/sub/text in/copy
echo hello > in/hello
: > in/empty
ln -s sub/text in/link
mkfifo in/fifo

# --- Replacing an image --------------------------------------------------
head -c 3000 /dev/urandom > old.img
cp old.img old.copy
truncate -s 16M in/toolarge
run "$MKCRAMFS" in old.img
expect_rc 8
expect_err "mkcramfs: toolarge: file is 16777216 bytes; cramfs limit is 16777215"
cmp old.img old.copy || fail "a failed build changed the existing image"
rm in/toolarge
run "$MKCRAMFS" in old.img
expect_rc 0
if cmp -s old.img old.copy; then fail "a successful build left the old image"; fi
[ "$(magic old.img)" = 28cd3d45 ] || fail "no cramfs magic at byte 0: $(magic old.img)"
[ -z "$(find . -maxdepth 1 -name '.old.img.*')" ] || fail "temporary file left behind"

# A device is written in place (the flash case); a full one is an error.
if [ -c /dev/full ] && [ -w /dev/full ]; then
	run "$MKCRAMFS" in /dev/full
	expect_rc 8
	expect_err "mkcramfs: /dev/full: cannot write at byte "
	expect_err ": No space left on device"
	[ ! -s "$TMP/out" ] || fail "summary printed for a failed write"
fi

# --- Mode of a new image ---------------------------------------------------
for mask in 022:644 077:600 002:664 027:640; do
	rm -f new.img
	(umask "${mask%:*}" && run "$MKCRAMFS" -q in new.img && expect_rc 0)
	[ "$(stat -c %a new.img)" = "${mask#*:}" ] ||
		fail "umask ${mask%:*}: image mode $(stat -c %a new.img), expected ${mask#*:}"
done

# --- -v: header, one line per stored file or symlink, then the summary ---
run "$MKCRAMFS" -v in v.img
expect_rc 0
[ -z "$(err_text)" ] || { cat "$TMP/err"; fail "stderr not empty"; }
cat "$TMP/out"
# Normalise the column padding, then compare the whole listing.
head -n 6 "$TMP/out" | awk '{ $1 = $1; print }' | sed -E 's/^([0-9]+) [0-9]+ /\1 N /' > got.txt
cat > want.txt <<'EOF'
size stored method path
9000 N zlib copy
6 N zlib hello
8 N zlib link
9000 N dedup sub/text (= copy)
EOF
tail -n 1 "$TMP/out" | grep -q '^v.img: 1 duplicate files share data, saving 9000 bytes of content$' ||
	fail "no dedup summary line"
head -n 5 got.txt | diff want.txt - || fail "-v listing differs"
# The stored size of a duplicate is 0; of the others, more than 0.
grep -Eq '^ +9000 +0  dedup +sub/text \(= copy\)$' "$TMP/out" || fail "dedup line format"
[ "$(grep -c '^ *[0-9]' "$TMP/out")" -eq 4 ] || fail "expected 4 file lines"
# The summary: the output name, its real size, and the entry count.
size=$(stat -c %s v.img)
entries=$(find in | wc -l)
grep -q "^v.img: $size bytes, $entries entries, [0-9]* blocks, 9014 bytes of content stored in [0-9]*, crc 0x[0-9a-f]\{8\}$" "$TMP/out" ||
	fail "summary line wrong (expected $size bytes, $entries entries)"

# The summary agrees with the file and the superblock (size at +4: the
# whole file, padding included; crc at +32; the superblock is at 512 with
# -p), whatever the layout options.
head -c 1001 /dev/urandom > insert.bin
for opts in "" "-p" "-i insert.bin" "-p -i insert.bin -b 65536" "-z -x -b 16384"; do
	# shellcheck disable=SC2086  # $opts is a list of options
	run "$MKCRAMFS" $opts in s.img
	expect_rc 0
	case $opts in -p*) sb=512 ;; *) sb=0 ;; esac
	fsize=$(stat -c %s s.img)
	sb_size=$(od -An -tu4 -j $((sb + 4)) -N4 s.img | tr -d ' ')
	sb_crc=$(od -An -tx4 -j $((sb + 32)) -N4 s.img | tr -d ' ')
	expect_out "s.img: $fsize bytes, $entries entries, "
	expect_out ", crc 0x$sb_crc"
	[ "$sb_size" -eq "$fsize" ] || fail "superblock size $sb_size != file size $fsize ($opts)"
done

# Without -v: the summary only.
run "$MKCRAMFS" in v2.img
expect_rc 0
[ "$(wc -l < "$TMP/out")" -eq 2 ] || fail "expected the summary and the dedup line"
expect_out "v2.img: $size bytes, $entries entries, "
cmp v.img v2.img || fail "-v changed the image"

# -q: nothing at all on success, even with -v.
for q in -q "-q -v" "-v -q" --quiet; do
	# shellcheck disable=SC2086
	run "$MKCRAMFS" $q in q.img
	expect_rc 0
	if [ -s "$TMP/out" ] || [ -n "$(err_text)" ]; then
		cat "$TMP/out" "$TMP/err"
		fail "$q printed something"
	fi
	cmp v.img q.img || fail "$q changed the image"
done

# --- Flags: 0x3 by default; raw blocks 0x800; holes 0x100 ----------------
run "$MKCRAMFS" -q in default.img
expect_rc 0
[ "$(flags default.img)" = 00000003 ] || fail "default flags $(flags default.img), expected 00000003"

mkdir raw
head -c 10000 /dev/urandom > raw/random
run "$MKCRAMFS" -q raw default.img
expect_rc 0
[ "$(flags default.img)" = 00000003 ] || fail "flags without -x: $(flags default.img)"
run "$MKCRAMFS" -v -x raw raw.img
expect_rc 0
grep -Eq '^ +10000 +1[0-9]{4}  raw +random$' "$TMP/out" || { cat "$TMP/out"; fail "random file not stored raw"; }
[ "$(flags raw.img)" = 00000803 ] || fail "-x flags $(flags raw.img), expected 00000803"
# Raw blocks are the data itself.
grep -qF "$(head -c 4096 raw/random | od -An -tx1 | tr -d ' \n' | head -c 64)" \
	<(od -An -tx1 raw.img | tr -d ' \n') || fail "raw block not found verbatim in the image"

mkdir zero
head -c 8192 /dev/zero > zero/zeros
run "$MKCRAMFS" -q zero nohole.img
expect_rc 0
[ "$(flags nohole.img)" = 00000003 ] || fail "flags without -z: $(flags nohole.img)"
run "$MKCRAMFS" -v -z zero hole.img
expect_rc 0
grep -Eq '^ +8192 +8  hole +zeros$' "$TMP/out" || { cat "$TMP/out"; fail "zero file not stored as holes"; }
[ "$(flags hole.img)" = 00000103 ] || fail "-z flags $(flags hole.img), expected 00000103"
# A file that is partly holes.
truncate -s 12288 zero/mixed
printf 'data' | dd of=zero/mixed bs=1 seek=5000 conv=notrunc 2>/dev/null
run "$MKCRAMFS" -v -z zero hole.img
expect_rc 0
grep -Eq '^ +12288 +[0-9]+  zlib\+hole +mixed$' "$TMP/out" || { cat "$TMP/out"; fail "mixed file method"; }
# Both options: both flags.
cp raw/random zero/
run "$MKCRAMFS" -q -x -z zero both.img
expect_rc 0
[ "$(flags both.img)" = 00000903 ] || fail "-x -z flags $(flags both.img), expected 00000903"

# The flags are written in the image's byte order.
run "$MKCRAMFS" -q -z -N big zero big.img
expect_rc 0
[ "$(od -An -tx1 -j8 -N4 big.img | tr -d ' ')" = 00000103 ] || fail "big-endian flags: $(od -An -tx1 -j8 -N4 big.img)"
[ "$(od -An -tx1 -N4 big.img | tr -d ' ')" = 28cd3d45 ] || fail "big-endian magic"
run "$MKCRAMFS" -q -z -N little zero little.img
expect_rc 0
[ "$(od -An -tx1 -j8 -N4 little.img | tr -d ' ')" = 03010000 ] || fail "little-endian flags: $(od -An -tx1 -j8 -N4 little.img)"
[ "$(od -An -tx1 -N4 little.img | tr -d ' ')" = 453dcd28 ] || fail "little-endian magic"

# Raw blocks and holes read back as the original bytes: fsck.cramfs cannot
# read such images, our cramfsck can.
if "$CRAMFSCK" --version >/dev/null 2>&1; then
	for opts in "-x" "-z" "-x -z" "-x -z -N big" "-x -z -b 16384" "-x -z -p -b 65536"; do
		# shellcheck disable=SC2086  # $opts is a list of options
		run "$MKCRAMFS" -q $opts zero rt.img
		expect_rc 0
		rm -rf rt
		case $opts in
		*-b*) bs=${opts##*-b } ;;
		*) bs=4096 ;;
		esac
		run "$CRAMFSCK" -b "$bs" --extract=rt rt.img
		expect_rc 0
		diff <(tree_listing zero) <(tree_listing rt) || fail "round trip with $opts differs"
	done
else
	echo "SKIP part: $CRAMFSCK does not run"
fi

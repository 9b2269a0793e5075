# Where the image goes: any valid file name works (relative, absolute,
# spaces, high bytes, up to NAME_MAX), the image is renamed over the old
# path (a symlink or a hard link there is replaced, never written through),
# and nothing but the image is left in the directory.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

mkdir in
yes "content" | head -c 20000 > in/file

run "$MKCRAMFS" -q in ref.img
expect_rc 0

# build NAME: mkcramfs writes NAME, equal to ref.img, and nothing else
# appears beside it.
build() {
	local dir
	dir=$(dirname -- "$1")
	before=$(ls -A -- "$dir")
	run "$MKCRAMFS" -q "$TMP/in" "$1"
	expect_rc 0
	cmp "$TMP/ref.img" "$1" || fail "$1 differs from ref.img"
	after=$(ls -A -- "$dir")
	[ "$(printf '%s\n' "$after" | grep -vxF -- "$(basename -- "$1")" || :)" = \
	  "$(printf '%s\n' "$before" | grep -vxF -- "$(basename -- "$1")" || :)" ] ||
		fail "files appeared beside $1: $after"
}

mkdir dest
build dest/plain.img
build ./dest/dot.img
build "$TMP/dest/absolute.img"
build "dest/$(printf 'sp ace \303\251\377.img')"
build noslash.img
(cd dest && build here.img)
build dest//double-slash.img

# A symlink at the output path is replaced, its target left alone.
echo "precious" > target
ln -s target dest/link.img
build dest/link.img
[ ! -L dest/link.img ] || fail "dest/link.img is still a symlink"
[ "$(cat target)" = precious ] || fail "the image was written through the symlink"
# A dangling symlink too.
ln -s nowhere dest/dangling.img
build dest/dangling.img
if [ -e dest/nowhere ] || [ -e nowhere ]; then
	fail "a file was created through a dangling symlink"
fi
# A hard link: the other name keeps the old content.
echo "old" > dest/old.img
ln dest/old.img other-name
build dest/old.img
[ "$(cat other-name)" = old ] || fail "the other hard link was overwritten"

# Long output names: the image name may be up to NAME_MAX (255) bytes,
# whatever temporary name is used on the way.
for len in 240 246 250 255; do
	name=$(printf 'o%.0s' $(seq $((len - 4)))).img
	[ ${#name} -eq "$len" ] || fail "test bug: name length ${#name}"
	build "dest/$name"
	rm "dest/$name"
done

# An IMAGE that is a directory, or one of the inputs, is refused before
# any work (exit 16) and every file stays as it was.
run "$MKCRAMFS" -q in in
expect_rc 16
expect_err "mkcramfs: IMAGE in is a directory"
tar -C in -cf in.tar .
cp in.tar in.tar.orig
run "$MKCRAMFS" -q in.tar in.tar
expect_rc 16
expect_err "mkcramfs: IMAGE in.tar is the input archive: it would be overwritten"
cmp in.tar in.tar.orig || fail "the input archive was changed"
run "$MKCRAMFS" -q --tar=in.tar in.tar
expect_rc 16
printf '/dev d 755 0 0 - - - - -\n' > table.txt
run "$MKCRAMFS" -q -D table.txt in table.txt
expect_rc 16
expect_err "mkcramfs: IMAGE table.txt is the device table: it would be overwritten"
grep -q '^/dev d' table.txt || fail "the device table was overwritten"
cp ref.img twice.img
run "$MKCRAMFS" -q --report=twice.img in twice.img
expect_rc 16
expect_err "mkcramfs: IMAGE twice.img is the report file: it would be overwritten"
cmp ref.img twice.img || fail "the image was overwritten"

# A character device is written in place: /dev/null is a dry run.
run "$MKCRAMFS" in /dev/null
expect_rc 0
expect_out "/dev/null: "

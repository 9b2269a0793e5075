# Sparse files: read through SEEK_DATA/SEEK_HOLE, their holes give the same
# image as the same bytes written out in full, become hole blocks with -z,
# and a sparse tar member (GNU tar -S) gives that image too.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

mkdir sparse dense
printf 'head' > sparse/disk
truncate -s 12000000 sparse/disk
printf 'tail' >> sparse/disk
truncate -s 300000 sparse/zeros
[ "$(stat -c %b sparse/disk)" -lt 100 ] || skip "this file system does not keep holes"
cp --sparse=never sparse/disk sparse/zeros dense/

for opts in "" "-z" "-z -x"; do
	# shellcheck disable=SC2086  # option lists
	{
	run "$MKCRAMFS" -q $opts sparse sparse.img
	expect_rc 0
	run "$MKCRAMFS" -q $opts dense dense.img
	expect_rc 0
	}
	cmp sparse.img dense.img || fail "options '$opts': sparse and dense trees differ"
done
run "$MKCRAMFS" -v -z sparse holes.img
expect_rc 0
expect_out "hole"
[ "$(stat -c %s holes.img)" -lt 40000 ] || fail "holes were stored as data: $(stat -c %s holes.img) bytes"
echo "ok: sparse files"

if have tar; then
	tar --numeric-owner -S -C sparse -cf sparse.tar .
	run "$MKCRAMFS" -q -z sparse.tar tar.img
	expect_rc 0
	cmp holes.img tar.img || fail "sparse tar member: image differs"
	echo "ok: sparse tar members"
fi

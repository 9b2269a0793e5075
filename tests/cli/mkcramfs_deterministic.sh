# Reproducible builds: the image depends only on names, contents, modes and
# owners, never on creation order, directory order on disk, timestamps,
# inode numbers, the run, or where the tree lives.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

# Build the trees on tmpfs when we can: there readdir returns the newest
# entry first, so creation order becomes directory order (ext4 hashes).
WORK=$TMP
if [ -d /dev/shm ] && [ -w /dev/shm ] && SHM=$(mktemp -d /dev/shm/cramfs-cli.XXXXXX 2>/dev/null); then
	trap 'rm -rf "$TMP" "$SHM"' EXIT
	WORK=$SHM
fi

names="alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega"
# shellcheck disable=SC2086  # a word list
reversed=$(printf '%s\n' $names | tac | tr '\n' ' ')
head -c 30000 /dev/urandom > random.bin

# make_tree DIR ORDER...: the same tree, entries created in ORDER.
make_tree() {
	local dir=$1 n
	shift
	mkdir "$dir"
	for n in "$@"; do
		mkdir -p "$dir/d_$n/sub"
		printf 'file %s\n' "$n" > "$dir/f_$n"
		yes "$n" | head -c $(( ${#n} * 4099 )) > "$dir/d_$n/sub/big"
		cp random.bin "$dir/d_$n/random"
		ln -s "../f_$n" "$dir/d_$n/link"
		: > "$dir/d_$n/empty"
	done
	for n in "$@"; do
		# Hard links and duplicates, made in the given order too.
		ln "$dir/f_$n" "$dir/d_$n/hard"
		cp "$dir/d_$n/sub/big" "$dir/d_$n/sub/copy"
	done
	mkfifo "$dir/fifo"
	chmod -R go-w "$dir"
}

# shellcheck disable=SC2086  # word lists
make_tree "$WORK/a" $names
# shellcheck disable=SC2086
make_tree "$WORK/b" $reversed
[ "$WORK" = "$TMP" ] || ln -s "$WORK/a" "$WORK/b" .
# Different timestamps everywhere in b.
find b/ -exec touch -h -d '2001-02-03 04:05:06' {} +
touch -d '2030-01-01' b/
# Yet another order for one entry of b: move it out and back.
mv b/f_alpha b/tmp && mv b/tmp b/f_alpha

# Sanity: the trees are equal as far as a listing shows...
diff <(tree_listing a/) <(tree_listing b/) || fail "the two trees differ"
# ...but not on disk.
[ "$(stat -c %i a/f_alpha)" != "$(stat -c %i b/f_alpha)" ] || fail "same inode?"
if [ "$(ls -U a/)" = "$(ls -U b/)" ]; then
	echo "(note: both trees list in the same order on this file system)"
else
	echo "(the two trees list in different orders on disk)"
fi

for opts in "" "-z" "-x" "-N big -b 16384" "-p -e 9 -n name"; do
	# shellcheck disable=SC2086  # $opts is a list of options
	run "$MKCRAMFS" -v $opts a/ a.img
	expect_rc 0
	sed 's/^a\.img:/IMG:/' "$TMP/out" > a.out
	# shellcheck disable=SC2086
	run "$MKCRAMFS" -v $opts b/ b.img
	expect_rc 0
	sed 's/^b\.img:/IMG:/' "$TMP/out" > b.out
	cmp a.img b.img || fail "images differ for options '$opts'"
	# The -v listing is the same too (image order, dedup partner).
	diff a.out b.out || fail "-v output differs for options '$opts'"
	# A second run on the same tree, from another directory.
	mkdir -p elsewhere
	# shellcheck disable=SC2086
	(cd elsewhere && run "$MKCRAMFS" -q $opts "$TMP/a/" again.img && expect_rc 0)
	cmp a.img elsewhere/again.img || fail "a second run differs for options '$opts'"
done

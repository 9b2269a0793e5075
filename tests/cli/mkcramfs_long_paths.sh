# Deep trees: an error about a file deep in the tree still says what is
# wrong (the path can take up to 4 KiB), and a path longer than the system
# allows is an error (exit 8), not a file silently left out as util-linux
# does ("files were skipped due to errors", exit 0).
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

# expect_failure MESSAGE: exit 8, exactly MESSAGE on stderr, no image.
expect_failure() {
	expect_rc 8
	printf '%s\n' "$1" > "$TMP/err.want"
	cmp -s "$TMP/err.want" "$TMP/err" || {
		echo "--- expected stderr (${#1} bytes + newline)"; cat "$TMP/err.want"
		echo "--- actual stderr ($(wc -c < "$TMP/err") bytes)"; cat "$TMP/err"
		fail "stderr differs"
	}
	[ ! -e new.img ] || fail "an image was written"
	[ -z "$(find . -maxdepth 1 -name '.new.img.*')" ] || fail "temporary file left behind"
}

l250=$(printf 'l%.0s' $(seq 250))
deep="$l250/$l250/$l250/$l250/$l250"            # 1254 bytes
mkdir -p "in/$deep"
echo ok > "in/$deep/ok"

# Sanity: a deep tree builds.
run "$MKCRAMFS" -q in new.img
expect_rc 0
rm new.img

# The reason survives a long path.
truncate -s 16M "in/$deep/big"
run "$MKCRAMFS" in new.img
expect_failure "mkcramfs: $deep/big: file is 16777216 bytes; cramfs limit is 16777215"
rm "in/$deep/big"

name253=$(printf 'n%.0s' $(seq 253))
touch "in/$deep/$name253"
run "$MKCRAMFS" in new.img
expect_failure "mkcramfs: $deep/$name253: name is 253 bytes; cramfs limit is 252"
rm "in/$deep/$name253"

# Deeper than PATH_MAX (4096): build it step by step, relative to the
# current directory, since no single path may name it.
(
	cd "in/$deep"
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
		mkdir "$l250"
		cd "$l250"
	done
	echo far > far
)
run "$MKCRAMFS" in new.img
expect_rc 8
expect_err "mkcramfs: "
expect_err "path too long"
[ ! -e new.img ] || fail "an image was written"
[ -z "$(find . -maxdepth 1 -name '.new.img.*')" ] || fail "temporary file left behind"

# An archive much larger than the memory mkcramfs uses: 192 MB of members
# streamed through standard input are spooled, not held, so the peak
# resident size stays a fraction of the archive (it is one file's buffer
# and the tree, whatever the archive size). No spool file is left behind.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have tar || skip "tar is needed"
[ -x /usr/bin/time ] || skip "GNU time (/usr/bin/time) is needed to measure memory"
export TMPDIR=$TMP/spool
mkdir "$TMPDIR" in
for i in $(seq 1 24); do
	yes "file $i, a line of text" | head -c 8000000 > "in/f$i"
done
run sh -c 'tar --numeric-owner -C in -cf - . | /usr/bin/time -f "maxrss %M" "$0" -q --tar=- stream.img' "$MKCRAMFS"
expect_rc 0
rss=$(sed -n 's/^maxrss //p' "$TMP/err")
[ -n "$rss" ] || fail "no memory figure from /usr/bin/time"
echo "peak resident size: $rss KiB for a 192 MB archive"
[ "$rss" -lt 98304 ] || fail "mkcramfs used $rss KiB: more than half the archive"
[ -z "$(ls -A "$TMPDIR")" ] || fail "spool file left in TMPDIR"
run "$MKCRAMFS" -q in dir.img
expect_rc 0
cmp dir.img stream.img || fail "streamed image differs from the directory's"
rm -r in
echo "ok: streaming with bounded memory"

# Ctrl-C (SIGINT), SIGTERM: mkcramfs stops, removes its temporary image and
# dies of the signal; an older image of that name is kept. cramfsck
# --extract-tar removes its temporary archive the same way.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"

mkdir t
# Slow to compress at the highest level on one thread: seconds, not ms.
for i in 1 2 3; do
	yes "a line of text compressed slowly at the highest level $i" | head -c 12000000 > "t/big$i"
done
echo "the old image" > out.img

for sig in INT TERM; do
	rc=0
	timeout --preserve-status -s "$sig" 0.5 "$MKCRAMFS" --best -j 1 t out.img 2> err || rc=$?
	case $sig in INT) want=130 ;; TERM) want=143 ;; esac
	[ "$rc" = "$want" ] || { cat err; fail "SIG$sig: exit status $rc, expected $want"; }
	grep -q "mkcramfs: interrupted: no image written" err || { cat err; fail "SIG$sig: no message"; }
	[ "$(cat out.img)" = "the old image" ] || fail "SIG$sig: the old image was replaced"
	leftovers=$(find . -maxdepth 1 -name '.out.img.*')
	[ -z "$leftovers" ] || fail "SIG$sig: temporary files left: $leftovers"
done

run "$MKCRAMFS" -q t new.img
expect_rc 0
rc=0
timeout --preserve-status -s INT 0.05 "$CRAMFSCK" --extract-tar=x.tar new.img > /dev/null 2>&1 || rc=$?
[ "$rc" = 130 ] || [ "$rc" = 0 ] || fail "cramfsck: exit status $rc"
leftovers=$(find . -maxdepth 1 -name 'x.tar.*')
[ -z "$leftovers" ] || fail "cramfsck left a temporary archive: $leftovers"
[ "$rc" = 130 ] && [ -e x.tar ] && fail "cramfsck interrupted but x.tar exists"
exit 0

# The progress line: on a terminal only, never with -q or -v, and gone
# (erased) before the summary. script(1) gives mkcramfs a terminal.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have script || skip "script(1) is not installed"
mkdir t
for i in $(seq 40); do seq "$i" > "t/f$i"; done
head -c 100000 /dev/urandom > t/big

# on_tty ARGS...: run mkcramfs ARGS with a terminal on stdin/out/err.
on_tty() {
	script -qec "$(printf '%q ' "$MKCRAMFS" "$@")" /dev/null > tty.out 2>&1
}

on_tty t tty.img || fail "mkcramfs failed on a terminal"
grep -q "41/41 files, 0\.1/0\.1 MB" tty.out || { cat -v tty.out; fail "no progress line on a terminal"; }
# Erased before the summary: carriage return and erase-line, then the summary.
grep -q "$(printf '\r\033\\[K')tty.img: " tty.out || { cat -v tty.out; fail "progress line not erased"; }

on_tty -q t tty-q.img || fail "mkcramfs -q failed on a terminal"
grep -q "files, " tty.out && { cat -v tty.out; fail "progress line shown with -q"; }
on_tty -v t tty-v.img || fail "mkcramfs -v failed on a terminal"
grep -q "files, .* MB/s" tty.out && { cat -v tty.out; fail "progress line shown with -v"; }

# Not a terminal: no progress line.
run "$MKCRAMFS" -q t pipe.img
expect_rc 0
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "stderr not empty when it is not a terminal"; }
cmp pipe.img tty.img || fail "the progress line changed the image"

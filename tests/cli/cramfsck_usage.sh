# cramfsck command line: --help and --version, usage errors (exit 16 with a
# pointer to --help and nothing on stdout), an image that cannot be opened
# (exit 8) and a file that is no cramfs image (exit 4).
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

is_root() { [ "$(id -u)" -eq 0 ]; }

# expect_usage MESSAGE: exit 16, exactly MESSAGE and the hint on stderr.
expect_usage() {
	expect_rc 16
	printf 'cramfsck: %s\nTry '\''cramfsck --help'\'' for more information.\n' "$1" > want.err
	cmp -s want.err "$TMP/err" || { diff want.err "$TMP/err" || :; fail "stderr differs"; }
	[ ! -s "$TMP/out" ] || { cat "$TMP/out"; fail "stdout not empty on a usage error"; }
}

mkdir tree
echo hello > tree/hello
"$MKCRAMFS" -q tree good.img

# --help: on stdout, exit 0, every option named.
for opt in -h --help; do
	run "$CRAMFSCK" "$opt"
	expect_rc 0
	[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "$opt wrote to stderr"; }
	expect_out "Usage: cramfsck [options] IMAGE"
	for o in "-v, --verbose" "-x, --extract[=DIR]" "-b, --blocksize=SIZE" \
		"-a, -y" "-c " "-h, --help" "-V, --version" "4096" "16384" "65536" \
		"0 clean, 4 errors found (or not a cramfs image)," "8 operational error (unreadable file" "16 usage error"; do
		expect_out "$o"
	done
done
# --help wins over anything else on the line, even a bad option after it.
run "$CRAMFSCK" --help -b 1000 nosuch.img
expect_rc 0
expect_out "Usage: cramfsck"

# --version: one line, the library's version.
version=$(sed -n 's/^#define CRAMFS_VERSION_STRING "\(.*\)"$/\1/p' "$SRCDIR/include/cramfs/cramfs.h")
[ -n "$version" ] || fail "no CRAMFS_VERSION_STRING in include/cramfs/cramfs.h"
for opt in -V --version; do
	run "$CRAMFSCK" "$opt"
	expect_rc 0
	[ "$(cat "$TMP/out")" = "cramfsck (mkcramfs-xip) $version" ] ||
		{ cat "$TMP/out"; fail "$opt: unexpected output"; }
	[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "$opt wrote to stderr"; }
done

# Unknown options.
run "$CRAMFSCK" -Q good.img
expect_usage "invalid option -- 'Q'"
run "$CRAMFSCK" --bogus good.img
expect_usage "invalid option '--bogus'"
run "$CRAMFSCK" --extract-all good.img
expect_usage "invalid option '--extract-all'"
# Options of the peer cramfsck that we do not have are errors, not ignored.
run "$CRAMFSCK" -e 1 good.img
expect_usage "invalid option -- 'e'"

# Block sizes: only the three page sizes cramfs targets.
for b in 1000 8192 0 4095 32768 131072 -4096 4096x abc ""; do
	run "$CRAMFSCK" -b "$b" good.img
	expect_usage "invalid block size '$b': use 4096, 16384 or 65536"
	run "$CRAMFSCK" --blocksize="$b" good.img
	expect_usage "invalid block size '$b': use 4096, 16384 or 65536"
done
run "$CRAMFSCK" -b8192 good.img
expect_usage "invalid block size '8192': use 4096, 16384 or 65536"
run "$CRAMFSCK" good.img -b
expect_usage "option requires an argument -- 'b'"
run "$CRAMFSCK" good.img --blocksize
expect_usage "option '--blocksize' requires an argument"
# The valid sizes are accepted (the image has no block over 4096 bytes of
# content, so it checks clean with any of them).
for b in 4096 16384 65536; do
	run "$CRAMFSCK" -b "$b" good.img
	expect_rc 0
	run "$CRAMFSCK" --blocksize "$b" good.img
	expect_rc 0
	run "$CRAMFSCK" --blocksize="$b" good.img
	expect_rc 0
done

# Operands: exactly one image (two after a bare -x: DIR IMAGE).
run "$CRAMFSCK"
expect_usage "no image given"
run "$CRAMFSCK" -v
expect_usage "no image given"
run "$CRAMFSCK" -x
expect_usage "no image given"
run "$CRAMFSCK" --extract=dir
expect_usage "no image given"
run "$CRAMFSCK" good.img other.img
expect_usage "too many operands: 'other.img'"
run "$CRAMFSCK" -xdir good.img other.img
expect_usage "too many operands: 'other.img'"
run "$CRAMFSCK" -x dir good.img other.img
expect_usage "too many operands: 'other.img'"
run "$CRAMFSCK" --extract= good.img
expect_usage "empty extraction directory"
[ ! -e dir ] || fail "a usage error created the extraction directory"

# Compatibility options are accepted and change nothing.
run "$CRAMFSCK" -a -y -c good.img
expect_rc 0
[ "$(cat "$TMP/out")" = "good.img: clean, 2 entries, 1 file, 1 block" ] ||
	{ cat "$TMP/out"; fail "-a -y -c changed the output"; }
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "-a -y -c wrote to stderr"; }
run "$CRAMFSCK" -ayc good.img
expect_rc 0

# An image that cannot be opened: operational error, 8.
run "$CRAMFSCK" nosuch.img
expect_rc 8
[ "$(cat "$TMP/err")" = "cramfsck: nosuch.img: cannot open: No such file or directory" ] ||
	{ cat "$TMP/err"; fail "unexpected message for a missing image"; }
[ ! -s "$TMP/out" ] || { cat "$TMP/out"; fail "stdout not empty"; }
run "$CRAMFSCK" tree
expect_rc 8
expect_err "cramfsck: tree: not a regular file or block device"
# A fifo must not block cramfsck waiting for a writer.
mkfifo fifo
run timeout 20 "$CRAMFSCK" fifo
expect_rc 8
expect_err "cramfsck: fifo: not a regular file or block device"
# Unreadable: as root, run cramfsck as nobody.
unprivileged=
if ! is_root; then
	unprivileged=" "
elif have setpriv; then
	unprivileged="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ -n "$unprivileged" ]; then
	chmod 755 "$TMP"
	cp good.img secret.img
	chmod 000 secret.img
	# shellcheck disable=SC2086  # $unprivileged is a command prefix
	run $unprivileged "$CRAMFSCK" secret.img
	expect_rc 8
	[ "$(cat "$TMP/err")" = "cramfsck: secret.img: cannot open: Permission denied" ] ||
		{ cat "$TMP/err"; fail "unexpected message for an unreadable image"; }
else
	echo "SKIP part: unreadable image (root without setpriv)"
fi

# Output that cannot be written is an operational error, whatever else
# happened: 8 added to the exit code.
if [ -w /dev/full ]; then
	cp good.img crc.img
	printf '\377' | dd of=crc.img bs=1 seek=32 conv=notrunc status=none
	for args in --help --version "good.img" "-v good.img" "crc.img"; do
		echo "+ $CRAMFSCK $args >/dev/full" >&2
		set +e
		# shellcheck disable=SC2086  # $args is a list of arguments
		"$CRAMFSCK" $args >/dev/full 2>"$TMP/err"
		RC=$?
		set -e
		case $args in
		crc.img) expect_rc 12 ;;
		*) expect_rc 8 ;;
		esac
		expect_err "cramfsck: cannot write output: No space left on device"
	done
else
	echo "SKIP part: no /dev/full"
fi

# Not a cramfs image: errors found, 4.
head -c 8192 /dev/zero > zeros.img
run "$CRAMFSCK" zeros.img
expect_rc 4
expect_err "cramfsck: zeros.img: "
expect_err "not a cramfs image"
{ echo '#!/bin/sh'; for i in $(seq 100); do echo "echo line $i: a script, not an image"; done; } > script.img
run "$CRAMFSCK" script.img
expect_rc 4
expect_err "not a cramfs image"
# Shorter than a superblock.
printf 'tiny\n' > tiny.img
run "$CRAMFSCK" tiny.img
expect_rc 4
expect_err "cramfsck: tiny.img: image is 5 bytes, too small for a cramfs superblock"
: > empty.img
run "$CRAMFSCK" empty.img
expect_rc 4
expect_err "cramfsck: empty.img: "
expect_err "not a cramfs image"
# Extraction is not attempted either.
run "$CRAMFSCK" --extract=xdir zeros.img
expect_rc 4
[ ! -e xdir ] || fail "extraction directory created for a non-image"
exit 0

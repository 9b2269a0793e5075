# mkcramfs command line: --help, --version, and every usage error exits 16
# with a message naming the bad value, before any file is created.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

mkdir in
echo data > in/file

# expect_usage_error MESSAGE: exit 16, MESSAGE and the --help hint on
# stderr, nothing on stdout, and no image (nor a temporary file) created.
expect_usage_error() {
	expect_rc 16
	expect_err "$1"
	expect_err "Try 'mkcramfs --help' for more information."
	[ ! -s "$TMP/out" ] || { cat "$TMP/out"; fail "usage error printed to stdout"; }
	[ ! -e out.img ] || fail "out.img was created by a usage error"
	[ -z "$(find . -maxdepth 1 -name '.out.img.*')" ] ||
		fail "temporary file left behind: $(find . -maxdepth 1 -name '.out.img.*')"
}

# --help: exit 0, on stdout, every option listed.
for arg in --help -h; do
	run "$MKCRAMFS" "$arg"
	expect_rc 0
	[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "$arg wrote to stderr"; }
	expect_out "Usage: mkcramfs [options] DIRECTORY|ARCHIVE IMAGE"
	for opt in "-h, --help" "-V, --version" "-v, --verbose" "-q, --quiet" \
		   "-E, --errors" "-b, --block-size=SIZE" "-N, --endian=ORDER" \
		   "  -B  " "  -L  " "-l, --level=N" "-z, --holes" "-x, --raw-blocks" \
		   "-e, --edition=N" "-n, --name=NAME" "-p, --pad" "-i, --image=FILE" \
		   "  -s  " "Exit status: 0 success, 8 operational error, 16 usage error."; do
		expect_out "$opt"
	done
done
# --help wins over missing operands and is not an error.
run "$MKCRAMFS" -v --help
expect_rc 0
expect_out "Usage: mkcramfs"

# --version: the library version from the public header.
version=$(sed -n 's/^#define CRAMFS_VERSION_STRING "\(.*\)"$/\1/p' \
	  "$SRCDIR/include/cramfs/cramfs.h")
[ -n "$version" ] || fail "no CRAMFS_VERSION_STRING in cramfs.h"
for arg in --version -V; do
	run "$MKCRAMFS" "$arg"
	expect_rc 0
	[ "$(cat "$TMP/out")" = "mkcramfs (mkcramfs-xip) $version" ] ||
		fail "$arg printed '$(cat "$TMP/out")'"
	[ ! -s "$TMP/err" ] || fail "$arg wrote to stderr"
done

# Unknown options: 16, never 0 (cramfs-tools exits 0 on unknown options).
run "$MKCRAMFS" --bogus in out.img
expect_usage_error "unrecognized option '--bogus'"
run "$MKCRAMFS" -Q in out.img
expect_usage_error "invalid option -- 'Q'"
run "$MKCRAMFS" -Z table in out.img
expect_usage_error "invalid option -- 'Z'"
run "$MKCRAMFS" --xip=sometimes in out.img
expect_usage_error "invalid XIP mode 'sometimes'"
run "$MKCRAMFS" --xip-align=dword in out.img
expect_usage_error "invalid XIP alignment 'dword'"
run "$MKCRAMFS" --report-format=xml in out.img
expect_usage_error "invalid report format 'xml'"
# A list that cannot be read is an operational error, as for -D and -i.
run "$MKCRAMFS" --xip-list=/nonexistent/list in out.img
expect_rc 8
expect_err "mkcramfs: --xip-list /nonexistent/list: No such file or directory"

# Operands: exactly a DIRECTORY (or ARCHIVE) and an IMAGE; only an IMAGE with --tar.
run "$MKCRAMFS"
expect_usage_error "mkcramfs: expected a DIRECTORY (or ARCHIVE) and an IMAGE"
run "$MKCRAMFS" in
expect_usage_error "mkcramfs: expected a DIRECTORY (or ARCHIVE) and an IMAGE"
run "$MKCRAMFS" in out.img extra
expect_usage_error "mkcramfs: too many operands: expected a DIRECTORY (or ARCHIVE) and an IMAGE"
[ ! -e extra ] || fail "extra operand was created"
run "$MKCRAMFS" --tar=in.tar
expect_usage_error "mkcramfs: expected an IMAGE"
run "$MKCRAMFS" --tar=in.tar in out.img
expect_usage_error "mkcramfs: too many operands: with --tar, expected only an IMAGE"

# Input options.
run "$MKCRAMFS" --force-uid=65536 in out.img
expect_usage_error "mkcramfs: invalid uid '65536': cramfs limit is 65535"
run "$MKCRAMFS" --force-gid=256 in out.img
expect_usage_error "mkcramfs: invalid gid '256': cramfs limit is 255"
run "$MKCRAMFS" --force-uid=root in out.img
expect_usage_error "mkcramfs: invalid uid 'root'"
run "$MKCRAMFS" --caps=drop in out.img
expect_usage_error "mkcramfs: invalid capability policy 'drop': use warn, error or ignore"
run "$MKCRAMFS" -D a -D b in out.img
expect_usage_error "mkcramfs: -D given twice: merge the device tables"

# A missing option argument.
run "$MKCRAMFS" in out.img -b
expect_usage_error "option '-b' requires an argument"

# Block size: only 4096, 16384, 65536.
for b in 1000 8192 2048 131072 0; do
	run "$MKCRAMFS" -b "$b" in out.img
	expect_usage_error "mkcramfs: invalid block size '$b': use 4096, 16384 or 65536"
done
for b in abc -4096 4096x "" 99999999999999999999; do
	run "$MKCRAMFS" --block-size="$b" in out.img
	expect_usage_error "mkcramfs: invalid block size '$b'"
done

# Byte order.
for n in middle BIG "" le; do
	run "$MKCRAMFS" -N "$n" in out.img
	expect_usage_error "mkcramfs: invalid byte order '$n': use big, little or host"
done

# Compression level.
run "$MKCRAMFS" -l 13 in out.img
expect_usage_error "mkcramfs: invalid level '13': use 0 to 12 with libdeflate"
run "$MKCRAMFS" -l 10 --compressor=zlib in out.img
expect_usage_error "mkcramfs: invalid level '10': use 0 to 9 with zlib"
run "$MKCRAMFS" --compressor=zlib --level=10 in out.img
expect_usage_error "mkcramfs: invalid level '10': use 0 to 9 with zlib"
run "$MKCRAMFS" --compressor=lzo in out.img
expect_usage_error "mkcramfs: invalid compressor 'lzo': use libdeflate or zlib"
run "$MKCRAMFS" -j 0 in out.img
expect_usage_error "mkcramfs: invalid thread count '0': use 1 to 256"
run "$MKCRAMFS" --threads=257 in out.img
expect_usage_error "mkcramfs: invalid thread count '257': use 1 to 256"
run "$MKCRAMFS" --level=-1 in out.img
expect_usage_error "mkcramfs: invalid level '-1'"
run "$MKCRAMFS" -l fast in out.img
expect_usage_error "mkcramfs: invalid level 'fast'"

# Edition: a 32-bit number.
run "$MKCRAMFS" -e 4294967296 in out.img
expect_usage_error "mkcramfs: invalid edition '4294967296'"
run "$MKCRAMFS" -e -1 in out.img
expect_usage_error "mkcramfs: invalid edition '-1'"
run "$MKCRAMFS" -e 1.5 in out.img
expect_usage_error "mkcramfs: invalid edition '1.5'"

# Volume name: 16 bytes fit, 17 do not (util-linux silently truncates).
run "$MKCRAMFS" -n 12345678901234567 in out.img
expect_usage_error "mkcramfs: volume name '12345678901234567' is longer than 16 bytes"
run "$MKCRAMFS" --name="$(printf 'caf\303\251 0123456789ab')" in out.img
expect_usage_error "is longer than 16 bytes"

# The boundary values that are accepted, to show the checks are exact.
run "$MKCRAMFS" -q -n 1234567890123456 -e 4294967295 -l 9 -b 65536 -N big in out.img
expect_rc 0
[ -s out.img ] || fail "no image for valid options"
[ "$(od -An -c -j 48 -N 16 out.img | tr -d ' ')" = "1234567890123456" ] ||
	fail "volume name not stored: $(od -An -c -j 48 -N 16 out.img)"
run "$MKCRAMFS" -q -l 0 -N little -B -L -s in out.img
expect_rc 0

# Library users: after `cmake --install --prefix DIR`, pkg-config finds
# libcramfs, a program outside the tree compiles against the installed
# headers, links the versioned shared library (and the static one) and
# writes and reads back an image.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"

[ -n "${CMAKE_COMMAND:-}" ] && [ -n "${BUILDDIR:-}" ] ||
	skip "CMAKE_COMMAND and BUILDDIR are not set"
have pkg-config || skip "pkg-config not installed"
CC=${CC:-cc}
have "$CC" || skip "no C compiler ($CC)"
have readelf || skip "readelf not installed"

run "$CMAKE_COMMAND" --install "$BUILDDIR" --prefix "$TMP/prefix"
expect_rc 0
pc=$(find "$TMP/prefix" -name libcramfs.pc)
[ -n "$pc" ] || fail "libcramfs.pc not installed"
export PKG_CONFIG_PATH=${pc%/*}
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR

run pkg-config --cflags --libs libcramfs
expect_rc 0
expect_out "-I$TMP/prefix/"
expect_out "-lcramfs"
libdir=$(pkg-config --variable=libdir libcramfs)
[ -d "$libdir" ] || fail "pkg-config libdir $libdir does not exist"
[ "$(pkg-config --modversion libcramfs)" = "$("$MKCRAMFS" --version | awk '{print $NF}')" ] ||
	fail "libcramfs.pc version differs from mkcramfs --version"

# The shared library: versioned file name, SONAME with the major version.
real=$(readlink -f "$libdir/libcramfs.so")
case ${real##*/} in
libcramfs.so.[0-9]*.[0-9]*.[0-9]*) ;;
*) fail "libcramfs.so points to ${real##*/}, not a versioned file" ;;
esac
soname=$(readelf -d "$real" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
case $soname in
libcramfs.so.[0-9]*) ;;
*) fail "SONAME is '$soname', not libcramfs.so.MAJOR" ;;
esac
[ -e "$libdir/$soname" ] || fail "$libdir/$soname (the SONAME link) missing"

# shellcheck disable=SC2086,SC2046
run "$CC" ${CONSUMER_CFLAGS:-} -Wall -Wextra -Werror \
	"$SRCDIR/tests/install/consumer.c" -o consumer \
	$(pkg-config --cflags --libs libcramfs) -Wl,-rpath,"$libdir"
expect_rc 0
readelf -d consumer | grep -qF "[$soname]" ||
	fail "consumer does not record NEEDED $soname"
run ./consumer shared.img
expect_rc 0
expect_out "wrote and read back"
run "$CRAMFSCK" shared.img
expect_rc 0

# The static library, with the private dependencies pkg-config names
# (linked shared: their static archives need not be installed).
[ -f "$libdir/libcramfs.a" ] || fail "libcramfs.a not installed"
# shellcheck disable=SC2086,SC2046
run "$CC" ${CONSUMER_CFLAGS:-} -Wall -Wextra -Werror \
	"$SRCDIR/tests/install/consumer.c" -o consumer-static \
	$(pkg-config --cflags libcramfs) "$libdir/libcramfs.a" \
	$(pkg-config --libs $(pkg-config --print-requires-private libcramfs))
expect_rc 0
readelf -d consumer-static | grep -q 'NEEDED.*libcramfs' &&
	fail "consumer-static still needs the shared libcramfs"
run ./consumer-static static.img
expect_rc 0
cmp shared.img static.img || fail "static and shared builds wrote different images"
echo "ok: pkg-config consumer builds and runs against the install"

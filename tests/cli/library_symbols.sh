# The shared library exports exactly the functions the public headers
# declare with CRAMFS_API: nothing internal leaks into the ABI.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

: "${LIBCRAMFS:?set by ctest}"
have nm || skip "nm not installed"

nm -D --defined-only "$LIBCRAMFS" | awk '{print $NF}' | sort -u > exported
# Declarations may span lines: join each header, then take the name before
# the first '(' of every CRAMFS_API declaration.
for h in "$SRCDIR"/include/cramfs/*.h; do
	[ "${h##*/}" = export.h ] && continue  # defines CRAMFS_API itself
	tr '\n' ' ' < "$h" | grep -oE 'CRAMFS_API [^;(]*\(' |
		grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\($' | tr -d ' ('
done | sort -u > declared
[ -s declared ] || fail "no CRAMFS_API declarations found"
diff -u declared exported ||
	fail "exported symbols (+) differ from the CRAMFS_API declarations (-)"
grep -v '^cramfs_' exported && fail "exported symbols outside the cramfs_ prefix"
echo "ok: $(wc -l < exported) exported symbols, all declared CRAMFS_API"

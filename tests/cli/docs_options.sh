# --help, the man page and the README name the same options.
. "$CLI_LIB"

man_text() { sed -e 's/\\-/-/g' -e 's/\\f[BIR]//g' "$SRCDIR/man/$1.8"; }

check_tool() {
	local tool=$1 bin=$2 opts opt
	run "$bin" --help
	expect_rc 0
	opts=$(grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' "$TMP/out" | tr -d ' ,' | sort -u)
	[ -n "$opts" ] || fail "$tool --help lists no options"
	man_text "$tool" > man.txt
	for opt in $opts; do
		grep -qE -- "(^|[^A-Za-z-])$opt([^A-Za-z-]|$)" man.txt ||
			fail "$tool: $opt is in --help but not in man/$tool.8"
		grep -qE -- "(^|[^A-Za-z-])$opt([^A-Za-z-]|$)" "$SRCDIR/README.md" ||
			fail "$tool: $opt is in --help but not in README.md"
	done
	# And back: every option the man page describes is in --help.
	for opt in $(grep -A1 '^\.TP' man.txt | grep -oE '^--?[A-Za-z][A-Za-z-]*|, --?[A-Za-z][A-Za-z-]*' | tr -d ' ,' | sort -u); do
		grep -qE -- "(^|[^A-Za-z-])$opt([^A-Za-z-]|$)" "$TMP/out" ||
			fail "$tool: $opt is in man/$tool.8 but not in --help"
	done
}

check_tool mkcramfs "$MKCRAMFS"
check_tool cramfsck "$CRAMFSCK"
echo "ok: --help, man pages and README agree"

# contrib/bash-completion: completing "--" offers exactly the long options
# of --help, and option values complete from their fixed sets.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"

have bash || skip "bash not installed"

# complete TOOL WORD...: what the completion offers for the last word.
complete_words() {
	local tool=$1
	shift
	bash -c '
		. "$1"; shift
		fn=$1; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		"$fn"
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort -u
	' _ "$SRCDIR/contrib/bash-completion/$tool" "_$tool" "$tool" "$@"
}

check_long_options() {
	local tool=$1 bin=$2
	run "$bin" --help
	expect_rc 0
	grep -oE -- '--[a-z][a-z-]*' "$TMP/out" | LC_ALL=C sort -u > want
	complete_words "$tool" -- > got
	diff -u want got || fail "$tool: completing -- differs from --help"
}

check_long_options mkcramfs "$MKCRAMFS"
check_long_options cramfsck "$CRAMFSCK"

[ "$(complete_words mkcramfs --xip = | tr '\n' ' ')" = "all elf none " ] ||
	fail "mkcramfs --xip= does not offer the XIP modes"
[ "$(complete_words mkcramfs -N l)" = little ] ||
	fail "mkcramfs -N l does not complete to little"
[ "$(complete_words cramfsck -b 6)" = 65536 ] ||
	fail "cramfsck -b 6 does not complete to 65536"
echo "ok: bash completion offers every long option"

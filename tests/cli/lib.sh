# Shared helpers for tests/cli/*.sh (sourced). Each test runs in its own
# temporary directory, prints the commands it runs ("+ ..."), and exits
# 0 on success, 1 on failure, 77 when a needed tool is missing (skip).
set -eu

: "${MKCRAMFS:?set by ctest}"
: "${CRAMFSCK:?set by ctest}"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cramfs-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# run CMD...: run a command, keep stdout in $TMP/out, stderr in $TMP/err,
# the exit code in $RC; never fails by itself.
run() {
	echo "+ $*" >&2
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	set -e
}

expect_rc() {
	[ "$RC" -eq "$1" ] || {
		echo "--- stdout"; cat "$TMP/out"; echo "--- stderr"; cat "$TMP/err"
		fail "exit code $RC, expected $1"
	}
}

expect_out() { grep -qF -- "$1" "$TMP/out" || { cat "$TMP/out"; fail "stdout lacks: $1"; }; }
expect_err() { grep -qF -- "$1" "$TMP/err" || { cat "$TMP/err"; fail "stderr lacks: $1"; }; }

# tree_listing DIR: one line per entry (type, mode, owner, size or target,
# sha256), sorted, to compare trees without timestamps.
tree_listing() {
	(cd "$1" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort | while IFS= read -r p; do
		if [ -L "$p" ]; then
			printf '%s l %s %s -> %s\n' "$p" "$(stat -c %a "$p")" "$(stat -c %u:%g "$p")" "$(readlink "$p")"
		elif [ -f "$p" ]; then
			printf '%s f %s %s %s\n' "$p" "$(stat -c %a "$p")" "$(stat -c %u:%g "$p")" "$(sha256sum < "$p" | cut -c1-64)"
		else
			printf '%s %s %s %s %s\n' "$p" "$(stat -c %F "$p" | tr ' ' _)" "$(stat -c %a "$p")" "$(stat -c %u:%g "$p")" "$(stat -c %t:%T "$p")"
		fi
	done)
}

have() { command -v "$1" >/dev/null 2>&1; }

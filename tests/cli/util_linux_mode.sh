# Called as mkfs.cramfs / fsck.cramfs, our tools answer like util-linux's:
# same exit codes and silence for the same command lines, run side by
# side. `cmake --install` puts both names in sbin, and `mkfs -t cramfs`
# with that sbin first in PATH runs ours.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

UL_MKFS=/usr/sbin/mkfs.cramfs
UL_FSCK=/usr/sbin/fsck.cramfs
[ -x "$UL_MKFS" ] && [ -x "$UL_FSCK" ] ||
	skip "util-linux mkfs.cramfs and fsck.cramfs are not installed"
mkdir ours
ln -s "$MKCRAMFS" ours/mkfs.cramfs
ln -s "$CRAMFSCK" ours/fsck.cramfs

mkdir -p t/etc t/usr/bin
echo hello > t/etc/motd
yes "some text" | head -c 20000 > t/usr/bin/text
ln -s ../etc/motd t/usr/motd
echo insert > boot.bin
head -c 4096 /dev/zero > t/zeros

# same_rc ARGS...: both mkfs.cramfs give the same exit code and stdout.
same_rc() {
	local tool=$1 ul rc_ul
	shift
	ul=$UL_MKFS; [ "$tool" = fsck.cramfs ] && ul=$UL_FSCK
	run "$ul" "$@"
	rc_ul=$RC
	cp "$TMP/out" out.ul
	run "ours/$tool" "$@"
	[ "$RC" -eq "$rc_ul" ] ||
		{ cat "$TMP/err"; fail "$tool $*: exit $RC, util-linux exits $rc_ul"; }
	if [ "$rc_ul" -eq 0 ] && [ ! -s out.ul ] && [ -s "$TMP/out" ]; then
		cat "$TMP/out"; fail "$tool $*: util-linux is silent, we are not"
	fi
}

# --- mkfs.cramfs ----------------------------------------------------------
same_rc mkfs.cramfs t a.img
same_rc mkfs.cramfs -z -p -e 7 -n vol -N big -i boot.bin t b.img
same_rc mkfs.cramfs -s -b 4096 -N little t c.img
same_rc mkfs.cramfs t             # missing IMAGE
same_rc mkfs.cramfs t x.img extra # too many operands
same_rc mkfs.cramfs missing d.img # DIRECTORY cannot be stat'ed
same_rc mkfs.cramfs -N middle t e.img
same_rc mkfs.cramfs -Q t f.img    # unknown option
same_rc mkfs.cramfs -h
same_rc mkfs.cramfs --version
expect_out "mkfs.cramfs"
# The options util-linux and we share give the same bytes.
for opts in "" "-z -p -e 7 -n vol -N big -i boot.bin"; do
	# shellcheck disable=SC2086
	"$UL_MKFS" $opts t ul.img
	# shellcheck disable=SC2086
	ours/mkfs.cramfs $opts t our.img
	cmp ul.img our.img || fail "mkfs.cramfs $opts: images differ"
done
# Usage messages name the program as called.
run ours/mkfs.cramfs -Q t f.img
expect_err "Try 'mkfs.cramfs --help'"
# Our own options still work in this mode (quietly).
run ours/mkfs.cramfs -X -X -q t xip.img
expect_rc 0
[ ! -s "$TMP/out" ] || fail "mkfs.cramfs -q printed something"
run ours/mkfs.cramfs -v t v.img
expect_rc 0
expect_out "v.img:"

# --- fsck.cramfs ----------------------------------------------------------
"$UL_MKFS" t good.img
head -c 1000 good.img > short.img
same_rc fsck.cramfs good.img
same_rc fsck.cramfs -a -y good.img
same_rc fsck.cramfs -b 4096 --extract good.img
same_rc fsck.cramfs short.img
same_rc fsck.cramfs missing.img
same_rc fsck.cramfs
same_rc fsck.cramfs --bogus good.img
same_rc fsck.cramfs -h
for tool in "$UL_FSCK" ours/fsck.cramfs; do
	run "$tool" --extract="ex.$(basename "$(dirname "$tool")")" good.img
	expect_rc 0
	[ ! -s "$TMP/out" ] || fail "$tool --extract=DIR is not silent"
done
diff -r ex.ours t || fail "fsck.cramfs --extract=DIR: tree differs"
run ours/fsck.cramfs -v good.img
expect_rc 0
expect_out "good.img: clean"

# --- installed names, mkfs -t cramfs --------------------------------------
[ -n "${CMAKE_COMMAND:-}" ] && [ -n "${BUILDDIR:-}" ] ||
	skip "CMAKE_COMMAND and BUILDDIR are not set: install part skipped"
run "$CMAKE_COMMAND" --install "$BUILDDIR" --prefix "$TMP/prefix"
expect_rc 0
sbin=sbin  # GNUInstallDirs' CMAKE_INSTALL_SBINDIR
[ -x "prefix/$sbin/mkcramfs" ] || fail "no $sbin/mkcramfs installed"
[ "$(readlink "prefix/$sbin/mkfs.cramfs")" = mkcramfs ] ||
	fail "mkfs.cramfs is not a symlink to mkcramfs"
[ "$(readlink "prefix/$sbin/fsck.cramfs")" = cramfsck ] ||
	fail "fsck.cramfs is not a symlink to cramfsck"
have mkfs || skip "mkfs(8) not installed: mkfs -t cramfs not tested"
# -q is ours only: util-linux's mkfs.cramfs would reject it.
PATH="$TMP/prefix/$sbin:$PATH" run mkfs -t cramfs -q -X -X t mkfs.img
expect_rc 0
run "$CRAMFSCK" mkfs.img
expect_rc 0
echo "ok: mkfs.cramfs and fsck.cramfs behave like util-linux's"

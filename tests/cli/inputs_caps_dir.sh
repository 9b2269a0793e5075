# File capabilities on directory input (read with libcap's cap_get_file):
# warned about per file by default, fatal with --caps=error, silent with
# --caps=ignore. Needs setcap and the right to use it.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have setcap || skip "setcap is needed"
mkdir -p in/bin in/sbin
printf 'ping\n' > in/bin/ping
printf 'plain\n' > in/sbin/plain
setcap cap_net_raw,cap_net_admin+ep in/bin/ping 2>/dev/null ||
	skip "cannot set file capabilities here (needs CAP_SETFCAP)"

run "$MKCRAMFS" -q in warn.img
expect_rc 0
expect_err "mkcramfs: warning: bin/ping: file capabilities cap_net_admin,cap_net_raw=ep are not stored (cramfs has no xattrs); the file loses them"
[ "$(grep -c warning "$TMP/err")" -eq 1 ] || fail "expected one warning: $(cat "$TMP/err")"
run "$MKCRAMFS" -q --caps=error in error.img
expect_rc 8
expect_err "mkcramfs: bin/ping: has file capabilities cap_net_admin,cap_net_raw=ep, which cramfs cannot store"
[ ! -e error.img ] || fail "--caps=error wrote an image"
run "$MKCRAMFS" -q --caps=ignore in ignore.img
expect_rc 0
[ ! -s "$TMP/err" ] || fail "--caps=ignore printed: $(cat "$TMP/err")"
cmp warn.img ignore.img || fail "the capability policy changed the image"

# The documented workaround: setuid root through a device table line.
printf '/bin/ping f 4755 0 0\n' > table
run "$MKCRAMFS" -q --caps=ignore --all-root -D table in suid.img
expect_rc 0
run "$CRAMFSCK" --list suid.img
expect_out "-rwsr-xr-x       0:0         5 /bin/ping"
echo "ok: capabilities on directory input"

# mkcramfs operational errors: exit 8, one message naming the path and the
# cramfs limit, no image written, an existing image left untouched, and no
# temporary file left beside the output. The peers truncate silently.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

is_root() { [ "$(id -u)" -eq 0 ]; }

# expect_failure MESSAGE...: exit 8, the exact stderr, nothing on stdout,
# no img/new.img, img/old.img unchanged, no ".*.img.*" temporary file.
expect_failure() {
	expect_rc 8
	printf '%s\n' "$@" > "$TMP/err.want"
	# Unprivileged, our files carry our gid, which may not fit 8 bits:
	# those warnings are right, and not what is tested here.
	grep -v "^mkcramfs: warning: .*: gid $(id -g) does not fit the 8 bits" \
		"$TMP/err" > "$TMP/err.got" || :
	cmp -s "$TMP/err.want" "$TMP/err.got" ||
		{ diff "$TMP/err.want" "$TMP/err.got" || :; fail "stderr differs"; }
	[ ! -s "$TMP/out" ] || { cat "$TMP/out"; fail "stdout not empty on failure"; }
	[ ! -e img/new.img ] || fail "an image was written despite the error"
	cmp -s img/old.img old.copy || fail "img/old.img was modified by a failed run"
	leftovers=$(find img -name '.*' -type f)
	[ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"
}

# build: run mkcramfs on in/ into a new image and over an existing one.
build() {
	run "$MKCRAMFS" "$@" in img/new.img
}
build_over_old() {
	run "$MKCRAMFS" "$@" in img/old.img
}

mkdir in img
head -c 5000 /dev/urandom > img/old.img
cp img/old.img old.copy
echo hello > in/hello

# Sanity: the tree builds.
build -q
expect_rc 0
rm img/new.img

# Input missing, or neither a directory nor an archive.
run "$MKCRAMFS" nosuch img/new.img
expect_failure "mkcramfs: nosuch: No such file or directory"
run "$MKCRAMFS" in/hello img/new.img
expect_failure "mkcramfs: in/hello: not a directory or an archive (Unrecognized archive format)"

# A file of exactly 16 MiB does not fit the 24-bit size field (both peers
# store it truncated); 16 MiB - 1 does.
mkdir -p in/usr/lib
truncate -s 16M in/usr/lib/big
build
expect_failure "mkcramfs: usr/lib/big: file is 16777216 bytes; cramfs limit is 16777215"
build_over_old
expect_failure "mkcramfs: usr/lib/big: file is 16777216 bytes; cramfs limit is 16777215"
truncate -s 16777215 in/usr/lib/big
build -q
expect_rc 0
rm img/new.img in/usr/lib/big

# Names: 252 bytes fit, 253 do not (util-linux writes a corrupt image).
name252=$(printf 'n%.0s' $(seq 252))
touch "in/usr/$name252"
build -q
expect_rc 0
rm img/new.img "in/usr/$name252"
touch "in/usr/${name252}x"
build
expect_failure "mkcramfs: usr/${name252}x: name is 253 bytes; cramfs limit is 252"
build_over_old
expect_failure "mkcramfs: usr/${name252}x: name is 253 bytes; cramfs limit is 252"
rm "in/usr/${name252}x"

# A directory's entries must fit the 24-bit size field (the peers wrap
# it): 63550 entries of 12 + 252 bytes take 16777200 bytes, 63551 do not.
mkdir in/usr/crowd
prefix=$(printf 'p%.0s' $(seq 246))
(cd in/usr/crowd && seq -w 0 63550 | sed "s/^/$prefix/" | xargs touch)
build
expect_failure "mkcramfs: usr/crowd: directory entries take bytes 16777464; cramfs limit is 16777215"
rm "in/usr/crowd/${prefix}63550"
build -q
expect_rc 0
rm -r img/new.img in/usr/crowd

# Output into a directory that does not exist.
run "$MKCRAMFS" in nodir/new.img
expect_failure "mkcramfs: nodir/new.img: cannot create a temporary file beside it: No such file or directory"
[ ! -e nodir ] || fail "nodir was created"

# The output is an existing directory: a usage error before any work.
mkdir img/new.img
run "$MKCRAMFS" in img/new.img
expect_rc 16
expect_err "mkcramfs: IMAGE img/new.img is a directory"
[ -z "$(ls -A img/new.img)" ] || fail "something was written into img/new.img/"
rmdir img/new.img
[ -z "$(find img -name '.*' -type f)" ] || fail "temporary file left: $(find img -name '.*' -type f)"

# -i FILE that is missing or not a regular file.
run "$MKCRAMFS" -i nosuch in img/new.img
expect_failure "mkcramfs: file to insert (-i) nosuch: No such file or directory"
run "$MKCRAMFS" -i in in img/new.img
expect_failure "mkcramfs: in: not a regular file"

# Unreadable input. As root, permissions do not stop us: run mkcramfs as
# "nobody" through setpriv instead, when it is available.
unprivileged=
if ! is_root; then
	unprivileged=" "
elif have setpriv; then
	chmod 755 "$TMP" in
	if setpriv --reuid=65534 --regid=65534 --clear-groups test -r in/hello 2>/dev/null; then
		unprivileged="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
fi
if [ -n "$unprivileged" ]; then
	chmod 755 "$TMP" in in/usr in/usr/lib
	chmod 777 img
	chmod 666 img/old.img
	cp -p img/old.img old.copy
	echo secret > in/usr/lib/secret
	chmod 000 in/usr/lib/secret
	# shellcheck disable=SC2086  # $unprivileged is a command prefix
	run $unprivileged "$MKCRAMFS" in img/new.img
	expect_failure "mkcramfs: usr/lib/secret: cannot open: Permission denied"
	run $unprivileged "$MKCRAMFS" in img/old.img
	expect_failure "mkcramfs: usr/lib/secret: cannot open: Permission denied"
	rm -f in/usr/lib/secret
	mkdir in/usr/locked
	chmod 000 in/usr/locked
	run $unprivileged "$MKCRAMFS" in img/new.img
	expect_failure "mkcramfs: usr/locked: cannot open directory: Permission denied"
	rmdir in/usr/locked
	# An output directory we may not write to.
	mkdir ro
	chmod 555 ro
	run $unprivileged "$MKCRAMFS" in ro/new.img
	expect_failure "mkcramfs: ro/new.img: cannot create a temporary file beside it: Permission denied"
	[ -z "$(ls -A ro)" ] || fail "something was created in ro/"
else
	echo "SKIP part: unreadable files (root without setpriv)"
fi

if ! is_root; then
	echo "SKIP part: uid, gid and device limits need root (chown, mknod)"
	exit 0
fi

# uid: 16 bits. A larger uid is an error, not silent truncation.
echo owned > in/usr/owned
chown 70000 in/usr/owned
build
expect_failure "mkcramfs: usr/owned: uid 70000 does not fit; cramfs limit is 65535"
chown 65535 in/usr/owned
build -q
expect_rc 0
rm img/new.img
chown 0 in/usr/owned
# ... also for the root directory itself.
chown 70000 in
build
expect_failure "mkcramfs: /: uid 70000 does not fit; cramfs limit is 65535"
chown 0 in

# gid: 8 bits. A larger gid is stored truncated with a warning (the kernel
# format cannot do better, and images of real trees rely on it), or is an
# error with -E.
chgrp 300 in/usr/owned
build
expect_rc 0
[ "$(cat "$TMP/err")" = "mkcramfs: warning: usr/owned: gid 300 does not fit the 8 bits cramfs stores; stored as gid 44 (other entries of gid 300 not listed)" ] ||
	{ cat "$TMP/err"; fail "unexpected stderr for gid 300"; }
expect_out "img/new.img: "
[ -s img/new.img ] || fail "no image despite a mere warning"
rm img/new.img
# Said once per gid, however many entries have it.
mkdir -p many
for i in 1 2 3 4 5; do echo "$i" > "many/f$i"; done
chgrp -R 300 many
run "$MKCRAMFS" -q many many.img
expect_rc 0
[ "$(grep -c "gid 300 does not fit" "$TMP/err")" = 1 ] ||
	{ cat "$TMP/err"; fail "the gid 300 warning is not said once"; }
build -q
expect_rc 0
expect_err "mkcramfs: warning: usr/owned: gid 300 does not fit the 8 bits cramfs stores; stored as gid 44"
rm img/new.img
build -E
expect_failure \
	"mkcramfs: warning: usr/owned: gid 300 does not fit the 8 bits cramfs stores; stored as gid 44 (other entries of gid 300 not listed)" \
	"mkcramfs: warnings are errors (-E): no image written"
build_over_old -E
expect_failure \
	"mkcramfs: warning: usr/owned: gid 300 does not fit the 8 bits cramfs stores; stored as gid 44 (other entries of gid 300 not listed)" \
	"mkcramfs: warnings are errors (-E): no image written"
chgrp 255 in/usr/owned
build -E -q
expect_rc 0
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "gid 255 warned"; }
rm img/new.img
chgrp 0 in/usr/owned

# Device numbers: the kernel decodes 8-bit major and minor.
if mknod in/usr/dev c 300 1 2>/dev/null; then
	build
	expect_failure "mkcramfs: usr/dev: device 300:1 does not fit; cramfs limit is 255:255"
	rm in/usr/dev
	mknod in/usr/dev b 1 256
	build
	expect_failure "mkcramfs: usr/dev: device 1:256 does not fit; cramfs limit is 255:255"
	rm in/usr/dev
	mknod in/usr/dev c 255 255
	build -q
	expect_rc 0
	rm img/new.img in/usr/dev
else
	echo "SKIP part: mknod is not permitted here"
fi

# cramfsck --extract: the four ways to name the directory; a new or empty
# directory only (a non-empty one is an operational error, nothing
# written); images with errors are never extracted; hostile images (".."
# and "/" in names, a symlink followed by an entry of the same name) never
# write outside the target; modes, owners, symlink targets, devices, fifos
# and sockets come back exactly as root, and as an unprivileged user
# devices, owners and set-id bits are skipped with warnings, exit 0.
# The util-linux fsck.cramfs follows "../" names out of the target and
# writes through a symlink of the same name.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have python3 || skip "python3 is needed to craft images"
CRAFT="$(dirname "$CLI_LIB")/craft_image.py"
is_root() { [ "$(id -u)" -eq 0 ]; }

sha() { printf '%b' "$1" | sha256sum | cut -c1-64; }

# same_tree A B: tree_listing of both equal.
same_tree() {
	tree_listing "$1" > a.txt
	tree_listing "$2" > b.txt
	diff a.txt b.txt || fail "$2 differs from $1"
}

# ---- Naming the directory ----

mkdir -p src/sub/deeper src/empty
echo hello > src/hello
seq 1 3000 > src/sub/numbers
head -c 9000 /dev/urandom > src/sub/deeper/random
: > src/sub/zero
ln -s sub/numbers src/link
mkfifo src/fifo
chmod 750 src/sub
chmod 600 src/hello
run "$MKCRAMFS" -q src img
expect_rc 0
summary=$(cd "$TMP" && "$CRAMFSCK" img)

run "$CRAMFSCK" -xd1 img
expect_rc 0
same_tree src d1
run "$CRAMFSCK" --extract=d2 img
expect_rc 0
same_tree src d2
run "$CRAMFSCK" -x d3 img
expect_rc 0
same_tree src d3
run "$CRAMFSCK" --extract d4 img
expect_rc 0
same_tree src d4
# The summary still comes first; -v says where the tree went.
[ "$(cat "$TMP/out")" = "$summary" ] || { cat "$TMP/out"; fail "summary missing with --extract"; }
run "$CRAMFSCK" -v -x d5 img
expect_rc 0
expect_err "cramfsck: img: extracted to d5"
same_tree src d5
# Options after the operands, and -x among other options.
run "$CRAMFSCK" img --extract=d6 -v
expect_rc 0
same_tree src d6
# A bare -x or --extract with one operand only checks.
before=$(ls -A)
for opt in -x --extract; do
	run "$CRAMFSCK" "$opt" img
	expect_rc 0
	[ "$(cat "$TMP/out")" = "$summary" ] || { cat "$TMP/out"; fail "$opt IMAGE did not check"; }
	[ "$(ls -A)" = "$before" ] || { ls -A; fail "$opt IMAGE created something"; }
done

# ---- Where it may extract ----

# An existing empty directory is fine.
mkdir emptydir
run "$CRAMFSCK" --extract=emptydir img
expect_rc 0
same_tree src emptydir
# A directory with anything in it is not: exit 8, nothing written.
mkdir full
echo keep > full/keep
run "$CRAMFSCK" --extract=full img
expect_rc 8
expect_err "cramfsck: img: full: directory is not empty"
# ... said before the check: no summary line was printed.
grep -q "clean" "$TMP/out" && fail "the check ran before refusing full/"
[ "$(ls -A full)" = keep ] || { ls -lA full; fail "something was written into full/"; }
[ "$(cat full/keep)" = keep ] || fail "full/keep was changed"
mkdir dotonly
touch dotonly/.hidden
run "$CRAMFSCK" --extract=dotonly img
expect_rc 8
expect_err "cramfsck: img: dotonly: directory is not empty"
[ "$(ls -A dotonly)" = .hidden ] || { ls -lA dotonly; fail "something was written into dotonly/"; }
# Not a directory, or below a missing one.
echo file > afile
run "$CRAMFSCK" --extract=afile img
expect_rc 8
expect_err "cramfsck: img: afile: cannot open directory: Not a directory"
[ "$(cat afile)" = file ] || fail "afile was changed"
run "$CRAMFSCK" --extract=no/such/dir img
expect_rc 8
expect_err "cramfsck: img: no/such/dir: cannot create directory: No such file or directory"
[ ! -e no ] || fail "no/ was created"

# An image with errors is not extracted at all: exit 4.
python3 "$CRAFT" bad-crc bad.img
run "$CRAMFSCK" --extract=bad bad.img
expect_rc 4
expect_err "cramfsck: bad.img: error: CRC mismatch"
expect_err "cramfsck: bad.img: not extracted: the image has errors"
[ ! -e bad ] || fail "an image with errors was extracted"
mkdir badempty
run "$CRAMFSCK" -x badempty bad.img
expect_rc 4
[ -z "$(ls -A badempty)" ] || fail "an image with errors was extracted into badempty/"
# Warnings do not stop it.
python3 "$CRAFT" count-mismatch warn.img
run "$CRAMFSCK" --extract=warn warn.img
expect_rc 0
expect_err "cramfsck: warn.img: warning: superblock counts 8 entries (fsid.files), the tree has 7"
[ "$(readlink warn/link)" = dir/file ] || fail "warn.img was not extracted"

# ---- Hostile images ----

# outside/ must stay as it is, and work/ hold nothing but what cramfsck
# was told to create, whatever each image tries.
mkdir work outside
echo original > outside/victim
check_contained() {
	[ "$(ls -A outside)" = victim ] || { ls -lA outside; fail "$1: something was written to outside/"; }
	[ "$(cat outside/victim)" = original ] || fail "$1: outside/victim was overwritten"
	[ ! -L outside/victim ] || fail "$1: outside/victim was replaced"
	[ -z "$(ls -A work)" ] || { ls -lAR work; fail "$1: left something in work/"; }
	[ -z "$(find "$TMP" -name 'pwned*')" ] || { find "$TMP" -name 'pwned*'; fail "$1: escaped"; }
}
hostile() {
	local scenario=$1 arg=$2 message=$3 form
	python3 "$CRAFT" "$scenario" evil.img "$arg"
	for form in --extract=work/x "-x work/x"; do
		# shellcheck disable=SC2086  # $form may be two words
		run "$CRAMFSCK" $form evil.img
		expect_rc 4
		expect_err "cramfsck: evil.img: error: $message"
		expect_err "cramfsck: evil.img: not extracted: the image has errors"
		check_contained "$scenario"
		# Into an existing empty directory too.
		mkdir work/x
		# shellcheck disable=SC2086
		run "$CRAMFSCK" $form evil.img
		expect_rc 4
		[ -z "$(ls -A work/x)" ] || { ls -lAR work/x; fail "$scenario: extracted into work/x"; }
		rmdir work/x
		check_contained "$scenario"
	done
}
# A directory named ".." holding a file: followed, it lands in work/.
hostile escape-dotdot pwned-dotdot '/: entry at 0x4c: invalid name "..": reserved name'
# A file named "../pwned-slash", and one with an absolute path.
hostile escape-slash ../pwned-slash "/: entry at 0x4c: invalid name \"../pwned-slash\": '/' in the name"
hostile escape-slash "$TMP/outside/pwned-abs" "/: entry at 0x4c: invalid name \"$TMP/outside/pwned-abs\": '/' in the name"
# A symlink "d" to outside/, then a directory "d" with a file in it.
hostile escape-link-dir "$TMP/outside" '/: duplicate name "d" in directory'
hostile escape-link-dir ../../outside '/: duplicate name "d" in directory'
# A symlink "f" to outside/victim, then a file "f" to write through it.
hostile escape-link-file "$TMP/outside/victim" '/: duplicate name "f" in directory'

# Symlinks Linux cannot create are skipped with a warning, the rest of
# the tree is extracted: exit 0.
python3 "$CRAFT" odd-links links.img
run "$CRAMFSCK" --extract=links links.img
expect_rc 0
cat > want.err <<'EOF'
cramfsck: links.img: warning: empty: symlink with an empty target
cramfsck: links.img: warning: long: symlink target of 4096 bytes (Linux allows 4095)
cramfsck: links.img: warning: nul: symlink target contains a NUL byte
cramfsck: links.img: warning: empty: symlink with an empty target not created
cramfsck: links.img: warning: long: symlink target longer than 4095 bytes not created
cramfsck: links.img: warning: nul: symlink target with a NUL byte not created
EOF
if ! is_root; then
	echo "cramfsck: links.img: warning: owners of 5 entries not restored (needs CAP_CHOWN)" >> want.err
fi
diff want.err "$TMP/err" || fail "unexpected warnings for links.img"
expect_out "links.img: clean, 5 entries, 0 files, 3 blocks, 3 warnings"
[ "$(ls -A links)" = fine ] || { ls -lA links; fail "links/ should hold only 'fine'"; }
[ "$(readlink links/fine)" = target ] || fail "links/fine"

# ---- What comes back ----

python3 "$CRAFT" modes modes.img
run "$CRAMFSCK" modes.img
expect_rc 0
expect_out "modes.img: clean, 19 entries, 7 files, 9 blocks"

# listing_of DIR: tree_listing, after checking that the 0000 directory and
# file are 0000 and opening them so that an unprivileged test can read them.
listing_of() {
	local p
	for p in locked m0000; do
		[ "$(stat -c %a "$1/$p")" = 0 ] || fail "$1/$p: mode $(stat -c %a "$1/$p"), expected 0000"
	done
	chmod 700 "$1/locked"
	chmod 400 "$1/m0000"
	tree_listing "$1"
}

# want_listing PRIVILEGED [UID:GID]: what the modes image extracts to.
want_listing() {
	local o=${2:-}
	if [ "$1" = yes ]; then
		cat <<EOF
abs l 777 0:0 -> /etc/passwd
dangling l 777 0:0 -> nowhere/at/all
empty f 600 0:0 $(sha '')
emptydir directory 711 65535:255 0:0
fifo fifo 640 12:34 0:0
locked directory 700 0:0 0:0
locked/inner f 644 0:0 $(sha 'inside a 0000 directory\n')
m0000 f 400 0:0 $(sha 'zero\n')
m0640 f 640 1234:56 $(sha 'owned\n')
m0777 f 777 0:0 $(sha 'all\n')
max character_special_file 600 0:0 ff:ff
null character_special_file 666 0:0 1:3
rel l 777 0:0 -> ../x/y
sda1 block_special_file 660 0:6 8:1
sgid f 2711 0:7 $(sha 'sgid\n')
sock socket 755 0:0 0:0
sticky directory 1777 0:0 0:0
suid f 4755 0:0 $(sha 'suid\n')
EOF
	else
		# No devices, no set-id bits on files, every owner ours.
		cat <<EOF
abs l 777 $o -> /etc/passwd
dangling l 777 $o -> nowhere/at/all
empty f 600 $o $(sha '')
emptydir directory 711 $o 0:0
fifo fifo 640 $o 0:0
locked directory 700 $o 0:0
locked/inner f 644 $o $(sha 'inside a 0000 directory\n')
m0000 f 400 $o $(sha 'zero\n')
m0640 f 640 $o $(sha 'owned\n')
m0777 f 777 $o $(sha 'all\n')
rel l 777 $o -> ../x/y
sgid f 711 $o $(sha 'sgid\n')
sock socket 755 $o 0:0
sticky directory 1777 $o 0:0
suid f 755 $o $(sha 'suid\n')
EOF
	fi
}

# The warnings of an unprivileged extraction, in walk order.
want_warnings() {
	cat <<'EOF'
cramfsck: modes.img: warning: max: device node not created
cramfsck: modes.img: warning: null: device node not created
cramfsck: modes.img: warning: sda1: device node not created
cramfsck: modes.img: warning: sgid: setuid/setgid bits dropped (owner not restored)
cramfsck: modes.img: warning: suid: setuid/setgid bits dropped (owner not restored)
cramfsck: modes.img: warning: owners of 19 entries not restored (needs CAP_CHOWN)
EOF
}

if is_root; then
	run "$CRAMFSCK" --extract=m modes.img
	expect_rc 0
	[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "warnings extracting as root"; }
	# The root directory takes the image root's mode and owner.
	[ "$(stat -c '%a %u:%g' m)" = "755 0:0" ] || fail "m: $(stat -c '%a %u:%g' m), expected 755 0:0"
	listing_of m > got.txt
	want_listing yes > want.txt
	diff want.txt got.txt || fail "extracted tree differs (root)"
	# Symlinks are stored, never followed: the targets are left alone.
	[ "$(readlink m/abs)" = /etc/passwd ] || fail "m/abs"
fi

# Unprivileged: as ourselves when not root, as nobody through setpriv.
unprivileged=
if ! is_root; then
	unprivileged=" "
	owner="$(id -u):$(id -g)"
elif have setpriv; then
	unprivileged="setpriv --reuid=65534 --regid=65534 --clear-groups"
	owner=65534:65534
fi
if [ -n "$unprivileged" ]; then
	chmod 755 "$TMP"
	mkdir -m 777 nb
	# shellcheck disable=SC2086  # $unprivileged is a command prefix
	run $unprivileged "$CRAMFSCK" --extract=nb/m modes.img
	expect_rc 0
	expect_out "modes.img: clean, 19 entries, 7 files, 9 blocks"
	want_warnings > want.err
	diff want.err "$TMP/err" || fail "unexpected warnings extracting unprivileged"
	listing_of nb/m > got.txt
	want_listing no "$owner" > want.txt
	diff want.txt got.txt || fail "extracted tree differs (unprivileged)"

	# Not allowed to write into the target: operational error, 8.
	mkdir -m 555 locked-target
	# shellcheck disable=SC2086
	run $unprivileged "$CRAMFSCK" --extract=locked-target img
	expect_rc 8
	expect_err "cramfsck: img: locked-target/"
	expect_err ": Permission denied"
	[ -z "$(ls -A locked-target)" ] || fail "something was written into locked-target/"
else
	echo "SKIP part: unprivileged extraction (root without setpriv)"
fi
exit 0

# cramfsck's other outputs: --list is the -v listing without notes, --json
# carries the same counts as the text summary (clean and corrupt images),
# and --extract-tar writes a pax archive that tar turns back into the tree,
# to a file (never a partial one) or to standard output.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

is_root() { [ "$(id -u)" -eq 0 ]; }
have python3 || skip "python3 is needed to parse the JSON"
have tar || skip "tar is needed to read the archives"

# json_get FILE EXPR: evaluate a Python expression on the document `d`.
json_get() { python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# json_vs_summary JSON SUMMARY_LINE: the counts of both agree.
json_vs_summary() {
	python3 - "$1" "$2" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
line = sys.argv[2]
def count(word):
    m = re.search(r'(\d+) ' + word, line)
    return int(m.group(1)) if m else 0
want = {
    "errors": count("errors?"), "warnings": count("warnings?"),
    "entries": count("(?:entry|entries)"), "files": count("files?"),
    "blocks": count("blocks?"),
}
got = {k: d[k] for k in want}
if got != want:
    sys.exit("json %s != summary %s" % (got, want))
if d["clean"] != (want["errors"] == 0):
    sys.exit("clean is %s with %d errors" % (d["clean"], want["errors"]))
nf = {s: sum(1 for f in d["findings"] if f["severity"] == s) for s in ("error", "warning")}
if nf["error"] != want["errors"] or nf["warning"] != want["warnings"]:
    sys.exit("findings %s do not match the counts" % nf)
EOF
}

mkdir -p src/usr/lib src/etc src/empty
printf 'root\n' > src/etc/passwd
chmod 640 src/etc/passwd
head -c 70000 /dev/urandom > src/usr/lib/random
seq 1 30000 > src/usr/lib/text
: > src/emptyfile
printf '#!/bin/sh\n' > src/su
chmod 4755 src/su
chmod 2711 src/usr/lib
ln -s usr/lib/text src/rel
ln -s /nonexistent/absolute src/abs
mkfifo -m 600 src/pipe
echo q > "src/$(printf 'quote"back\\slash tab\t')"
echo u > "src/$(printf 'caf\303\251')"
if is_root; then
	chown 1234:56 src/usr/lib/random
	chown -h 7:8 src/rel
	mknod -m 620 src/etc/tty c 4 5
	mknod -m 660 src/etc/sda1 b 8 1
fi
run "$MKCRAMFS" -q src img
expect_rc 0

# --list: exactly the listing lines of -v (everything before the summary).
run "$CRAMFSCK" -v img
expect_rc 0
head -n -1 "$TMP/out" > v.list
[ -s v.list ] || fail "-v listed nothing"
run "$CRAMFSCK" --list img
expect_rc 0
head -n -1 "$TMP/out" > list.list
cmp -s v.list list.list || { diff v.list list.list || :; fail "--list differs from -v"; }
tail -n 1 "$TMP/out" > list.summary
grep -q '^img: clean, ' list.summary || fail "--list lost the summary"
# Notes (trailing bytes) show with -v, not with --list.
cp img padded.img
head -c 1000 /dev/zero >> padded.img
run "$CRAMFSCK" --list padded.img
expect_rc 0
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "--list showed notes"; }
run "$CRAMFSCK" -v padded.img
expect_err "note: image followed by 1000 bytes"

# --json on a clean image: valid JSON, the summary's counts, every entry.
run "$CRAMFSCK" img
expect_rc 0
summary=$(cat "$TMP/out")
run "$CRAMFSCK" --json img
expect_rc 0
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "--json wrote to stderr"; }
cp "$TMP/out" clean.json
python3 -m json.tool clean.json > /dev/null || { cat clean.json; fail "--json is not JSON"; }
json_vs_summary clean.json "$summary" || fail "--json counts differ from the summary"
[ "$(json_get clean.json 'd["image"], d["endian"], d["super_offset"], d["block_size"], d["clean"]')" = \
  "('img', 'little', 0, 4096, True)" ] || fail "--json superblock facts"
[ "$(json_get clean.json 'd["size"] == '"$(stat -c %s img)")" = True ] || fail "--json size"
[ "$(json_get clean.json 'len(d["entries_list"])')" = "$(find src | wc -l)" ] ||
	fail "--json entries_list is not every entry"
[ "$(json_get clean.json '[(e["type"], e["target"]) for e in d["entries_list"] if e["path"] == "/rel"]')" = \
  "[('l', 'usr/lib/text')]" ] || fail "--json symlink target"
[ "$(json_get clean.json '[e["mode"] for e in d["entries_list"] if e["path"] == "/su"]')" = \
  "[$((0104755))]" ] || fail "--json mode"
json_get clean.json '[e["path"] for e in d["entries_list"]]' | grep -qF "'/quote\"back\\\\slash tab\\t'" ||
	fail "--json did not escape a name"
json_get clean.json '[e["path"] for e in d["entries_list"]]' | grep -qF "'/café'" ||
	fail "--json mangled a UTF-8 name"
# Control characters are \u00XX.
grep -qF 'tab\u0009' clean.json || fail "--json control character not as \\u00XX"
# Big-endian, padded, XIP: the facts follow.
run "$MKCRAMFS" -q -N big -p -x src big.img
expect_rc 0
run "$CRAMFSCK" big.img
summary=$(cat "$TMP/out")
run "$CRAMFSCK" --json big.img
expect_rc 0
cp "$TMP/out" big.json
json_vs_summary big.json "$summary" || fail "--json counts differ (big endian)"
[ "$(json_get big.json 'd["endian"], d["super_offset"]')" = "('big', 512)" ] ||
	fail "--json endian/offset"
run "$MKCRAMFS" -q --xip=all src xip.img
if [ "$RC" -eq 0 ]; then
	run "$CRAMFSCK" xip.img
	summary=$(cat "$TMP/out")
	run "$CRAMFSCK" --json xip.img
	cp "$TMP/out" xip.json
	json_vs_summary xip.json "$summary" || fail "--json counts differ (XIP)"
	[ "$(json_get xip.json 'd["xip"]["pages"] == sum(e.get("xip_pages", 0) for e in d["entries_list"])')" = True ] ||
		fail "--json xip pages do not add up"
	echo "$summary" | grep -qF "XIP: $(json_get xip.json 'd["xip"]["fully"]') fully" ||
		fail "--json xip totals differ from the summary"
fi

# A corrupt image: flip a byte of file data, recompute nothing. The data
# of the files (zlib streams with a checksum each) fills the second half
# of the image, so its middle byte belongs to one of them.
off=$(( $(stat -c %s img) * 3 / 4 ))
byte=$(od -An -tu1 -j "$off" -N 1 img | tr -d ' ')
cp img bad.img
# shellcheck disable=SC2059  # the format is the one byte to write
printf "\\$(printf %03o $(( byte ^ 0xff )))" | dd of=bad.img bs=1 seek="$off" conv=notrunc status=none
cmp -s img bad.img && fail "the byte at $off did not change"
run "$CRAMFSCK" bad.img
expect_rc 4
summary=$(cat "$TMP/out")
run "$CRAMFSCK" --json bad.img
expect_rc 4
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "--json printed findings as text"; }
cp "$TMP/out" bad.json
python3 -m json.tool bad.json > /dev/null || { cat bad.json; fail "--json of a corrupt image is not JSON"; }
json_vs_summary bad.json "$summary" || fail "--json counts differ from the summary (corrupt)"
[ "$(json_get bad.json 'd["errors"] > 0 and not d["clean"]')" = True ] || fail "--json errors"
# The wrong block size: the suggestion is a note in the document too.
run "$CRAMFSCK" --json -b 16384 img
expect_rc 4
[ ! -s "$TMP/err" ] || { cat "$TMP/err"; fail "--json printed the suggestion as text"; }
cp "$TMP/out" wrongbs.json
[ "$(json_get wrongbs.json '[f["message"] for f in d["findings"] if f["severity"] == "note" and f["path"] is None][-1]')" = \
  "the image checks clean with -b 4096" ] || fail "--json lacks the block size note"
# A corrupt image writes no archive.
run "$CRAMFSCK" --extract-tar=bad.tar bad.img
expect_rc 4
expect_err "not extracted"
[ ! -e bad.tar ] || fail "a corrupt image left a tar archive"
ls bad.tar.* >/dev/null 2>&1 && fail "a corrupt image left a temporary file"

# --extract-tar: tar reads the archive back into the tree.
run "$CRAMFSCK" --extract-tar=out.tar img
expect_rc 0
[ -s out.tar ] || fail "no archive written"
ls out.tar.* >/dev/null 2>&1 && fail "temporary file left behind"
run tar -tvf out.tar
expect_rc 0
expect_out "./usr/lib/text"
expect_out "./rel -> usr/lib/text"
expect_out " 1970-01-01 00:00 ./su"
grep -q '^prw------- .* ./pipe$' "$TMP/out" || fail "fifo missing from the archive"
mkdir x
if is_root; then
	run tar --same-owner --numeric-owner -xpf out.tar -C x
else
	run tar -xpf out.tar -C x
fi
expect_rc 0
# The reference: the source as mkcramfs stores it (gid 8 bits, no times).
tree_listing src > want.list
tree_listing x > got.list
if ! is_root; then
	# Owners: the archive says the stored ids, tar restores ours.
	sed -E 's/ [0-9]+:[0-9]+ / U /' want.list > a; mv a want.list
	sed -E 's/ [0-9]+:[0-9]+ / U /' got.list > a; mv a got.list
fi
cmp -s want.list got.list || { diff want.list got.list || :; fail "tar round trip differs"; }
if is_root; then
	grep -q '^etc/tty character_special_file 620 0:0 4:5$' got.list || fail "char device not restored"
fi

# To standard output: the same archive, the summary on stderr.
run "$CRAMFSCK" --extract-tar=- img
expect_rc 0
cmp -s out.tar "$TMP/out" || fail "--extract-tar=- differs from the file archive"
expect_err "img: clean, "
run "$CRAMFSCK" --json --extract-tar=- img
expect_rc 16

# A socket cannot go into a tar archive: left out with a warning.
mkdir sock
echo data > sock/f
if python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' sock/s; then
	run "$MKCRAMFS" -q sock sock.img
	expect_rc 0
	run "$CRAMFSCK" --extract-tar=sock.tar sock.img
	expect_rc 0
	expect_err "warning: s: socket not archived"
	run tar -tf sock.tar
	[ "$(cat "$TMP/out")" = "$(printf './\n./f')" ] || { cat "$TMP/out"; fail "socket archive contents"; }
fi

# Names are bytes: valid UTF-8 shows as is, anything else (and C1
# controls) as octal escapes, so a name cannot drive the terminal.
mkdir names
echo a > "names/$(printf 'caf\303\251')"
echo b > "names/$(printf 'bad\377\376')"
echo c > "names/$(printf 'csi\302\233x')"
run "$MKCRAMFS" -q names names.img
expect_rc 0
run "$CRAMFSCK" -v names.img
expect_rc 0
expect_out "$(printf '/caf\303\251')"
expect_out '/bad\377\376'
expect_out '/csi\302\233x'
exit 0

# mkcramfs -X -X on real binaries: host ELF64 executables and a shared
# library, a static busybox, freestanding ELF32/ELF64 binaries of both byte
# orders from the cross compilers, a text file and a hard link. Every page
# of every read-only PT_LOAD segment (pages computed here from readelf -lW)
# must be mappable under the kernel's rule, checked by xip_pages.py, which
# reads the image without libcramfs; writable-only pages must not be XIP;
# the JSON report must agree; cramfsck must pass the image and extract the
# tree unchanged. Then the same with -N big, -p, -b 16384, and -X once
# (8-byte aligned runs for no-MMU kernels).
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"
export LC_ALL=C

have python3 || skip "python3 is not installed"
have readelf || skip "readelf (binutils) is not installed"
XIP_PAGES=$SRCDIR/tests/cli/xip_pages.py

# The tree.
mkdir -p src/bin src/lib src/etc
for b in ls cat; do
	[ -f "/usr/bin/$b" ] || skip "/usr/bin/$b is missing"
	cp "/usr/bin/$b" src/bin/
done
for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /lib /usr/lib; do
	if [ -f "$d/libc.so.6" ]; then
		cp -L "$d/libc.so.6" src/lib/
		break
	fi
done
[ -f src/lib/libc.so.6 ] || echo "note: no libc.so.6 found; testing without a shared library"
if [ -f /bin/busybox ] && readelf -lW /bin/busybox 2>/dev/null | grep -q ' LOAD ' &&
   ! readelf -lW /bin/busybox | grep -q INTERP; then
	cp /bin/busybox src/bin/busybox
else
	echo "note: no static /bin/busybox (busybox-static); testing without it"
fi

# A freestanding program: text, a read-only table over three pages, data.
cat > fs.c <<'EOF'
static const unsigned char table[3 * 4096 + 123] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const char message[] = "execute in place";
volatile int counter = 1;

void _start(void)
{
	for (;;)
		counter += table[(unsigned int)counter % sizeof(table)] +
			   message[(unsigned int)counter % sizeof(message)];
}
EOF
cross=0
for cc in mips-linux-gnu-gcc arm-linux-gnueabihf-gcc powerpc64-linux-gnu-gcc; do
	have "$cc" || { echo "note: $cc is not installed"; continue; }
	out=src/bin/fs-${cc%%-*}
	# -z separate-code: R, RX, R, RW segments as in distribution binaries.
	"$cc" -nostdlib -static -ffreestanding -O2 -Wl,-e,_start \
		-Wl,-z,separate-code -o "$out" fs.c 2>/dev/null ||
		"$cc" -nostdlib -static -ffreestanding -O2 -Wl,-e,_start -o "$out" fs.c ||
		fail "$cc cannot build a freestanding binary"
	readelf -lW "$out" | grep ' LOAD ' | grep -q ' RW ' ||
		fail "$out has no writable segment"
	cross=$((cross + 1))
done
echo "note: $cross cross-compiled binaries"
echo "hello, world" > src/etc/motd
ln src/bin/ls src/bin/ls-link
tree_listing src > want.txt

# expect_segments PAGE: for every regular file, one line per PT_LOAD segment
# with file bytes: "ro PATH FIRST LAST" when its flags lack W, else "w ...";
# FIRST..LAST are the pages of PAGE bytes that the segment's bytes touch.
expect_segments() {
	local page=$1 f type off fsz rest flags
	(cd src && find . -type f | sort) | while IFS= read -r f; do
		f=${f#./}
		readelf -lW "src/$f" 2>/dev/null |
		while read -r type off _ _ fsz _ rest; do
			[ "$type" = LOAD ] || continue
			off=$((off))
			fsz=$((fsz))
			[ "$fsz" -gt 0 ] || continue
			flags=${rest% *}
			case $flags in
			*W*) printf 'w %s ' "$f" ;;
			*R*|*E*) printf 'ro %s ' "$f" ;;
			*) continue ;;
			esac
			echo "$((off / page)) $(((off + fsz + page - 1) / page - 1))"
		done
	done
}

# check_image PAGE [MKCRAMFS OPTION...]: build with -X -X and check it all.
check_image() {
	local page=$1
	shift
	expect_segments "$page" > expect.txt
	grep -q '^ro bin/ls ' expect.txt || fail "no read-only segment found in bin/ls"
	rm -f img r.json
	run "$MKCRAMFS" -X -X --report=r.json --report-format=json "$@" src img
	expect_rc 0
	run python3 -m json.tool r.json
	expect_rc 0
	run python3 "$XIP_PAGES" img --block-size "$page" --expect expect.txt --report r.json
	cat "$TMP/out"
	expect_rc 0
	run "$CRAMFSCK" -b "$page" img
	expect_rc 0
	rm -rf x
	run "$CRAMFSCK" -b "$page" --extract=x img
	expect_rc 0
	tree_listing x > got.txt
	diff want.txt got.txt || fail "extracted tree differs from the source ($*)"
}

check_image 4096
cp r.json default.json
check_image 4096 -N big
check_image 4096 -p
check_image 16384 -b 16384
check_image 16384 -b 16384 -N big -p

# Page-multiple ELF files keep their last page compressed unless asked.
run "$MKCRAMFS" -X -X --xip-map-last-page src img
expect_rc 0
expect_segments 4096 > expect.txt
run python3 "$XIP_PAGES" img --expect expect.txt --map-last-page
expect_rc 0

# -X once: runs 8-byte aligned (no-MMU), page stride inside each run.
expect_segments 4096 > expect.txt
run "$MKCRAMFS" -X src img
expect_rc 0
run python3 "$XIP_PAGES" img --expect expect.txt --align 8
expect_rc 0
run python3 "$XIP_PAGES" img --list
expect_rc 0
run "$CRAMFSCK" img
expect_rc 0
rm -rf x
run "$CRAMFSCK" --extract=x img
expect_rc 0
tree_listing x > got.txt
diff want.txt got.txt || fail "extracted tree differs from the source (-X)"

# The figures for the README: our padding against cramfs-tools' inline one.
python3 - default.json <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["totals"]
print("measured: %d XIP files, %d pages; padding %d bytes, inline layout %d bytes"
      % (t["xip_files"], t["xip_pages"], t["padding"], t["inline_padding"]))
EOF

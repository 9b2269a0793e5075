# A hostile image must not make cramfsck work in proportion to entries x
# blocks: 400 entries whose block tables overlap (at T, T+4, T+8, ...),
# each of 4095 pointers to one compressed block. The tables are reported
# and their blocks never inflated, so the check takes milliseconds (it
# took seconds when every table's blocks were inflated ahead).
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"

have python3 || skip "python3 is not installed"
python3 - overlap.img <<'PY'
import struct, sys, zlib
N, NB, BS = 400, 4095, 4096
block = bytes((i * 7 + i // 13) % 251 for i in range(BS))
z = zlib.compress(block, 9)
table = 76 + 16 * N                  # the tables start after the entries
blocks = table + 4 * (NB + N)        # one run of pointers, every table in it
img = bytearray(blocks + 2 + len(z))
img[blocks:blocks + 2] = struct.pack('<H', len(z))
img[blocks + 2:] = z
img += bytes(-len(img) % BS)

def inode(mode, size, namelen, off):
    return struct.pack('<III', mode, size, namelen // 4 | (off >> 2) << 6)

for i in range(N):
    img[76 + 16 * i:92 + 16 * i] = inode(0o100644, NB * BS, 4, table + 4 * i) + b'%04d' % i
direct = 1 << 30 | blocks >> 2
for k in range(NB + N):
    struct.pack_into('<I', img, table + 4 * k, direct)
flags = 0x1 | 0x2 | 0x800           # fsid v2, sorted dirs, extended pointers
img[0:76] = struct.pack('<IIII16sIIII16s', 0x28cd3d45, len(img), flags, 0,
                        b'Compressed ROMFS', 0, 0, N * NB, N + 1,
                        b'Compressed') + inode(0o40755, 16 * N, 0, 76)
struct.pack_into('<I', img, 32, zlib.crc32(bytes(img)))
open(sys.argv[1], 'wb').write(img)
PY
start=$(date +%s)
run timeout 60 "$CRAMFSCK" overlap.img
expect_rc 4
expect_err "overlaps the table at"
[ $(( $(date +%s) - start )) -le 2 ] || fail "cramfsck took over 2 s on a small image"

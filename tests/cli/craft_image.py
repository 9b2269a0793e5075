#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write cramfs images field by field, sound or broken on purpose.

Usage: craft_image.py SCENARIO OUTPUT [ARG]
       craft_image.py --list
       craft_image.py --mutate IMAGE OUTDIR OFFSET...

The tests of cramfsck need images that no well-behaved mkcramfs writes:
cycles, bad names, bad block pointers, broken zlib streams. Each scenario
below lays out a small tree the usual way (superblock, the root's entries
at byte 76, the other directories' entries, then each file's block pointer
table and blocks), then changes the one field it is about. Images are
little endian with 4096-byte blocks unless a scenario says otherwise.
"""
import stat
import struct
import sys
import zlib

MAGIC = 0x28CD3D45
SIGNATURE = b"Compressed ROMFS"
SUPER_SIZE = 76
CRC_OFFSET = 32

FLAG_FSID_V2 = 0x1
FLAG_SORTED_DIRS = 0x2
FLAG_HOLES = 0x100
FLAG_EXT_BLOCK_POINTERS = 0x800

BLK_UNCOMPRESSED = 1 << 31

DIR = stat.S_IFDIR
REG = stat.S_IFREG
LNK = stat.S_IFLNK
CHR = stat.S_IFCHR
BLK = stat.S_IFBLK
FIFO = stat.S_IFIFO
SOCK = stat.S_IFSOCK


def pad4(n):
    return (n + 3) & ~3


def inode(mode, uid=0, size=0, gid=0, namelen=0, offset=0):
    """The 12-byte inode, little endian, fields packed from bit 0 up:
    word 0 = mode:16 uid:16, word 1 = size:24 gid:8,
    word 2 = namelen:6 offset:26 (both in 4-byte units)."""
    for value, bits in ((mode, 16), (uid, 16), (size, 24), (gid, 8),
                        (namelen, 6), (offset, 26)):
        assert 0 <= value < 1 << bits, (value, bits)
    return struct.pack("<III", mode | uid << 16, size | gid << 24,
                       namelen | offset << 6)


class Node:
    """One entry. Directories have children, files and symlinks data."""

    def __init__(self, name, mode, children=(), data=b"", uid=0, gid=0,
                 rdev=0, blocks=None):
        self.name = name if isinstance(name, bytes) else name.encode()
        self.mode = mode
        self.children = list(children)
        self.data = data if isinstance(data, bytes) else data.encode()
        self.uid = uid
        self.gid = gid
        self.rdev = rdev            # major << 8 | minor, for devices
        self.blocks = blocks        # stored bytes of each block, if not zlib
        # Filled in by Image.layout():
        self.entry_at = None        # where this node's inode is
        self.entries_at = 0         # directories: where the entries start
        self.entries_len = 0
        self.table_at = 0           # files, symlinks: block pointer table

    def size(self):
        if stat.S_ISDIR(self.mode):
            return self.entries_len
        if stat.S_ISCHR(self.mode) or stat.S_ISBLK(self.mode):
            return self.rdev
        return len(self.data)

    def offset(self):
        if stat.S_ISDIR(self.mode):
            return self.entries_at
        return self.table_at


def Dir(name, *children, mode=0o755, **kw):
    return Node(name, DIR | mode, children=children, **kw)


def File(name, data=b"", mode=0o644, **kw):
    return Node(name, REG | mode, data=data, **kw)


def Link(name, target, **kw):
    return Node(name, LNK | 0o777, data=target, **kw)


def Dev(name, kind, major, minor, mode=0o600, **kw):
    return Node(name, kind | mode, rdev=major << 8 | minor, **kw)


class Image:
    def __init__(self, root, block_size=4096, flags=FLAG_FSID_V2 | FLAG_SORTED_DIRS,
                 sort=True):
        self.root = root
        self.block_size = block_size
        self.flags = flags
        self.sort = sort
        self.buf = bytearray(SUPER_SIZE)
        self.layout()

    def nodes(self, node=None):
        node = node or self.root
        yield node
        for child in node.children:
            yield from self.nodes(child)

    def find(self, path):
        node = self.root
        for part in path.encode().split(b"/") if path else []:
            node = next(c for c in node.children if c.name == part)
        return node

    def layout(self):
        dirs = [n for n in self.nodes() if stat.S_ISDIR(n.mode)]
        for d in dirs:
            if self.sort:
                d.children.sort(key=lambda c: c.name)
        # Directory entries, the root's first, then the data.
        pos = SUPER_SIZE
        for d in dirs:
            d.entries_at = pos if d.children else 0
            for c in d.children:
                c.entry_at = pos
                pos += 12 + pad4(len(c.name))
            d.entries_len = pos - d.entries_at if d.children else 0
        self.root.entries_at = SUPER_SIZE
        self.buf += bytes(pos - SUPER_SIZE)
        for n in self.nodes():
            if (stat.S_ISREG(n.mode) or stat.S_ISLNK(n.mode)) and n.data:
                self.put_data(n)
        for n in self.nodes():
            if n is not self.root:
                self.write_entry(n)

    def put_data(self, n):
        bs = self.block_size
        chunks = [n.data[i:i + bs] for i in range(0, len(n.data), bs)]
        stored = n.blocks or [zlib.compress(c) for c in chunks]
        n.table_at = len(self.buf)
        self.buf += bytes(4 * len(stored))
        for i, b in enumerate(stored):
            self.buf += b
            self.put32(n.table_at + 4 * i, len(self.buf))
        self.buf += bytes(pad4(len(self.buf)) - len(self.buf))

    def write_entry(self, n, **override):
        """(Re)write n's entry; override changes raw inode fields."""
        fields = dict(mode=n.mode, uid=n.uid, size=n.size(), gid=n.gid,
                      namelen=pad4(len(n.name)) // 4, offset=n.offset() // 4)
        fields.update(override)
        raw = inode(**fields) + n.name + bytes(pad4(len(n.name)) - len(n.name))
        self.buf[n.entry_at:n.entry_at + len(raw)] = raw

    def put32(self, off, value):
        struct.pack_into("<I", self.buf, off, value)

    def ptr(self, n, index):
        return struct.unpack_from("<I", self.buf, n.table_at + 4 * index)[0]

    def set_ptr(self, n, index, value):
        self.put32(n.table_at + 4 * index, value)

    def seal(self, good_crc=True):
        """Write the superblock; with a CRC of the whole image unless told."""
        # Pad to the block size as every writer does: the kernel reads each
        # directory entry as 264 bytes, which must stay inside the image.
        self.buf.extend(bytes(-len(self.buf) % self.block_size))
        nodes = list(self.nodes())
        seen, blocks = set(), 0
        for n in nodes:
            if n.table_at and n.table_at not in seen:
                seen.add(n.table_at)
                blocks += -(-len(n.data) // self.block_size)
        root = inode(self.root.mode, self.root.uid, self.root.entries_len,
                     self.root.gid, 0, SUPER_SIZE // 4)
        sb = struct.pack("<IIII16sIIII16s", MAGIC, len(self.buf), self.flags, 0,
                         SIGNATURE, 0, 0, blocks, len(nodes), b"Compressed")
        self.buf[:SUPER_SIZE] = sb + root
        crc = zlib.crc32(bytes(self.buf))
        self.put32(CRC_OFFSET, crc if good_crc else crc ^ 0xDEADBEEF)
        return bytes(self.buf)


def base_tree():
    """A bit of everything, three blocks of data in dir/file."""
    text = b"".join(b"line %d of the file\n" % i for i in range(600))
    return Dir(b"",
               Dir("dir", File("file", text[:3 * 4096 - 5]), File("small", "x\n")),
               Dev("null", CHR, 1, 3, mode=0o666),
               Node("fifo", FIFO | 0o644),
               Link("link", "dir/file"))


# ------------------------------------------------------------------------
# Scenarios: each returns the image bytes.
# ------------------------------------------------------------------------

SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__.replace("_", "-")] = fn
    return fn


@scenario
def good(arg):
    """The base tree, sound: must check clean."""
    return Image(base_tree()).seal()


@scenario
def bad_crc(arg):
    """Sound but for the CRC in the superblock."""
    return Image(base_tree()).seal(good_crc=False)


@scenario
def unsupported_flag(arg):
    """Superblock flag 0x1000, which no kernel knows."""
    img = Image(base_tree(), flags=FLAG_FSID_V2 | FLAG_SORTED_DIRS | 0x1000)
    return img.seal()


@scenario
def root_not_dir(arg):
    """The root inode in the superblock is a regular file."""
    img = Image(base_tree())
    img.root.mode = REG | 0o644
    return img.seal()


@scenario
def cycle_root(arg):
    """Directory "dir" lists the root's entries: dir/dir/dir/..."""
    img = Image(base_tree())
    img.write_entry(img.find("dir"), offset=img.root.entries_at // 4,
                    size=img.root.entries_len)
    return img.seal()


@scenario
def cycle_parent(arg):
    """a/b lists the entries of its parent a."""
    img = Image(Dir(b"", Dir("a", Dir("b", File("f", "f\n")), File("g", "g\n"))))
    a = img.find("a")
    img.write_entry(img.find("a/b"), offset=a.entries_at // 4, size=a.entries_len)
    return img.seal()


@scenario
def shared_dir(arg):
    """Directories "one" and "two" list the same entries."""
    img = Image(Dir(b"", Dir("one", File("f", "f\n")), Dir("two", File("g", "g\n"))))
    one = img.find("one")
    img.write_entry(img.find("two"), offset=one.entries_at // 4, size=one.entries_len)
    return img.seal()


@scenario
def deep_nesting(arg):
    """300 nested directories: deeper than any reader should recurse."""
    node = File("bottom", "deep\n")
    for _ in range(300):
        node = Dir("d", node)
    return Image(Dir(b"", node)).seal()


@scenario
def dir_beyond_end(arg):
    """dir's entries lie past the end of the image."""
    img = Image(base_tree())
    img.write_entry(img.find("dir"), offset=0x100000 // 4)
    return img.seal()


@scenario
def data_beyond_end(arg):
    """dir/file's block pointer table lies past the end of the image."""
    img = Image(base_tree())
    img.write_entry(img.find("dir/file"), offset=0x100000 // 4)
    return img.seal()


@scenario
def entry_crosses_dir_end(arg):
    """dir's size stops in the middle of its second entry."""
    img = Image(base_tree())
    d = img.find("dir")
    img.write_entry(d, size=d.entries_len - 4)
    return img.seal()


def named(raw):
    img = Image(Dir(b"", Dir("dir", File("ok", "ok\n"), File(raw, "bad\n"))))
    return img.seal()


@scenario
def name_dotdot(arg):
    """dir/.. is a regular file."""
    return named(b"..")


@scenario
def name_dot(arg):
    """dir/. is a regular file."""
    return named(b".")


@scenario
def name_slash(arg):
    """dir holds a file named "a/b"."""
    return named(b"a/b")


@scenario
def name_nul(arg):
    """dir holds a file named "a\\0b"."""
    return named(b"a\0b")


@scenario
def name_padding(arg):
    """dir/long's 4-byte name is followed by 4 NUL bytes (at most 3 allowed)."""
    return named(b"long\0\0\0\0")


@scenario
def unsorted(arg):
    """SORTED_DIRS is set but dir lists "b" before "a"."""
    img = Image(Dir(b"", Dir("dir", File("b", "b\n"), File("a", "a\n"))), sort=False)
    return img.seal()


@scenario
def duplicate(arg):
    """dir holds two entries named "same"."""
    return Image(Dir(b"", Dir("dir", File("same", "one\n"), File("same", "two\n")))).seal()


@scenario
def ptr_beyond_end(arg):
    """Block 1 of dir/file ends at 0x100000, far past the image end."""
    img = Image(base_tree())
    img.set_ptr(img.find("dir/file"), 1, 0x100000)
    return img.seal()


@scenario
def ptr_decreasing(arg):
    """Block 2 of dir/file ends before block 1 does."""
    img = Image(base_tree())
    f = img.find("dir/file")
    img.set_ptr(f, 2, img.ptr(f, 1) - 8)
    return img.seal()


@scenario
def bad_zlib(arg):
    """Block 1 of dir/file is not a zlib stream."""
    f = File("file", b"A" * 4096 + b"B" * 4096,
             blocks=[zlib.compress(b"A" * 4096), b"\x78\x9cnot zlib at all"])
    return Image(Dir(b"", Dir("dir", f))).seal()


@scenario
def zlib_short(arg):
    """Block 0 of dir/file inflates to 100 bytes instead of 4096."""
    f = File("file", b"C" * 4096, blocks=[zlib.compress(b"C" * 100)])
    return Image(Dir(b"", Dir("dir", f))).seal()


@scenario
def long_block(arg):
    """Block 0 of dir/file takes 9000 bytes, more than twice 4096."""
    data = b"D" * 4096
    f = File("file", data, blocks=[zlib.compress(data) + bytes(9000)])
    return Image(Dir(b"", Dir("dir", f))).seal()


@scenario
def hole_without_flag(arg):
    """Block 0 of dir/file is empty (a hole) but HOLES is not set."""
    data = bytes(4096) + b"tail\n"
    f = File("file", data, blocks=[b"", zlib.compress(b"tail\n")])
    return Image(Dir(b"", Dir("dir", f))).seal()


@scenario
def ext_ptr_without_flag(arg):
    """dir/file's block pointer has the uncompressed bit, EXT is not set."""
    img = Image(base_tree())
    f = img.find("dir/file")
    img.set_ptr(f, 0, img.ptr(f, 0) | BLK_UNCOMPRESSED)
    return img.seal()


@scenario
def fifo_size(arg):
    """The fifo claims 5 bytes."""
    img = Image(base_tree())
    img.write_entry(img.find("fifo"), size=5)
    return img.seal()


@scenario
def socket_size(arg):
    """A socket that claims 7 bytes."""
    img = Image(Dir(b"", Node("sock", SOCK | 0o755)))
    img.write_entry(img.find("sock"), size=7)
    return img.seal()


@scenario
def unknown_type(arg):
    """An entry whose mode has file type 0."""
    img = Image(Dir(b"", File("what", "x\n")))
    img.write_entry(img.find("what"), mode=0o644)
    return img.seal()


@scenario
def count_mismatch(arg):
    """Sound, but fsid.files counts one entry too many: a warning only."""
    img = Image(base_tree())
    img.seal()
    struct.pack_into("<I", img.buf, 44, len(list(img.nodes())) + 1)
    fix_crc(img.buf)
    return bytes(img.buf)


# Extraction: sound images, and hostile ones that try to write at ARG.

@scenario
def modes(arg):
    """Every kind of entry, odd modes and owners (sound image)."""
    return Image(Dir(b"",
        File("m0000", "zero\n", mode=0o000),
        File("m0777", "all\n", mode=0o777),
        File("m0640", "owned\n", mode=0o640, uid=1234, gid=56),
        File("suid", "suid\n", mode=0o4755),
        File("sgid", "sgid\n", mode=0o2711, gid=7),
        File("empty", mode=0o600),
        Dir("locked", File("inner", "inside a 0000 directory\n"), mode=0o000),
        Dir("sticky", mode=0o1777),
        Dir("emptydir", mode=0o711, uid=65535, gid=255),
        Link("abs", "/etc/passwd"),
        Link("rel", "../x/y"),
        Link("dangling", "nowhere/at/all"),
        Dev("null", CHR, 1, 3, mode=0o666),
        Dev("sda1", BLK, 8, 1, mode=0o660, gid=6),
        Dev("max", CHR, 255, 255, mode=0o600),
        Node("fifo", FIFO | 0o640, uid=12, gid=34),
        Node("sock", SOCK | 0o755),
        uid=0, gid=0, mode=0o755)).seal()


@scenario
def odd_links(arg):
    """Symlinks Linux cannot create: empty, with a NUL, of 4096 bytes."""
    return Image(Dir(b"", Link("empty", ""), Link("nul", "a\0b"),
                     Link("long", "L" * 4096), Link("fine", "target"))).seal()


def outside(arg):
    if not arg:
        sys.exit("this scenario needs the outside path as its third argument")
    return arg


@scenario
def escape_dotdot(arg):
    """A directory ".." holding a file named ARG: written to ../ARG if followed."""
    return Image(Dir(b"", Dir("..", File(outside(arg), "pwned\n")))).seal()


@scenario
def escape_slash(arg):
    """A file named ARG (holding a '/', e.g. "../x"): written to ARG if followed."""
    return Image(Dir(b"", File(outside(arg), "pwned\n"))).seal()


@scenario
def escape_link_dir(arg):
    """Symlink "d" -> ARG, then a directory "d" holding "pwned"."""
    return Image(Dir(b"", Link("d", outside(arg)),
                     Dir("d", File("pwned", "pwned\n")))).seal()


@scenario
def escape_link_file(arg):
    """Symlink "f" -> ARG, then a file "f": written through the link if followed."""
    return Image(Dir(b"", Link("f", outside(arg)), File("f", "pwned\n"))).seal()


def fix_crc(buf):
    """Recompute the CRC of an image in either byte order, at 0 or 512."""
    for off in (0, 512):
        for order in "<>":
            if len(buf) >= off + SUPER_SIZE and \
                    struct.unpack_from(order + "I", buf, off)[0] == MAGIC:
                size = struct.unpack_from(order + "I", buf, off + 4)[0]
                if size < off + SUPER_SIZE or size > len(buf):
                    return
                struct.pack_into("<I", buf, off + CRC_OFFSET, 0)
                crc = zlib.crc32(bytes(buf[off:size]))
                struct.pack_into(order + "I", buf, off + CRC_OFFSET, crc)
                return


def mutate(image, outdir, offsets):
    """Write OUTDIR/OFFSET-BYTE.img for each offset: the byte XORed with
    0xff, then set to 0x80, the CRC recomputed so that checks go deeper."""
    with open(image, "rb") as f:
        orig = f.read()
    for off in offsets:
        if off >= len(orig):
            continue
        for byte in (orig[off] ^ 0xFF, 0x80):
            buf = bytearray(orig)
            buf[off] = byte
            fix_crc(buf)
            with open("%s/%06d-%02x.img" % (outdir, off, byte), "wb") as out:
                out.write(buf)


def main(argv):
    if len(argv) >= 4 and argv[1] == "--mutate":
        mutate(argv[2], argv[3], [int(a) for a in argv[4:]])
        return 0
    if len(argv) == 2 and argv[1] == "--list":
        for name, fn in SCENARIOS.items():
            print("%-22s %s" % (name, fn.__doc__.strip().splitlines()[0]))
        return 0
    if len(argv) not in (3, 4) or argv[1] not in SCENARIOS:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    data = SCENARIOS[argv[1]](argv[3] if len(argv) == 4 else None)
    with open(argv[2], "wb") as out:
        out.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Regenerate the seed corpus of tests/fuzz/corpus/fuzz_image.

Usage: make_corpus.py MKCRAMFS OUTDIR

Valid seeds are made by the project's own mkcramfs from small trees built
here; the others are copies of those images with a few bytes changed (and
the CRC made right again, so that only the intended problem remains).
The script is deterministic: the same mkcramfs gives the same files.
Crashing inputs found by the fuzzer are added to the corpus by hand and are
not regenerated here.
"""
import os
import random
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import zlib

MAGIC = 0x28CD3D45
SUPER_SIZE = 76
FLAG_HOLES = 0x100
FLAG_EXT_PTRS = 0x800
BLK_UNCOMPRESSED = 1 << 31
BLK_DIRECT = 1 << 30


class Image:
    """A cramfs image as a bytearray, with just enough decoding to edit it."""

    def __init__(self, data, block_size=4096):
        self.b = bytearray(data)
        self.bs = block_size
        for off in (0, 512):
            if len(self.b) < off + SUPER_SIZE:
                continue
            if struct.unpack_from('<I', self.b, off)[0] == MAGIC:
                self.e = '<'
            elif struct.unpack_from('>I', self.b, off)[0] == MAGIC:
                self.e = '>'
            else:
                continue
            self.so = off
            break
        else:
            raise ValueError('no superblock')

    def u32(self, off):
        return struct.unpack_from(self.e + 'I', self.b, off)[0]

    def put32(self, off, v):
        struct.pack_into(self.e + 'I', self.b, off, v & 0xffffffff)

    def inode(self, off):
        w0, w1, w2 = struct.unpack_from(self.e + '3I', self.b, off)
        if self.e == '<':
            return dict(mode=w0 & 0xffff, uid=w0 >> 16, size=w1 & 0xffffff,
                        gid=w1 >> 24, namelen=w2 & 0x3f, offset=w2 >> 6)
        return dict(mode=w0 >> 16, uid=w0 & 0xffff, size=w1 >> 8,
                    gid=w1 & 0xff, namelen=w2 >> 26, offset=w2 & 0x3ffffff)

    def put_inode(self, off, i):
        if self.e == '<':
            w = (i['mode'] | i['uid'] << 16, i['size'] | i['gid'] << 24,
                 i['namelen'] | i['offset'] << 6)
        else:
            w = (i['mode'] << 16 | i['uid'], i['size'] << 8 | i['gid'],
                 i['namelen'] << 26 | i['offset'])
        struct.pack_into(self.e + '3I', self.b, off, *w)

    def root_off(self):
        return self.so + SUPER_SIZE - 12

    def entries(self):
        """path -> offset of its inode, parents first."""
        out = {'': self.root_off()}
        todo = ['']
        while todo:
            path = todo.pop(0)
            ino = self.inode(out[path])
            pos = ino['offset'] << 2
            end = pos + ino['size']
            while pos < end:
                e = self.inode(pos)
                n = e['namelen'] << 2
                name = bytes(self.b[pos + 12:pos + 12 + n]).rstrip(b'\0')
                p = (path + '/' if path else '') + name.decode()
                out[p] = pos
                if stat.S_ISDIR(e['mode']) and e['size']:
                    todo.append(p)
                pos += 12 + n
        return out

    def at(self, path):
        return self.entries()[path]

    def get(self, path):
        return self.inode(self.at(path))

    def edit(self, path, **fields):
        off = self.at(path)
        i = self.inode(off)
        i.update(fields)
        self.put_inode(off, i)

    def table(self, path):
        return self.get(path)['offset'] << 2

    def end(self):
        return self.u32(self.so + 4)

    def trim(self):
        """Drop the zero padding after the last used byte (size follows)."""
        n = len(self.b)
        while n > self.so + SUPER_SIZE and self.b[n - 1] == 0:
            n -= 1
        n = (n + 3) & ~3
        del self.b[n:]
        self.put32(self.so + 4, n)

    def fix_crc(self):
        so, size = self.so, self.end()
        body = bytearray(self.b[so:size])
        body[32:36] = b'\0\0\0\0'
        self.put32(so + 32, zlib.crc32(body))

    def bytes(self):
        return bytes(self.b)


def text(n, seed):
    rnd = random.Random(seed)
    words = [b'cramfs ', b'block ', b'inode ', b'flash ', b'zlib\n']
    out = bytearray()
    while len(out) < n:
        out += rnd.choice(words)
    return bytes(out[:n])


def noise(n, seed):
    rnd = random.Random(seed)
    return bytes(rnd.getrandbits(8) for _ in range(n))


def put(root, rel, data, mode=0o644):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    os.chmod(path, mode)


def small_tree(root):
    """Something of most kinds; fits one 4 KiB block once compressed."""
    os.makedirs(os.path.join(root, 'dev'))
    put(root, 'bin/sh', text(5000, 1), 0o755)
    put(root, 'etc/motd', b'hello world\n')
    put(root, 'etc/empty', b'')
    put(root, 'suid', b'#!/bin/sh\n', 0o4755)
    os.symlink('../bin/sh', os.path.join(root, 'etc/sh-link'))
    os.mkfifo(os.path.join(root, 'fifo'))
    try:
        os.mknod(os.path.join(root, 'dev/null'), stat.S_IFCHR | 0o666,
                 os.makedev(1, 3))
    except PermissionError:
        pass


def mk(mkcramfs, src, args):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'image')
        subprocess.run([mkcramfs, '-q'] + args + [src, out], check=True)
        with open(out, 'rb') as f:
            return f.read()


def build(mkcramfs, outdir):
    seeds = {}
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, 'small')
        small_tree(small)
        plain = mk(mkcramfs, small, ['-L'])
        seeds['valid-plain'] = plain
        seeds['valid-big-endian'] = mk(mkcramfs, small, ['-B'])
        seeds['valid-pad'] = mk(mkcramfs, small, ['-L', '-p'])
        put(tmp, 'boot.bin', text(300, 9))
        seeds['valid-insert'] = mk(mkcramfs, small,
                                   ['-L', '-i', os.path.join(tmp, 'boot.bin')])

        holes = os.path.join(tmp, 'holes')
        put(holes, 'sparse', bytes(4096) + text(100, 2) + bytes(8192))
        put(holes, 'zeros', bytes(4096))
        seeds['valid-holes'] = mk(mkcramfs, holes, ['-L', '-z'])

        raw = os.path.join(tmp, 'raw')
        put(raw, 'noise', noise(4096 + 300, 3))
        put(raw, 'page', noise(4096, 4))
        put(raw, 'text', text(2000, 5))
        put(raw, 'same', text(2000, 5))
        seeds['valid-raw'] = mk(mkcramfs, raw, ['-L', '-x'])

        big = os.path.join(tmp, 'big')
        put(big, 'a', text(20000, 6))
        put(big, 'b', noise(100, 7))
        # The fuzz target picks the block size from fsid.edition & 3.
        seeds['valid-16k'] = mk(mkcramfs, big, ['-L', '-b', '16384', '-e', '1'])

        deep = os.path.join(tmp, 'deep')
        os.makedirs(os.path.join(deep, *(['d'] * 260)))
        seeds['bad-deep'] = mk(mkcramfs, deep, ['-L'])

    seeds['valid-direct'] = direct(seeds['valid-raw'])
    seeds['slow-shared-table'] = shared_table()
    seeds['slow-overlapping-tables'] = overlapping_tables()
    seeds.update(malformed(plain))
    os.makedirs(outdir, exist_ok=True)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(data)
        print(f'{name}: {len(data)} bytes')


def direct(data):
    """Extended direct pointers: a raw direct block and a zlib direct one."""
    img = Image(data)
    # noise block 0 is raw and starts right after its 2-entry table.
    t = img.table('noise')
    start = t + 8
    img.put32(t, start >> 2 | BLK_UNCOMPRESSED | BLK_DIRECT)
    # page is one whole raw block: direct raw last block of a whole-block file.
    t = img.table('page')
    img.put32(t, (t + 4) >> 2 | BLK_UNCOMPRESSED | BLK_DIRECT)
    # text: copy its zlib block behind a u16 length into the tail padding.
    t = img.table('text')
    end = img.u32(t) & ~(BLK_UNCOMPRESSED | BLK_DIRECT)
    stream = bytes(img.b[t + 4:end])
    spot = (max(i for i, c in enumerate(img.b) if c) + 8) & ~3
    assert spot + 2 + len(stream) <= img.end()
    struct.pack_into(img.e + 'H', img.b, spot, len(stream))
    img.b[spot + 2:spot + 2 + len(stream)] = stream
    img.put32(t, spot >> 2 | BLK_DIRECT)
    img.fix_crc()
    return img.bytes()


def shared_table(entries=1500, blocks=4096):
    """Many files of different sizes sharing one table of holes.

    The verifier used to decode every block again for each size: about six
    million blocks for this 40 KiB image.
    """
    root = SUPER_SIZE
    table = root + entries * 16
    names = sorted('%04d' % i for i in range(entries))
    dirents = b''.join(
        struct.pack('<3I', 0o100644, (0xffffff - i) & 0xffffff,
                    1 | (table >> 2) << 6) + name.encode()
        for i, name in enumerate(names))
    start = table + 4 * blocks
    body = dirents + struct.pack('<I', start) * blocks
    size = SUPER_SIZE + len(body)
    sb = (struct.pack('<4I', MAGIC, size, 0x1 | 0x2 | FLAG_HOLES, 0) +
          b'Compressed ROMFS' + struct.pack('<4I', 0, 0, blocks, entries + 1) +
          b'shared table'.ljust(16, b'\0') +
          struct.pack('<3I', 0o40755, len(dirents), (root >> 2) << 6))
    img = Image(sb + body)
    img.fix_crc()
    return img.bytes()


def overlapping_tables(entries=300, blocks=1024):
    """Files whose block tables start 4 bytes apart, all within one run of
    equal pointers: every table overlaps the next. The verifier used to
    decode all blocks of each one."""
    root = SUPER_SIZE
    table = root + entries * 16
    ptrs = blocks + entries
    names = sorted('%04d' % i for i in range(entries))
    dirents = b''.join(
        struct.pack('<3I', 0o100644, blocks * 4096,
                    1 | ((table + 4 * i) >> 2) << 6) + name.encode()
        for i, name in enumerate(names))
    body = dirents + struct.pack('<I', table + 4 * ptrs) * ptrs
    size = SUPER_SIZE + len(body)
    sb = (struct.pack('<4I', MAGIC, size, 0x1 | 0x2 | FLAG_HOLES, 0) +
          b'Compressed ROMFS' + struct.pack('<4I', 0, 0, 0, entries + 1) +
          b'overlap'.ljust(16, b'\0') +
          struct.pack('<3I', 0o40755, len(dirents), (root >> 2) << 6))
    img = Image(sb + body)
    img.fix_crc()
    return img.bytes()


def malformed(plain):
    out = {}

    def variant(name, change, fix_crc=True):
        img = Image(plain)
        img.trim()
        change(img)
        if fix_crc:
            img.fix_crc()
        out[name] = img.bytes()

    def rename(img, path, new):
        off = img.at(path)
        n = img.inode(off)['namelen'] << 2
        img.b[off + 12:off + 12 + n] = new.ljust(n, b'\0')

    def sh_ptr(i, value):
        def change(img):
            img.put32(img.table('bin/sh') + 4 * i, value(img))
        return change

    variant('bad-cycle', lambda i: i.edit('etc', offset=i.get('')['offset']))
    variant('bad-shared-dir', lambda i: i.edit('dev', offset=i.get('etc')['offset'],
                                              size=i.get('etc')['size']))
    variant('bad-dir-beyond-end', lambda i: i.edit('etc', offset=0x100000))
    variant('bad-namelen-0', lambda i: i.edit('etc/motd', namelen=0))
    variant('bad-name-slash', lambda i: rename(i, 'etc', b'e/c'))
    variant('bad-name-dotdot', lambda i: rename(i, 'etc', b'..'))
    variant('bad-unsorted', lambda i: rename(i, 'bin', b'zzz'))
    variant('bad-duplicate', lambda i: rename(i, 'dev', b'bin'))
    variant('bad-fifo-size', lambda i: i.edit('fifo', size=17))
    variant('bad-files-count', lambda i: i.put32(i.so + 44, 99))
    variant('bad-flags', lambda i: i.put32(i.so + 8, i.u32(i.so + 8) | 0x1000))
    variant('bad-root-not-dir', lambda i: i.edit('', mode=0o100644))
    variant('bad-crc', lambda i: i.put32(i.so + 32, 0x12345678), fix_crc=False)
    variant('bad-ptr-beyond-end', sh_ptr(0, lambda i: 0xfffff0))
    variant('bad-ptr-decreasing', sh_ptr(1, lambda i: i.u32(i.table('bin/sh')) - 1))
    variant('bad-hole-no-flag', sh_ptr(0, lambda i: i.table('bin/sh') + 8))
    variant('bad-ext-flag-missing', sh_ptr(0, lambda i: i.u32(i.table('bin/sh')) |
                                                 BLK_UNCOMPRESSED))
    variant('bad-size-huge', lambda i: i.edit('bin/sh', size=0xffffff))

    def corrupt_zlib(img):
        t = img.table('bin/sh')
        for k in range(16, 48):
            img.b[t + 8 + k] ^= 0x5a
    variant('bad-zlib', corrupt_zlib)

    def truncated(img):
        del img.b[len(img.b) // 2:]
    variant('bad-truncated', truncated, fix_crc=False)
    return out


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build(sys.argv[1], sys.argv[2])

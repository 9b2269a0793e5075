#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Which pages of a cramfs image the kernel would map in place.

Reads the image with nothing but `struct`, independently of libcramfs, and
applies the rule of fs/cramfs/inode.c (CONFIG_CRAMFS_MTD):
- cramfs_get_block_range(): from the first page of a mapping on, the block
  pointers must equal (first + i * PAGE_SIZE) >> 2 | DIRECT_PTR |
  UNCOMPRESSED, and the first address must not be 0;
- cramfs_physmem_mmap(): that address must be page aligned (the image
  sits page aligned in flash, so offsets count from byte 0 of the file);
- cramfs_last_page_is_shared(): a last page that the file fills in part is
  not mapped unless the bytes after the end of file are all zero.

Usage:
  xip_pages.py IMAGE [--block-size N] --list
      one line per regular file: path, size, pages, XIP pointers, pages
      mappable one at a time, pages a whole-file mapping maps direct
  xip_pages.py IMAGE [--block-size N] --expect FILE [--map-last-page]
               [--align A] [--report REPORT.json]
      check the image against FILE, lines of
        ro PATH FIRST LAST   pages of a read-only PT_LOAD segment
        w PATH FIRST LAST    pages of a writable PT_LOAD segment
        all PATH             every page of the file
      A file's XIP pages (DIRECT|UNCOMPRESSED pointers) must be exactly
      the union of its `ro` and `all` pages, less the last page of a file
      whose size is a page multiple (stored compressed unless
      --map-last-page). Files not named must have none. With the default
      page alignment every such page must be mappable and every segment
      must map whole from its first page; with --align 8 (no-MMU) runs
      must be 8-byte aligned with page stride inside. With --report, the
      mkcramfs JSON report must agree with what the image holds.
Exit status: 0 all checks pass, 1 a check failed, 2 usage or bad image.
"""
import json
import struct
import sys

MAGIC = 0x28CD3D45
FLAG_EXT_BLOCK_POINTERS = 0x800
UNCOMPRESSED = 1 << 31
DIRECT = 1 << 30
FLAGS = UNCOMPRESSED | DIRECT
S_IFMT, S_IFDIR, S_IFREG = 0o170000, 0o040000, 0o100000

errors = []


def problem(msg):
    errors.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


class Image:
    def __init__(self, path, page):
        with open(path, "rb") as f:
            self.buf = f.read()
        self.page = page
        for off in (0, 512):
            for order in ("<", ">"):
                if len(self.buf) >= off + 76 and \
                   struct.unpack_from(order + "I", self.buf, off)[0] == MAGIC:
                    self.sb, self.e = off, order
                    break
            else:
                continue
            break
        else:
            raise SystemExit("not a cramfs image: " + path)
        self.flags = self.u32(self.sb + 8)
        self.meta_end = self.sb + 76
        self.files = {}       # path -> (mode, size, table offset)
        self.walk(self.sb + 64, "", 0)

    def u32(self, off):
        return struct.unpack_from(self.e + "I", self.buf, off)[0]

    def inode(self, off):
        """mode:16 uid:16 | size:24 gid:8 | namelen:6 offset:26, in the
        bit order of the image's byte order."""
        w0, w1, w2 = struct.unpack_from(self.e + "III", self.buf, off)
        if self.e == "<":
            mode, size = w0 & 0xFFFF, w1 & 0xFFFFFF
            namelen, offset = w2 & 0x3F, w2 >> 6
        else:
            mode, size = w0 >> 16, w1 >> 8
            namelen, offset = w2 >> 26, w2 & 0x3FFFFFF
        return mode, size, namelen * 4, offset * 4

    def walk(self, ino_off, path, depth):
        if depth > 64:
            raise SystemExit("directories nest too deep")
        mode, size, _, offset = self.inode(ino_off)
        if mode & S_IFMT == S_IFDIR:
            pos, end = offset, offset + size
            self.meta_end = max(self.meta_end, end)
            while pos < end:
                _, _, namelen, _ = self.inode(pos)
                name = self.buf[pos + 12:pos + 12 + namelen].rstrip(b"\0")
                self.meta_end = max(self.meta_end, pos + 12 + namelen)
                child = (path + "/" if path else "") + name.decode("utf-8", "replace")
                self.walk(pos, child, depth + 1)
                pos += 12 + namelen
        elif mode & S_IFMT == S_IFREG:
            self.files[path] = (mode, size, offset)

    def pointers(self, path):
        _, size, table = self.files[path]
        n = (size + self.page - 1) // self.page
        return [self.u32(table + 4 * i) for i in range(n)]

    def page_mappable(self, path, i):
        """A mapping that starts at page i maps page i direct."""
        _, size, _ = self.files[path]
        ptr = self.pointers(path)[i]
        addr = (ptr & ~FLAGS & 0xFFFFFFFF) << 2
        if ptr & FLAGS != FLAGS or addr == 0 or addr % self.page:
            return False
        if addr + self.page > len(self.buf):
            return False
        used = size - i * self.page
        if used < self.page:
            tail = self.buf[addr + used:addr + self.page]
            if tail.count(0) != len(tail):
                return False
        return True

    def block_range(self, path, first, pages):
        """Pages a read-only mapping of `pages` pages from page `first` gets
        direct, as cramfs_physmem_mmap() computes it."""
        _, size, _ = self.files[path]
        ptrs = self.pointers(path)
        base = ptrs[first] & ~FLAGS & 0xFFFFFFFF
        n = 0
        while n < pages and ptrs[first + n] == \
                (base + n * (self.page >> 2)) | FLAGS:
            n += 1
        if n == 0 or base == 0 or (base << 2) % self.page:
            return 0
        if first + n == len(ptrs) and size % self.page:
            used = size % self.page
            addr = ((ptrs[-1] & ~FLAGS & 0xFFFFFFFF) << 2) + used
            tail = self.buf[addr:addr - used + self.page]
            if tail.count(0) != len(tail):
                n -= 1
        return n

    def xip_pages(self, path):
        return [i for i, p in enumerate(self.pointers(path)) if p & FLAGS == FLAGS]


def parse_args(argv):
    opts = {"block_size": 4096, "align": None, "list": False, "expect": None,
            "map_last_page": False, "report": None}
    args = list(argv)
    if not args:
        raise SystemExit(__doc__)
    opts["image"] = args.pop(0)
    while args:
        a = args.pop(0)
        if a == "--block-size":
            opts["block_size"] = int(args.pop(0))
        elif a == "--align":
            opts["align"] = int(args.pop(0))
        elif a == "--list":
            opts["list"] = True
        elif a == "--expect":
            opts["expect"] = args.pop(0)
        elif a == "--map-last-page":
            opts["map_last_page"] = True
        elif a == "--report":
            opts["report"] = args.pop(0)
        else:
            raise SystemExit("unknown argument " + a)
    if opts["align"] is None:
        opts["align"] = opts["block_size"]
    return opts


def list_files(img):
    for path in sorted(img.files):
        _, size, _ = img.files[path]
        ptrs = img.pointers(path)
        mappable = sum(img.page_mappable(path, i) for i in range(len(ptrs)))
        whole = img.block_range(path, 0, len(ptrs)) if ptrs else 0
        print("%s size=%d pages=%d xip=%d mappable=%d from_start=%d" %
              (path, size, len(ptrs), len(img.xip_pages(path)), mappable, whole))


def spans(pages):
    """[0, 1, 2, 5] -> "0-2,5"."""
    out, pages = [], sorted(pages)
    for p in pages:
        if out and out[-1][1] == p - 1:
            out[-1][1] = p
        else:
            out.append([p, p])
    return ",".join("%d" % a if a == b else "%d-%d" % (a, b) for a, b in out) or "none"


def read_expectations(path):
    ro, w, whole = {}, {}, set()
    with open(path) as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            if fields[0] == "all":
                whole.add(fields[1])
            elif fields[0] in ("ro", "w"):
                d = ro if fields[0] == "ro" else w
                d.setdefault(fields[1], []).append((int(fields[2]), int(fields[3])))
            else:
                raise SystemExit("bad expectation: " + line)
    return ro, w, whole


def check(img, opts):
    ro, w, whole = read_expectations(opts["expect"])
    for name in set(ro) | set(w) | whole:
        if name not in img.files:
            problem("%s: expected in the image, not found" % name)
    counts, tails, seen_tables, addrs = {}, 0, set(), []
    for path in sorted(img.files):
        _, size, table = img.files[path]
        npages = (size + img.page - 1) // img.page
        want = set(range(npages)) if path in whole else set()
        for first, last in ro.get(path, []):
            want |= set(range(first, min(last, npages - 1) + 1))
        if want and size % img.page == 0 and not opts["map_last_page"]:
            want.discard(npages - 1)
        got = set(img.xip_pages(path))
        if got != want:
            problem("%s: XIP pages %s; expected %s; unexpected %s, missing %s" %
                    (path, spans(got), spans(want), spans(got - want),
                     spans(want - got)))
        for first, last in w.get(path, []):
            for p in range(first, last + 1):
                if p in got and p not in want:
                    problem("%s: page %d is writable only but XIP" % (path, p))
        counts[path] = len(got)
        ptrs = img.pointers(path)
        if opts["align"] == img.page:
            for p in sorted(want):
                if not img.page_mappable(path, p):
                    problem("%s: page %d is not mappable" % (path, p))
            # Each read-only segment maps whole from its first page.
            for first, last in ro.get(path, []):
                seg = [p for p in range(first, last + 1) if p in want]
                if seg and img.block_range(path, seg[0], len(seg)) != len(seg):
                    problem("%s: a mapping of pages %d-%d is not direct throughout"
                            % (path, seg[0], seg[-1]))
        else:
            for p in sorted(got):
                addr = (ptrs[p] & ~FLAGS & 0xFFFFFFFF) << 2
                if addr % opts["align"]:
                    problem("%s: XIP page %d at %d is not %d-byte aligned"
                            % (path, p, addr, opts["align"]))
                if p - 1 in got and ptrs[p] != ptrs[p - 1] + (img.page >> 2):
                    problem("%s: XIP pages %d and %d are not contiguous"
                            % (path, p - 1, p))
        if got and table not in seen_tables:
            seen_tables.add(table)
            for p in got:
                used = min(img.page, size - p * img.page)
                addrs.append(((ptrs[p] & ~FLAGS & 0xFFFFFFFF) << 2, used))
                if used < img.page:
                    tails += img.page - used
    has_xip = bool(addrs)
    if bool(img.flags & FLAG_EXT_BLOCK_POINTERS) != has_xip:
        problem("EXT_BLOCK_POINTERS flag %s, XIP files %s" %
                (bool(img.flags & FLAG_EXT_BLOCK_POINTERS), has_xip))
    starts = sorted(a for a, _ in addrs)
    if len(set(starts)) != len(starts):
        problem("two XIP pages share an address")
    gap = 0
    if starts:
        want_start = -(-img.meta_end // opts["align"]) * opts["align"]
        if starts[0] != want_start:
            problem("XIP region starts at %d, expected %d (metadata ends at %d)"
                    % (starts[0], want_start, img.meta_end))
        gap = starts[0] - img.meta_end
    total = len(starts)
    print("image: %d XIP pages in %d files; metadata ends at %d, region at %d; "
          "alignment gap %d, tails %d" %
          (total, len(seen_tables), img.meta_end, starts[0] if starts else 0,
           gap, tails))
    if opts["report"]:
        check_report(img, opts, counts, total, gap, tails)


def check_report(img, opts, counts, total, gap, tails):
    with open(opts["report"]) as f:
        rep = json.load(f)
    if rep["block_size"] != img.page:
        problem("report block_size %d" % rep["block_size"])
    rows = {r["path"]: r for r in rep["files"]}
    if set(rows) != set(img.files):
        problem("report rows %s, regular files %s" %
                (sorted(rows), sorted(img.files)))
    for path, r in rows.items():
        if path not in counts:
            continue
        if r["shared_with"]:
            if r["xip_pages"] != 0 or counts[path] != counts.get(r["shared_with"]):
                problem("%s: shares %s but XIP pages differ" %
                        (path, r["shared_with"]))
        elif r["xip_pages"] != counts[path]:
            problem("%s: report says %d XIP pages, the image holds %d" %
                    (path, r["xip_pages"], counts[path]))
    t = rep["totals"]
    if t["xip_pages"] != total:
        problem("totals.xip_pages %d, image %d" % (t["xip_pages"], total))
    if t["ram_saved"] != total * img.page or t["xip_bytes"] != total * img.page:
        problem("totals.ram_saved %d, expected %d" % (t["ram_saved"], total * img.page))
    if t["image_size"] != len(img.buf):
        problem("totals.image_size %d, file %d" % (t["image_size"], len(img.buf)))
    if opts["align"] == img.page:
        if t["padding"] != gap + tails:
            problem("totals.padding %d, expected gap %d + tails %d" %
                    (t["padding"], gap, tails))
        if not t["padding"] < img.page + tails:
            problem("totals.padding %d not below a page plus the tails %d" %
                    (t["padding"], tails))
        if not t["inline_padding"] >= t["padding"]:
            problem("inline layout padding %d is below ours %d" %
                    (t["inline_padding"], t["padding"]))
    print("report: padding %d, inline layout padding %d, ram saved %d" %
          (t["padding"], t["inline_padding"], t["ram_saved"]))


def main():
    opts = parse_args(sys.argv[1:])
    img = Image(opts["image"], opts["block_size"])
    if opts["list"]:
        list_files(img)
    if opts["expect"]:
        check(img, opts)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

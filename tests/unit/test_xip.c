// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The XIP layout engine (lib/xip_select.c, lib/layout.c's XIP region,
 * lib/write_xip.c) through whole images: trees are written with XIP
 * options, then every image is checked twice, with the library's reader
 * and audit (cramfs_image_read_data, cramfs_image_xip_audit,
 * cramfs_verify) and with our own decoding of the block tables against the
 * kernel's rule (fs/cramfs/inode.c): an XIP pointer is
 * DIRECT_PTR | UNCOMPRESSED, its address page aligned (counted from byte 0
 * of the image), the pages of a run contiguous, and the bytes after the end
 * of a file in its last XIP page zero.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "helper_elf.h"
#include "helper_fixture.h"

#define XIP_FLAGS (CRAMFS_BLK_FLAG_DIRECT_PTR | CRAMFS_BLK_FLAG_UNCOMPRESSED)
#define MAX_FILES 32
#define MAX_BLOCKS 64
#define MAX_XIP 512

#define NODE_DIR(p) { .path = (p), .mode = S_IFDIR | 0755 }
#define NODE_REG(p, buf, n) { .path = (p), .mode = S_IFREG | 0755, \
			      .data = (buf), .len = (n) }
#define NODE_LNK(p, s) { .path = (p), .mode = S_IFLNK | 0777, .data = (s), \
			 .len = sizeof(s) - 1 }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Incompressible and compressible sources, big enough for 64 KiB blocks. */
static uint8_t rnd[4 * 65536];
static uint8_t txt[4 * 65536];
static uint8_t zeros[3 * 4096];

static int fill_data(void **state)
{
	(void)state;
	fx_fill_random(rnd, sizeof(rnd), 11);
	fx_fill_text(txt, sizeof(txt), 12);
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static void assert_contains(const char *text, const char *needle)
{
	if (!text || !strstr(text, needle))
		fail_msg("\"%s\" does not contain \"%s\"", text ? text : "(null)",
			 needle);
}

/* ------------------------------------------------------------------ */
/* Checking an image.                                                   */
/* ------------------------------------------------------------------ */

struct checked_file {
	char *path;
	struct cramfs_entry entry;   /* entry.path is `path` */
	const struct fx_node *node;  /* expected content */
	uint32_t nblocks;
	uint32_t ptr[MAX_BLOCKS];
	bool xip[MAX_BLOCKS];        /* DIRECT_PTR | UNCOMPRESSED */
	uint64_t addr[MAX_BLOCKS];   /* start of a direct block */
	uint32_t nxip;
	bool direct;                 /* every pointer is direct */
	bool shared;                 /* an earlier file has the same blocks */
	struct cramfs_xip_audit audit;
};

struct xip_block {
	uint64_t addr;
	uint32_t used;               /* bytes of the file in the block */
};

struct checked_image {
	uint8_t *buf;
	size_t len;
	struct cramfs_image *img;
	struct cramfs_write_stats st;
	enum cramfs_endian endian;
	uint32_t bs;
	uint32_t align;
	uint32_t super_offset;
	uint64_t meta_end;           /* end of the directory entries */
	uint64_t xip_start;          /* first XIP byte; 0 without XIP */
	uint64_t xip_end;            /* end of the XIP region (aligned) */
	uint64_t tails;              /* zero bytes after EOF in last XIP pages */
	uint32_t xip_files;
	uint32_t xip_blocks;
	size_t nblocks_all;
	struct xip_block blocks[MAX_XIP];
	size_t nfiles;
	struct checked_file files[MAX_FILES];
};

static void release(struct checked_image *ci)
{
	for (size_t i = 0; i < ci->nfiles; i++)
		free(ci->files[i].path);
	cramfs_image_free(ci->img);
	free(ci->buf);
	memset(ci, 0, sizeof(*ci));
}

static int collect(void *arg, const struct cramfs_entry *e)
{
	struct checked_image *ci = arg;
	uint64_t end;

	if (e->depth) {
		end = (uint64_t)e->inode_offset + CRAMFS_INODE_SIZE +
		      ((uint64_t)e->inode.namelen << 2);
		if (end > ci->meta_end)
			ci->meta_end = end;
	}
	if (S_ISDIR(e->inode.mode) && e->inode.size) {
		end = ((uint64_t)e->inode.offset << 2) + e->inode.size;
		if (end > ci->meta_end)
			ci->meta_end = end;
	}
	if (S_ISREG(e->inode.mode) || S_ISLNK(e->inode.mode)) {
		struct checked_file *f;

		assert_true(ci->nfiles < MAX_FILES);
		f = &ci->files[ci->nfiles++];
		f->path = strdup(e->path);
		assert_non_null(f->path);
		f->entry = *e;
		f->entry.path = f->path;
		f->entry.name = strrchr(f->path, '/') ? strrchr(f->path, '/') + 1 :
							  f->path;
	}
	return 0;
}

struct sink {
	uint8_t *buf;
	size_t len;
	size_t cap;
};

static int sink_append(void *arg, const void *p, size_t n)
{
	struct sink *s = arg;

	if (n > s->cap - s->len)
		return -EOVERFLOW;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	return 0;
}

static void check_content(struct checked_image *ci, const struct checked_file *f)
{
	const struct fx_node *nd = f->node;
	struct sink s = { .cap = nd->len };

	s.buf = malloc(nd->len ? nd->len : 1);
	assert_non_null(s.buf);
	if (cramfs_image_read_data(ci->img, &f->entry, sink_append, &s))
		fail_msg("%s: read_data: %s", f->path, cramfs_image_errmsg(ci->img));
	if (s.len != nd->len || (nd->len && memcmp(s.buf, nd->data, nd->len)))
		fail_msg("%s: read_data returned %zu bytes that differ from the %zu written",
			 f->path, s.len, nd->len);
	free(s.buf);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* A direct compressed block: a u16 length in image byte order, then zlib. */
static void check_direct_zlib(struct checked_image *ci,
			      const struct checked_file *f, uint32_t i,
			      const uint8_t *want, uint32_t used)
{
	uint64_t at = f->addr[i];
	uint8_t *out = malloc(ci->bs);
	uLongf outlen = ci->bs;
	uint16_t zlen;

	assert_non_null(out);
	if (f->ptr[i] & CRAMFS_BLK_FLAG_UNCOMPRESSED)
		fail_msg("%s: block %u is uncompressed but not XIP", f->path, i);
	if (at % 4 || at + 2 > ci->len)
		fail_msg("%s: block %u at %" PRIu64 " is not a 4-byte aligned offset in the image",
			 f->path, i, at);
	zlen = cramfs_get16(ci->buf + at, ci->endian);
	assert_true(at + 2 + zlen <= ci->len);
	if (uncompress(out, &outlen, ci->buf + at + 2, zlen) != Z_OK ||
	    outlen != used || memcmp(out, want, used))
		fail_msg("%s: direct block %u does not inflate to its %u bytes",
			 f->path, i, used);
	free(out);
}

/* Does an earlier file use the same block table (hard link, dedup)? */
static bool shares_data(const struct checked_image *ci,
			const struct checked_file *f)
{
	for (const struct checked_file *o = ci->files; o < f; o++)
		if (o->nblocks && o->entry.inode.offset == f->entry.inode.offset)
			return true;
	return false;
}

/* Decode one file's block table and check it against its content. */
static void check_file(struct checked_image *ci, struct checked_file *f)
{
	const uint8_t *data = f->node->data;
	uint64_t table = (uint64_t)f->entry.inode.offset << 2;
	uint32_t size = f->entry.inode.size;
	uint32_t bs = ci->bs;
	uint32_t misaligned = 0, mappable = 0;
	bool shared = f->shared = shares_data(ci, f);

	assert_int_equal(size, f->node->len);
	check_content(ci, f);
	f->nblocks = (size + bs - 1) / bs;
	assert_true(f->nblocks <= MAX_BLOCKS);
	assert_true(table + (uint64_t)f->nblocks * 4 <= ci->len);
	f->direct = f->nblocks > 0;
	for (uint32_t i = 0; i < f->nblocks; i++) {
		f->ptr[i] = cramfs_get32(ci->buf + table + i * 4u, ci->endian);
		f->xip[i] = (f->ptr[i] & XIP_FLAGS) == XIP_FLAGS;
		f->direct &= !!(f->ptr[i] & CRAMFS_BLK_FLAG_DIRECT_PTR);
		f->addr[i] = (uint64_t)(f->ptr[i] & ~CRAMFS_BLK_FLAGS) << 2;
		f->nxip += f->xip[i];
	}
	if (f->nxip && !f->direct)
		fail_msg("%s: has XIP blocks but not every pointer is direct", f->path);
	if (S_ISLNK(f->entry.inode.mode)) {
		assert_int_equal(f->nxip, 0);
		return;
	}
	for (uint32_t i = 0; f->direct && i < f->nblocks; i++) {
		uint32_t used = size - i * bs < bs ? size - i * bs : bs;
		const uint8_t *want = data + (size_t)i * bs;
		uint64_t a = f->addr[i];

		if (!f->xip[i]) {
			check_direct_zlib(ci, f, i, want, used);
			continue;
		}
		/* A page-aligned block is mapped whole: its page is in the image. */
		if (a == 0 || a % ci->align ||
		    a + (ci->align == bs ? bs : used) > ci->len)
			fail_msg("%s: XIP block %u at %" PRIu64 " (alignment %u)",
				 f->path, i, a, ci->align);
		if (memcmp(ci->buf + a, want, used))
			fail_msg("%s: XIP block %u does not hold the file's bytes",
				 f->path, i);
		if (i && f->xip[i - 1] && a != f->addr[i - 1] + bs)
			fail_msg("%s: XIP blocks %u and %u are not contiguous",
				 f->path, i - 1, i);
		if (used < bs && ci->align == bs &&
		    !all_zero(ci->buf + a + used, bs - used))
			fail_msg("%s: the last XIP page has non-zero bytes after EOF",
				 f->path);
		if (a % bs)
			misaligned++;
		else
			mappable++;
		if (shared)
			continue;
		if (used < bs && ci->align == bs)
			ci->tails += bs - used;
		assert_true(ci->nblocks_all < MAX_XIP);
		ci->blocks[ci->nblocks_all++] = (struct xip_block){ a, used };
	}
	if (cramfs_image_xip_audit(ci->img, &f->entry, bs, &f->audit))
		fail_msg("%s: audit: %s", f->path, cramfs_image_errmsg(ci->img));
	assert_int_equal(f->audit.pages, f->nblocks);
	assert_int_equal(f->audit.mappable_pages, mappable);
	assert_int_equal(f->audit.misaligned, misaligned);
	assert_false(f->audit.last_page_shared);
	assert_int_equal(f->audit.read_bug,
			 f->nblocks && f->xip[f->nblocks - 1] && size % bs == 0);
	assert_int_equal(f->audit.state,
			 !mappable ? CRAMFS_XIP_STATE_NONE :
			 mappable == f->nblocks ? CRAMFS_XIP_STATE_FULLY :
			 CRAMFS_XIP_STATE_PARTLY);
	if (f->nxip && !shared) {
		ci->xip_files++;
		ci->xip_blocks += f->nxip;
	}
}

static int compare_blocks(const void *a, const void *b)
{
	const struct xip_block *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * The XIP region: starts at the metadata end rounded up to the alignment,
 * blocks back to back (each run aligned), zeros in between, and file data
 * after it. stats.xip_padding counts every zero byte it holds.
 */
static void check_region(struct checked_image *ci)
{
	uint64_t content = 0, pos;

	if (!ci->nblocks_all) {
		assert_int_equal(ci->st.xip_padding, 0);
		return;
	}
	qsort(ci->blocks, ci->nblocks_all, sizeof(ci->blocks[0]), compare_blocks);
	ci->xip_start = ci->blocks[0].addr;
	if (ci->xip_start != align_up(ci->meta_end, ci->align))
		fail_msg("XIP region starts at %" PRIu64 ", metadata ends at %" PRIu64,
			 ci->xip_start, ci->meta_end);
	assert_true(all_zero(ci->buf + ci->meta_end, ci->xip_start - ci->meta_end));
	pos = ci->xip_start;
	for (size_t i = 0; i < ci->nblocks_all; i++) {
		const struct xip_block *b = &ci->blocks[i];

		if (b->addr != pos)
			fail_msg("XIP block at %" PRIu64 ", expected at %" PRIu64,
				 b->addr, pos);
		content += b->used;
		pos = align_up(b->addr + b->used, ci->align);
		assert_true(all_zero(ci->buf + b->addr + b->used,
				     pos - b->addr - b->used));
	}
	ci->xip_end = pos;
	if (ci->st.xip_padding != ci->xip_end - ci->meta_end - content)
		fail_msg("stats.xip_padding %" PRIu64 ", zero bytes in the region %" PRIu64,
			 ci->st.xip_padding, ci->xip_end - ci->meta_end - content);
	if (ci->align == ci->bs)
		assert_int_equal(ci->st.xip_padding,
				 ci->xip_start - ci->meta_end + ci->tails);
	/* File data (block tables, compressed blocks) follows the region. */
	for (size_t i = 0; i < ci->nfiles; i++) {
		const struct checked_file *f = &ci->files[i];

		if (!f->nblocks)
			continue;
		if (((uint64_t)f->entry.inode.offset << 2) < ci->xip_end)
			fail_msg("%s: block table inside the XIP region", f->path);
		for (uint32_t b = 0; f->direct && b < f->nblocks; b++)
			if (!f->xip[b] && f->addr[b] < ci->xip_end)
				fail_msg("%s: block %u inside the XIP region", f->path, b);
	}
}

static const struct fx_node *node_of(const struct fx_node *nodes, size_t n,
				     const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(nodes[i].path, path))
			return &nodes[i];
	fail_msg("%s is in the image but not in the tree", path);
	return NULL;
}

/* Open, walk and check an image already in ci->buf. */
static void check_image(struct checked_image *ci,
			const struct cramfs_write_opts *o,
			const struct fx_node *nodes, size_t n)
{
	struct cramfs_verify_stats vs;

	ci->endian = cramfs_endian_resolve(o->endian);
	ci->bs = o->block_size;
	ci->align = o->xip_align ? o->xip_align : o->block_size;
	ci->super_offset = o->pad ? CRAMFS_PAD_SIZE : 0;
	ci->meta_end = ci->super_offset + CRAMFS_SUPER_SIZE;
	assert_int_equal(cramfs_image_new(&ci->img), 0);
	assert_int_equal(cramfs_image_set_block_size(ci->img, ci->bs), 0);
	if (cramfs_image_open_memory(ci->img, ci->buf, ci->len))
		fail_msg("open: %s", cramfs_image_errmsg(ci->img));
	assert_int_equal(cramfs_image_endian(ci->img), ci->endian);
	assert_int_equal(cramfs_image_super_offset(ci->img), ci->super_offset);
	if (cramfs_image_walk(ci->img, collect, ci))
		fail_msg("walk: %s", cramfs_image_errmsg(ci->img));
	for (size_t i = 0; i < ci->nfiles; i++) {
		ci->files[i].node = node_of(nodes, n, ci->files[i].path);
		check_file(ci, &ci->files[i]);
	}
	check_region(ci);
	assert_int_equal(ci->st.xip_files, ci->xip_files);
	assert_int_equal(ci->st.xip_blocks, ci->xip_blocks);
	if (ci->align == ci->bs) {
		/* Page alignment: the audit finds every XIP block mappable. */
		uint32_t files = 0, pages = 0;

		for (size_t i = 0; i < ci->nfiles; i++) {
			if (ci->files[i].shared)
				continue;
			files += ci->files[i].audit.mappable_pages > 0;
			pages += ci->files[i].audit.mappable_pages;
		}
		assert_int_equal(ci->st.xip_files, files);
		assert_int_equal(ci->st.xip_blocks, pages);
	}
	assert_int_equal(!!(cramfs_image_super(ci->img)->flags &
			    CRAMFS_FLAG_EXT_BLOCK_POINTERS), ci->xip_files > 0);
	assert_int_equal(cramfs_verify(ci->img, NULL, NULL, &vs), 0);
	if (vs.errors)
		fail_msg("cramfs_verify found %u errors", vs.errors);
}

/* Write `tree` with `o` into ci and check it. */
static void write_checked(struct checked_image *ci, struct cramfs_tree *tree,
			  const struct cramfs_write_opts *o,
			  const struct fx_node *nodes, size_t n)
{
	memset(ci, 0, sizeof(*ci));
	if (fx_write_image(tree, o, &ci->buf, &ci->len, &ci->st))
		fail_msg("write failed: %s", cramfs_tree_errmsg(tree));
	assert_int_equal(ci->len, ci->st.image_size);
	check_image(ci, o, nodes, n);
}

static void xip_image(struct checked_image *ci, const struct fx_node *nodes,
		      size_t n, const struct cramfs_write_opts *o)
{
	struct cramfs_tree *tree;

	assert_int_equal(fx_tree_build(nodes, n, &tree), 0);
	write_checked(ci, tree, o, nodes, n);
	cramfs_tree_free(tree);
}

static const struct checked_file *file_of(const struct checked_image *ci,
					  const char *path)
{
	for (size_t i = 0; i < ci->nfiles; i++)
		if (!strcmp(ci->files[i].path, path))
			return &ci->files[i];
	fail_msg("%s not in the image", path);
	return NULL;
}

/* `mask` has one character per block: 'X' mapped in place, '.' not. */
static void assert_xip_blocks(const struct checked_image *ci, const char *path,
			      const char *mask)
{
	const struct checked_file *f = file_of(ci, path);
	char got[MAX_BLOCKS + 1];

	for (uint32_t i = 0; i < f->nblocks; i++)
		got[i] = f->xip[i] ? 'X' : '.';
	got[f->nblocks] = '\0';
	if (strcmp(got, mask))
		fail_msg("%s: XIP blocks %s, expected %s", path, got, mask);
}

static struct cramfs_write_opts xip_opts(enum cramfs_xip_mode mode,
					 uint32_t block_size)
{
	struct cramfs_write_opts o;

	cramfs_write_opts_init(&o);
	o.xip = mode;
	o.block_size = block_size;
	return o;
}

/* An ELF file of `size` text bytes with these program headers (caller frees). */
static uint8_t *make_elf(unsigned int elf_class, enum cramfs_endian endian,
			 const struct he_segment *segs, size_t nsegs, size_t size)
{
	struct he_elf e = { .elf_class = elf_class, .endian = endian,
			    .segs = segs, .nsegs = nsegs };
	uint8_t *buf = malloc(size);

	assert_non_null(buf);
	fx_fill_text(buf, size, (uint32_t)size);
	assert_int_equal(he_elf_write(&e, buf, size), 0);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Whole files (CRAMFS_XIP_ALL).                                        */
/* ------------------------------------------------------------------ */

static void whole_files_map_every_page_with_4k_16k_and_64k_blocks(void **state)
{
	static const uint32_t sizes[] = { 4096, 16384, 65536 };

	(void)state;
	for (size_t k = 0; k < COUNT(sizes); k++) {
		uint32_t bs = sizes[k];
		const struct fx_node nodes[] = {
			NODE_DIR("bin"),
			NODE_REG("bin/one", rnd, 1),
			NODE_REG("bin/short", rnd + 1, bs - 1),
			NODE_REG("bin/over", txt, bs + 1),
			NODE_REG("data", rnd + 7, 3 * bs + 100),
			NODE_REG("empty", NULL, 0),
			NODE_LNK("link", "data"),
			NODE_REG("exact", txt + 3, 2 * bs),
		};
		struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ALL, bs);
		struct checked_image ci;

		xip_image(&ci, nodes, COUNT(nodes), &o);
		assert_xip_blocks(&ci, "bin/one", "X");
		assert_xip_blocks(&ci, "bin/short", "X");
		assert_xip_blocks(&ci, "bin/over", "XX");
		assert_xip_blocks(&ci, "data", "XXXX");
		/*
		 * A page-multiple file keeps its last block out of XIP; with
		 * 64 KiB blocks the block before it too, so that a last block
		 * that only fits raw can follow it with a classic pointer.
		 */
		assert_xip_blocks(&ci, "exact", bs == 65536 ? ".." : "X.");
		assert_int_equal(file_of(&ci, "data")->audit.state,
				 CRAMFS_XIP_STATE_FULLY);
		assert_int_equal(file_of(&ci, "data")->audit.mapped_from_start, 4);
		assert_int_equal(file_of(&ci, "data")->audit.runs, 1);
		assert_int_equal(file_of(&ci, "empty")->nblocks, 0);
		assert_int_equal(ci.st.xip_files, bs == 65536 ? 4 : 5);
		assert_int_equal(ci.st.xip_blocks,
				 1 + 1 + 2 + 4 + (bs == 65536 ? 0 : 1));
		release(&ci);
	}
}

static void the_xip_region_starts_at_the_page_after_the_metadata(void **state)
{
	const struct fx_node nodes[] = { NODE_REG("a", rnd, 100) };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ALL, 4096);
	struct checked_image ci;

	(void)state;
	/* Superblock 76 bytes + one entry (12 + name padded to 4) = 92. */
	xip_image(&ci, nodes, 1, &o);
	assert_int_equal(ci.meta_end, 92);
	assert_int_equal(file_of(&ci, "a")->addr[0], 4096);
	assert_int_equal(ci.st.xip_padding, (4096 - 92) + (4096 - 100));
	release(&ci);

	/* The pad counts: offsets are from byte 0 of the image file. */
	o.pad = true;
	xip_image(&ci, nodes, 1, &o);
	assert_int_equal(ci.meta_end, 512 + 92);
	assert_int_equal(file_of(&ci, "a")->addr[0], 4096);
	assert_int_equal(ci.st.xip_padding, (4096 - 604) + (4096 - 100));
	release(&ci);

	o = xip_opts(CRAMFS_XIP_ALL, 16384);
	xip_image(&ci, nodes, 1, &o);
	assert_int_equal(file_of(&ci, "a")->addr[0], 16384);
	assert_int_equal(ci.st.xip_padding, (16384 - 92) + (16384 - 100));
	release(&ci);
}

static void bytes_after_the_end_of_file_in_the_last_xip_page_are_zero(void **state)
{
	uint8_t ones[5000];
	const struct fx_node nodes[] = {
		NODE_REG("a", ones, sizeof(ones)),
		NODE_REG("b", ones, 3000),
	};
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ALL, 4096);
	struct checked_image ci;
	const struct checked_file *a, *b;

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	xip_image(&ci, nodes, COUNT(nodes), &o);
	a = file_of(&ci, "a");
	b = file_of(&ci, "b");
	assert_true(all_zero(ci.buf + a->addr[1] + 904, 4096 - 904));
	assert_int_equal(ci.buf[a->addr[1] + 903], 0xff);
	/* The next file starts on the next page, not in a's tail. */
	assert_int_equal(b->addr[0], a->addr[1] + 4096);
	assert_true(all_zero(ci.buf + b->addr[0] + 3000, 4096 - 3000));
	assert_int_equal(ci.tails, (4096 - 904) + (4096 - 3000));
	release(&ci);
}

struct notes {
	size_t count;
	char path[8][64];
	char note[8][160];
	uint32_t xip[8];
	uint32_t zlib[8];
	uint64_t padding[8];
	bool shared[8];
};

static void record_file(void *arg, const struct cramfs_file_report *r)
{
	struct notes *n = arg;

	if (n->count == 8)
		return;
	snprintf(n->path[n->count], sizeof(n->path[0]), "%s", r->path);
	snprintf(n->note[n->count], sizeof(n->note[0]), "%s",
		 r->xip_note ? r->xip_note : "");
	n->xip[n->count] = r->blocks[CRAMFS_BLOCK_XIP];
	n->zlib[n->count] = r->blocks[CRAMFS_BLOCK_ZLIB];
	n->padding[n->count] = r->xip_padding;
	n->shared[n->count] = r->shared_with != NULL;
	n->count++;
}

static size_t note_of(const struct notes *n, const char *path)
{
	for (size_t i = 0; i < n->count; i++)
		if (!strcmp(n->path[i], path))
			return i;
	fail_msg("no report for %s", path);
	return 0;
}

static void a_page_multiple_file_keeps_its_last_block_compressed_by_default(void **state)
{
	const struct fx_node nodes[] = {
		NODE_REG("two", txt, 8192),
		NODE_REG("page", txt + 5, 4096),
	};
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ALL, 4096);
	struct notes notes = { 0 };
	struct checked_image ci;
	const struct checked_file *two, *page;

	(void)state;
	o.on_file = record_file;
	o.arg = &notes;
	xip_image(&ci, nodes, COUNT(nodes), &o);
	two = file_of(&ci, "two");
	page = file_of(&ci, "page");
	assert_xip_blocks(&ci, "two", "X.");
	assert_int_equal(two->audit.pages, 2);
	assert_int_equal(two->audit.mappable_pages, 1);
	assert_int_equal(two->audit.mapped_from_start, 1);
	assert_false(two->audit.read_bug);
	assert_int_equal(two->audit.state, CRAMFS_XIP_STATE_PARTLY);
	/* A one-page file has nothing left to map: stored as usual. */
	assert_xip_blocks(&ci, "page", ".");
	assert_false(page->direct);
	assert_int_equal(page->audit.mappable_pages, 0);
	assert_contains(notes.note[note_of(&notes, "two")], "--xip-map-last-page");
	assert_contains(notes.note[note_of(&notes, "page")], "--xip-map-last-page");
	/* No tail: the padding is the alignment gap alone. */
	assert_int_equal(ci.st.xip_padding, 4096 - ci.meta_end);
	release(&ci);
}

static void xip_map_last_page_maps_the_last_block_of_a_page_multiple_file(void **state)
{
	const struct fx_node nodes[] = {
		NODE_REG("two", txt, 8192),
		NODE_REG("page", txt + 5, 4096),
	};
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ALL, 4096);
	struct checked_image ci;
	const struct checked_file *two;

	(void)state;
	o.xip_map_last_page = true;
	xip_image(&ci, nodes, COUNT(nodes), &o);
	two = file_of(&ci, "two");
	assert_xip_blocks(&ci, "two", "XX");
	assert_xip_blocks(&ci, "page", "X");
	assert_int_equal(two->audit.mappable_pages, 2);
	assert_int_equal(two->audit.mapped_from_start, 2);
	assert_true(two->audit.read_bug);
	assert_int_equal(two->audit.state, CRAMFS_XIP_STATE_FULLY);
	assert_int_equal(ci.st.xip_blocks, 3);
	assert_int_equal(ci.st.xip_padding, 4096 - ci.meta_end);
	release(&ci);
}

static void identical_xip_files_are_stored_apart_and_both_map_fully(void **state)
{
	const struct fx_node nodes[] = {
		NODE_REG("a", rnd, 3 * 4096 + 5),
		NODE_REG("b", rnd, 3 * 4096 + 5),
	};
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ALL, 4096);
	struct checked_image ci;
	const struct checked_file *a, *b;

	(void)state;
	xip_image(&ci, nodes, COUNT(nodes), &o);
	a = file_of(&ci, "a");
	b = file_of(&ci, "b");
	assert_int_equal(a->audit.state, CRAMFS_XIP_STATE_FULLY);
	assert_int_equal(b->audit.state, CRAMFS_XIP_STATE_FULLY);
	assert_int_not_equal(a->entry.inode.offset, b->entry.inode.offset);
	assert_int_equal(b->addr[0], a->addr[3] + 4096);
	assert_int_equal(ci.st.xip_files, 2);
	assert_int_equal(ci.st.xip_blocks, 8);
	assert_int_equal(ci.st.dedup_files, 0);
	release(&ci);
}

/* Holes are for compressed data; an XIP zero page is a page like another. */
static void zero_pages_of_an_xip_file_are_mapped_not_holes(void **state)
{
	const struct fx_node nodes[] = { NODE_REG("z", zeros, sizeof(zeros)) };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ALL, 4096);
	struct checked_image ci;

	(void)state;
	o.holes = true;
	o.xip_map_last_page = true;
	xip_image(&ci, nodes, COUNT(nodes), &o);
	assert_xip_blocks(&ci, "z", "XXX");
	release(&ci);
}

/* ------------------------------------------------------------------ */
/* ELF files (CRAMFS_XIP_ELF).                                          */
/* ------------------------------------------------------------------ */

/* R, RX, R, then RW sharing the last read-only page, then RW alone. */
static const struct he_segment exe_segs[] = {
	{ HE_PT_LOAD, HE_PF_R, 0x0, 0x5e0, 0 },
	{ HE_PT_LOAD, HE_PF_R | HE_PF_X, 0x1000, 0x2345, 0 },
	{ HE_PT_LOAD, HE_PF_R, 0x4000, 0x1234, 0 },
	{ HE_PT_LOAD, HE_PF_R | HE_PF_W, 0x5e10, 0x8f0, 0x2000 },
	{ HE_PT_NOTE, HE_PF_R, 0x6100, 0x40, 0 },
};
#define EXE_SIZE 0x7400u

static void elf_files_of_each_class_and_byte_order_map_their_read_only_pages(void **state)
{
	static const struct { unsigned int cls; enum cramfs_endian e; } forms[] = {
		{ HE_CLASS32, CRAMFS_ENDIAN_LITTLE }, { HE_CLASS32, CRAMFS_ENDIAN_BIG },
		{ HE_CLASS64, CRAMFS_ENDIAN_LITTLE }, { HE_CLASS64, CRAMFS_ENDIAN_BIG },
	};
	uint8_t *elf[4];
	struct fx_node nodes[6] = { NODE_DIR("bin") };
	static const char *const names[] = { "bin/e32l", "bin/e32b", "bin/e64l",
					     "bin/e64b" };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	struct checked_image ci;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		elf[i] = make_elf(forms[i].cls, forms[i].e, exe_segs,
				  COUNT(exe_segs), EXE_SIZE);
		nodes[i + 1] = (struct fx_node)NODE_REG(names[i], elf[i], EXE_SIZE);
	}
	nodes[5] = (struct fx_node)NODE_REG("bin/script", txt, 9000);
	xip_image(&ci, nodes, COUNT(nodes), &o);
	for (size_t i = 0; i < 4; i++) {
		const struct checked_file *f = file_of(&ci, names[i]);

		/* Pages 0-5 hold read-only bytes (5 shared with .data); 6, 7 do not. */
		assert_xip_blocks(&ci, names[i], "XXXXXX..");
		assert_int_equal(f->audit.runs, 1);
		assert_int_equal(f->audit.mapped_from_start, 6);
		assert_int_equal(f->audit.state, CRAMFS_XIP_STATE_PARTLY);
	}
	assert_xip_blocks(&ci, "bin/script", "...");
	assert_false(file_of(&ci, "bin/script")->direct);
	assert_int_equal(ci.st.xip_files, 4);
	release(&ci);
	for (size_t i = 0; i < 4; i++)
		free(elf[i]);
}

static void non_xip_blocks_of_an_xip_file_are_direct_zlib_blocks(void **state)
{
	/* Page 0 R, page 1 RW only, page 2 RX, pages 3-4 no segment. */
	static const struct he_segment segs[] = {
		{ HE_PT_LOAD, HE_PF_R, 0x0, 0x300, 0 },
		{ HE_PT_LOAD, HE_PF_R | HE_PF_W, 0x1100, 0x800, 0 },
		{ HE_PT_LOAD, HE_PF_R | HE_PF_X, 0x2000, 0xf00, 0 },
	};
	enum cramfs_endian orders[] = { CRAMFS_ENDIAN_LITTLE, CRAMFS_ENDIAN_BIG };
	uint8_t *elf = make_elf(HE_CLASS64, CRAMFS_ENDIAN_LITTLE, segs,
				COUNT(segs), 0x4a00);
	const struct fx_node nodes[] = { NODE_REG("prog", elf, 0x4a00) };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
		struct checked_image ci;
		const struct checked_file *f;

		o.endian = orders[k];
		/* check_image inflates blocks 1, 3 and 4 from their u16 length. */
		xip_image(&ci, nodes, 1, &o);
		f = file_of(&ci, "prog");
		assert_xip_blocks(&ci, "prog", "X.X..");
		assert_true(f->direct);
		assert_int_equal(f->audit.runs, 2);
		assert_int_equal(f->audit.mappable_pages, 2);
		assert_int_equal(f->audit.mapped_from_start, 1);
		/* The two runs of one file are neighbours in the region. */
		assert_int_equal(f->addr[2], f->addr[0] + 4096);
		release(&ci);
	}
	free(elf);
}

static void segments_in_touching_pages_form_one_run(void **state)
{
	static const struct he_segment segs[] = {
		{ HE_PT_LOAD, HE_PF_R, 0x0, 0x800, 0 },
		{ HE_PT_LOAD, HE_PF_R | HE_PF_X, 0x800, 0x1000, 0 },
		{ HE_PT_LOAD, HE_PF_R, 0x2000, 0x10, 0 },
	};
	uint8_t *elf = make_elf(HE_CLASS32, CRAMFS_ENDIAN_BIG, segs, COUNT(segs),
				0x3800);
	const struct fx_node nodes[] = { NODE_REG("prog", elf, 0x3800) };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	struct checked_image ci;

	(void)state;
	xip_image(&ci, nodes, 1, &o);
	assert_xip_blocks(&ci, "prog", "XXX.");
	assert_int_equal(file_of(&ci, "prog")->audit.runs, 1);
	release(&ci);
	free(elf);
}

/* The last page of an ELF file can be XIP too: its tail is zero-filled. */
static void an_elf_whose_text_ends_the_file_maps_its_last_page(void **state)
{
	static const struct he_segment segs[] = {
		{ HE_PT_LOAD, HE_PF_R | HE_PF_X, 0x0, 0x2345, 0 },
	};
	uint8_t *elf = make_elf(HE_CLASS64, CRAMFS_ENDIAN_BIG, segs, 1, 0x2345);
	const struct fx_node nodes[] = { NODE_REG("prog", elf, 0x2345) };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	struct checked_image ci;

	(void)state;
	xip_image(&ci, nodes, 1, &o);
	assert_xip_blocks(&ci, "prog", "XXX");
	assert_int_equal(file_of(&ci, "prog")->audit.state, CRAMFS_XIP_STATE_FULLY);
	assert_int_equal(ci.tails, 4096 - 0x345);
	release(&ci);
	free(elf);
}

static void a_malformed_elf_is_stored_without_xip_and_named_in_one_warning(void **state)
{
	struct he_elf bad = { .elf_class = HE_CLASS64,
			      .endian = CRAMFS_ENDIAN_LITTLE, .segs = exe_segs,
			      .nsegs = 2, .phnum_set = true, .phnum = 200 };
	uint8_t *good = make_elf(HE_CLASS64, CRAMFS_ENDIAN_LITTLE, exe_segs,
				 COUNT(exe_segs), EXE_SIZE);
	uint8_t *broken = malloc(8192);
	const struct fx_node nodes[] = {
		NODE_DIR("bin"),
		NODE_REG("bin/bad", broken, 8192),
		NODE_REG("bin/good", good, EXE_SIZE),
	};
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	struct cramfs_tree *tree;
	struct checked_image ci;
	size_t before;

	(void)state;
	assert_non_null(broken);
	fx_fill_text(broken, 8192, 5);
	/* 200 program headers of 56 bytes do not fit in 8192 bytes. */
	assert_int_equal(he_elf_write(&bad, broken, 8192), 0);
	assert_int_equal(fx_tree_build(nodes, COUNT(nodes), &tree), 0);
	before = cramfs_tree_warning_count(tree);
	write_checked(&ci, tree, &o, nodes, COUNT(nodes));
	assert_int_equal(cramfs_tree_warning_count(tree), before + 1);
	assert_contains(cramfs_tree_warning(tree, before), "bin/bad");
	assert_contains(cramfs_tree_warning(tree, before), "malformed ELF");
	assert_xip_blocks(&ci, "bin/bad", "..");
	assert_false(file_of(&ci, "bin/bad")->direct);
	assert_int_equal(file_of(&ci, "bin/good")->nxip, 6);
	assert_int_equal(ci.st.xip_files, 1);
	release(&ci);

	/* warnings_fatal: the same tree is refused. */
	o.warnings_fatal = true;
	assert_int_not_equal(fx_write_image(tree, &o, &ci.buf, &ci.len, &ci.st), 0);
	assert_null(ci.buf);
	assert_contains(cramfs_tree_errmsg(tree), "warnings are errors");
	cramfs_tree_free(tree);
	free(good);
	free(broken);
}

/* A hard link to an XIP file shares its block table and its pages. */
static void hard_links_share_one_copy_of_the_xip_pages(void **state)
{
	uint8_t *elf = make_elf(HE_CLASS32, CRAMFS_ENDIAN_LITTLE, exe_segs,
				COUNT(exe_segs), EXE_SIZE);
	const struct fx_node nodes[] = {
		NODE_REG("tool", elf, EXE_SIZE),
		NODE_REG("tool-link", elf, EXE_SIZE),
		NODE_REG("tool-copy", elf, EXE_SIZE),
	};
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	char dir[512], a[600], b[600];
	struct cramfs_tree *tree;
	struct checked_image ci;
	const struct checked_file *t, *l, *c;

	(void)state;
	assert_int_equal(fx_tempdir(dir, sizeof(dir)), 0);
	assert_int_equal(fx_put_file(dir, "tool", elf, EXE_SIZE), 0);
	assert_int_equal(fx_put_file(dir, "tool-copy", elf, EXE_SIZE), 0);
	snprintf(a, sizeof(a), "%s/tool", dir);
	snprintf(b, sizeof(b), "%s/tool-link", dir);
	assert_int_equal(link(a, b), 0);
	assert_int_equal(cramfs_tree_new(&tree), 0);
	assert_int_equal(cramfs_tree_scan_dir(tree, dir), 0);
	write_checked(&ci, tree, &o, nodes, COUNT(nodes));
	t = file_of(&ci, "tool");
	l = file_of(&ci, "tool-link");
	c = file_of(&ci, "tool-copy");
	assert_int_equal(t->entry.inode.offset, l->entry.inode.offset);
	assert_int_not_equal(t->entry.inode.offset, c->entry.inode.offset);
	assert_int_equal(l->audit.mappable_pages, 6);
	assert_int_equal(c->audit.mappable_pages, 6);
	/* Two copies in the region, not three. */
	assert_int_equal(ci.nblocks_all, 6 + 6);
	assert_int_equal(ci.st.xip_blocks, 12);
	assert_int_equal(ci.st.xip_files, 2);
	release(&ci);
	cramfs_tree_free(tree);
	assert_int_equal(fx_rm_rf(dir), 0);
	free(elf);
}

/* ------------------------------------------------------------------ */
/* Include and exclude patterns.                                        */
/* ------------------------------------------------------------------ */

/* Which of `paths` (each one block) came out XIP, as a mask. */
static void assert_selected(const struct checked_image *ci,
			    const char *const *paths, size_t n, const char *mask)
{
	char got[32];

	assert_true(n < sizeof(got));
	for (size_t i = 0; i < n; i++)
		got[i] = file_of(ci, paths[i])->nxip ? 'X' : '.';
	got[n] = '\0';
	if (strcmp(got, mask))
		fail_msg("XIP selection %s, expected %s", got, mask);
}

static void select_with(const struct fx_node *nodes, size_t n,
			enum cramfs_xip_mode mode,
			const char *const *inc, size_t ninc,
			const char *const *exc, size_t nexc,
			const char *mask)
{
	struct cramfs_write_opts o = xip_opts(mode, 4096);
	const char *paths[16];
	size_t np = 0;
	struct checked_image ci;

	o.xip_include = inc;
	o.xip_include_count = ninc;
	o.xip_exclude = exc;
	o.xip_exclude_count = nexc;
	xip_image(&ci, nodes, n, &o);
	for (size_t i = 0; i < n; i++)
		if (S_ISREG(nodes[i].mode))
			paths[np++] = nodes[i].path;
	assert_selected(&ci, paths, np, mask);
	release(&ci);
}

static const struct fx_node lib_tree[] = {
	NODE_DIR("usr"),
	NODE_DIR("usr/lib"),
	NODE_DIR("usr/lib/sub"),
	NODE_DIR("lib"),
	NODE_DIR("x"),
	NODE_DIR("x/usr"),
	NODE_DIR("x/usr/lib"),
	NODE_REG("libc.so.6", rnd, 100),
	NODE_REG("usr/lib/a.so", rnd + 1, 100),
	NODE_REG("usr/lib/libz.so.1", rnd + 2, 100),
	NODE_REG("usr/lib/sub/b.so", rnd + 3, 100),
	NODE_REG("usr/lib/other", rnd + 4, 100),
	NODE_REG("lib/a.so", rnd + 5, 100),
	NODE_REG("x/usr/lib/c.so", rnd + 6, 100),
};

static void exclude_patterns_win_over_include_patterns_and_xip_all(void **state)
{
	static const char *const inc[] = { "*.so" };
	static const char *const exc[] = { "a.so", "usr/lib/sub/*" };
	static const char *const exc_all[] = { "usr/lib/*" };

	(void)state;
	/* libc.so.6 a.so libz.so.1 sub/b.so other lib/a.so c.so */
	select_with(lib_tree, COUNT(lib_tree), CRAMFS_XIP_NONE, inc, 1, NULL, 0,
		    ".X.X.XX");
	select_with(lib_tree, COUNT(lib_tree), CRAMFS_XIP_NONE, inc, 1, exc, 2,
		    "......X");
	select_with(lib_tree, COUNT(lib_tree), CRAMFS_XIP_ALL, NULL, 0,
		    exc_all, 1, "X..X.XX");
}

static void a_pattern_without_a_slash_matches_the_name_in_any_directory(void **state)
{
	static const char *const inc[] = { "lib*.so*" };

	(void)state;
	select_with(lib_tree, COUNT(lib_tree), CRAMFS_XIP_NONE, inc, 1, NULL, 0,
		    "X.X....");
}

static void a_pattern_with_a_slash_matches_the_whole_path_one_level_per_star(void **state)
{
	static const char *const inc[] = { "usr/lib/*.so" };
	static const char *const inc2[] = { "*/lib/*" };

	(void)state;
	select_with(lib_tree, COUNT(lib_tree), CRAMFS_XIP_NONE, inc, 1, NULL, 0,
		    ".X.....");
	select_with(lib_tree, COUNT(lib_tree), CRAMFS_XIP_NONE, inc2, 1, NULL, 0,
		    ".XX.X..");
}

static void a_leading_slash_in_a_pattern_is_ignored(void **state)
{
	static const char *const inc[] = { "/usr/lib/sub/b.so", "/lib/*" };
	static const char *const exc[] = { "/lib/a.so" };

	(void)state;
	select_with(lib_tree, COUNT(lib_tree), CRAMFS_XIP_NONE, inc, 2, NULL, 0,
		    "...X.X.");
	select_with(lib_tree, COUNT(lib_tree), CRAMFS_XIP_NONE, inc, 2, exc, 1,
		    "...X...");
}

/* Included files are mapped whole even when they are ELF files. */
static void an_included_elf_file_is_mapped_whole(void **state)
{
	uint8_t *elf = make_elf(HE_CLASS64, CRAMFS_ENDIAN_LITTLE, exe_segs,
				COUNT(exe_segs), EXE_SIZE);
	const struct fx_node nodes[] = {
		NODE_REG("whole", elf, EXE_SIZE),
		NODE_REG("segments", elf, EXE_SIZE),
	};
	static const char *const inc[] = { "whole" };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	struct checked_image ci;

	(void)state;
	o.xip_include = inc;
	o.xip_include_count = 1;
	xip_image(&ci, nodes, COUNT(nodes), &o);
	assert_xip_blocks(&ci, "whole", "XXXXXXXX");
	assert_xip_blocks(&ci, "segments", "XXXXXX..");
	release(&ci);
	free(elf);
}

/* ------------------------------------------------------------------ */
/* Byte order, pad, alignment, flags, determinism.                      */
/* ------------------------------------------------------------------ */

static void mixed_tree(struct fx_node *nodes, uint8_t *elf)
{
	const struct fx_node t[] = {
		NODE_DIR("bin"),
		NODE_DIR("etc"),
		NODE_REG("bin/prog", elf, EXE_SIZE),
		NODE_REG("bin/data", rnd, 2 * 4096 + 77),
		NODE_REG("etc/text", txt, 5000),
		NODE_REG("etc/small", txt + 9, 10),
		NODE_LNK("bin/sh", "prog"),
	};

	memcpy(nodes, t, sizeof(t));
}
#define MIXED_COUNT 7

static void both_byte_orders_with_and_without_pad_read_back_exactly(void **state)
{
	enum cramfs_endian orders[] = { CRAMFS_ENDIAN_LITTLE, CRAMFS_ENDIAN_BIG };
	uint8_t *elf = make_elf(HE_CLASS32, CRAMFS_ENDIAN_BIG, exe_segs,
				COUNT(exe_segs), EXE_SIZE);
	struct fx_node nodes[MIXED_COUNT];
	static const char *const inc[] = { "bin/data" };

	(void)state;
	mixed_tree(nodes, elf);
	for (size_t k = 0; k < 2; k++) {
		for (int pad = 0; pad < 2; pad++) {
			struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
			struct checked_image ci;

			o.endian = orders[k];
			o.pad = pad;
			o.xip_include = inc;
			o.xip_include_count = 1;
			/* check_image: addresses % 4096 from byte 0 of the file. */
			xip_image(&ci, nodes, MIXED_COUNT, &o);
			assert_xip_blocks(&ci, "bin/prog", "XXXXXX..");
			assert_xip_blocks(&ci, "bin/data", "XXX");
			assert_xip_blocks(&ci, "etc/text", "..");
			assert_int_equal(ci.xip_start, 4096);
			assert_int_equal(ci.st.xip_files, 2);
			release(&ci);
		}
	}
	free(elf);
}

static void an_inserted_file_moves_the_region_but_not_its_page_alignment(void **state)
{
	uint8_t *elf = make_elf(HE_CLASS64, CRAMFS_ENDIAN_BIG, exe_segs,
				COUNT(exe_segs), EXE_SIZE);
	struct fx_node nodes[MIXED_COUNT];
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	struct checked_image ci;
	char dir[512], path[600];

	(void)state;
	mixed_tree(nodes, elf);
	assert_int_equal(fx_tempdir(dir, sizeof(dir)), 0);
	assert_int_equal(fx_put_file(dir, "boot", txt, 5001), 0);
	snprintf(path, sizeof(path), "%s/boot", dir);
	o.insert_file = path;
	o.pad = true;
	xip_image(&ci, nodes, MIXED_COUNT, &o);
	/* 512 + 76 + 5004 bytes before the directory entries. */
	assert_true(ci.meta_end > 512 + 76 + 5004);
	assert_int_equal(ci.xip_start, 8192);
	assert_xip_blocks(&ci, "bin/prog", "XXXXXX..");
	release(&ci);
	assert_int_equal(fx_rm_rf(dir), 0);
	free(elf);
}

static void word_alignment_puts_runs_on_8_bytes_with_page_stride_inside(void **state)
{
	const struct fx_node nodes[] = {
		NODE_REG("a", rnd, 5001),
		NODE_REG("b", rnd + 3, 3 * 4096 + 10),
		NODE_REG("c", txt, 2 * 4096),
		NODE_REG("d", rnd + 5, 4099),
	};
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ALL, 4096);
	struct checked_image ci;
	uint32_t unaligned = 0;

	(void)state;
	o.xip_align = 8;
	/*
	 * check_image: runs 8-aligned and back to back, pages contiguous, and
	 * stats.xip_padding counts the zeros between runs as well.
	 */
	xip_image(&ci, nodes, COUNT(nodes), &o);
	assert_int_equal(ci.xip_start, align_up(ci.meta_end, 8));
	assert_int_not_equal(ci.xip_start % 4096, 0);
	for (size_t i = 0; i < ci.nfiles; i++)
		unaligned += ci.files[i].audit.misaligned;
	assert_int_equal(unaligned, 2 + 4 + 1 + 2);
	assert_xip_blocks(&ci, "c", "X.");
	/* b starts at a's end rounded up to 8, not at a page. */
	assert_int_equal(file_of(&ci, "b")->addr[0],
			 align_up(file_of(&ci, "a")->addr[1] + 5001 - 4096, 8));
	release(&ci);
}

static void an_invalid_xip_alignment_is_refused(void **state)
{
	static const uint32_t bad[] = { 1, 2, 3, 12, 8192 };
	const struct fx_node nodes[] = { NODE_REG("a", rnd, 100) };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ALL, 4096);
	struct cramfs_tree *tree;
	struct checked_image ci;

	(void)state;
	assert_int_equal(fx_tree_build(nodes, 1, &tree), 0);
	for (size_t i = 0; i < COUNT(bad); i++) {
		uint8_t *buf;
		size_t len;

		o.xip_align = bad[i];
		assert_int_equal(fx_write_image(tree, &o, &buf, &len, NULL), -EINVAL);
		assert_contains(cramfs_tree_errmsg(tree), "XIP alignment");
	}
	cramfs_tree_free(tree);
	/* The smallest valid one. */
	o.xip_align = 4;
	xip_image(&ci, nodes, 1, &o);
	release(&ci);
}

static void ext_block_pointers_is_set_only_when_a_file_is_xip(void **state)
{
	uint8_t *elf = make_elf(HE_CLASS64, CRAMFS_ENDIAN_LITTLE, exe_segs,
				COUNT(exe_segs), EXE_SIZE);
	const struct fx_node plain[] = {
		NODE_REG("text", txt, 9000),
		NODE_REG("empty", NULL, 0),
		NODE_LNK("link", "text"),
	};
	const struct fx_node with_elf[] = {
		NODE_REG("text", txt, 9000),
		NODE_REG("prog", elf, EXE_SIZE),
	};
	const struct fx_node only_empty[] = {
		NODE_REG("empty", NULL, 0),
		NODE_LNK("link", "empty"),
	};
	static const char *const nothing[] = { "no-such-file" };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	struct checked_image ci;

	(void)state;
	/* check_image asserts the flag against the files it finds XIP. */
	xip_image(&ci, plain, COUNT(plain), &o);
	assert_int_equal(ci.st.flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS, 0);
	assert_int_equal(ci.st.xip_padding, 0);
	release(&ci);
	xip_image(&ci, with_elf, COUNT(with_elf), &o);
	assert_int_not_equal(ci.st.flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS, 0);
	release(&ci);
	o = xip_opts(CRAMFS_XIP_ALL, 4096);
	xip_image(&ci, only_empty, COUNT(only_empty), &o);
	assert_int_equal(ci.st.flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS, 0);
	release(&ci);
	o = xip_opts(CRAMFS_XIP_NONE, 4096);
	o.xip_include = nothing;
	o.xip_include_count = 1;
	xip_image(&ci, plain, COUNT(plain), &o);
	assert_int_equal(ci.st.flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS, 0);
	release(&ci);
	free(elf);
}

static void the_report_counts_each_files_xip_pages_and_tail_padding(void **state)
{
	uint8_t *elf = make_elf(HE_CLASS32, CRAMFS_ENDIAN_LITTLE, exe_segs,
				COUNT(exe_segs), EXE_SIZE);
	struct fx_node nodes[MIXED_COUNT];
	static const char *const inc[] = { "bin/data" };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	struct notes notes = { 0 };
	struct checked_image ci;
	size_t p, d, t;

	(void)state;
	mixed_tree(nodes, elf);
	o.xip_include = inc;
	o.xip_include_count = 1;
	o.on_file = record_file;
	o.arg = &notes;
	xip_image(&ci, nodes, MIXED_COUNT, &o);
	p = note_of(&notes, "bin/prog");
	d = note_of(&notes, "bin/data");
	t = note_of(&notes, "etc/text");
	assert_int_equal(notes.xip[p], file_of(&ci, "bin/prog")->nxip);
	assert_int_equal(notes.zlib[p], 2);
	assert_int_equal(notes.padding[p], 0);
	assert_int_equal(notes.xip[d], 3);
	assert_int_equal(notes.padding[d], 4096 - 77);
	assert_int_equal(notes.xip[t], 0);
	assert_int_equal(notes.padding[t], 0);
	assert_int_equal(ci.st.xip_padding,
			 ci.xip_start - ci.meta_end + notes.padding[d]);
	release(&ci);
	free(elf);
}

static void the_same_tree_written_twice_gives_the_same_bytes(void **state)
{
	uint8_t *elf = make_elf(HE_CLASS64, CRAMFS_ENDIAN_BIG, exe_segs,
				COUNT(exe_segs), EXE_SIZE);
	struct fx_node nodes[MIXED_COUNT];
	static const char *const inc[] = { "*.txt", "data" };
	struct cramfs_write_opts o = xip_opts(CRAMFS_XIP_ELF, 4096);
	struct checked_image one, two;

	(void)state;
	mixed_tree(nodes, elf);
	o.xip_include = inc;
	o.xip_include_count = 2;
	xip_image(&one, nodes, MIXED_COUNT, &o);
	xip_image(&two, nodes, MIXED_COUNT, &o);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(one.buf, two.buf, one.len);
	assert_int_equal(one.st.crc, two.st.crc);
	release(&one);
	release(&two);
	free(elf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_files_map_every_page_with_4k_16k_and_64k_blocks),
		cmocka_unit_test(the_xip_region_starts_at_the_page_after_the_metadata),
		cmocka_unit_test(bytes_after_the_end_of_file_in_the_last_xip_page_are_zero),
		cmocka_unit_test(a_page_multiple_file_keeps_its_last_block_compressed_by_default),
		cmocka_unit_test(xip_map_last_page_maps_the_last_block_of_a_page_multiple_file),
		cmocka_unit_test(identical_xip_files_are_stored_apart_and_both_map_fully),
		cmocka_unit_test(zero_pages_of_an_xip_file_are_mapped_not_holes),
		cmocka_unit_test(elf_files_of_each_class_and_byte_order_map_their_read_only_pages),
		cmocka_unit_test(non_xip_blocks_of_an_xip_file_are_direct_zlib_blocks),
		cmocka_unit_test(segments_in_touching_pages_form_one_run),
		cmocka_unit_test(an_elf_whose_text_ends_the_file_maps_its_last_page),
		cmocka_unit_test(a_malformed_elf_is_stored_without_xip_and_named_in_one_warning),
		cmocka_unit_test(hard_links_share_one_copy_of_the_xip_pages),
		cmocka_unit_test(exclude_patterns_win_over_include_patterns_and_xip_all),
		cmocka_unit_test(a_pattern_without_a_slash_matches_the_name_in_any_directory),
		cmocka_unit_test(a_pattern_with_a_slash_matches_the_whole_path_one_level_per_star),
		cmocka_unit_test(a_leading_slash_in_a_pattern_is_ignored),
		cmocka_unit_test(an_included_elf_file_is_mapped_whole),
		cmocka_unit_test(both_byte_orders_with_and_without_pad_read_back_exactly),
		cmocka_unit_test(an_inserted_file_moves_the_region_but_not_its_page_alignment),
		cmocka_unit_test(word_alignment_puts_runs_on_8_bytes_with_page_stride_inside),
		cmocka_unit_test(an_invalid_xip_alignment_is_refused),
		cmocka_unit_test(ext_block_pointers_is_set_only_when_a_file_is_xip),
		cmocka_unit_test(the_report_counts_each_files_xip_pages_and_tail_padding),
		cmocka_unit_test(the_same_tree_written_twice_gives_the_same_bytes),
	};

	return cmocka_run_group_tests(tests, fill_data, NULL);
}

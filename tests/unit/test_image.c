// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/image.c: opening, walking and decoding images written by the library,
 * and refusing hostile ones built by editing a few bytes of a good image.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "helper_craft.h"

static uint8_t text5000[5000];
static uint8_t random4095[4095];
static uint8_t text4096[4096];
static uint8_t random4097[4097];
static uint8_t random3blocks[3 * 4096];
static uint8_t text40k[40000];

static int fill_data(void **state)
{
	(void)state;
	fx_fill_text(text5000, sizeof(text5000), 1);
	fx_fill_random(random4095, sizeof(random4095), 2);
	fx_fill_text(text4096, sizeof(text4096), 3);
	fx_fill_random(random4097, sizeof(random4097), 4);
	fx_fill_random(random3blocks, sizeof(random3blocks), 5);
	fx_fill_text(text40k, sizeof(text40k), 6);
	return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Every kind of entry and the sizes around a block boundary. */
static const struct fx_node tree[] = {
	FX_NODE_DIR("bin"),
	FX_NODE_REG("bin/sh", 0755, text5000, sizeof(text5000)),
	FX_NODE_DIR("dev"),
	{ .path = "dev/null", .mode = S_IFCHR | 0666, .rdev_major = 1,
	  .rdev_minor = 3 },
	FX_NODE_DIR("etc"),
	FX_NODE_STR("etc/motd", "hello world\n"),
	{ .path = "etc/empty", .mode = S_IFREG | 0600 },
	FX_NODE_LNK("etc/sh-link", "../bin/sh"),
	FX_NODE_DIR("etc/sub"),
	FX_NODE_STR("etc/sub/deep", "deep\n"),
	{ .path = "owned", .mode = S_IFREG | 0640, .uid = 1000, .gid = 50,
	  .data = "x", .len = 1 },
	{ .path = "size0", .mode = S_IFREG | 0644 },
	FX_NODE_STR("size1", "1"),
	FX_NODE_REG("size4095", 0644, random4095, sizeof(random4095)),
	FX_NODE_REG("size4096", 0644, text4096, sizeof(text4096)),
	FX_NODE_REG("size4097", 0644, random4097, sizeof(random4097)),
};

/* Parents first, each directory in strcmp order. */
static const char *const walk_order[] = {
	"", "bin", "bin/sh", "dev", "dev/null", "etc", "etc/empty",
	"etc/motd", "etc/sh-link", "etc/sub", "etc/sub/deep", "owned",
	"size0", "size1", "size4095", "size4096", "size4097",
};

/* Small enough for every prefix to be tried. */
static const struct fx_node small[] = {
	FX_NODE_DIR("etc"),
	FX_NODE_STR("etc/motd", "hello world\n"),
	FX_NODE_LNK("etc/sh-link", "../bin/sh"),
	FX_NODE_DIR("etc/sub"),
	FX_NODE_REG("sh", 0755, text5000, sizeof(text5000)),
	{ .path = "fifo", .mode = S_IFIFO | 0644 },
};

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("\"%s\" does not contain \"%s\"", text, needle);
}

static void assert_containsf(const char *text, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void assert_containsf(const char *text, const char *fmt, ...)
{
	char needle[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(needle, sizeof(needle), fmt, ap);
	va_end(ap);
	assert_contains(text, needle);
}

static struct cramfs_write_opts opts_le(void)
{
	struct cramfs_write_opts o;

	cramfs_write_opts_init(&o);
	o.endian = CRAMFS_ENDIAN_LITTLE;
	return o;
}

static void make(const struct fx_node *nodes, size_t n,
		 const struct cramfs_write_opts *o, struct hc_image *img)
{
	int err = hc_make(nodes, n, o, img);

	if (err)
		fail_msg("cannot write the image: %s", cramfs_strerror(err));
}

static struct cramfs_image *open_image(const struct hc_image *img)
{
	struct cramfs_image *h;

	assert_int_equal(cramfs_image_new(&h), 0);
	if (cramfs_image_open_memory(h, img->buf, img->len))
		fail_msg("open failed: %s", cramfs_image_errmsg(h));
	if (img->fx.block_size != 4096)
		assert_int_equal(cramfs_image_set_block_size(h, img->fx.block_size), 0);
	return h;
}

static struct cramfs_inode inode_of(const struct hc_image *img, const char *path)
{
	struct cramfs_inode ino;

	if (hc_inode(img, path, &ino, NULL))
		fail_msg("%s not in the image", path);
	return ino;
}

static uint32_t ptr_offset(const struct hc_image *img, const char *path,
			   uint32_t index)
{
	uint32_t off;

	assert_int_equal(hc_ptr_offset(img, path, index, &off), 0);
	return off;
}

/* ---- Collecting what the reader hands out. ---- */

struct bytes {
	uint8_t *p;
	size_t len;
	unsigned int calls;
};

static int collect(void *arg, const void *buf, size_t len)
{
	struct bytes *b = arg;
	uint8_t *n = realloc(b->p, b->len + len + 1);

	if (!n)
		return -ENOMEM;
	memcpy(n + b->len, buf, len);
	b->p = n;
	b->len += len;
	b->calls++;
	return 0;
}

/* Decode `path` through an entry built from the independent decoder. */
static int read_path(struct cramfs_image *h, const struct hc_image *img,
		     const char *path, struct bytes *out)
{
	struct cramfs_entry e = {
		.path = path, .name = strrchr(path, '/') ?
				      strrchr(path, '/') + 1 : path,
	};

	memset(out, 0, sizeof(*out));
	e.inode = inode_of(img, path);
	return cramfs_image_read_data(h, &e, collect, out);
}

struct seen {
	char path[32][64];
	char name[32][64];
	unsigned int depth[32];
	uint32_t inode_offset[32];
	struct cramfs_inode inode[32];
	size_t n;
	size_t stop_after;  /* 0: never stop */
};

static int record(void *arg, const struct cramfs_entry *e)
{
	struct seen *s = arg;

	assert_true(s->n < COUNT(s->path));
	snprintf(s->path[s->n], sizeof(s->path[0]), "%s", e->path);
	snprintf(s->name[s->n], sizeof(s->name[0]), "%s", e->name);
	s->depth[s->n] = e->depth;
	s->inode_offset[s->n] = e->inode_offset;
	s->inode[s->n] = e->inode;
	s->n++;
	return s->stop_after && s->n == s->stop_after ? 42 : 0;
}

/* Walk and decode every file; the first failure, or 0. */
struct read_all {
	struct cramfs_image *h;
	int ret;
};

static int read_entry(void *arg, const struct cramfs_entry *e)
{
	struct read_all *r = arg;
	struct bytes b = { 0 };
	int ret = 0;

	if (S_ISREG(e->inode.mode) || S_ISLNK(e->inode.mode)) {
		ret = cramfs_image_read_data(r->h, e, collect, &b);
		if (!ret && b.len != e->inode.size)
			fail_msg("%s: %zu bytes decoded, size %u", e->path,
				 b.len, e->inode.size);
	}
	free(b.p);
	return ret;
}

static int read_everything(struct cramfs_image *h)
{
	struct read_all r = { .h = h };

	return cramfs_image_walk(h, read_entry, &r);
}

/* ---- Opening images the library wrote. ---- */

static void check_super_fields(const struct hc_image *img,
			       enum cramfs_endian endian, uint32_t super_off)
{
	struct cramfs_image *h = open_image(img);
	const struct cramfs_super *sb = cramfs_image_super(h);

	assert_non_null(sb);
	assert_int_equal(sb->magic, CRAMFS_MAGIC);
	assert_int_equal(sb->size, img->len);
	assert_int_equal(sb->flags, CRAMFS_FLAG_FSID_VERSION_2 |
			 CRAMFS_FLAG_SORTED_DIRS);
	assert_memory_equal(sb->signature, CRAMFS_SIGNATURE, CRAMFS_SIGNATURE_LEN);
	assert_memory_equal(sb->name, "Compressed", 10);
	assert_int_equal(sb->fsid.files, COUNT(tree) + 1);
	assert_int_equal(sb->fsid.blocks, img->stats.blocks);
	assert_int_equal(sb->fsid.crc, img->stats.crc);
	assert_int_equal(sb->fsid.edition, 7);
	assert_int_equal(sb->root.mode, S_IFDIR | 0755);
	assert_int_equal(sb->root.offset << 2, super_off + CRAMFS_SUPER_SIZE);
	assert_int_equal(cramfs_image_endian(h), endian);
	assert_int_equal(cramfs_image_super_offset(h), super_off);
	assert_int_equal(cramfs_image_length(h), img->len);
	assert_string_equal(cramfs_image_errmsg(h), "");
	cramfs_image_free(h);
}

static void open_memory_decodes_a_little_endian_superblock(void **state)
{
	struct cramfs_write_opts o = opts_le();
	struct hc_image img;

	(void)state;
	o.edition = 7;
	make(tree, COUNT(tree), &o, &img);
	check_super_fields(&img, CRAMFS_ENDIAN_LITTLE, 0);
	hc_free(&img);
}

static void open_memory_decodes_a_big_endian_superblock(void **state)
{
	struct cramfs_write_opts o = opts_le();
	struct hc_image img;

	(void)state;
	o.edition = 7;
	o.endian = CRAMFS_ENDIAN_BIG;
	make(tree, COUNT(tree), &o, &img);
	assert_int_equal(cramfs_get32(img.buf, CRAMFS_ENDIAN_BIG), CRAMFS_MAGIC);
	check_super_fields(&img, CRAMFS_ENDIAN_BIG, 0);
	hc_free(&img);
}

static void open_memory_finds_the_superblock_after_the_512_byte_pad(void **state)
{
	struct cramfs_write_opts o = opts_le();
	struct hc_image img;

	(void)state;
	o.edition = 7;
	o.pad = true;
	make(tree, COUNT(tree), &o, &img);
	check_super_fields(&img, CRAMFS_ENDIAN_LITTLE, CRAMFS_PAD_SIZE);
	hc_free(&img);
	o.endian = CRAMFS_ENDIAN_BIG;
	make(tree, COUNT(tree), &o, &img);
	check_super_fields(&img, CRAMFS_ENDIAN_BIG, CRAMFS_PAD_SIZE);
	hc_free(&img);
}

static void accessors_without_an_open_image_return_neutral_values(void **state)
{
	struct cramfs_image *h;
	uint32_t crc;

	(void)state;
	assert_int_equal(cramfs_image_new(&h), 0);
	assert_null(cramfs_image_super(h));
	assert_int_equal(cramfs_image_super_offset(h), 0);
	assert_int_equal(cramfs_image_length(h), 0);
	assert_int_equal(cramfs_image_compute_crc(h, &crc), -EINVAL);
	assert_int_equal(cramfs_image_walk(h, record, NULL), -EINVAL);
	assert_string_equal(cramfs_image_errmsg(h), "no image open");
	cramfs_image_free(h);
	cramfs_image_free(NULL);
}

static void second_open_on_the_same_handle_fails_with_ebusy(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	h = open_image(&img);
	assert_int_equal(cramfs_image_open_memory(h, img.buf, img.len), -EBUSY);
	assert_contains(cramfs_image_errmsg(h), "already open");
	/* The first image is still usable. */
	assert_int_equal(read_everything(h), 0);
	cramfs_image_free(h);
	hc_free(&img);
}

static void block_size_must_be_a_power_of_two_from_4k_to_64k(void **state)
{
	struct cramfs_image *h;

	(void)state;
	assert_int_equal(cramfs_image_new(&h), 0);
	assert_int_equal(cramfs_image_set_block_size(h, 4096), 0);
	assert_int_equal(cramfs_image_set_block_size(h, 16384), 0);
	assert_int_equal(cramfs_image_set_block_size(h, 65536), 0);
	assert_int_equal(cramfs_image_set_block_size(h, 2048), -EINVAL);
	assert_int_equal(cramfs_image_set_block_size(h, 131072), -EINVAL);
	assert_int_equal(cramfs_image_set_block_size(h, 12288), -EINVAL);
	assert_contains(cramfs_image_errmsg(h), "block size 12288");
	cramfs_image_free(h);
}

/* ---- CRC. ---- */

static void compute_crc_equals_the_stored_crc_in_every_layout(void **state)
{
	static const struct { enum cramfs_endian endian; bool pad; } v[] = {
		{ CRAMFS_ENDIAN_LITTLE, false }, { CRAMFS_ENDIAN_BIG, false },
		{ CRAMFS_ENDIAN_LITTLE, true }, { CRAMFS_ENDIAN_BIG, true },
	};

	(void)state;
	for (size_t i = 0; i < COUNT(v); i++) {
		struct cramfs_write_opts o = opts_le();
		struct hc_image img;
		struct cramfs_image *h;
		uint32_t crc = 0;

		o.endian = v[i].endian;
		o.pad = v[i].pad;
		make(tree, COUNT(tree), &o, &img);
		h = open_image(&img);
		assert_int_equal(cramfs_image_compute_crc(h, &crc), 0);
		assert_int_equal(crc, img.fx.super.fsid.crc);
		assert_int_equal(crc, fx_image_crc(&img.fx));
		cramfs_image_free(h);
		hc_free(&img);
	}
}

static void compute_crc_changes_when_a_data_byte_changes(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	uint32_t crc = 0;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	img.buf[img.len - 1] ^= 1;
	h = open_image(&img);
	assert_int_equal(cramfs_image_compute_crc(h, &crc), 0);
	assert_int_not_equal(crc, img.fx.super.fsid.crc);
	cramfs_image_free(h);
	hc_free(&img);
}

static void compute_crc_fails_when_the_superblock_size_passes_the_end(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	uint32_t crc;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	hc_put32(&img, 4, (uint32_t)img.len + 4);
	h = open_image(&img);
	assert_int_equal(cramfs_image_compute_crc(h, &crc), -CRAMFS_ECORRUPT);
	assert_containsf(cramfs_image_errmsg(h), "size 0x%zx is beyond the end",
			 img.len + 4);
	cramfs_image_free(h);
	hc_free(&img);
}

/* ---- Walking. ---- */

static void walk_visits_parents_first_in_stored_order(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct seen s = { .n = 0 };

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &s), 0);
	assert_int_equal(s.n, COUNT(walk_order));
	for (size_t i = 0; i < s.n; i++) {
		const char *slash = strrchr(walk_order[i], '/');
		unsigned int depth = 0;

		assert_string_equal(s.path[i], walk_order[i]);
		assert_string_equal(s.name[i], slash ? slash + 1 : walk_order[i]);
		for (const char *p = walk_order[i]; *p; p++)
			depth += *p == '/';
		assert_int_equal(s.depth[i], i ? depth + 1 : 0);
	}
	cramfs_image_free(h);
	hc_free(&img);
}

static void walk_hands_out_the_stored_inode_and_its_offset(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct seen s = { .n = 0 };

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &s), 0);
	for (size_t i = 0; i < s.n; i++) {
		struct cramfs_inode ino;
		uint32_t off;

		assert_int_equal(hc_inode(&img, s.path[i], &ino, &off), 0);
		assert_int_equal(s.inode_offset[i], off);
		assert_memory_equal(&s.inode[i], &ino, sizeof(ino));
	}
	/* Spot checks against the table the tree came from. */
	assert_int_equal(s.inode[11].mode, S_IFREG | 0640);   /* owned */
	assert_int_equal(s.inode[11].uid, 1000);
	assert_int_equal(s.inode[11].gid, 50);
	assert_int_equal(s.inode[11].size, 1);
	assert_int_equal(s.inode[4].mode, S_IFCHR | 0666);    /* dev/null */
	assert_int_equal(s.inode[4].size, (1u << 8) | 3u);
	assert_int_equal(s.inode[8].mode, S_IFLNK | 0777);    /* sh-link */
	assert_int_equal(s.inode[8].size, 9);
	assert_int_equal(s.inode_offset[0], CRAMFS_SUPER_SIZE - CRAMFS_INODE_SIZE);
	cramfs_image_free(h);
	hc_free(&img);
}

static void walk_stops_at_a_nonzero_callback_result_and_returns_it(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct seen s = { .n = 0, .stop_after = 3 };

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &s), 42);
	assert_int_equal(s.n, 3);
	cramfs_image_free(h);
	hc_free(&img);
}

/* ---- Reading data. ---- */

static void assert_reads(struct cramfs_image *h, const struct hc_image *img,
			 const char *path, const void *want, size_t len)
{
	struct bytes b;
	int ret = read_path(h, img, path, &b);

	if (ret)
		fail_msg("%s: %s", path, cramfs_image_errmsg(h));
	assert_int_equal(b.len, len);
	if (len)
		assert_memory_equal(b.p, want, len);
	free(b.p);
}

static void read_data_returns_exact_content_around_block_boundaries(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct bytes b;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	h = open_image(&img);
	assert_int_equal(read_path(h, &img, "size0", &b), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.calls, 0);
	free(b.p);
	assert_reads(h, &img, "size1", "1", 1);
	assert_reads(h, &img, "size4095", random4095, sizeof(random4095));
	assert_reads(h, &img, "size4096", text4096, sizeof(text4096));
	assert_reads(h, &img, "size4097", random4097, sizeof(random4097));
	assert_reads(h, &img, "bin/sh", text5000, sizeof(text5000));
	assert_reads(h, &img, "etc/sh-link", "../bin/sh", 9);
	/* One sink call per block. */
	assert_int_equal(read_path(h, &img, "size4097", &b), 0);
	assert_int_equal(b.calls, 2);
	free(b.p);
	cramfs_image_free(h);
	hc_free(&img);
}

static void read_data_refuses_a_directory_with_einval(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct bytes b;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	h = open_image(&img);
	assert_int_equal(read_path(h, &img, "etc", &b), -EINVAL);
	assert_contains(cramfs_image_errmsg(h), "etc: not a regular file or symlink");
	free(b.p);
	cramfs_image_free(h);
	hc_free(&img);
}

static int stop_at_first(void *arg, const void *buf, size_t len)
{
	unsigned int *calls = arg;

	(void)buf;
	(void)len;
	++*calls;
	return 7;
}

static void read_data_returns_the_sink_result_and_stops(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct cramfs_entry e = { .path = "size4097", .name = "size4097" };
	unsigned int calls = 0;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	h = open_image(&img);
	e.inode = inode_of(&img, "size4097");
	assert_int_equal(cramfs_image_read_data(h, &e, stop_at_first, &calls), 7);
	assert_int_equal(calls, 1);
	cramfs_image_free(h);
	hc_free(&img);
}

static void sixteen_k_blocks_read_back_with_the_block_size_set(void **state)
{
	struct cramfs_write_opts o = opts_le();
	static const struct fx_node nodes[] = {
		FX_NODE_REG("text", 0644, text40k, sizeof(text40k)),
		FX_NODE_REG("noise", 0644, random4097, sizeof(random4097)),
	};
	struct hc_image img;
	struct cramfs_image *h;
	struct bytes b;

	(void)state;
	o.block_size = 16384;
	make(nodes, COUNT(nodes), &o, &img);
	assert_int_equal(img.len % 16384, 0);
	h = open_image(&img);
	assert_int_equal(read_path(h, &img, "text", &b), 0);
	assert_int_equal(b.calls, 3);
	assert_int_equal(b.len, sizeof(text40k));
	assert_memory_equal(b.p, text40k, sizeof(text40k));
	free(b.p);
	assert_reads(h, &img, "noise", random4097, sizeof(random4097));
	assert_int_equal(read_everything(h), 0);
	cramfs_image_free(h);
	hc_free(&img);
}

static void holes_and_raw_blocks_decode_to_the_original_bytes(void **state)
{
	static uint8_t sparse[3 * 4096 + 10];
	struct cramfs_write_opts o = opts_le();
	struct fx_node nodes[] = {
		FX_NODE_REG("sparse", 0644, sparse, sizeof(sparse)),
		FX_NODE_REG("noise", 0644, random3blocks,
			    sizeof(random3blocks)),
	};
	struct hc_image img;
	struct cramfs_image *h;

	(void)state;
	memset(sparse, 0, sizeof(sparse));
	memcpy(sparse + 4096, text4096, 4096);
	memcpy(sparse + 3 * 4096, "tail bytes", 10);
	o.holes = true;
	o.raw_blocks = true;
	make(nodes, COUNT(nodes), &o, &img);
	assert_int_equal(img.fx.super.flags & (CRAMFS_FLAG_HOLES |
					       CRAMFS_FLAG_EXT_BLOCK_POINTERS),
			 CRAMFS_FLAG_HOLES | CRAMFS_FLAG_EXT_BLOCK_POINTERS);
	h = open_image(&img);
	assert_reads(h, &img, "sparse", sparse, sizeof(sparse));
	assert_reads(h, &img, "noise", random3blocks, sizeof(random3blocks));
	cramfs_image_free(h);
	hc_free(&img);
}

static void direct_pointers_decode_raw_and_zlib_blocks(void **state)
{
	struct cramfs_write_opts o = opts_le();
	static const struct fx_node nodes[] = {
		FX_NODE_REG("noise", 0644, random4097, sizeof(random4097)),
		FX_NODE_REG("text", 0644, text4096, sizeof(text4096)),
	};
	struct hc_image img;
	struct cramfs_image *h;
	uint32_t t, start, end, spot, zlen;

	(void)state;
	o.raw_blocks = true;
	make(nodes, COUNT(nodes), &o, &img);
	/* noise block 0 is raw right after its table: point at it directly. */
	t = ptr_offset(&img, "noise", 0);
	start = t + 8;
	assert_true(hc_get32(&img, t) & CRAMFS_BLK_FLAG_UNCOMPRESSED);
	hc_put32(&img, t, start >> CRAMFS_BLK_DIRECT_PTR_SHIFT |
		 CRAMFS_BLK_FLAG_UNCOMPRESSED | CRAMFS_BLK_FLAG_DIRECT_PTR);
	/* text's zlib block, copied behind a u16 length into the tail. */
	t = ptr_offset(&img, "text", 0);
	end = hc_get32(&img, t);
	zlen = end - (t + 4);
	spot = (uint32_t)img.len - ((zlen + 2 + 3) & ~3u) - 4;
	assert_true(spot > end);
	img.buf[spot] = (uint8_t)zlen;          /* little endian u16 */
	img.buf[spot + 1] = (uint8_t)(zlen >> 8);
	memcpy(img.buf + spot + 2, img.buf + t + 4, zlen);
	memset(img.buf + t + 4, 0xee, zlen);    /* the old copy is garbage now */
	hc_put32(&img, t, spot >> CRAMFS_BLK_DIRECT_PTR_SHIFT |
		 CRAMFS_BLK_FLAG_DIRECT_PTR);
	h = open_image(&img);
	assert_reads(h, &img, "noise", random4097, sizeof(random4097));
	assert_reads(h, &img, "text", text4096, sizeof(text4096));
	cramfs_image_free(h);
	hc_free(&img);
}

/* ---- Hostile images. ---- */

static void every_prefix_of_a_small_image_fails_cleanly(void **state)
{
	struct hc_image img;
	size_t used;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	/* The data ends with the last block of some file. */
	used = 0;
	for (size_t i = 0; i < COUNT(small); i++) {
		struct cramfs_inode ino;
		uint32_t last, end;

		if (!small[i].len)
			continue;
		ino = inode_of(&img, small[i].path);
		last = (ino.size - 1) / 4096;
		end = hc_get32(&img, ptr_offset(&img, small[i].path, last));
		if (end > used)
			used = end;
	}
	assert_true(used > img.stats.metadata_size && used < img.len);
	for (size_t len = 0; len <= img.len; len++) {
		uint8_t *copy = hc_prefix(&img, len);
		struct cramfs_image *h;
		int ret;

		assert_non_null(copy);
		assert_int_equal(cramfs_image_new(&h), 0);
		ret = cramfs_image_open_memory(h, copy, len);
		if (len < CRAMFS_SUPER_SIZE) {
			assert_int_equal(ret, -CRAMFS_ECORRUPT);
			assert_contains(cramfs_image_errmsg(h),
					"too small for a cramfs superblock");
		}
		if (!ret)
			ret = read_everything(h);
		if (len < used) {
			if (ret >= 0)
				fail_msg("prefix of %zu bytes (of %zu used) read without error",
					 len, used);
			assert_int_equal(ret, -CRAMFS_ECORRUPT);
			if (len >= CRAMFS_SUPER_SIZE)
				assert_contains(cramfs_image_errmsg(h), "0x");
		} else if (ret) {
			fail_msg("prefix of %zu bytes holds all %zu used: %s",
				 len, used, cramfs_image_errmsg(h));
		}
		cramfs_image_free(h);
		free(copy);
	}
	hc_free(&img);
}

static void open_refuses_a_bad_magic(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	hc_put32(&img, 0, 0x12345678);
	assert_int_equal(cramfs_image_new(&h), 0);
	assert_int_equal(cramfs_image_open_memory(h, img.buf, img.len),
			 -CRAMFS_ECORRUPT);
	assert_contains(cramfs_image_errmsg(h), "no cramfs magic at offset 0 or 512");
	assert_null(cramfs_image_super(h));
	cramfs_image_free(h);
	hc_free(&img);
}

static void open_refuses_unsupported_flags(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	hc_put32(&img, 8, img.fx.super.flags | 0x1000u);
	assert_int_equal(cramfs_image_new(&h), 0);
	assert_int_equal(cramfs_image_open_memory(h, img.buf, img.len),
			 -CRAMFS_ECORRUPT);
	assert_contains(cramfs_image_errmsg(h),
			"superblock at 0x0: unsupported flags 0x1000");
	cramfs_image_free(h);
	hc_free(&img);
}

static void open_refuses_a_root_that_is_not_a_directory(void **state)
{
	struct cramfs_write_opts o = opts_le();
	struct hc_image img;
	struct cramfs_image *h;
	struct cramfs_inode root;
	uint32_t off;

	(void)state;
	o.pad = true;
	make(small, COUNT(small), &o, &img);
	assert_int_equal(hc_inode(&img, "", &root, &off), 0);
	root.mode = S_IFREG | 0644;
	assert_int_equal(hc_set_inode(&img, off, &root), 0);
	assert_int_equal(cramfs_image_new(&h), 0);
	assert_int_equal(cramfs_image_open_memory(h, img.buf, img.len),
			 -CRAMFS_ECORRUPT);
	assert_contains(cramfs_image_errmsg(h),
			"superblock at 0x200: root inode mode 0100644 is not a directory");
	cramfs_image_free(h);
	hc_free(&img);
}

/* Point directory `path` at the entries of directory `target`. */
static void redirect_dir(struct hc_image *img, const char *path,
			 const char *target)
{
	struct cramfs_inode ino, to = inode_of(img, target);
	uint32_t off;

	assert_int_equal(hc_inode(img, path, &ino, &off), 0);
	ino.offset = to.offset;
	ino.size = to.size;
	assert_int_equal(hc_set_inode(img, off, &ino), 0);
}

static void walk_of_a_directory_pointing_at_its_parent_fails_with_eloop(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct seen s = { .n = 0 };

	(void)state;
	make(small, COUNT(small), NULL, &img);
	redirect_dir(&img, "etc", "");
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &s), -ELOOP);
	assert_contains(cramfs_image_errmsg(h),
			"directory cycle: entries at 0x4c are those of ancestor /");
	/* It stopped right after handing out the looping entry. */
	assert_string_equal(s.path[s.n - 1], "etc");
	cramfs_image_free(h);
	hc_free(&img);
}

static void walk_of_a_deeper_cycle_names_the_ancestor(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct cramfs_inode etc;
	char want[96];

	(void)state;
	make(small, COUNT(small), NULL, &img);
	etc = inode_of(&img, "etc");
	redirect_dir(&img, "etc/sub", "etc");
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &(struct seen){ .n = 0 }),
			 -ELOOP);
	snprintf(want, sizeof(want), "entries at 0x%x are those of ancestor etc",
		 etc.offset << 2);
	assert_contains(cramfs_image_errmsg(h), want);
	cramfs_image_free(h);
	hc_free(&img);
}

static void walk_of_two_directories_sharing_entries_fails_with_eloop(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct cramfs_inode sub;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	sub = inode_of(&img, "etc/sub");
	redirect_dir(&img, "bin", "etc/sub");
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &(struct seen){ .n = 0 }),
			 -ELOOP);
	assert_containsf(cramfs_image_errmsg(h),
			 "directory entries at 0x%x are shared with another directory",
			 sub.offset << 2);
	cramfs_image_free(h);
	hc_free(&img);
}

static void walk_refuses_entries_beyond_the_end(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct cramfs_inode ino;
	uint32_t off;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	assert_int_equal(hc_inode(&img, "etc", &ino, &off), 0);
	ino.offset = (uint32_t)(img.len >> 2) - 2;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &(struct seen){ .n = 0 }),
			 -CRAMFS_ECORRUPT);
	assert_containsf(cramfs_image_errmsg(h),
			 "directory entries at 0x%zx (%u bytes) extend beyond image end 0x%zx",
			 img.len - 8, ino.size, img.len);
	cramfs_image_free(h);
	hc_free(&img);
}

static void walk_refuses_directory_entries_over_the_superblock(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct cramfs_inode ino;
	uint32_t off;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	assert_int_equal(hc_inode(&img, "etc", &ino, &off), 0);
	ino.offset = 4;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &(struct seen){ .n = 0 }),
			 -CRAMFS_ECORRUPT);
	assert_contains(cramfs_image_errmsg(h),
			"directory entries at 0x10 overlap the superblock");
	cramfs_image_free(h);
	hc_free(&img);
}

static void walk_refuses_a_name_length_of_zero(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct cramfs_inode ino;
	uint32_t off;
	char want[64];

	(void)state;
	make(small, COUNT(small), NULL, &img);
	assert_int_equal(hc_inode(&img, "etc/motd", &ino, &off), 0);
	ino.namelen = 0;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &(struct seen){ .n = 0 }),
			 -CRAMFS_ECORRUPT);
	snprintf(want, sizeof(want), "entry at 0x%x: invalid name \"\": empty name",
		 off);
	assert_contains(cramfs_image_errmsg(h), want);
	cramfs_image_free(h);
	hc_free(&img);
}

static void walk_refuses_names_with_a_slash_or_dot_dot(void **state)
{
	static const struct { const char *name, *why; } bad[] = {
		{ "e/c", "invalid name \"e/c\": '/' in the name" },
		{ "..", "invalid name \"..\": reserved name" },
		{ ".", "invalid name \".\": reserved name" },
		{ "e\001", "invalid name \"e\\001\"" },
	};

	(void)state;
	for (size_t i = 0; i < COUNT(bad); i++) {
		struct hc_image img;
		struct cramfs_image *h;
		uint32_t off;
		struct cramfs_inode ino;
		struct seen s = { .n = 0 };
		int ret;

		make(small, COUNT(small), NULL, &img);
		assert_int_equal(hc_inode(&img, "etc", &ino, &off), 0);
		assert_int_equal(hc_rename(&img, "etc", bad[i].name), 0);
		h = open_image(&img);
		ret = cramfs_image_walk(h, record, &s);
		if (i == 3) {
			/* Control characters are legal; they are only escaped in messages. */
			assert_int_equal(ret, 0);
			assert_string_equal(s.path[1], "e\001");
		} else {
			assert_int_equal(ret, -CRAMFS_ECORRUPT);
			assert_containsf(cramfs_image_errmsg(h), "entry at 0x%x: %s",
					 off, bad[i].why);
			/* Nothing below the bad entry was handed out. */
			assert_int_equal(s.n, 1);
		}
		cramfs_image_free(h);
		hc_free(&img);
	}
}

static void walk_refuses_an_entry_crossing_its_directory_end(void **state)
{
	struct hc_image img;
	struct cramfs_image *h;
	struct cramfs_inode ino;
	uint32_t off;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	assert_int_equal(hc_inode(&img, "etc", &ino, &off), 0);
	ino.size -= 2;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	h = open_image(&img);
	assert_int_equal(cramfs_image_walk(h, record, &(struct seen){ .n = 0 }),
			 -CRAMFS_ECORRUPT);
	assert_containsf(cramfs_image_errmsg(h), "crosses the end of its directory at 0x%x",
			 (ino.offset << 2) + ino.size);
	cramfs_image_free(h);
	hc_free(&img);
}

/* Read `path` from the edited image; expect CRAMFS_ECORRUPT and `want`. */
static void assert_read_corrupt(const struct hc_image *img, const char *path,
				const char *want)
{
	struct cramfs_image *h = open_image(img);
	struct bytes b;

	assert_int_equal(read_path(h, img, path, &b), -CRAMFS_ECORRUPT);
	assert_contains(cramfs_image_errmsg(h), want);
	free(b.p);
	cramfs_image_free(h);
}

static void read_data_refuses_a_block_pointer_beyond_the_end(void **state)
{
	struct hc_image img;
	char want[128];

	(void)state;
	make(small, COUNT(small), NULL, &img);
	hc_put32(&img, ptr_offset(&img, "sh", 0), (uint32_t)img.len + 4);
	snprintf(want, sizeof(want),
		 "sh: block 0: pointer 0x%08zx beyond image end 0x%zx",
		 img.len + 4, img.len);
	assert_read_corrupt(&img, "sh", want);
	hc_free(&img);
}

static void read_data_refuses_a_decreasing_pointer(void **state)
{
	struct hc_image img;
	uint32_t p0;
	char want[160];

	(void)state;
	make(small, COUNT(small), NULL, &img);
	p0 = hc_get32(&img, ptr_offset(&img, "sh", 0));
	hc_put32(&img, ptr_offset(&img, "sh", 1), p0 - 1);
	snprintf(want, sizeof(want),
		 "sh: block 1: pointer 0x%08x is below the block start 0x%x (pointers must not decrease)",
		 p0 - 1, p0);
	assert_read_corrupt(&img, "sh", want);
	hc_free(&img);
}

static void read_data_refuses_a_corrupt_zlib_stream(void **state)
{
	struct hc_image img;
	uint32_t t = 0;
	char want[64];

	(void)state;
	make(small, COUNT(small), NULL, &img);
	t = ptr_offset(&img, "sh", 0);
	for (uint32_t k = 16; k < 48; k++)
		img.buf[t + 8 + k] ^= 0x5a;
	snprintf(want, sizeof(want), "sh: block 0: bad zlib stream at 0x%x", t + 8);
	assert_read_corrupt(&img, "sh", want);
	hc_free(&img);
}

static void read_data_refuses_a_stream_that_inflates_to_the_wrong_length(void **state)
{
	struct hc_image img;
	struct cramfs_inode ino;
	uint32_t off, t;
	char want[128];

	(void)state;
	make(small, COUNT(small), NULL, &img);
	/* motd's single block holds 12 bytes; claim 11, then 13. */
	assert_int_equal(hc_inode(&img, "etc/motd", &ino, &off), 0);
	t = ptr_offset(&img, "etc/motd", 0);
	ino.size = 11;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	snprintf(want, sizeof(want),
		 "etc/motd: block 0: zlib stream at 0x%x inflates to 12 bytes, expected 11",
		 t + 4);
	assert_read_corrupt(&img, "etc/motd", want);
	ino.size = 13;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	assert_read_corrupt(&img, "etc/motd", "inflates to 12 bytes, expected 13");
	hc_free(&img);
}

static void read_data_refuses_a_block_stored_larger_than_two_blocks(void **state)
{
	static const struct fx_node nodes[] = {
		FX_NODE_REG("noise", 0644, random3blocks,
			    sizeof(random3blocks)),
	};
	struct hc_image img;
	uint32_t p1, t;
	char want[128];

	(void)state;
	make(nodes, COUNT(nodes), NULL, &img);
	t = ptr_offset(&img, "noise", 0);
	/* Block 0 swallows block 1: more than 8192 stored bytes. */
	p1 = hc_get32(&img, ptr_offset(&img, "noise", 1));
	hc_put32(&img, t, p1);
	snprintf(want, sizeof(want),
		 "noise: block 0: compressed block at 0x%x is %u bytes, more than twice the block size 4096",
		 t + 12, p1 - (t + 12));
	assert_read_corrupt(&img, "noise", want);
	hc_free(&img);
}

static void read_data_refuses_a_hole_without_the_holes_flag(void **state)
{
	struct hc_image img;
	uint32_t t;
	char want[128];

	(void)state;
	make(small, COUNT(small), NULL, &img);
	t = ptr_offset(&img, "sh", 0);
	hc_put32(&img, t, t + 8);
	snprintf(want, sizeof(want),
		 "sh: block 0: empty block (hole) at 0x%x but the image lacks CRAMFS_FLAG_HOLES",
		 t + 8);
	assert_read_corrupt(&img, "sh", want);
	hc_free(&img);
}

static void read_data_refuses_pointer_flags_without_the_ext_flag(void **state)
{
	struct hc_image img;
	uint32_t t, p0;
	char want[128];

	(void)state;
	make(small, COUNT(small), NULL, &img);
	t = ptr_offset(&img, "sh", 0);
	p0 = hc_get32(&img, t) | CRAMFS_BLK_FLAG_UNCOMPRESSED;
	hc_put32(&img, t, p0);
	snprintf(want, sizeof(want),
		 "sh: block 0: pointer 0x%08x has flag bits but the image lacks CRAMFS_FLAG_EXT_BLOCK_POINTERS",
		 p0);
	assert_read_corrupt(&img, "sh", want);
	hc_free(&img);
}

static void read_data_refuses_a_raw_block_of_the_wrong_length(void **state)
{
	struct cramfs_write_opts o = opts_le();
	static const struct fx_node nodes[] = {
		FX_NODE_REG("noise", 0644, random4097, sizeof(random4097)),
	};
	struct hc_image img;
	uint32_t t, p0;
	char want[96];

	(void)state;
	o.raw_blocks = true;
	make(nodes, COUNT(nodes), &o, &img);
	t = ptr_offset(&img, "noise", 0);
	p0 = hc_get32(&img, t);
	assert_true(p0 & CRAMFS_BLK_FLAG_UNCOMPRESSED);
	hc_put32(&img, t, p0 - 4);
	snprintf(want, sizeof(want),
		 "uncompressed block at 0x%x is 4092 bytes, expected 4096", t + 8);
	assert_read_corrupt(&img, "noise", want);
	hc_free(&img);
}

static void read_data_refuses_a_table_at_offset_zero(void **state)
{
	struct hc_image img;
	struct cramfs_inode ino;
	uint32_t off;

	(void)state;
	make(small, COUNT(small), NULL, &img);
	assert_int_equal(hc_inode(&img, "etc/motd", &ino, &off), 0);
	ino.offset = 0;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	assert_read_corrupt(&img, "etc/motd",
			    "etc/motd: block 0: 12 bytes of data but data offset 0");
	hc_free(&img);
}

static void read_data_refuses_a_direct_block_beyond_the_end(void **state)
{
	struct cramfs_write_opts o = opts_le();
	static const struct fx_node nodes[] = {
		FX_NODE_REG("noise", 0644, random4097, sizeof(random4097)),
	};
	struct hc_image img;
	uint32_t t;
	char want[128];

	(void)state;
	o.raw_blocks = true;
	make(nodes, COUNT(nodes), &o, &img);
	t = ptr_offset(&img, "noise", 0);
	hc_put32(&img, t, (uint32_t)(img.len - 8) >> CRAMFS_BLK_DIRECT_PTR_SHIFT |
		 CRAMFS_BLK_FLAG_UNCOMPRESSED | CRAMFS_BLK_FLAG_DIRECT_PTR);
	snprintf(want, sizeof(want),
		 "block at 0x%zx (4096 bytes) extends beyond image end 0x%zx",
		 img.len - 8, img.len);
	assert_read_corrupt(&img, "noise", want);
	/* A zlib direct block whose u16 length lies past the end. */
	hc_put32(&img, t, (uint32_t)img.len >> CRAMFS_BLK_DIRECT_PTR_SHIFT |
		 CRAMFS_BLK_FLAG_DIRECT_PTR);
	snprintf(want, sizeof(want),
		 "length of direct block at 0x%zx (2 bytes) extends beyond image end",
		 img.len);
	assert_read_corrupt(&img, "noise", want);
	hc_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_memory_decodes_a_little_endian_superblock),
		cmocka_unit_test(open_memory_decodes_a_big_endian_superblock),
		cmocka_unit_test(open_memory_finds_the_superblock_after_the_512_byte_pad),
		cmocka_unit_test(accessors_without_an_open_image_return_neutral_values),
		cmocka_unit_test(second_open_on_the_same_handle_fails_with_ebusy),
		cmocka_unit_test(block_size_must_be_a_power_of_two_from_4k_to_64k),
		cmocka_unit_test(compute_crc_equals_the_stored_crc_in_every_layout),
		cmocka_unit_test(compute_crc_changes_when_a_data_byte_changes),
		cmocka_unit_test(compute_crc_fails_when_the_superblock_size_passes_the_end),
		cmocka_unit_test(walk_visits_parents_first_in_stored_order),
		cmocka_unit_test(walk_hands_out_the_stored_inode_and_its_offset),
		cmocka_unit_test(walk_stops_at_a_nonzero_callback_result_and_returns_it),
		cmocka_unit_test(read_data_returns_exact_content_around_block_boundaries),
		cmocka_unit_test(read_data_refuses_a_directory_with_einval),
		cmocka_unit_test(read_data_returns_the_sink_result_and_stops),
		cmocka_unit_test(sixteen_k_blocks_read_back_with_the_block_size_set),
		cmocka_unit_test(holes_and_raw_blocks_decode_to_the_original_bytes),
		cmocka_unit_test(direct_pointers_decode_raw_and_zlib_blocks),
		cmocka_unit_test(every_prefix_of_a_small_image_fails_cleanly),
		cmocka_unit_test(open_refuses_a_bad_magic),
		cmocka_unit_test(open_refuses_unsupported_flags),
		cmocka_unit_test(open_refuses_a_root_that_is_not_a_directory),
		cmocka_unit_test(walk_of_a_directory_pointing_at_its_parent_fails_with_eloop),
		cmocka_unit_test(walk_of_a_deeper_cycle_names_the_ancestor),
		cmocka_unit_test(walk_of_two_directories_sharing_entries_fails_with_eloop),
		cmocka_unit_test(walk_refuses_entries_beyond_the_end),
		cmocka_unit_test(walk_refuses_directory_entries_over_the_superblock),
		cmocka_unit_test(walk_refuses_a_name_length_of_zero),
		cmocka_unit_test(walk_refuses_names_with_a_slash_or_dot_dot),
		cmocka_unit_test(walk_refuses_an_entry_crossing_its_directory_end),
		cmocka_unit_test(read_data_refuses_a_block_pointer_beyond_the_end),
		cmocka_unit_test(read_data_refuses_a_decreasing_pointer),
		cmocka_unit_test(read_data_refuses_a_corrupt_zlib_stream),
		cmocka_unit_test(read_data_refuses_a_stream_that_inflates_to_the_wrong_length),
		cmocka_unit_test(read_data_refuses_a_block_stored_larger_than_two_blocks),
		cmocka_unit_test(read_data_refuses_a_hole_without_the_holes_flag),
		cmocka_unit_test(read_data_refuses_pointer_flags_without_the_ext_flag),
		cmocka_unit_test(read_data_refuses_a_raw_block_of_the_wrong_length),
		cmocka_unit_test(read_data_refuses_a_table_at_offset_zero),
		cmocka_unit_test(read_data_refuses_a_direct_block_beyond_the_end),
	};

	return cmocka_run_group_tests(tests, fill_data, NULL);
}

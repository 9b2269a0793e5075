// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/write*.c and lib/output.c: whole images, checked byte by byte with an
 * independent decoder (helper_fixture.c), never with the library's reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helper_fixture.h"

#define BASE_FLAGS (CRAMFS_FLAG_FSID_VERSION_2 | CRAMFS_FLAG_SORTED_DIRS)

static uint8_t text5000[5000];
static uint8_t text3blocks[3 * 4096 + 123];
static uint8_t random4096[4096];
static uint8_t random9000[9000];

static int fill_data(void **state)
{
	(void)state;
	fx_fill_text(text5000, sizeof(text5000), 1);
	fx_fill_text(text3blocks, sizeof(text3blocks), 2);
	fx_fill_random(random4096, sizeof(random4096), 3);
	fx_fill_random(random9000, sizeof(random9000), 4);
	return 0;
}


/* Something of every kind, added out of order. */
static const struct fx_node sample[] = {
	FX_NODE_DIR("etc"),
	FX_NODE_STR("etc/motd", "hello world\n"),
	{ .path = "etc/empty", .mode = S_IFREG | 0600 },
	FX_NODE_LNK("etc/sh-link", "../bin/sh"),
	FX_NODE_DIR("bin"),
	FX_NODE_REG("bin/sh", 0755, text5000, sizeof(text5000)),
	FX_NODE_REG("big", 0644, text3blocks, sizeof(text3blocks)),
	FX_NODE_REG("exact", 0644, random4096, sizeof(random4096)),
	FX_NODE_DIR("dev"),
	{ .path = "dev/null", .mode = S_IFCHR | 0666, .rdev_major = 1,
	  .rdev_minor = 3 },
	{ .path = "dev/sda", .mode = S_IFBLK | 0660, .gid = 6,
	  .rdev_major = 8, .rdev_minor = 0 },
	{ .path = "fifo", .mode = S_IFIFO | 0644, .uid = 7 },
	{ .path = "sock", .mode = S_IFSOCK | 0755 },
	{ .path = "owned", .mode = S_IFREG | 0640, .uid = 65535, .gid = 255,
	  .data = "x", .len = 1 },
	FX_NODE_DIR("empty-dir"),
};
#define NSAMPLE (sizeof(sample) / sizeof(sample[0]))

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("\"%s\" does not contain \"%s\"", text, needle);
}

static struct cramfs_tree *build(const struct fx_node *nodes, size_t n)
{
	struct cramfs_tree *tree;

	assert_int_equal(fx_tree_build(nodes, n, &tree), 0);
	return tree;
}

/* Write `tree`, check the basics every image must meet, decode it. */
static uint8_t *write_ok(struct cramfs_tree *tree,
			 const struct cramfs_write_opts *o, struct fx_image *img,
			 struct cramfs_write_stats *st)
{
	struct cramfs_write_stats local;
	uint8_t *buf;
	size_t len;

	if (!st)
		st = &local;
	if (fx_write_image(tree, o, &buf, &len, st))
		fail_msg("write failed: %s", cramfs_tree_errmsg(tree));
	assert_int_equal(fx_image_open(img, buf, len, o->endian,
				       o->pad ? CRAMFS_PAD_SIZE : 0,
				       o->block_size), 0);
	assert_int_equal(img->super.size, len);
	assert_int_equal(len % o->block_size, 0);
	assert_int_equal(st->image_size, len);
	assert_int_equal(img->super.fsid.crc, fx_image_crc(img));
	assert_int_equal(st->crc, img->super.fsid.crc);
	assert_int_equal(st->flags, img->super.flags);
	assert_int_equal(st->files, cramfs_tree_count(tree));
	assert_int_equal(img->super.fsid.files, cramfs_tree_count(tree));
	assert_int_equal(st->blocks, img->super.fsid.blocks);
	return buf;
}

static struct cramfs_inode lookup(const struct fx_image *img, const char *path)
{
	struct cramfs_inode ino;

	if (fx_image_lookup(img, path, &ino, NULL))
		fail_msg("%s not found in the image", path);
	return ino;
}

static void assert_content(const struct fx_image *img, const char *path,
			   const void *want, size_t len)
{
	struct cramfs_inode ino = lookup(img, path);
	uint8_t *got;
	size_t glen;

	assert_int_equal(ino.size, len);
	assert_int_equal(fx_image_read(img, &ino, &got, &glen), 0);
	assert_int_equal(glen, len);
	if (len)
		assert_memory_equal(got, want, len);
	free(got);
}

static void assert_sample_content(const struct fx_image *img)
{
	for (size_t i = 0; i < NSAMPLE; i++) {
		struct cramfs_inode ino = lookup(img, sample[i].path);

		assert_int_equal(ino.mode, sample[i].mode);
		assert_int_equal(ino.uid, sample[i].uid);
		assert_int_equal(ino.gid, sample[i].gid);
		if (S_ISREG(sample[i].mode) || S_ISLNK(sample[i].mode))
			assert_content(img, sample[i].path, sample[i].data,
				       sample[i].len);
	}
}

static struct cramfs_write_opts defaults(void)
{
	struct cramfs_write_opts o;

	cramfs_write_opts_init(&o);
	return o;
}

static void opts_init_gives_4k_blocks_host_order_and_level_6(void **state)
{
	struct cramfs_write_opts o;

	(void)state;
	memset(&o, 0xa5, sizeof(o));
	cramfs_write_opts_init(&o);
	assert_int_equal(o.block_size, 4096);
	assert_int_equal(o.endian, CRAMFS_ENDIAN_HOST);
	assert_int_equal(o.level, 6);
	assert_false(o.pad);
	assert_false(o.holes);
	assert_false(o.raw_blocks);
	assert_null(o.name);
	assert_null(o.insert_file);
	assert_null(o.on_file);
}

static void superblock_holds_magic_signature_flags_and_counts(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	o.edition = 42;
	buf = write_ok(tree, &o, &img, &st);
	assert_int_equal(cramfs_get32(buf, CRAMFS_ENDIAN_HOST), CRAMFS_MAGIC);
	assert_int_equal(img.super.flags, BASE_FLAGS);
	assert_int_equal(img.super.future, 0);
	assert_memory_equal(img.super.signature, "Compressed ROMFS", 16);
	assert_memory_equal(img.super.name, "Compressed\0\0\0\0\0\0", 16);
	assert_int_equal(img.super.fsid.edition, 42);
	assert_int_equal(img.super.fsid.files, NSAMPLE + 1);
	/* bin/sh 2 + big 4 + exact 1 + motd 1 + sh-link 1 + owned 1 */
	assert_int_equal(img.super.fsid.blocks, 10);
	assert_int_equal(img.super.root.mode, S_IFDIR | 0755);
	assert_int_equal(img.super.root.offset, 76 / 4);
	assert_int_equal(img.super.root.namelen, 0);
	/*
	 * big bin dev etc fifo sock: 12 + 4; exact owned: 12 + 8;
	 * empty-dir: 12 + 12.
	 */
	assert_int_equal(img.super.root.size, 6 * 16 + 2 * 20 + 24);
	/* Then bin: sh; dev: null sda; etc: empty motd sh-link. */
	assert_int_equal(st.metadata_size, 76 + 160 + 16 + 2 * 16 + 16 + 2 * 20);
	free(buf);
	cramfs_tree_free(tree);
}

static void every_entry_decodes_with_its_attributes_and_content(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct fx_image img;
	struct cramfs_inode ino;
	uint8_t *buf;

	(void)state;
	buf = write_ok(tree, &o, &img, NULL);
	assert_sample_content(&img);
	ino = lookup(&img, "dev/null");
	assert_int_equal(ino.size, 1u << 8 | 3u);
	assert_int_equal(ino.offset, 0);
	ino = lookup(&img, "dev/sda");
	assert_int_equal(ino.size, 8u << 8);
	ino = lookup(&img, "etc/empty");
	assert_int_equal(ino.size, 0);
	assert_int_equal(ino.offset, 0);
	ino = lookup(&img, "fifo");
	assert_int_equal(ino.size, 0);
	assert_int_equal(ino.offset, 0);
	ino = lookup(&img, "empty-dir");
	assert_int_equal(ino.size, 0);
	assert_int_equal(ino.offset, 0);
	ino = lookup(&img, "etc");
	assert_int_equal(ino.size, 16 + 20 + 20);
	free(buf);
	cramfs_tree_free(tree);
}

static void directory_entries_are_sorted_with_nul_padded_names(void **state)
{
	static const char *const names[] = {
		"big", "bin", "dev", "empty-dir", "etc", "exact", "fifo", "owned",
		"sock",
	};
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct fx_image img;
	uint8_t *buf;
	size_t pos;

	(void)state;
	buf = write_ok(tree, &o, &img, NULL);
	pos = (size_t)img.super.root.offset << 2;
	for (size_t i = 0; i < 9; i++) {
		struct cramfs_inode e;
		size_t nlen = strlen(names[i]);
		uint32_t ino_off;

		cramfs_inode_decode(buf + pos, img.endian, &e);
		assert_int_equal(e.namelen, (nlen + 3) / 4);
		assert_memory_equal(buf + pos + 12, names[i], nlen);
		for (size_t k = nlen; k < e.namelen * 4u; k++)
			assert_int_equal(buf[pos + 12 + k], 0);
		assert_int_equal(fx_image_lookup(&img, names[i], &e, &ino_off), 0);
		assert_int_equal(ino_off, pos);
		pos += 12 + e.namelen * 4u;
	}
	assert_int_equal(pos, 76 + img.super.root.size);
	/* Then each directory's entries, depth first in name order. */
	assert_int_equal((size_t)lookup(&img, "bin").offset << 2, 76 + 160);
	assert_int_equal((size_t)lookup(&img, "dev").offset << 2, 76 + 160 + 16);
	assert_int_equal((size_t)lookup(&img, "etc").offset << 2, 76 + 160 + 48);
	free(buf);
	cramfs_tree_free(tree);
}

static void data_follows_the_metadata_and_the_tail_is_zero(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	struct cramfs_inode first;
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	buf = write_ok(tree, &o, &img, &st);
	/* "big" sorts before "bin": its data comes first. */
	first = lookup(&img, "big");
	assert_int_equal((uint64_t)first.offset << 2, st.metadata_size);
	for (size_t i = st.metadata_size + st.data_stored; i < st.image_size; i++)
		assert_int_equal(buf[i], 0);
	free(buf);
	cramfs_tree_free(tree);
}

static void old_bytes_in_the_output_are_overwritten_with_zeros(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	uint8_t junk[65536], *img, *ref;
	size_t reflen;
	int fd = memfd_create("junk", MFD_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	memset(junk, 0xff, sizeof(junk));
	assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
	assert_int_equal(cramfs_write_fd(tree, &o, fd, &st), 0);
	img = malloc(st.image_size);
	assert_non_null(img);
	assert_int_equal(pread(fd, img, st.image_size, 0), (ssize_t)st.image_size);
	assert_int_equal(fx_write_image(tree, &o, &ref, &reflen, NULL), 0);
	assert_int_equal(reflen, st.image_size);
	assert_memory_equal(img, ref, reflen);
	close(fd);
	free(img);
	free(ref);
	cramfs_tree_free(tree);
}

static void empty_tree_gives_a_one_block_image(void **state)
{
	struct cramfs_tree *tree = build(NULL, 0);
	struct cramfs_write_opts o = defaults();
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	buf = write_ok(tree, &o, &img, NULL);
	assert_int_equal(img.len, 4096);
	assert_int_equal(img.super.fsid.files, 1);
	assert_int_equal(img.super.fsid.blocks, 0);
	assert_int_equal(img.super.root.offset, 76 / 4);
	assert_int_equal(img.super.root.size, 0);
	for (size_t i = 76; i < 4096; i++)
		assert_int_equal(buf[i], 0);
	free(buf);
	cramfs_tree_free(tree);
}

static void crc_covers_the_image_from_the_superblock_with_the_field_zeroed(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	buf = write_ok(tree, &o, &img, NULL);
	/* write_ok compared fsid.crc with fx_image_crc(); flip one byte. */
	buf[img.len - 1] ^= 1;
	assert_int_not_equal(fx_image_crc(&img), img.super.fsid.crc);
	free(buf);
	cramfs_tree_free(tree);
}

static void pad_puts_512_zero_bytes_before_the_superblock(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	o.pad = true;
	buf = write_ok(tree, &o, &img, &st);
	for (size_t i = 0; i < 512; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(cramfs_get32(buf + 512, CRAMFS_ENDIAN_HOST), CRAMFS_MAGIC);
	assert_int_equal(img.super.root.offset, (512 + 76) / 4);
	assert_int_equal(img.super.flags, BASE_FLAGS);
	assert_sample_content(&img);
	/* The pad does not count as metadata. */
	assert_int_equal(st.metadata_size,
			 ((uint64_t)lookup(&img, "big").offset << 2) - 512);
	free(buf);
	cramfs_tree_free(tree);
}

static void larger_block_sizes_round_the_image_and_split_files(void **state)
{
	static const uint32_t sizes[] = { 16384, 65536 };
	uint8_t *big = malloc(2 * 65536 + 7);
	const struct fx_node nodes[] = {
		FX_NODE_REG("big", 0644, big, 2 * 65536 + 7),
		FX_NODE_STR("small", "small"),
	};

	(void)state;
	assert_non_null(big);
	fx_fill_text(big, 2 * 65536 + 7, 9);
	for (size_t s = 0; s < 2; s++) {
		struct cramfs_tree *tree = build(nodes, 2);
		struct cramfs_write_opts o = defaults();
		struct fx_image img;
		uint8_t *buf;

		o.block_size = sizes[s];
		buf = write_ok(tree, &o, &img, NULL);
		assert_content(&img, "big", big, 2 * 65536 + 7);
		assert_content(&img, "small", "small", 5);
		assert_int_equal(img.super.fsid.blocks,
				 (2 * 65536 + 7 + sizes[s] - 1) / sizes[s] + 1);
		free(buf);
		cramfs_tree_free(tree);
	}
	free(big);
}

static void big_endian_image_decodes_in_big_endian_order(void **state)
{
	static const uint8_t magic_be[4] = { 0x28, 0xcd, 0x3d, 0x45 };
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct cramfs_super wrong;
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	o.endian = CRAMFS_ENDIAN_BIG;
	buf = write_ok(tree, &o, &img, NULL);
	assert_memory_equal(buf, magic_be, 4);
	cramfs_super_decode(buf, CRAMFS_ENDIAN_LITTLE, &wrong);
	assert_int_equal(wrong.magic, CRAMFS_MAGIC_WEND);
	assert_int_equal(img.super.flags, BASE_FLAGS);
	assert_int_equal(img.super.root.offset, 76 / 4);
	assert_sample_content(&img);
	free(buf);
	cramfs_tree_free(tree);
}

static void host_order_image_equals_the_image_in_the_resolved_order(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	uint8_t *host, *explicit_order;
	size_t hlen, elen;

	(void)state;
	assert_int_equal(fx_write_image(tree, &o, &host, &hlen, NULL), 0);
	o.endian = cramfs_endian_resolve(CRAMFS_ENDIAN_HOST);
	assert_int_equal(fx_write_image(tree, &o, &explicit_order, &elen, NULL), 0);
	assert_int_equal(hlen, elen);
	assert_memory_equal(host, explicit_order, hlen);
	free(host);
	free(explicit_order);
	cramfs_tree_free(tree);
}

static void identical_files_with_the_same_mode_and_owner_share_data(void **state)
{
	const struct fx_node nodes[] = {
		FX_NODE_REG("a", 0755, text5000, sizeof(text5000)),
		FX_NODE_DIR("d"),
		FX_NODE_REG("d/b", 0755, text5000, sizeof(text5000)),
		FX_NODE_REG("z", 0755, text5000, sizeof(text5000)),
		FX_NODE_STR("c", "0123456789"),
		FX_NODE_LNK("x", "y"),
	};
	struct cramfs_tree *tree = build(nodes, 6);
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	buf = write_ok(tree, &o, &img, &st);
	assert_int_equal(lookup(&img, "d/b").offset, lookup(&img, "a").offset);
	assert_int_equal(lookup(&img, "z").offset, lookup(&img, "a").offset);
	assert_int_not_equal(lookup(&img, "c").offset, lookup(&img, "a").offset);
	assert_content(&img, "d/b", text5000, sizeof(text5000));
	assert_content(&img, "z", text5000, sizeof(text5000));
	/* a: 2 blocks, c: 1, x: 1; the copies add none. */
	assert_int_equal(img.super.fsid.blocks, 4);
	assert_int_equal(st.dedup_files, 2);
	assert_int_equal(st.dedup_saved, 2 * sizeof(text5000));
	assert_int_equal(st.data_bytes, sizeof(text5000) + 10 + 1);
	free(buf);
	cramfs_tree_free(tree);
}

static void identical_files_differing_in_mode_or_owner_do_not_share(void **state)
{
	const struct fx_node nodes[] = {
		FX_NODE_REG("plain", 0755, text5000, sizeof(text5000)),
		FX_NODE_REG("setuid", 04755, text5000, sizeof(text5000)),
		{ .path = "uid", .mode = S_IFREG | 0755, .uid = 1,
		  .data = text5000, .len = sizeof(text5000) },
		{ .path = "gid", .mode = S_IFREG | 0755, .gid = 1,
		  .data = text5000, .len = sizeof(text5000) },
	};
	static const char *const names[] = { "plain", "setuid", "uid", "gid" };
	struct cramfs_tree *tree = build(nodes, 4);
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	buf = write_ok(tree, &o, &img, &st);
	for (size_t i = 0; i < 4; i++) {
		for (size_t j = i + 1; j < 4; j++)
			assert_int_not_equal(lookup(&img, names[i]).offset,
					     lookup(&img, names[j]).offset);
		assert_content(&img, names[i], text5000, sizeof(text5000));
	}
	assert_int_equal(lookup(&img, "setuid").mode, S_IFREG | 04755);
	assert_int_equal(st.dedup_files, 0);
	assert_int_equal(img.super.fsid.blocks, 8);
	free(buf);
	cramfs_tree_free(tree);
}

static void symlink_and_file_with_the_same_bytes_do_not_share(void **state)
{
	const struct fx_node nodes[] = {
		FX_NODE_LNK("link", "target"),
		{ .path = "file", .mode = S_IFREG | 0777, .data = "target",
		  .len = 6 },
	};
	struct cramfs_tree *tree = build(nodes, 2);
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	buf = write_ok(tree, &o, &img, &st);
	assert_int_not_equal(lookup(&img, "link").offset,
			     lookup(&img, "file").offset);
	assert_int_equal(st.dedup_files, 0);
	assert_content(&img, "link", "target", 6);
	assert_content(&img, "file", "target", 6);
	free(buf);
	cramfs_tree_free(tree);
}

static void holes_flag_is_set_only_when_a_hole_is_written(void **state)
{
	uint8_t *holey = calloc(1, 3 * 4096 + 10);
	const struct fx_node with_hole[] = {
		FX_NODE_REG("holey", 0644, holey, 3 * 4096 + 10),
	};
	const struct fx_node without_hole[] = {
		FX_NODE_REG("text", 0644, text3blocks, sizeof(text3blocks)),
	};
	struct cramfs_write_opts o = defaults();
	struct cramfs_tree *tree;
	struct cramfs_inode ino;
	struct fx_image img;
	uint32_t p0, p1, p2;
	uint8_t *buf;

	(void)state;
	assert_non_null(holey);
	fx_fill_text(holey, 4096, 7);         /* block 0: text */
	holey[3 * 4096 + 9] = 'z';            /* block 3: not zero */

	o.holes = true;
	tree = build(without_hole, 1);
	buf = write_ok(tree, &o, &img, NULL);
	assert_int_equal(img.super.flags, BASE_FLAGS);
	free(buf);
	cramfs_tree_free(tree);

	tree = build(with_hole, 1);
	buf = write_ok(tree, &o, &img, NULL);
	assert_int_equal(img.super.flags, BASE_FLAGS | CRAMFS_FLAG_HOLES);
	ino = lookup(&img, "holey");
	assert_int_equal(fx_image_block_ptr(&img, &ino, 0, &p0), 0);
	assert_int_equal(fx_image_block_ptr(&img, &ino, 1, &p1), 0);
	assert_int_equal(fx_image_block_ptr(&img, &ino, 2, &p2), 0);
	assert_int_equal(p1, p0);
	assert_int_equal(p2, p0);
	assert_content(&img, "holey", holey, 3 * 4096 + 10);
	free(buf);

	o.holes = false;
	buf = write_ok(tree, &o, &img, NULL);
	assert_int_equal(img.super.flags, BASE_FLAGS);
	ino = lookup(&img, "holey");
	assert_int_equal(fx_image_block_ptr(&img, &ino, 0, &p0), 0);
	assert_int_equal(fx_image_block_ptr(&img, &ino, 1, &p1), 0);
	assert_true(p1 > p0);
	assert_content(&img, "holey", holey, 3 * 4096 + 10);
	free(buf);
	cramfs_tree_free(tree);
	free(holey);
}

static void ext_block_pointers_flag_is_set_only_when_a_raw_block_is_written(void **state)
{
	const struct fx_node compressible[] = {
		FX_NODE_REG("text", 0644, text3blocks, sizeof(text3blocks)),
	};
	const struct fx_node incompressible[] = {
		FX_NODE_REG("text", 0644, text3blocks, sizeof(text3blocks)),
		FX_NODE_REG("random", 0644, random9000, sizeof(random9000)),
	};
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	struct cramfs_tree *tree;
	struct cramfs_inode ino;
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	o.raw_blocks = true;
	tree = build(compressible, 1);
	buf = write_ok(tree, &o, &img, NULL);
	assert_int_equal(img.super.flags, BASE_FLAGS);
	free(buf);
	cramfs_tree_free(tree);

	tree = build(incompressible, 2);
	buf = write_ok(tree, &o, &img, &st);
	assert_int_equal(img.super.flags,
			 BASE_FLAGS | CRAMFS_FLAG_EXT_BLOCK_POINTERS);
	ino = lookup(&img, "random");
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t p;

		assert_int_equal(fx_image_block_ptr(&img, &ino, i, &p), 0);
		assert_int_equal(p & CRAMFS_BLK_FLAGS, CRAMFS_BLK_FLAG_UNCOMPRESSED);
	}
	/* Raw blocks take exactly their bytes: 3 pointers + 9000 bytes. */
	assert_memory_equal(buf + ((size_t)ino.offset << 2) + 12, random9000,
			    sizeof(random9000));
	assert_content(&img, "random", random9000, sizeof(random9000));
	assert_content(&img, "text", text3blocks, sizeof(text3blocks));
	free(buf);

	/* Without raw_blocks the same tree needs no extended pointers. */
	o.raw_blocks = false;
	buf = write_ok(tree, &o, &img, NULL);
	assert_int_equal(img.super.flags, BASE_FLAGS);
	assert_content(&img, "random", random9000, sizeof(random9000));
	free(buf);
	cramfs_tree_free(tree);
}

static void largest_file_of_16777215_bytes_round_trips(void **state)
{
	const size_t size = 16777215;
	uint8_t *data = calloc(1, size);
	const struct fx_node nodes[] = { FX_NODE_REG("max", 0644, data, size) };
	struct cramfs_write_opts o = defaults();
	struct cramfs_tree *tree;
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	assert_non_null(data);
	memcpy(data, "head", 4);
	memcpy(data + size - 4, "tail", 4);
	tree = build(nodes, 1);
	o.holes = true;
	buf = write_ok(tree, &o, &img, NULL);
	assert_int_equal(lookup(&img, "max").size, size);
	assert_content(&img, "max", data, size);
	assert_int_equal(img.super.fsid.blocks, 4096);
	free(buf);
	cramfs_tree_free(tree);
	free(data);
}

/* The same tree, nodes added in another order. */
static const struct fx_node order_a[] = {
	FX_NODE_DIR("usr"),
	FX_NODE_DIR("usr/lib"),
	FX_NODE_REG("usr/lib/libc.so", 0755, text5000, sizeof(text5000)),
	FX_NODE_REG("usr/lib/libc.so.6", 0755, text5000, sizeof(text5000)),
	FX_NODE_DIR("usr/bin"),
	FX_NODE_REG("usr/bin/env", 0755, random4096, sizeof(random4096)),
	FX_NODE_LNK("usr/bin/sh", "busybox"),
	FX_NODE_REG("usr/bin/busybox", 0755, text3blocks, sizeof(text3blocks)),
	FX_NODE_REG("zz", 0755, text5000, sizeof(text5000)),
	FX_NODE_DIR("etc"),
	FX_NODE_STR("etc/hostname", "box\n"),
	FX_NODE_STR("etc/copy", "box\n"),
	{ .path = "console", .mode = S_IFCHR | 0600, .rdev_major = 5,
	  .rdev_minor = 1 },
};
static const struct fx_node order_b[] = {
	{ .path = "console", .mode = S_IFCHR | 0600, .rdev_major = 5,
	  .rdev_minor = 1 },
	FX_NODE_REG("zz", 0755, text5000, sizeof(text5000)),
	FX_NODE_DIR("etc"),
	FX_NODE_STR("etc/copy", "box\n"),
	FX_NODE_STR("etc/hostname", "box\n"),
	FX_NODE_DIR("usr"),
	FX_NODE_DIR("usr/bin"),
	FX_NODE_REG("usr/bin/busybox", 0755, text3blocks, sizeof(text3blocks)),
	FX_NODE_LNK("usr/bin/sh", "busybox"),
	FX_NODE_REG("usr/bin/env", 0755, random4096, sizeof(random4096)),
	FX_NODE_DIR("usr/lib"),
	FX_NODE_REG("usr/lib/libc.so.6", 0755, text5000, sizeof(text5000)),
	FX_NODE_REG("usr/lib/libc.so", 0755, text5000, sizeof(text5000)),
};

static void same_tree_added_in_another_order_gives_identical_bytes(void **state)
{
	struct cramfs_tree *a = build(order_a, 13), *b = build(order_b, 13);
	struct cramfs_write_opts o = defaults();
	uint8_t *ia, *ib;
	size_t la, lb;

	(void)state;
	o.holes = true;
	o.raw_blocks = true;
	assert_int_equal(fx_write_image(a, &o, &ia, &la, NULL), 0);
	assert_int_equal(fx_write_image(b, &o, &ib, &lb, NULL), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(ia, ib, la);
	free(ia);
	free(ib);
	/* And writing the same tree twice gives the same bytes too. */
	assert_int_equal(fx_write_image(a, &o, &ia, &la, NULL), 0);
	assert_int_equal(fx_write_image(a, &o, &ib, &lb, NULL), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(ia, ib, la);
	free(ia);
	free(ib);
	cramfs_tree_free(a);
	cramfs_tree_free(b);
}

static void first_copy_in_image_order_owns_shared_data(void **state)
{
	struct cramfs_tree *tree = build(order_b, 13);
	struct cramfs_write_opts o = defaults();
	struct fx_image img;
	uint8_t *buf;
	uint32_t off;

	(void)state;
	buf = write_ok(tree, &o, &img, NULL);
	/* etc/copy precedes etc/hostname; usr/lib/libc.so precedes the rest. */
	off = lookup(&img, "etc/copy").offset;
	assert_int_equal(lookup(&img, "etc/hostname").offset, off);
	off = lookup(&img, "usr/lib/libc.so").offset;
	assert_int_equal(lookup(&img, "usr/lib/libc.so.6").offset, off);
	assert_int_equal(lookup(&img, "zz").offset, off);
	assert_true(off > lookup(&img, "usr/bin/sh").offset);
	free(buf);
	cramfs_tree_free(tree);
}

struct report_log {
	char paths[16][64];
	char shared[16][64];
	uint64_t stored[16];
	uint32_t blocks[16][3];
	size_t n;
};

static void log_report(void *arg, const struct cramfs_file_report *r)
{
	struct report_log *log = arg;

	if (log->n >= 16)
		return;
	snprintf(log->paths[log->n], 64, "%s", r->path);
	snprintf(log->shared[log->n], 64, "%s", r->shared_with ? r->shared_with : "");
	log->stored[log->n] = r->stored;
	memcpy(log->blocks[log->n], r->blocks, sizeof(r->blocks));
	log->n++;
}

static void on_file_reports_each_stored_file_in_image_order(void **state)
{
	const struct fx_node nodes[] = {
		FX_NODE_DIR("c"),
		FX_NODE_STR("c/y", "same"),
		FX_NODE_STR("b", "bee"),
		FX_NODE_DIR("a"),
		FX_NODE_STR("a/x", "same"),
		{ .path = "empty", .mode = S_IFREG | 0644 },
	};
	struct cramfs_tree *tree = build(nodes, 6);
	struct cramfs_write_opts o = defaults();
	struct report_log log;
	struct cramfs_inode ino;
	struct fx_image img;
	uint8_t *buf;
	uint32_t end;

	(void)state;
	memset(&log, 0, sizeof(log));
	o.on_file = log_report;
	o.arg = &log;
	buf = write_ok(tree, &o, &img, NULL);
	assert_int_equal(log.n, 3);
	assert_string_equal(log.paths[0], "a/x");
	assert_string_equal(log.shared[0], "");
	ino = lookup(&img, "a/x");
	assert_int_equal(fx_image_block_ptr(&img, &ino, 0, &end), 0);
	/* Table and blocks, unpadded: up to the end of the last block. */
	assert_int_equal(log.stored[0], end - ((uint32_t)ino.offset << 2));
	assert_true(log.stored[0] > 4);
	assert_int_equal(log.blocks[0][CRAMFS_BLOCK_ZLIB], 1);
	assert_string_equal(log.paths[1], "b");
	assert_string_equal(log.paths[2], "c/y");
	assert_string_equal(log.shared[2], "a/x");
	assert_int_equal(log.stored[2], 0);
	free(buf);
	cramfs_tree_free(tree);
}

static void gid_300_is_stored_as_44(void **state)
{
	const struct fx_node nodes[] = {
		{ .path = "f", .mode = S_IFREG | 0644, .gid = 300 },
	};
	struct cramfs_attr root = { .mode = S_IFDIR | 0711, .uid = 3, .gid = 300 };
	struct cramfs_tree *tree = build(nodes, 1);
	struct cramfs_write_opts o = defaults();
	struct fx_image img;
	uint8_t *buf;

	(void)state;
	assert_int_equal(cramfs_tree_set_root(tree, &root), 0);
	/* One warning per gid, not per entry. */
	assert_int_equal(cramfs_tree_warning_count(tree), 1);
	buf = write_ok(tree, &o, &img, NULL);
	assert_int_equal(lookup(&img, "f").gid, 44);
	assert_int_equal(img.super.root.gid, 44);
	assert_int_equal(img.super.root.uid, 3);
	assert_int_equal(img.super.root.mode, S_IFDIR | 0711);
	free(buf);
	cramfs_tree_free(tree);
}

static void volume_name_of_16_bytes_fits_and_17_fails(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct fx_image img;
	uint8_t *buf;
	size_t len;

	(void)state;
	o.name = "0123456789abcdef";
	buf = write_ok(tree, &o, &img, NULL);
	assert_memory_equal(img.super.name, "0123456789abcdef", 16);
	free(buf);

	o.name = "short";
	buf = write_ok(tree, &o, &img, NULL);
	assert_memory_equal(img.super.name, "short\0\0\0\0\0\0\0\0\0\0\0", 16);
	free(buf);

	o.name = "0123456789abcdefg";
	assert_int_equal(fx_write_image(tree, &o, &buf, &len, NULL), -ENAMETOOLONG);
	assert_null(buf);
	assert_contains(cramfs_tree_errmsg(tree), "0123456789abcdefg");
	assert_contains(cramfs_tree_errmsg(tree), "17");
	assert_contains(cramfs_tree_errmsg(tree), "16");
	cramfs_tree_free(tree);
}

static void bad_block_size_level_or_byte_order_fails_with_einval(void **state)
{
	static const uint32_t bad_sizes[] = { 0, 2048, 4095, 12288, 131072 };
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o;
	struct stat st;
	int fd = memfd_create("bad", MFD_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	for (size_t i = 0; i < 5; i++) {
		o = defaults();
		o.block_size = bad_sizes[i];
		assert_int_equal(cramfs_write_fd(tree, &o, fd, NULL), -EINVAL);
		assert_contains(cramfs_tree_errmsg(tree), "block size");
	}
	o = defaults();
	o.level = 13;
	assert_int_equal(cramfs_write_fd(tree, &o, fd, NULL), -EINVAL);
	assert_contains(cramfs_tree_errmsg(tree),
			"compression level 13: must be 0 to 12 for libdeflate");
	o.compressor = CRAMFS_COMPRESSOR_ZLIB;
	o.level = 10;
	assert_int_equal(cramfs_write_fd(tree, &o, fd, NULL), -EINVAL);
	assert_contains(cramfs_tree_errmsg(tree),
			"compression level 10: must be 0 to 9 for zlib");
	o.level = -1;
	assert_int_equal(cramfs_write_fd(tree, &o, fd, NULL), -EINVAL);
	o = defaults();
	o.compressor = (enum cramfs_compressor_kind)5;
	assert_int_equal(cramfs_write_fd(tree, &o, fd, NULL), -EINVAL);
	assert_contains(cramfs_tree_errmsg(tree), "unknown compressor");
	o = defaults();
	o.threads = CRAMFS_THREADS_MAX + 1;
	assert_int_equal(cramfs_write_fd(tree, &o, fd, NULL), -EINVAL);
	assert_contains(cramfs_tree_errmsg(tree), "threads");
	o = defaults();
	o.endian = (enum cramfs_endian)7;
	assert_int_equal(cramfs_write_fd(tree, &o, fd, NULL), -EINVAL);
	assert_contains(cramfs_tree_errmsg(tree), "byte order");
	/* Nothing was written. */
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 0);
	close(fd);
	cramfs_tree_free(tree);
}

/* ---- cramfs_write_file() and trees scanned from disk ---- */

struct disk {
	char src[256];
	char out[256];
	char img[300];
};

static int disk_setup(void **state)
{
	struct disk *d = calloc(1, sizeof(*d));

	if (!d || fx_tempdir(d->src, sizeof(d->src))) {
		free(d);
		return -1;
	}
	if (fx_tempdir(d->out, sizeof(d->out))) {
		fx_rm_rf(d->src);
		free(d);
		return -1;
	}
	snprintf(d->img, sizeof(d->img), "%s/img", d->out);
	*state = d;
	return 0;
}

static int disk_teardown(void **state)
{
	struct disk *d = *state;

	fx_rm_rf(d->src);
	fx_rm_rf(d->out);
	free(d);
	return 0;
}

static void src_path(const struct disk *d, const char *rel, char *buf, size_t cap)
{
	assert_true((size_t)snprintf(buf, cap, "%s/%s", d->src, rel) < cap);
}

static struct cramfs_tree *scan(const struct disk *d)
{
	struct cramfs_tree *tree;

	assert_int_equal(cramfs_tree_new(&tree), 0);
	if (cramfs_tree_scan_dir(tree, d->src))
		fail_msg("scan failed: %s", cramfs_tree_errmsg(tree));
	return tree;
}

static void populate(const struct disk *d)
{
	char p[512];

	assert_int_equal(fx_put_file(d->src, "motd", "hello\n", 6), 0);
	assert_int_equal(fx_put_file(d->src, "big", text3blocks,
				     sizeof(text3blocks)), 0);
	assert_int_equal(fx_put_file(d->src, "empty", "", 0), 0);
	src_path(d, "sub", p, sizeof(p));
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(fx_put_file(d->src, "sub/copy", text3blocks,
				     sizeof(text3blocks)), 0);
	src_path(d, "sub/link", p, sizeof(p));
	assert_int_equal(symlink("../motd", p), 0);
}

static void scanned_tree_stores_the_bytes_read_from_disk(void **state)
{
	struct disk *d = *state;
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	struct cramfs_tree *tree;
	struct fx_image img;
	uint8_t *buf;

	populate(d);
	tree = scan(d);
	buf = write_ok(tree, &o, &img, &st);
	assert_int_equal(img.super.fsid.files, 7);
	assert_content(&img, "motd", "hello\n", 6);
	assert_content(&img, "big", text3blocks, sizeof(text3blocks));
	assert_content(&img, "sub/copy", text3blocks, sizeof(text3blocks));
	assert_content(&img, "sub/link", "../motd", 7);
	assert_int_equal(lookup(&img, "empty").size, 0);
	assert_true(S_ISLNK(lookup(&img, "sub/link").mode));
	assert_int_equal(lookup(&img, "sub/copy").offset, lookup(&img, "big").offset);
	assert_int_equal(st.dedup_files, 1);
	free(buf);
	cramfs_tree_free(tree);
}

static void insert_file_follows_the_superblock_and_shifts_the_root(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct disk *d = *state;
	char path[400];
	struct fx_image img;
	uint8_t *buf;
	size_t len;

	assert_int_equal(fx_put_file(d->out, "boot", "BOOT!", 5), 0);
	snprintf(path, sizeof(path), "%s/boot", d->out);
	o.insert_file = path;
	buf = write_ok(tree, &o, &img, NULL);
	assert_memory_equal(buf + 76, "BOOT!\0\0\0", 8);
	assert_int_equal(img.super.root.offset, (76 + 8) / 4);
	assert_int_equal(img.super.flags,
			 BASE_FLAGS | CRAMFS_FLAG_SHIFTED_ROOT_OFFSET);
	assert_sample_content(&img);
	free(buf);

	/* With the pad too. */
	o.pad = true;
	buf = write_ok(tree, &o, &img, NULL);
	assert_memory_equal(buf + 512 + 76, "BOOT!\0\0\0", 8);
	assert_int_equal(img.super.root.offset, (512 + 76 + 8) / 4);
	assert_sample_content(&img);
	free(buf);

	/* A missing insert file fails, naming it. */
	snprintf(path, sizeof(path), "%s/missing", d->out);
	assert_int_equal(fx_write_image(tree, &o, &buf, &len, NULL), -ENOENT);
	assert_contains(cramfs_tree_errmsg(tree), path);
	cramfs_tree_free(tree);
}

static void write_to_a_read_only_descriptor_fails_with_its_error(void **state)
{
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct disk *d = *state;
	char path[400];
	int fd;

	assert_int_equal(fx_put_file(d->out, "ro", "", 0), 0);
	snprintf(path, sizeof(path), "%s/ro", d->out);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(cramfs_write_fd(tree, &o, fd, NULL), -EBADF);
	assert_contains(cramfs_tree_errmsg(tree), "image: cannot write at byte");
	close(fd);
	cramfs_tree_free(tree);
}

static void write_file_into_a_missing_directory_fails_and_creates_nothing(void **state)
{
	struct disk *d = *state;
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	char path[400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/no-such-dir/img", d->out);
	assert_int_equal(cramfs_write_file(tree, &o, path, NULL), -ENOENT);
	assert_contains(cramfs_tree_errmsg(tree), path);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(fx_count_prefixed(d->out, ""), 2); /* . and .. */
	cramfs_tree_free(tree);
}

static void write_file_creates_the_image_and_no_temporary_remains(void **state)
{
	struct disk *d = *state;
	struct cramfs_tree *tree = build(sample, NSAMPLE);
	struct cramfs_write_opts o = defaults();
	struct cramfs_write_stats st;
	uint8_t *file, *ref;
	size_t flen, rlen;

	assert_int_equal(fx_put_file(d->out, "img", "OLD IMAGE", 9), 0);
	assert_int_equal(cramfs_write_file(tree, &o, d->img, &st), 0);
	assert_int_equal(fx_slurp(d->img, &file, &flen), 0);
	assert_int_equal(fx_write_image(tree, &o, &ref, &rlen, NULL), 0);
	assert_int_equal(flen, rlen);
	assert_int_equal(st.image_size, flen);
	assert_memory_equal(file, ref, rlen);
	assert_int_equal(fx_count_prefixed(d->out, ".img."), 0);
	free(file);
	free(ref);
	cramfs_tree_free(tree);
}

static void failed_write_file_keeps_the_old_image_and_leaves_no_temporary(void **state)
{
	struct disk *d = *state;
	struct cramfs_write_opts o = defaults();
	struct cramfs_tree *tree;
	char p[512];
	uint8_t *file;
	size_t flen;

	populate(d);
	tree = scan(d);
	src_path(d, "sub/copy", p, sizeof(p));
	assert_int_equal(unlink(p), 0);
	assert_int_equal(fx_put_file(d->out, "img", "OLD IMAGE", 9), 0);

	assert_int_equal(cramfs_write_file(tree, &o, d->img, NULL), -ENOENT);
	assert_contains(cramfs_tree_errmsg(tree), "sub/copy");
	assert_int_equal(fx_slurp(d->img, &file, &flen), 0);
	assert_int_equal(flen, 9);
	assert_memory_equal(file, "OLD IMAGE", 9);
	assert_int_equal(fx_count_prefixed(d->out, ".img."), 0);
	assert_int_equal(fx_count_prefixed(d->out, ""), 3); /* ., .., img */
	free(file);
	cramfs_tree_free(tree);
}

static void file_growing_after_the_scan_fails_with_estale(void **state)
{
	struct disk *d = *state;
	struct cramfs_write_opts o = defaults();
	struct cramfs_tree *tree;
	uint8_t *buf;
	size_t len;

	populate(d);
	tree = scan(d);
	assert_int_equal(fx_put_file(d->src, "motd", "hello, world\n", 13), 0);
	assert_int_equal(fx_write_image(tree, &o, &buf, &len, NULL), -ESTALE);
	assert_contains(cramfs_tree_errmsg(tree), "motd");
	assert_contains(cramfs_tree_errmsg(tree), "changed during the build");
	cramfs_tree_free(tree);
}

static void file_shrinking_after_the_scan_fails_with_estale(void **state)
{
	struct disk *d = *state;
	struct cramfs_write_opts o = defaults();
	struct cramfs_tree *tree;
	uint8_t *buf;
	size_t len;

	populate(d);
	tree = scan(d);
	assert_int_equal(fx_put_file(d->src, "sub/copy", "x", 1), 0);
	assert_int_equal(fx_write_image(tree, &o, &buf, &len, NULL), -ESTALE);
	assert_contains(cramfs_tree_errmsg(tree), "sub/copy");
	assert_contains(cramfs_tree_errmsg(tree), "changed during the build");
	cramfs_tree_free(tree);
}

static void file_replaced_after_the_scan_fails_with_estale(void **state)
{
	struct disk *d = *state;
	struct cramfs_write_opts o = defaults();
	struct cramfs_tree *tree;
	char from[512], to[512];
	uint8_t *buf;
	size_t len;

	populate(d);
	tree = scan(d);
	/* Same size, different inode. */
	assert_int_equal(fx_put_file(d->src, "new", "HELLO\n", 6), 0);
	src_path(d, "new", from, sizeof(from));
	src_path(d, "motd", to, sizeof(to));
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(fx_write_image(tree, &o, &buf, &len, NULL), -ESTALE);
	assert_contains(cramfs_tree_errmsg(tree), "motd");
	assert_contains(cramfs_tree_errmsg(tree), "changed during the build");
	cramfs_tree_free(tree);
}

static void file_replaced_by_a_fifo_after_the_scan_fails_instead_of_hanging(void **state)
{
	struct disk *d = *state;
	struct cramfs_write_opts o = defaults();
	struct cramfs_tree *tree;
	char p[512];
	uint8_t *buf;
	size_t len;
	int err;

	populate(d);
	tree = scan(d);
	src_path(d, "motd", p, sizeof(p));
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	alarm(5); /* opening a FIFO without a writer must not block */
	err = fx_write_image(tree, &o, &buf, &len, NULL);
	alarm(0);
	assert_int_equal(err, -ESTALE);
	assert_contains(cramfs_tree_errmsg(tree), "motd");
	assert_contains(cramfs_tree_errmsg(tree), "changed during the build");
	cramfs_tree_free(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opts_init_gives_4k_blocks_host_order_and_level_6),
		cmocka_unit_test(superblock_holds_magic_signature_flags_and_counts),
		cmocka_unit_test(every_entry_decodes_with_its_attributes_and_content),
		cmocka_unit_test(directory_entries_are_sorted_with_nul_padded_names),
		cmocka_unit_test(data_follows_the_metadata_and_the_tail_is_zero),
		cmocka_unit_test(old_bytes_in_the_output_are_overwritten_with_zeros),
		cmocka_unit_test(empty_tree_gives_a_one_block_image),
		cmocka_unit_test(crc_covers_the_image_from_the_superblock_with_the_field_zeroed),
		cmocka_unit_test(pad_puts_512_zero_bytes_before_the_superblock),
		cmocka_unit_test(larger_block_sizes_round_the_image_and_split_files),
		cmocka_unit_test(big_endian_image_decodes_in_big_endian_order),
		cmocka_unit_test(host_order_image_equals_the_image_in_the_resolved_order),
		cmocka_unit_test(identical_files_with_the_same_mode_and_owner_share_data),
		cmocka_unit_test(identical_files_differing_in_mode_or_owner_do_not_share),
		cmocka_unit_test(symlink_and_file_with_the_same_bytes_do_not_share),
		cmocka_unit_test(holes_flag_is_set_only_when_a_hole_is_written),
		cmocka_unit_test(ext_block_pointers_flag_is_set_only_when_a_raw_block_is_written),
		cmocka_unit_test(largest_file_of_16777215_bytes_round_trips),
		cmocka_unit_test(same_tree_added_in_another_order_gives_identical_bytes),
		cmocka_unit_test(first_copy_in_image_order_owns_shared_data),
		cmocka_unit_test(on_file_reports_each_stored_file_in_image_order),
		cmocka_unit_test(gid_300_is_stored_as_44),
		cmocka_unit_test(volume_name_of_16_bytes_fits_and_17_fails),
		cmocka_unit_test(bad_block_size_level_or_byte_order_fails_with_einval),
#define D(fn) cmocka_unit_test_setup_teardown(fn, disk_setup, disk_teardown)
		D(insert_file_follows_the_superblock_and_shifts_the_root),
		D(write_to_a_read_only_descriptor_fails_with_its_error),
		D(scanned_tree_stores_the_bytes_read_from_disk),
		D(write_file_into_a_missing_directory_fails_and_creates_nothing),
		D(write_file_creates_the_image_and_no_temporary_remains),
		D(failed_write_file_keeps_the_old_image_and_leaves_no_temporary),
		D(file_growing_after_the_scan_fails_with_estale),
		D(file_shrinking_after_the_scan_fails_with_estale),
		D(file_replaced_after_the_scan_fails_with_estale),
		D(file_replaced_by_a_fifo_after_the_scan_fails_instead_of_hanging),
#undef D
	};

	return cmocka_run_group_tests(tests, fill_data, NULL);
}

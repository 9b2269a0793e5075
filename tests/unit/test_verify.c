// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/verify.c: a clean image gives no findings; each corruption, made by
 * editing a few bytes of a good image (CRC made right again unless the CRC
 * is the point), gives a finding of the right severity, path and message,
 * and the checks go on after it.
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
static uint8_t random3blocks[3 * 4096];

static int fill_data(void **state)
{
	(void)state;
	fx_fill_text(text5000, sizeof(text5000), 11);
	fx_fill_random(random3blocks, sizeof(random3blocks), 12);
	return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

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
	{ .path = "fifo", .mode = S_IFIFO | 0644 },
	FX_NODE_REG("noise", 0644, random3blocks, sizeof(random3blocks)),
	FX_NODE_STR("same", "hello world\n"),
};

/* bin/sh 2 + motd 1 + sh-link 1 + noise 3; "same" shares motd's data. */
#define TREE_BLOCKS 7u
#define TREE_FILES 5u /* regular files, etc/empty included */

/* ---- Findings, copied out of the callback. ---- */

struct found {
	enum cramfs_severity sev;
	char path[64];
	bool has_path;
	uint64_t offset;
	char message[512];
};

struct findings {
	struct found f[64];
	size_t n;
};

static void collect(void *arg, const struct cramfs_finding *f)
{
	struct findings *all = arg;
	struct found *out;

	assert_true(all->n < COUNT(all->f));
	out = &all->f[all->n++];
	out->sev = f->severity;
	out->has_path = f->path != NULL;
	snprintf(out->path, sizeof(out->path), "%s", f->path ? f->path : "");
	out->offset = f->offset;
	snprintf(out->message, sizeof(out->message), "%s", f->message);
}

static const char *sev_name(enum cramfs_severity s)
{
	return s == CRAMFS_SEV_ERROR ? "error" :
	       s == CRAMFS_SEV_WARNING ? "warning" : "info";
}

static void dump(const struct findings *all)
{
	for (size_t i = 0; i < all->n; i++)
		print_message("  %s %s%s%s @0x%llx: %s\n", sev_name(all->f[i].sev),
			      all->f[i].has_path ? "\"" : "",
			      all->f[i].has_path ? all->f[i].path : "(image)",
			      all->f[i].has_path ? "\"" : "",
			      (unsigned long long)all->f[i].offset,
			      all->f[i].message);
}

/* The finding of severity `sev` about `path` (NULL: image-wide) saying `text`. */
static const struct found *find(const struct findings *all,
				enum cramfs_severity sev, const char *path,
				const char *text)
{
	for (size_t i = 0; i < all->n; i++) {
		const struct found *f = &all->f[i];

		if (f->sev != sev || f->has_path != (path != NULL))
			continue;
		if (path && strcmp(f->path, path))
			continue;
		if (strstr(f->message, text))
			return f;
	}
	dump(all);
	fail_msg("no %s about %s containing \"%s\"", sev_name(sev),
		 path ? path : "the image", text);
	return NULL;
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

/* Verify `img`; the checks must run to the end. */
static void verify(const struct hc_image *img, struct findings *all,
		   struct cramfs_verify_stats *st)
{
	struct cramfs_image *h;
	int ret;

	memset(all, 0, sizeof(*all));
	memset(st, 0xa5, sizeof(*st));
	assert_int_equal(cramfs_image_new(&h), 0);
	if (cramfs_image_open_memory(h, img->buf, img->len))
		fail_msg("open failed: %s", cramfs_image_errmsg(h));
	if (img->fx.block_size != 4096)
		assert_int_equal(cramfs_image_set_block_size(h, img->fx.block_size), 0);
	ret = cramfs_verify(h, collect, all, st);
	if (ret)
		fail_msg("verify could not run: %s", cramfs_image_errmsg(h));
	cramfs_image_free(h);
}

static size_t count_sev(const struct findings *all, enum cramfs_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < all->n; i++)
		n += all->f[i].sev == sev;
	return n;
}

/* The counts agree with the findings delivered. */
static void assert_counts_match(const struct findings *all,
				const struct cramfs_verify_stats *st)
{
	assert_int_equal(st->errors, count_sev(all, CRAMFS_SEV_ERROR));
	assert_int_equal(st->warnings, count_sev(all, CRAMFS_SEV_WARNING));
}

static struct cramfs_inode inode_at(const struct hc_image *img, const char *path,
				    uint32_t *off)
{
	struct cramfs_inode ino;

	if (hc_inode(img, path, &ino, off))
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

/* ---- Clean images. ---- */

static void clean_image_gives_no_findings_and_the_counts(void **state)
{
	static const struct { enum cramfs_endian e; bool pad; uint32_t bs; } v[] = {
		{ CRAMFS_ENDIAN_LITTLE, false, 4096 },
		{ CRAMFS_ENDIAN_BIG, false, 4096 },
		{ CRAMFS_ENDIAN_LITTLE, true, 4096 },
		{ CRAMFS_ENDIAN_BIG, true, 16384 },
	};

	(void)state;
	for (size_t i = 0; i < COUNT(v); i++) {
		struct cramfs_write_opts o = opts_le();
		struct cramfs_verify_stats st;
		struct findings all;
		struct hc_image img;

		o.endian = v[i].e;
		o.pad = v[i].pad;
		o.block_size = v[i].bs;
		make(tree, COUNT(tree), &o, &img);
		verify(&img, &all, &st);
		if (all.n) {
			dump(&all);
			fail_msg("findings on a clean image");
		}
		assert_int_equal(st.errors, 0);
		assert_int_equal(st.warnings, 0);
		assert_int_equal(st.entries, COUNT(tree) + 1);
		assert_int_equal(st.files, TREE_FILES);
		assert_int_equal(st.blocks, v[i].bs == 4096 ? TREE_BLOCKS : 4u);
		assert_int_equal(st.blocks, img.fx.super.fsid.blocks);
		hc_free(&img);
	}
}

static void holes_and_raw_blocks_verify_clean(void **state)
{
	static uint8_t sparse[2 * 4096 + 5];
	struct cramfs_write_opts o = opts_le();
	struct fx_node nodes[] = {
		FX_NODE_REG("sparse", 0644, sparse, sizeof(sparse)),
		FX_NODE_REG("noise", 0644, random3blocks,
			    sizeof(random3blocks)),
	};
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;

	(void)state;
	memset(sparse, 0, sizeof(sparse));
	memcpy(sparse + 2 * 4096, "tail!", 5);
	o.holes = true;
	o.raw_blocks = true;
	make(nodes, COUNT(nodes), &o, &img);
	verify(&img, &all, &st);
	assert_int_equal(all.n, 0);
	assert_int_equal(st.blocks, 6);
	assert_int_equal(st.files, 2);
	hc_free(&img);
}

static void verify_without_an_open_image_fails_with_einval(void **state)
{
	struct cramfs_image *h;
	struct cramfs_verify_stats st;

	(void)state;
	assert_int_equal(cramfs_image_new(&h), 0);
	assert_int_equal(cramfs_verify(h, NULL, NULL, &st), -EINVAL);
	assert_string_equal(cramfs_image_errmsg(h), "no image open");
	assert_int_equal(cramfs_verify(NULL, NULL, NULL, &st), -EINVAL);
	cramfs_image_free(h);
}

static void verify_counts_findings_without_a_callback(void **state)
{
	struct cramfs_verify_stats st;
	struct hc_image img;
	struct cramfs_image *h;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	hc_put32(&img, CRAMFS_SUPER_CRC_OFFSET, 0);
	assert_int_equal(cramfs_image_new(&h), 0);
	assert_int_equal(cramfs_image_open_memory(h, img.buf, img.len), 0);
	assert_int_equal(cramfs_verify(h, NULL, NULL, &st), 0);
	assert_int_equal(st.errors, 1);
	assert_int_equal(st.entries, COUNT(tree) + 1);
	cramfs_image_free(h);
	hc_free(&img);
}

/* ---- Image-wide problems. ---- */

static void wrong_crc_is_an_error_and_the_tree_is_still_checked(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	const struct found *f;
	char want[96];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	hc_put32(&img, CRAMFS_SUPER_CRC_OFFSET, 0x12345678);
	verify(&img, &all, &st);
	snprintf(want, sizeof(want),
		 "CRC mismatch: superblock says 0x12345678, image gives 0x%08x",
		 img.stats.crc);
	f = find(&all, CRAMFS_SEV_ERROR, NULL, want);
	assert_int_equal(f->offset, CRAMFS_SUPER_CRC_OFFSET);
	assert_int_equal(all.n, 1);
	assert_int_equal(st.errors, 1);
	assert_int_equal(st.entries, COUNT(tree) + 1);
	assert_int_equal(st.blocks, TREE_BLOCKS);
	hc_free(&img);
}

static void truncated_image_is_an_error_naming_both_sizes(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	char want[128];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	img.len -= 100;
	verify(&img, &all, &st);
	snprintf(want, sizeof(want),
		 "image is truncated: superblock size is %zu bytes, only %zu available",
		 img.len + 100, img.len);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, NULL, want)->offset, img.len);
	img.len += 100;
	hc_free(&img);
}

static void bytes_after_the_image_are_an_info_finding(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	uint8_t *grown;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	grown = realloc(img.buf, img.len + 4096);
	assert_non_null(grown);
	memset(grown + img.len, 0, 4096);
	img.buf = grown;
	img.fx.buf = grown;
	img.len += 4096;
	verify(&img, &all, &st);
	assert_int_equal(find(&all, CRAMFS_SEV_INFO, NULL,
			      "image followed by 4096 bytes of padding")->offset,
			 img.len - 4096);
	assert_int_equal(all.n, 1);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.warnings, 0);
	hc_free(&img);
}

static void fsid_files_mismatch_is_a_warning(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	char want[96];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	hc_put32(&img, 44, 99);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	snprintf(want, sizeof(want),
		 "superblock counts 99 entries (fsid.files), the tree has %zu",
		 COUNT(tree) + 1);
	assert_int_equal(find(&all, CRAMFS_SEV_WARNING, NULL, want)->offset, 44);
	assert_int_equal(all.n, 1);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.warnings, 1);
	hc_free(&img);
}

static void fsid_blocks_mismatch_is_a_warning(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	hc_put32(&img, 40, 3);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	find(&all, CRAMFS_SEV_WARNING, NULL,
	     "superblock counts 3 blocks (fsid.blocks), the files have 7");
	assert_int_equal(st.warnings, 1);
	hc_free(&img);
}

static void signature_and_reserved_field_are_warnings(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	img.buf[16] = 'c';
	hc_put32(&img, 12, 5);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	assert_int_equal(find(&all, CRAMFS_SEV_WARNING, NULL,
			      "signature is not \"Compressed ROMFS\"")->offset, 16);
	assert_int_equal(find(&all, CRAMFS_SEV_WARNING, NULL,
			      "reserved superblock field is 0x5, not 0")->offset, 12);
	assert_int_equal(st.errors, 0);
	hc_free(&img);
}

/* ---- Directory problems. ---- */

static void directory_pointing_at_its_parent_is_an_error_on_that_directory(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode etc;
	uint32_t off;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	etc = inode_at(&img, "etc", &off);
	etc.offset = img.fx.super.root.offset;
	etc.size = img.fx.super.root.size;
	assert_int_equal(hc_set_inode(&img, off, &etc), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, "etc",
			      "directory cycle: entries at 0x4c are those of ancestor /")->offset,
			 off);
	assert_int_equal(st.errors, 1);
	/* The rest of the tree was still checked: etc's 4 entries are lost. */
	assert_int_equal(st.entries, COUNT(tree) + 1 - 4);
	find(&all, CRAMFS_SEV_WARNING, NULL, "(fsid.files)");
	assert_counts_match(&all, &st);
	hc_free(&img);
}

static void directory_entries_beyond_the_end_are_an_error(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode etc;
	uint32_t off;
	char want[128];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	etc = inode_at(&img, "etc", &off);
	etc.offset = 0x100000;
	assert_int_equal(hc_set_inode(&img, off, &etc), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	snprintf(want, sizeof(want),
		 "directory entries at 0x400000 (%u bytes) extend beyond image end 0x%zx",
		 etc.size, img.len);
	find(&all, CRAMFS_SEV_ERROR, "etc", want);
	assert_int_equal(st.errors, 1);
	hc_free(&img);
}

static void empty_name_is_an_error_in_its_directory(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode ino;
	uint32_t off;
	char want[96];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	ino = inode_at(&img, "etc/empty", &off);
	ino.namelen = 0;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	snprintf(want, sizeof(want), "entry at 0x%x: invalid name \"\": empty name",
		 off);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, "etc", want)->offset, off);
	hc_free(&img);
}

static void name_with_a_slash_is_an_error_and_its_siblings_are_checked(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	uint32_t off;
	char want[96];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	inode_at(&img, "dev", &off);
	assert_int_equal(hc_rename(&img, "dev", "d/v"), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	snprintf(want, sizeof(want), "entry at 0x%x: invalid name \"d/v\": '/' in the name",
		 off);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, "", want)->offset, off);
	/* Only dev/null, below the refused name, went unseen. */
	assert_int_equal(st.entries, COUNT(tree) + 1 - 1);
	assert_int_equal(st.errors, 1);
	hc_free(&img);
}

static void unsorted_names_are_an_error_on_the_directory(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	assert_int_equal(hc_rename(&img, "bin", "zzz"), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, "",
			      "entries not sorted: \"dev\" follows \"zzz\" (1 out of order)")->offset,
			 CRAMFS_SUPER_SIZE);
	assert_int_equal(st.errors, 1);
	hc_free(&img);
}

static void unsorted_names_are_fine_without_the_sorted_flag(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	assert_int_equal(hc_rename(&img, "bin", "zzz"), 0);
	hc_put32(&img, 8, img.fx.super.flags & ~CRAMFS_FLAG_SORTED_DIRS);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	assert_int_equal(all.n, 0);
	hc_free(&img);
}

static void duplicate_names_are_an_error_naming_the_name(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	assert_int_equal(hc_rename(&img, "dev", "bin"), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	/* "bin", "bin", "etc"...: still in order, so only the duplicate. */
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, "",
			      "duplicate name \"bin\" in directory")->offset,
			 CRAMFS_SUPER_SIZE);
	assert_int_equal(st.errors, 1);
	hc_free(&img);
}

static void fifo_with_a_size_is_an_error_on_the_fifo(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode ino;
	uint32_t off;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	ino = inode_at(&img, "fifo", &off);
	ino.size = 17;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, "fifo",
			      "fifo with size 17 (must be 0)")->offset, off);
	assert_int_equal(all.n, 1);
	hc_free(&img);
}

static void unknown_file_type_is_an_error(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode ino;
	uint32_t off;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	ino = inode_at(&img, "fifo", &off);
	ino.mode = 0170644;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	find(&all, CRAMFS_SEV_ERROR, "fifo", "unknown file type in mode 0170644");
	hc_free(&img);
}

/* ---- Data problems. ---- */

/* Edit one block pointer of `path`, fix the CRC, verify: one error expected. */
static void assert_pointer_error(uint32_t (*edit)(const struct hc_image *),
				 const char *path, uint32_t index,
				 const char *want)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	uint32_t at;

	make(tree, COUNT(tree), NULL, &img);
	at = ptr_offset(&img, path, index);
	hc_put32(&img, at, edit(&img));
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, path, want)->offset, at);
	assert_counts_match(&all, &st);
	hc_free(&img);
}

static uint32_t beyond_end(const struct hc_image *img)
{
	return (uint32_t)img->len + 4;
}

static void block_pointer_beyond_the_end_is_an_error_on_the_file(void **state)
{
	struct hc_image img;
	char want[96];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	snprintf(want, sizeof(want),
		 "block 0: pointer 0x%08zx beyond image end 0x%zx",
		 img.len + 4, img.len);
	assert_pointer_error(beyond_end, "bin/sh", 0, want);
	hc_free(&img);
}

static uint32_t decreasing(const struct hc_image *img)
{
	return hc_get32(img, ptr_offset(img, "bin/sh", 0)) - 1;
}

static void decreasing_pointer_is_an_error_on_the_file(void **state)
{
	(void)state;
	assert_pointer_error(decreasing, "bin/sh", 1,
			     "(pointers must not decrease)");
}

static uint32_t swallow_next(const struct hc_image *img)
{
	return hc_get32(img, ptr_offset(img, "noise", 1));
}

static void oversized_block_is_an_error_on_the_file(void **state)
{
	(void)state;
	assert_pointer_error(swallow_next, "noise", 0,
			     "more than twice the block size 4096");
}

static uint32_t empty_block(const struct hc_image *img)
{
	return ptr_offset(img, "bin/sh", 0) + 8;
}

static void hole_without_the_flag_is_an_error_on_the_file(void **state)
{
	(void)state;
	assert_pointer_error(empty_block, "bin/sh", 0,
			     "but the image lacks CRAMFS_FLAG_HOLES");
}

static void corrupt_zlib_stream_is_an_error_at_the_block(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	uint32_t t;
	char want[64];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	t = ptr_offset(&img, "bin/sh", 0);
	for (uint32_t k = 16; k < 48; k++)
		img.buf[t + 8 + k] ^= 0x5a;
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	snprintf(want, sizeof(want), "block 0: bad zlib stream at 0x%x", t + 8);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, "bin/sh", want)->offset, t + 8);
	/* Block 1 is still decoded. */
	assert_int_equal(st.blocks, TREE_BLOCKS - 1);
	assert_int_equal(st.errors, 1);
	hc_free(&img);
}

static void block_table_beyond_the_end_is_an_error(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode ino;
	uint32_t off;
	char want[128];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	ino = inode_at(&img, "bin/sh", &off);
	ino.size = CRAMFS_SIZE_MAX;
	ino.offset = (uint32_t)(img.len - 8) >> 2;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	snprintf(want, sizeof(want),
		 "block pointer table at 0x%zx (16384 bytes) extends beyond image end 0x%zx",
		 img.len - 8, img.len);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, "bin/sh", want)->offset,
			 img.len - 8);
	assert_int_equal(st.errors, 1);
	hc_free(&img);
}

static void shared_data_with_another_size_is_a_warning(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode ino;
	uint32_t off;
	char want[96];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	ino = inode_at(&img, "same", &off);
	assert_int_equal(ino.offset, inode_at(&img, "etc/motd", NULL).offset);
	ino.size = 13;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	snprintf(want, sizeof(want),
		 "shares data at 0x%x with an entry of 12 bytes, not 13",
		 ino.offset << 2);
	assert_int_equal(find(&all, CRAMFS_SEV_WARNING, "same", want)->offset, off);
	/* Checked again with its own size: the block is one byte short. */
	find(&all, CRAMFS_SEV_ERROR, "same", "inflates to 12 bytes, expected 13");
	hc_free(&img);
}

static void data_overlapping_directories_is_an_error(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode ino, etc;
	uint32_t off;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	etc = inode_at(&img, "etc", NULL);
	ino = inode_at(&img, "fifo", &off);
	/* A "file" whose block table is etc's entries. */
	ino.mode = S_IFREG | 0644;
	ino.size = 1;
	ino.offset = etc.offset;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	find(&all, CRAMFS_SEV_ERROR, "fifo", "block pointer table at 0x");
	find(&all, CRAMFS_SEV_ERROR, "fifo", "overlaps metadata at 0x");
	hc_free(&img);
}

static void set_size(struct hc_image *img, const char *path, uint32_t size)
{
	struct cramfs_inode ino;
	uint32_t off;

	ino = inode_at(img, path, &off);
	ino.size = size;
	assert_int_equal(hc_set_inode(img, off, &ino), 0);
}

static void entries_sharing_data_with_other_sizes_decode_each_block_once(void **state)
{
	static uint8_t zeros[8 * 4096];
	struct fx_node nodes[] = {
		FX_NODE_REG("a", 0644, zeros, sizeof(zeros)),
		FX_NODE_REG("b", 0644, zeros, sizeof(zeros)),
		FX_NODE_REG("c", 0644, zeros, sizeof(zeros)),
		FX_NODE_REG("d", 0644, zeros, sizeof(zeros)),
	};
	struct cramfs_write_opts o = opts_le();
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;

	(void)state;
	o.holes = true;
	make(nodes, COUNT(nodes), &o, &img);
	assert_int_equal(inode_at(&img, "d", NULL).offset,
			 inode_at(&img, "a", NULL).offset);
	set_size(&img, "b", 8 * 4096 - 1);
	set_size(&img, "c", 7 * 4096 + 1);
	set_size(&img, "d", 4097);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	find(&all, CRAMFS_SEV_WARNING, "b", "with an entry of 32768 bytes, not 32767");
	find(&all, CRAMFS_SEV_WARNING, "c", "with an entry of 32768 bytes, not 28673");
	find(&all, CRAMFS_SEV_WARNING, "d", "with an entry of 32768 bytes, not 4097");
	/*
	 * d's table is 2 pointers, so its block 0 starts 24 bytes before a's:
	 * a different block, checked again, and broken.
	 */
	find(&all, CRAMFS_SEV_ERROR, "d", "block 0: ");
	/* ... and lies over a's table. */
	find(&all, CRAMFS_SEV_ERROR, "d",
	     "block 0 at 0x94..0xac overlaps block pointer table of a at 0x8c..0xac");
	assert_int_equal(st.errors, 2);
	/* a: 8; b, c: their last block; d: block 1. Not 8 per entry. */
	assert_int_equal(st.blocks, 8 + 1 + 1 + 1);
	hc_free(&img);
}

static void overlapping_block_tables_are_errors_and_not_decoded(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode sh, motd;
	uint32_t off;
	char want[128];

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	sh = inode_at(&img, "bin/sh", NULL);
	/* motd's table becomes the second pointer of bin/sh's. */
	motd = inode_at(&img, "etc/motd", &off);
	motd.offset = sh.offset + 1;
	assert_int_equal(hc_set_inode(&img, off, &motd), 0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	snprintf(want, sizeof(want),
		 "block pointer table at 0x%x overlaps the table at 0x%x of another file; its blocks are not checked",
		 sh.offset << 2, (sh.offset + 1) << 2);
	assert_int_equal(find(&all, CRAMFS_SEV_ERROR, "bin/sh", want)->offset,
			 sh.offset << 2);
	snprintf(want, sizeof(want), "block pointer table at 0x%x overlaps the table at 0x%x",
		 (sh.offset + 1) << 2, sh.offset << 2);
	find(&all, CRAMFS_SEV_ERROR, "etc/motd", want);
	assert_int_equal(st.errors, 2);
	/* bin/sh's 2 blocks are not decoded; "same" keeps motd's old block. */
	assert_int_equal(st.blocks, TREE_BLOCKS - 2);
	hc_free(&img);
}

/* ---- Going on after a problem. ---- */

static void two_independent_corruptions_give_two_findings(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	struct cramfs_inode ino;
	uint32_t off, t;

	(void)state;
	make(tree, COUNT(tree), NULL, &img);
	ino = inode_at(&img, "fifo", &off);
	ino.size = 3;
	assert_int_equal(hc_set_inode(&img, off, &ino), 0);
	t = ptr_offset(&img, "noise", 2);
	hc_put32(&img, t, (uint32_t)img.len + 64);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	find(&all, CRAMFS_SEV_ERROR, "fifo", "fifo with size 3");
	find(&all, CRAMFS_SEV_ERROR, "noise", "block 2: pointer");
	assert_int_equal(st.errors, 2);
	assert_int_equal(all.n, 2);
	assert_int_equal(st.entries, COUNT(tree) + 1);
	/* noise blocks 0 and 1 decoded; block 2 did not. */
	assert_int_equal(st.blocks, TREE_BLOCKS - 1);
	hc_free(&img);
}

static void many_bad_blocks_are_summarised_once(void **state)
{
	static uint8_t big[12 * 4096];
	struct fx_node nodes[] = {
		FX_NODE_REG("big", 0644, big, sizeof(big)),
	};
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;

	(void)state;
	fx_fill_text(big, sizeof(big), 13);
	make(nodes, COUNT(nodes), NULL, &img);
	for (uint32_t i = 0; i < 12; i++)
		hc_put32(&img, ptr_offset(&img, "big", i), 0xfffff0);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	find(&all, CRAMFS_SEV_ERROR, "big", "8 bad blocks: the remaining 4 not checked");
	assert_int_equal(st.errors, 9);
	hc_free(&img);
}

/* Three pages, then the same pages in another order and file. */
static uint8_t dedup_a[3 * 4096], dedup_b[2 * 4096 + 1000];

static void make_block_dedup(struct hc_image *img)
{
	struct fx_node nodes[] = {
		FX_NODE_REG("a", 0644, dedup_a, sizeof(dedup_a)),
		FX_NODE_REG("b", 0644, dedup_b, sizeof(dedup_b)),
		FX_NODE_REG("c", 0600, dedup_a, sizeof(dedup_a)),
	};
	struct cramfs_write_opts o = opts_le();

	fx_fill_random(dedup_a, sizeof(dedup_a), 91);
	memcpy(dedup_b, dedup_a + 2 * 4096, 4096);
	memcpy(dedup_b + 4096, dedup_a, 4096);
	memcpy(dedup_b + 2 * 4096, dedup_a + 4096, 1000);
	o.dedup = CRAMFS_DEDUP_BLOCKS;
	make(nodes, COUNT(nodes), &o, img);
}

static uint32_t ptr_of(const struct hc_image *img, const char *path,
		       uint32_t index, uint32_t *where)
{
	uint32_t off;

	assert_int_equal(hc_ptr_offset(img, path, index, &off), 0);
	if (where)
		*where = off;
	return hc_get32(img, off);
}

static void blocks_shared_through_direct_pointers_are_clean(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;

	(void)state;
	make_block_dedup(&img);
	/* b's pages are a's pages 2 and 0; c, another mode, has a's blocks. */
	assert_int_equal(ptr_of(&img, "b", 0, NULL), ptr_of(&img, "a", 2, NULL));
	assert_int_equal(ptr_of(&img, "b", 1, NULL), ptr_of(&img, "a", 0, NULL));
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(ptr_of(&img, "c", i, NULL),
				 ptr_of(&img, "a", i, NULL));
	assert_true(ptr_of(&img, "a", 0, NULL) & CRAMFS_BLK_FLAG_DIRECT_PTR);
	verify(&img, &all, &st);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.warnings, 0);
	hc_free(&img);
}

static void direct_pointer_into_another_block_is_an_overlap_error(void **state)
{
	struct cramfs_verify_stats st;
	struct findings all;
	struct hc_image img;
	uint32_t where, a1;

	(void)state;
	make_block_dedup(&img);
	/* b's first block, raw, 4 bytes into a's block 1: not the same block. */
	a1 = ptr_of(&img, "a", 1, NULL) & ~CRAMFS_BLK_FLAGS;
	ptr_of(&img, "b", 0, &where);
	hc_put32(&img, where, (a1 + 1) | CRAMFS_BLK_FLAG_DIRECT_PTR |
			      CRAMFS_BLK_FLAG_UNCOMPRESSED);
	hc_fix_crc(&img);
	verify(&img, &all, &st);
	find(&all, CRAMFS_SEV_ERROR, "b", "block 0 at 0x");
	find(&all, CRAMFS_SEV_ERROR, "b", "overlaps block 1 of a at 0x");
	hc_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_image_gives_no_findings_and_the_counts),
		cmocka_unit_test(holes_and_raw_blocks_verify_clean),
		cmocka_unit_test(verify_without_an_open_image_fails_with_einval),
		cmocka_unit_test(verify_counts_findings_without_a_callback),
		cmocka_unit_test(wrong_crc_is_an_error_and_the_tree_is_still_checked),
		cmocka_unit_test(truncated_image_is_an_error_naming_both_sizes),
		cmocka_unit_test(bytes_after_the_image_are_an_info_finding),
		cmocka_unit_test(fsid_files_mismatch_is_a_warning),
		cmocka_unit_test(fsid_blocks_mismatch_is_a_warning),
		cmocka_unit_test(signature_and_reserved_field_are_warnings),
		cmocka_unit_test(directory_pointing_at_its_parent_is_an_error_on_that_directory),
		cmocka_unit_test(directory_entries_beyond_the_end_are_an_error),
		cmocka_unit_test(empty_name_is_an_error_in_its_directory),
		cmocka_unit_test(name_with_a_slash_is_an_error_and_its_siblings_are_checked),
		cmocka_unit_test(unsorted_names_are_an_error_on_the_directory),
		cmocka_unit_test(unsorted_names_are_fine_without_the_sorted_flag),
		cmocka_unit_test(duplicate_names_are_an_error_naming_the_name),
		cmocka_unit_test(fifo_with_a_size_is_an_error_on_the_fifo),
		cmocka_unit_test(unknown_file_type_is_an_error),
		cmocka_unit_test(block_pointer_beyond_the_end_is_an_error_on_the_file),
		cmocka_unit_test(decreasing_pointer_is_an_error_on_the_file),
		cmocka_unit_test(oversized_block_is_an_error_on_the_file),
		cmocka_unit_test(hole_without_the_flag_is_an_error_on_the_file),
		cmocka_unit_test(corrupt_zlib_stream_is_an_error_at_the_block),
		cmocka_unit_test(block_table_beyond_the_end_is_an_error),
		cmocka_unit_test(shared_data_with_another_size_is_a_warning),
		cmocka_unit_test(entries_sharing_data_with_other_sizes_decode_each_block_once),
		cmocka_unit_test(overlapping_block_tables_are_errors_and_not_decoded),
		cmocka_unit_test(data_overlapping_directories_is_an_error),
		cmocka_unit_test(two_independent_corruptions_give_two_findings),
		cmocka_unit_test(many_bad_blocks_are_summarised_once),
		cmocka_unit_test(blocks_shared_through_direct_pointers_are_clean),
		cmocka_unit_test(direct_pointer_into_another_block_is_an_overlap_error),
	};

	return cmocka_run_group_tests(tests, fill_data, NULL);
}

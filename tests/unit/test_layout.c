// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/layout.c: where every entry and every file's data goes. */
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

#include "helper_fixture.h"
#include "layout.h"

#define REG(p, d) { .path = (p), .mode = S_IFREG | 0644, .data = (d), \
		    .len = sizeof(d) - 1 }
#define DIRN(p) { .path = (p), .mode = S_IFDIR | 0755 }

static void assert_contains(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("\"%s\" does not contain \"%s\"", text, needle);
}

static uint32_t id_of(const struct cramfs_tree *tree, const char *path)
{
	int64_t id = fx_tree_find(tree, path);

	if (id < 0)
		fail_msg("no node %s", path);
	return (uint32_t)id;
}

/* Build, sort and plan; the caller frees both. */
static struct cramfs_layout *plan(const struct fx_node *nodes, size_t n,
				  const struct cramfs_layout_opts *opts,
				  struct cramfs_tree **tree)
{
	struct cramfs_layout *l = NULL;
	struct cramfs_msg msg = { { 0 } };

	assert_int_equal(fx_tree_build(nodes, n, tree), 0);
	cramfs_tree_sort(*tree);
	assert_int_equal(cramfs_layout_plan(*tree, opts, &l, &msg), 0);
	assert_non_null(l);
	return l;
}

/*
 * a/x  b  c/y  d (device)  e/ (empty)  z (empty file), added out of order.
 * Every name is one byte, so every entry takes 12 + 4 = 16 bytes.
 */
static const struct fx_node small[] = {
	{ .path = "z", .mode = S_IFREG | 0644 },
	DIRN("c"),
	REG("c/y", "yyyyyyy"),
	REG("b", "bbbbb"),
	DIRN("e"),
	DIRN("a"),
	REG("a/x", "xxxxxxxxxx"),
	{ .path = "d", .mode = S_IFCHR | 0600, .rdev_major = 4, .rdev_minor = 1 },
};

static const struct cramfs_layout_opts plain = { .block_size = 4096 };

static void metadata_starts_right_after_the_superblock(void **state)
{
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &plain, &tree);

	(void)state;
	assert_int_equal(l->super_offset, 0);
	assert_int_equal(l->insert_offset, 76);
	assert_int_equal(l->insert_len, 0);
	assert_int_equal(l->meta_start, 76);
	/* The root's inode lives in the superblock. */
	assert_int_equal(l->entry_offset[CRAMFS_ROOT_ID], 64);
	assert_int_equal(l->dir_offset[CRAMFS_ROOT_ID], 76);
	assert_int_equal(l->nnodes, 9);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void root_entries_are_contiguous_in_name_order(void **state)
{
	static const char *const names[] = { "a", "b", "c", "d", "e", "z" };
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &plain, &tree);

	(void)state;
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(l->entry_offset[id_of(tree, names[i])], 76 + 16 * i);
	assert_int_equal(l->dir_size[CRAMFS_ROOT_ID], 6 * 16);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void subdirectory_entries_follow_the_root_entries(void **state)
{
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &plain, &tree);
	uint32_t a = id_of(tree, "a"), c = id_of(tree, "c");

	(void)state;
	assert_int_equal(l->dir_offset[a], 172);
	assert_int_equal(l->dir_size[a], 16);
	assert_int_equal(l->entry_offset[id_of(tree, "a/x")], 172);
	assert_int_equal(l->dir_offset[c], 188);
	assert_int_equal(l->dir_size[c], 16);
	assert_int_equal(l->entry_offset[id_of(tree, "c/y")], 188);
	assert_int_equal(l->meta_end, 204);
	assert_int_equal(l->data_end, 204);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void empty_directory_gets_offset_zero_and_size_zero(void **state)
{
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &plain, &tree);
	uint32_t e = id_of(tree, "e");

	(void)state;
	assert_int_equal(l->dir_offset[e], 0);
	assert_int_equal(l->dir_size[e], 0);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void empty_root_still_points_at_the_metadata_start(void **state)
{
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(NULL, 0, &plain, &tree);

	(void)state;
	assert_int_equal(l->dir_offset[CRAMFS_ROOT_ID], 76);
	assert_int_equal(l->dir_size[CRAMFS_ROOT_ID], 0);
	assert_int_equal(l->meta_end, 76);
	assert_int_equal(l->ndata, 0);
	assert_int_equal(cramfs_layout_image_size(l), 4096);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void entry_size_is_12_plus_the_name_rounded_up_to_4(void **state)
{
	char longname[253];
	struct fx_node nodes[] = {
		REG("x", "1"), REG("abcd", "1"), REG("abcde", "1"),
		{ .path = longname, .mode = S_IFREG | 0644 },
	};
	struct cramfs_tree *tree;
	struct cramfs_layout *l;

	(void)state;
	memset(longname, 'L', 252);
	longname[252] = '\0';
	l = plan(nodes, 4, &plain, &tree);
	/* Sorted: "LLL..." < "abcd" < "abcde" < "x". */
	assert_int_equal(l->entry_offset[id_of(tree, longname)], 76);
	assert_int_equal(l->entry_offset[id_of(tree, "abcd")], 76 + 264);
	assert_int_equal(l->entry_offset[id_of(tree, "abcde")], 76 + 264 + 16);
	assert_int_equal(l->entry_offset[id_of(tree, "x")], 76 + 264 + 16 + 20);
	assert_int_equal(l->meta_end, 76 + 264 + 16 + 20 + 16);
	assert_int_equal(l->dir_size[CRAMFS_ROOT_ID], 264 + 16 + 20 + 16);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

/*
 * a/p/q  a/r  b/s  c: directory entries in `ls -AUR` order
 * (root, a, a/p, b), data in `find` order (a/p/q, a/r, b/s, c).
 */
static const struct fx_node deep[] = {
	REG("c", "c"),
	DIRN("b"),
	REG("b/s", "s"),
	DIRN("a"),
	REG("a/r", "r"),
	DIRN("a/p"),
	REG("a/p/q", "q"),
};

static void directories_are_listed_depth_first_in_name_order(void **state)
{
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(deep, 7, &plain, &tree);

	(void)state;
	assert_int_equal(l->entry_offset[id_of(tree, "a")], 76);
	assert_int_equal(l->entry_offset[id_of(tree, "b")], 92);
	assert_int_equal(l->entry_offset[id_of(tree, "c")], 108);
	assert_int_equal(l->dir_offset[id_of(tree, "a")], 124);
	assert_int_equal(l->entry_offset[id_of(tree, "a/p")], 124);
	assert_int_equal(l->entry_offset[id_of(tree, "a/r")], 140);
	assert_int_equal(l->dir_offset[id_of(tree, "a/p")], 156);
	assert_int_equal(l->entry_offset[id_of(tree, "a/p/q")], 156);
	assert_int_equal(l->dir_offset[id_of(tree, "b")], 172);
	assert_int_equal(l->entry_offset[id_of(tree, "b/s")], 172);
	assert_int_equal(l->meta_end, 188);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void data_order_is_depth_first_in_name_order(void **state)
{
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(deep, 7, &plain, &tree);

	(void)state;
	assert_int_equal(l->ndata, 4);
	assert_int_equal(l->data_order[0], id_of(tree, "a/p/q"));
	assert_int_equal(l->data_order[1], id_of(tree, "a/r"));
	assert_int_equal(l->data_order[2], id_of(tree, "b/s"));
	assert_int_equal(l->data_order[3], id_of(tree, "c"));
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void data_of_a_directory_sorts_between_its_siblings(void **state)
{
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &plain, &tree);

	(void)state;
	/* a/x, b, c/y; the device, empty file and empty dir hold no data. */
	assert_int_equal(l->ndata, 3);
	assert_int_equal(l->data_order[0], id_of(tree, "a/x"));
	assert_int_equal(l->data_order[1], id_of(tree, "b"));
	assert_int_equal(l->data_order[2], id_of(tree, "c/y"));
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void pad_moves_everything_by_512_bytes(void **state)
{
	const struct cramfs_layout_opts o = { .block_size = 4096, .pad = true };
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &o, &tree);

	(void)state;
	assert_int_equal(l->super_offset, 512);
	assert_int_equal(l->meta_start, 512 + 76);
	assert_int_equal(l->entry_offset[CRAMFS_ROOT_ID], 512 + 64);
	assert_int_equal(l->dir_offset[CRAMFS_ROOT_ID], 588);
	assert_int_equal(l->entry_offset[id_of(tree, "a")], 588);
	assert_int_equal(l->dir_offset[id_of(tree, "a")], 512 + 172);
	assert_int_equal(l->meta_end, 512 + 204);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void insert_goes_after_the_superblock_rounded_up_to_4(void **state)
{
	static const struct { bool pad; uint32_t len, rounded, meta; } cases[] = {
		{ false, 1, 4, 80 },
		{ false, 5, 8, 84 },
		{ false, 8, 8, 84 },
		{ true, 5, 8, 596 },
	};

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		const struct cramfs_layout_opts o = {
			.block_size = 4096, .pad = cases[i].pad,
			.insert_len = cases[i].len,
		};
		struct cramfs_tree *tree;
		struct cramfs_layout *l = plan(small, 8, &o, &tree);

		assert_int_equal(l->insert_offset, cases[i].pad ? 588 : 76);
		assert_int_equal(l->insert_len, cases[i].rounded);
		assert_int_equal(l->meta_start, cases[i].meta);
		assert_int_equal(l->entry_offset[id_of(tree, "a")], cases[i].meta);
		assert_int_equal(l->meta_end, cases[i].meta + 128);
		cramfs_layout_free(l);
		cramfs_tree_free(tree);
	}
}

static void insert_reaching_256_mib_fails_with_efbig(void **state)
{
	const struct cramfs_layout_opts o = {
		.block_size = 4096, .insert_len = (1u << 28) - 76,
	};
	static struct cramfs_layout sentinel;
	struct cramfs_msg msg = { { 0 } };
	struct cramfs_layout *l = &sentinel;
	struct cramfs_tree *tree;

	(void)state;
	assert_int_equal(cramfs_tree_new(&tree), 0);
	assert_int_equal(cramfs_layout_plan(tree, &o, &l, &msg), -EFBIG);
	assert_null(l);
	assert_contains(msg.text, "inserted file");
	assert_contains(msg.text, "268435380");
	cramfs_tree_free(tree);
}

static void entries_reaching_256_mib_fail_with_efbig_naming_the_entry(void **state)
{
	const struct cramfs_layout_opts o = {
		.block_size = 4096, .insert_len = (1u << 28) - 80,
	};
	const struct fx_node nodes[] = { DIRN("d"), REG("d/f", "f") };
	struct cramfs_msg msg = { { 0 } };
	struct cramfs_layout *l = NULL;
	struct cramfs_tree *tree;

	(void)state;
	/* An empty tree still fits: the root starts at 0x0ffffffc. */
	assert_int_equal(cramfs_tree_new(&tree), 0);
	assert_int_equal(cramfs_layout_plan(tree, &o, &l, &msg), 0);
	assert_int_equal(l->meta_start, 0x0ffffffc);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);

	assert_int_equal(fx_tree_build(nodes, 2, &tree), 0);
	assert_int_equal(cramfs_layout_plan(tree, &o, &l, &msg), -EFBIG);
	assert_null(l);
	assert_contains(msg.text, "d:");
	assert_contains(msg.text, "268435455");
	cramfs_tree_free(tree);
}

static void place_advances_in_4_byte_steps_from_the_metadata_end(void **state)
{
	struct cramfs_msg msg = { { 0 } };
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &plain, &tree);
	uint32_t x = id_of(tree, "a/x"), b = id_of(tree, "b"),
		 y = id_of(tree, "c/y");

	(void)state;
	assert_int_equal(cramfs_layout_place(l, tree, x, 9, &msg), 0);
	assert_int_equal(l->data_offset[x], 204);
	assert_int_equal(l->data_end, 216);
	assert_int_equal(cramfs_layout_place(l, tree, b, 4, &msg), 0);
	assert_int_equal(l->data_offset[b], 216);
	assert_int_equal(l->data_end, 220);
	assert_int_equal(cramfs_layout_place(l, tree, y, 13, &msg), 0);
	assert_int_equal(l->data_offset[y], 220);
	assert_int_equal(l->data_end, 236);
	assert_int_equal(cramfs_layout_image_size(l), 4096);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void share_reuses_the_offset_of_placed_data(void **state)
{
	struct cramfs_msg msg = { { 0 } };
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &plain, &tree);
	uint32_t x = id_of(tree, "a/x"), b = id_of(tree, "b"),
		 y = id_of(tree, "c/y");

	(void)state;
	assert_int_equal(cramfs_layout_place(l, tree, x, 30, &msg), 0);
	cramfs_layout_share(l, b, x);
	assert_int_equal(l->data_offset[b], 204);
	assert_int_equal(l->data_end, 236);
	assert_int_equal(cramfs_layout_place(l, tree, y, 1, &msg), 0);
	assert_int_equal(l->data_offset[y], 236);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void image_size_rounds_up_to_the_block_size(void **state)
{
	static const struct { uint32_t bs; uint64_t end, size; } cases[] = {
		{ 4096, 4095, 4096 }, { 4096, 4096, 4096 }, { 4096, 4097, 8192 },
		{ 16384, 4097, 16384 }, { 16384, 16388, 32768 },
		{ 65536, 65536, 65536 }, { 65536, 65540, 131072 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cramfs_layout_opts o = { .block_size = cases[i].bs };
		struct cramfs_tree *tree;
		struct cramfs_layout *l = plan(small, 8, &o, &tree);

		assert_int_equal(l->block_size, cases[i].bs);
		l->data_end = cases[i].end;
		assert_int_equal(cramfs_layout_image_size(l), cases[i].size);
		cramfs_layout_free(l);
		cramfs_tree_free(tree);
	}
}

static void place_at_256_mib_fails_with_efbig_naming_the_path(void **state)
{
	struct cramfs_msg msg = { { 0 } };
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &plain, &tree);
	uint32_t y = id_of(tree, "c/y");

	(void)state;
	l->data_end = 1u << 28;
	assert_int_equal(cramfs_layout_place(l, tree, y, 8, &msg), -EFBIG);
	assert_contains(msg.text, "c/y");
	assert_contains(msg.text, "268435456");
	assert_contains(msg.text, "268435455");
	assert_int_equal(l->data_offset[y], 0);
	assert_int_equal(l->data_end, 1u << 28);

	l->data_end = (1ull << 28) + 4;
	assert_int_equal(cramfs_layout_place(l, tree, y, 8, &msg), -EFBIG);

	/* The last 4-byte unit below the limit is still addressable. */
	l->data_end = (1u << 28) - 4;
	assert_int_equal(cramfs_layout_place(l, tree, y, 8, &msg), 0);
	assert_int_equal(l->data_offset[y], (1u << 28) - 4);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

static void data_ending_at_1_gib_fails_because_pointers_keep_two_flag_bits(void **state)
{
	const uint64_t start = (1u << 28) - 4;
	struct cramfs_msg msg = { { 0 } };
	struct cramfs_tree *tree;
	struct cramfs_layout *l = plan(small, 8, &plain, &tree);
	uint32_t x = id_of(tree, "a/x");

	(void)state;
	l->data_end = start;
	assert_int_equal(cramfs_layout_place(l, tree, x, (1u << 30) - start, &msg),
			 -EFBIG);
	assert_contains(msg.text, "a/x");
	assert_contains(msg.text, "1073741823");
	assert_int_equal(cramfs_layout_place(l, tree, x, (1u << 30) - start - 1,
					     &msg), 0);
	assert_int_equal(l->data_offset[x], start);
	cramfs_layout_free(l);
	cramfs_tree_free(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(metadata_starts_right_after_the_superblock),
		cmocka_unit_test(root_entries_are_contiguous_in_name_order),
		cmocka_unit_test(subdirectory_entries_follow_the_root_entries),
		cmocka_unit_test(empty_directory_gets_offset_zero_and_size_zero),
		cmocka_unit_test(empty_root_still_points_at_the_metadata_start),
		cmocka_unit_test(entry_size_is_12_plus_the_name_rounded_up_to_4),
		cmocka_unit_test(directories_are_listed_depth_first_in_name_order),
		cmocka_unit_test(data_order_is_depth_first_in_name_order),
		cmocka_unit_test(data_of_a_directory_sorts_between_its_siblings),
		cmocka_unit_test(pad_moves_everything_by_512_bytes),
		cmocka_unit_test(insert_goes_after_the_superblock_rounded_up_to_4),
		cmocka_unit_test(insert_reaching_256_mib_fails_with_efbig),
		cmocka_unit_test(entries_reaching_256_mib_fail_with_efbig_naming_the_entry),
		cmocka_unit_test(place_advances_in_4_byte_steps_from_the_metadata_end),
		cmocka_unit_test(share_reuses_the_offset_of_placed_data),
		cmocka_unit_test(image_size_rounds_up_to_the_block_size),
		cmocka_unit_test(place_at_256_mib_fails_with_efbig_naming_the_path),
		cmocka_unit_test(data_ending_at_1_gib_fails_because_pointers_keep_two_flag_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/dedup.c: the index of stored data that whole-file dedup looks up. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "dedup.h"

static int setup(void **state)
{
	struct cramfs_dedup *d = calloc(1, sizeof(*d));

	if (!d)
		return -1;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	cramfs_dedup_free(*state);
	free(*state);
	return 0;
}

static const struct cramfs_dedup_key base = {
	.crc = 0x12345678, .size = 5000, .mode = S_IFREG | 0755,
	.uid = 1000, .gid = 100,
};

static void add(struct cramfs_dedup *d, const struct cramfs_dedup_key *key,
		uint32_t node)
{
	const struct cramfs_dedup_entry e = {
		.key = *key, .node = node, .offset = node * 16u,
		.stored_len = node + 1u,
	};

	assert_int_equal(cramfs_dedup_add(d, &e), 0);
}

static void empty_index_finds_nothing(void **state)
{
	struct cramfs_dedup *d = *state;

	assert_int_equal(cramfs_dedup_next(d, &base, CRAMFS_DEDUP_NONE),
			 CRAMFS_DEDUP_NONE);
}

static void equal_keys_come_back_in_insertion_order(void **state)
{
	struct cramfs_dedup *d = *state;
	struct cramfs_dedup_key other = base;
	uint32_t i;

	other.crc ^= 1;
	add(d, &base, 10);
	add(d, &other, 11);
	add(d, &base, 12);
	add(d, &base, 13);
	add(d, &other, 14);

	i = cramfs_dedup_next(d, &base, CRAMFS_DEDUP_NONE);
	assert_int_equal(i, 0);
	assert_int_equal(d->entries[i].node, 10);
	i = cramfs_dedup_next(d, &base, i);
	assert_int_equal(i, 2);
	assert_int_equal(d->entries[i].node, 12);
	assert_int_equal(d->entries[i].offset, 12 * 16);
	assert_int_equal(d->entries[i].stored_len, 13);
	i = cramfs_dedup_next(d, &base, i);
	assert_int_equal(i, 3);
	assert_int_equal(cramfs_dedup_next(d, &base, i), CRAMFS_DEDUP_NONE);

	i = cramfs_dedup_next(d, &other, CRAMFS_DEDUP_NONE);
	assert_int_equal(i, 1);
	assert_int_equal(cramfs_dedup_next(d, &other, i), 4);
}

static void a_difference_in_any_key_field_never_matches(void **state)
{
	struct cramfs_dedup *d = *state;
	struct cramfs_dedup_key variants[5];

	for (int f = 0; f < 5; f++) {
		variants[f] = base;
		switch (f) {
		case 0: variants[f].crc ^= 0x80000000u; break;
		case 1: variants[f].size += 1; break;
		case 2: variants[f].mode = S_IFREG | 04755; break;
		case 3: variants[f].uid += 1; break;
		default: variants[f].gid += 1; break;
		}
	}
	add(d, &base, 1);
	for (int f = 0; f < 5; f++)
		assert_int_equal(cramfs_dedup_next(d, &variants[f], CRAMFS_DEDUP_NONE),
				 CRAMFS_DEDUP_NONE);
	/* Once every variant is indexed, each one finds only itself. */
	for (int f = 0; f < 5; f++)
		add(d, &variants[f], 2u + (uint32_t)f);
	for (int f = 0; f < 5; f++) {
		uint32_t i = cramfs_dedup_next(d, &variants[f], CRAMFS_DEDUP_NONE);

		assert_int_equal(i, 1u + (uint32_t)f);
		assert_int_equal(cramfs_dedup_next(d, &variants[f], i),
				 CRAMFS_DEDUP_NONE);
	}
	assert_int_equal(cramfs_dedup_next(d, &base, CRAMFS_DEDUP_NONE), 0);
	assert_int_equal(cramfs_dedup_next(d, &base, 0), CRAMFS_DEDUP_NONE);
}

static void a_symlink_never_matches_a_file_with_the_same_bytes(void **state)
{
	struct cramfs_dedup *d = *state;
	struct cramfs_dedup_key link = base;

	link.mode = S_IFLNK | 0777;
	add(d, &base, 1);
	assert_int_equal(cramfs_dedup_next(d, &link, CRAMFS_DEDUP_NONE),
			 CRAMFS_DEDUP_NONE);
}

static struct cramfs_dedup_key many_key(uint32_t i)
{
	struct cramfs_dedup_key k = base;

	/* 2500 distinct keys, each used four times. */
	k.crc = (i % 2500u) * 2654435761u;
	k.size = 1u + i % 2500u;
	return k;
}

static void ten_thousand_entries_all_stay_findable_in_order(void **state)
{
	struct cramfs_dedup *d = *state;

	for (uint32_t i = 0; i < 10000; i++) {
		struct cramfs_dedup_key k = many_key(i);

		add(d, &k, i);
	}
	assert_int_equal(d->count, 10000);
	assert_true(d->nbuckets >= 2 * 10000);
	assert_int_equal(d->nbuckets & (d->nbuckets - 1), 0);
	for (uint32_t k = 0; k < 2500; k++) {
		struct cramfs_dedup_key key = many_key(k);
		uint32_t i = CRAMFS_DEDUP_NONE;

		/* Exactly k, k+2500, k+5000, k+7500: insertion order survives rehash. */
		for (uint32_t n = 0; n < 4; n++) {
			i = cramfs_dedup_next(d, &key, i);
			assert_int_equal(i, k + n * 2500u);
			assert_int_equal(d->entries[i].node, k + n * 2500u);
		}
		assert_int_equal(cramfs_dedup_next(d, &key, i), CRAMFS_DEDUP_NONE);
	}
}

static void free_empties_the_index(void **state)
{
	struct cramfs_dedup *d = *state;

	add(d, &base, 1);
	cramfs_dedup_free(d);
	assert_int_equal(d->count, 0);
	assert_null(d->entries);
	assert_int_equal(cramfs_dedup_next(d, &base, CRAMFS_DEDUP_NONE),
			 CRAMFS_DEDUP_NONE);
	/* Usable again after free. */
	add(d, &base, 2);
	assert_int_equal(cramfs_dedup_next(d, &base, CRAMFS_DEDUP_NONE), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(empty_index_finds_nothing),
		T(equal_keys_come_back_in_insertion_order),
		T(a_difference_in_any_key_field_never_matches),
		T(a_symlink_never_matches_a_file_with_the_same_bytes),
		T(ten_thousand_entries_all_stay_findable_in_order),
		T(free_empties_the_index),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

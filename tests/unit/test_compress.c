// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/compress.c: one block at a time into a zlib stream, zlib or libdeflate. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "compress.h"
#include "helper_fixture.h"

#define MAX_BLOCK 65536u

static const enum cramfs_compressor_kind kinds[] = {
	CRAMFS_COMPRESSOR_ZLIB, CRAMFS_COMPRESSOR_LIBDEFLATE,
};

/* Inputs that stress different paths: text, noise, zeros, tiny, empty. */
struct sample {
	uint8_t *buf;
	size_t len;
};

static uint8_t *samples_buf;
static struct sample samples[8];
static size_t nsamples;

static int setup(void **state)
{
	static const size_t lens[] = { 4096, 4096, 4096, 16384, 65536, 1000, 1, 0 };
	uint8_t *p;

	(void)state;
	samples_buf = malloc(8u * MAX_BLOCK);
	if (!samples_buf)
		return -1;
	p = samples_buf;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		samples[i] = (struct sample){ .buf = p, .len = lens[i] };
		p += MAX_BLOCK;
	}
	nsamples = sizeof(lens) / sizeof(lens[0]);
	fx_fill_text(samples[0].buf, 4096, 1);
	fx_fill_random(samples[1].buf, 4096, 2);
	memset(samples[2].buf, 0, 4096);
	fx_fill_text(samples[3].buf, 16384, 3);
	fx_fill_random(samples[3].buf + 5000, 300, 3); /* levels differ */
	fx_fill_random(samples[4].buf, 65536, 4);
	fx_fill_text(samples[5].buf, 1000, 5);
	samples[6].buf[0] = 'x';
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(samples_buf);
	return 0;
}

/* Compress one sample and check the stream inflates back to it. */
static void round_trip(struct cramfs_compressor *c, const struct sample *s,
		       uint8_t *z, uint8_t *back)
{
	size_t bound = cramfs_compressor_bound(c, s->len), zlen = 0;
	uLongf blen = MAX_BLOCK;

	assert_true(bound <= 2u * MAX_BLOCK);
	assert_int_equal(cramfs_compress_block(c, s->buf, s->len, z, bound,
					       &zlen), 0);
	assert_true(zlen > 0);
	assert_true(zlen <= bound);
	assert_int_equal(uncompress(back, &blen, z, zlen), Z_OK);
	assert_int_equal(blen, s->len);
	assert_memory_equal(back, s->buf, s->len);
}

static void every_level_of_both_backends_inflates_back(void **state)
{
	uint8_t *z = malloc(2u * MAX_BLOCK), *back = malloc(MAX_BLOCK);

	(void)state;
	assert_non_null(z);
	assert_non_null(back);
	for (size_t k = 0; k < 2; k++) {
		int max = cramfs_compressor_max_level(kinds[k]);

		for (int level = 0; level <= max; level++) {
			struct cramfs_compressor c;

			assert_int_equal(cramfs_compressor_init(&c, kinds[k],
								level), 0);
			assert_int_equal(c.kind, kinds[k]);
			assert_int_equal(c.level, level);
			/* One compressor serves many blocks in a row. */
			for (size_t i = 0; i < nsamples; i++)
				round_trip(&c, &samples[i], z, back);
			cramfs_compressor_end(&c);
		}
	}
	free(z);
	free(back);
}

static void max_levels_are_9_for_zlib_and_12_for_libdeflate(void **state)
{
	(void)state;
	assert_int_equal(cramfs_compressor_max_level(CRAMFS_COMPRESSOR_ZLIB), 9);
	assert_int_equal(cramfs_compressor_max_level(CRAMFS_COMPRESSOR_LIBDEFLATE),
			 12);
}

static void out_of_range_levels_are_einval(void **state)
{
	static const struct {
		enum cramfs_compressor_kind kind;
		int level;
	} bad[] = {
		{ CRAMFS_COMPRESSOR_ZLIB, -1 },
		{ CRAMFS_COMPRESSOR_ZLIB, 10 },
		{ CRAMFS_COMPRESSOR_ZLIB, 12 },
		{ CRAMFS_COMPRESSOR_LIBDEFLATE, -1 },
		{ CRAMFS_COMPRESSOR_LIBDEFLATE, 13 },
		{ CRAMFS_COMPRESSOR_LIBDEFLATE, 100 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cramfs_compressor c;

		assert_int_equal(cramfs_compressor_init(&c, bad[i].kind,
							bad[i].level), -EINVAL);
		assert_false(c.zs_ready);
		assert_null(c.ld);
		cramfs_compressor_end(&c); /* harmless when never set up */
	}
}

static void unknown_backend_is_einval(void **state)
{
	struct cramfs_compressor c;

	(void)state;
	assert_int_equal(cramfs_compressor_init(&c,
		(enum cramfs_compressor_kind)7, 1), -EINVAL);
	assert_false(c.zs_ready);
	assert_null(c.ld);
	cramfs_compressor_end(&c);
}

/* util-linux mkfs.cramfs calls compress2(): zlib must give its bytes. */
static void zlib_blocks_equal_compress2_byte_for_byte(void **state)
{
	uint8_t *z = malloc(2u * MAX_BLOCK), *ref = malloc(2u * MAX_BLOCK);

	(void)state;
	assert_non_null(z);
	assert_non_null(ref);
	for (int level = 0; level <= 9; level++) {
		struct cramfs_compressor c;

		assert_int_equal(cramfs_compressor_init(&c, CRAMFS_COMPRESSOR_ZLIB,
							level), 0);
		for (size_t i = 0; i < nsamples; i++) {
			const struct sample *s = &samples[i];
			uLongf rlen = 2u * MAX_BLOCK;
			size_t zlen = 0;

			assert_int_equal(compress2(ref, &rlen, s->buf, s->len,
						   level), Z_OK);
			assert_int_equal(cramfs_compress_block(&c, s->buf, s->len, z,
				cramfs_compressor_bound(&c, s->len), &zlen), 0);
			assert_int_equal(zlen, rlen);
			assert_memory_equal(z, ref, rlen);
		}
		cramfs_compressor_end(&c);
	}
	free(z);
	free(ref);
}

/* Same input, same compressor settings: same bytes, run after run. */
static void libdeflate_is_deterministic(void **state)
{
	uint8_t *a = malloc(2u * MAX_BLOCK), *b = malloc(2u * MAX_BLOCK);
	struct cramfs_compressor c1, c2;
	const struct sample *s = &samples[3];
	size_t alen = 0, blen = 0;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(cramfs_compressor_init(&c1, CRAMFS_COMPRESSOR_LIBDEFLATE,
						6), 0);
	assert_int_equal(cramfs_compressor_init(&c2, CRAMFS_COMPRESSOR_LIBDEFLATE,
						6), 0);
	assert_int_equal(cramfs_compress_block(&c1, s->buf, s->len, a,
		cramfs_compressor_bound(&c1, s->len), &alen), 0);
	/* c2 first sees other data: no state may carry over. */
	assert_int_equal(cramfs_compress_block(&c2, samples[1].buf, 4096, b,
		cramfs_compressor_bound(&c2, 4096), &blen), 0);
	assert_int_equal(cramfs_compress_block(&c2, s->buf, s->len, b,
		cramfs_compressor_bound(&c2, s->len), &blen), 0);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	cramfs_compressor_end(&c1);
	cramfs_compressor_end(&c2);
	free(a);
	free(b);
}

/* The bound covers the worst case: incompressible data at level 0. */
static void the_bound_covers_incompressible_blocks(void **state)
{
	uint8_t *z = malloc(2u * MAX_BLOCK);

	(void)state;
	assert_non_null(z);
	for (size_t k = 0; k < 2; k++) {
		int max = cramfs_compressor_max_level(kinds[k]);

		for (int level = 0; level <= max; level++) {
			struct cramfs_compressor c;
			size_t zlen = 0, bound;

			assert_int_equal(cramfs_compressor_init(&c, kinds[k],
								level), 0);
			bound = cramfs_compressor_bound(&c, 65536);
			assert_true(bound >= 65536);
			/* Fill past the bound: the block must stop inside it. */
			memset(z, 0xa5, 2u * MAX_BLOCK);
			assert_int_equal(cramfs_compress_block(&c, samples[4].buf,
						65536, z, bound, &zlen), 0);
			assert_true(zlen > 65536); /* noise does not shrink */
			assert_true(zlen <= bound);
			for (size_t i = bound; i < 2u * MAX_BLOCK; i++)
				assert_int_equal(z[i], 0xa5);
			cramfs_compressor_end(&c);
		}
	}
	free(z);
}

static void a_too_small_buffer_is_eio(void **state)
{
	uint8_t z[64];

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct cramfs_compressor c;
		size_t zlen = 0;

		assert_int_equal(cramfs_compressor_init(&c, kinds[k], 6), 0);
		assert_int_equal(cramfs_compress_block(&c, samples[1].buf, 4096, z,
						       sizeof(z), &zlen), -EIO);
		/* The compressor stays usable after a failed block. */
		{
			uint8_t *big = malloc(cramfs_compressor_bound(&c, 1000));
			uint8_t back[1000];
			uLongf blen = sizeof(back);

			assert_non_null(big);
			assert_int_equal(cramfs_compress_block(&c, samples[5].buf,
				1000, big, cramfs_compressor_bound(&c, 1000),
				&zlen), 0);
			assert_int_equal(uncompress(back, &blen, big, zlen), Z_OK);
			assert_int_equal(blen, 1000);
			assert_memory_equal(back, samples[5].buf, 1000);
			free(big);
		}
		cramfs_compressor_end(&c);
	}
}

static void all_zero_finds_any_nonzero_byte(void **state)
{
	uint8_t buf[4096] = { 0 };

	(void)state;
	assert_true(cramfs_all_zero(buf, 0));
	assert_true(cramfs_all_zero(buf, 1));
	assert_true(cramfs_all_zero(buf, sizeof(buf)));
	buf[0] = 1;
	assert_false(cramfs_all_zero(buf, 1));
	assert_false(cramfs_all_zero(buf, sizeof(buf)));
	buf[0] = 0;
	buf[4095] = 0x80;
	assert_true(cramfs_all_zero(buf, 4095));
	assert_false(cramfs_all_zero(buf, 4096));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_level_of_both_backends_inflates_back),
		cmocka_unit_test(max_levels_are_9_for_zlib_and_12_for_libdeflate),
		cmocka_unit_test(out_of_range_levels_are_einval),
		cmocka_unit_test(unknown_backend_is_einval),
		cmocka_unit_test(zlib_blocks_equal_compress2_byte_for_byte),
		cmocka_unit_test(libdeflate_is_deterministic),
		cmocka_unit_test(the_bound_covers_incompressible_blocks),
		cmocka_unit_test(a_too_small_buffer_is_eio),
		cmocka_unit_test(all_zero_finds_any_nonzero_byte),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

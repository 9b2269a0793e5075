// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/compress.c: a file's content as block table + independent blocks. */
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

struct fixture {
	struct cramfs_deflater d;
	struct cramfs_encoded enc;
	uint8_t *content;
};

#define MAX_CONTENT (4u * 65536u)

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->content = malloc(MAX_CONTENT);
	if (!f->content || cramfs_deflater_init(&f->d, 6)) {
		free(f->content);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cramfs_deflater_end(&f->d);
	cramfs_encoded_free(&f->enc);
	free(f->content);
	free(f);
	return 0;
}

static const struct cramfs_encode_opts zlib_only = { .block_size = 4096 };

/* Start of block i, counted from the start of the table. */
static size_t block_start(const struct cramfs_encoded *enc, uint32_t i)
{
	return i ? enc->rel_end[i - 1] : (size_t)enc->nblocks * 4u;
}

/* Every block decodes to exactly its slice of `content`. */
static void assert_blocks_decode(const struct cramfs_encoded *enc,
				 const uint8_t *content, size_t size,
				 uint32_t block_size)
{
	uint8_t *out = malloc(block_size);

	assert_non_null(out);
	assert_int_equal(enc->nblocks, (size + block_size - 1) / block_size);
	for (uint32_t i = 0; i < enc->nblocks; i++) {
		size_t want = size - (size_t)i * block_size;
		size_t start = block_start(enc, i);
		const uint8_t *src = content + (size_t)i * block_size;

		if (want > block_size)
			want = block_size;
		assert_true(enc->rel_end[i] >= start);
		assert_true(enc->rel_end[i] <= enc->len);
		switch (enc->kind[i]) {
		case CRAMFS_BLOCK_HOLE:
			assert_int_equal(enc->rel_end[i], start);
			for (size_t k = 0; k < want; k++)
				assert_int_equal(src[k], 0);
			break;
		case CRAMFS_BLOCK_RAW:
			assert_int_equal(enc->rel_end[i] - start, want);
			assert_memory_equal(enc->buf + start, src, want);
			break;
		default: {
			uLongf dlen = block_size;

			assert_int_equal(enc->kind[i], CRAMFS_BLOCK_ZLIB);
			assert_int_equal(uncompress(out, &dlen, enc->buf + start,
						    enc->rel_end[i] - start), Z_OK);
			assert_int_equal(dlen, want);
			assert_memory_equal(out, src, want);
			break;
		}
		}
	}
	if (enc->nblocks)
		assert_int_equal(enc->len, enc->rel_end[enc->nblocks - 1]);
	free(out);
}

static void assert_padded(const struct cramfs_encoded *enc)
{
	assert_int_equal(enc->padded_len, (enc->len + 3u) & ~(size_t)3u);
	for (size_t i = enc->len; i < enc->padded_len; i++)
		assert_int_equal(enc->buf[i], 0);
}

static void empty_content_has_no_blocks_and_no_bytes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cramfs_encode(&f->d, &zlib_only, f->content, 0, &f->enc), 0);
	assert_int_equal(f->enc.nblocks, 0);
	assert_int_equal(f->enc.len, 0);
	assert_int_equal(f->enc.padded_len, 0);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_ZLIB], 0);
}

static void block_counts_follow_the_content_size(void **state)
{
	static const struct { size_t size; uint32_t nblocks; } cases[] = {
		{ 1, 1 }, { 4095, 1 }, { 4096, 1 }, { 4097, 2 }, { 8192, 2 },
		{ 3 * 4096, 3 }, { 3 * 4096 + 1, 4 },
	};
	struct fixture *f = *state;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t size = cases[c].size;

		fx_fill_text(f->content, size, (uint32_t)c);
		assert_int_equal(cramfs_encode(&f->d, &zlib_only, f->content, size,
					       &f->enc), 0);
		assert_int_equal(f->enc.nblocks, cases[c].nblocks);
		assert_int_equal(f->enc.count[CRAMFS_BLOCK_ZLIB], cases[c].nblocks);
		assert_int_equal(f->enc.count[CRAMFS_BLOCK_RAW], 0);
		assert_int_equal(f->enc.count[CRAMFS_BLOCK_HOLE], 0);
		assert_blocks_decode(&f->enc, f->content, size, 4096);
		assert_padded(&f->enc);
	}
}

static void block_ends_strictly_increase_after_the_table(void **state)
{
	struct fixture *f = *state;

	fx_fill_random(f->content, 5 * 4096 + 17, 1);
	assert_int_equal(cramfs_encode(&f->d, &zlib_only, f->content,
				       5 * 4096 + 17, &f->enc), 0);
	assert_int_equal(f->enc.nblocks, 6);
	assert_true(f->enc.rel_end[0] > 6 * 4);
	for (uint32_t i = 1; i < f->enc.nblocks; i++)
		assert_true(f->enc.rel_end[i] > f->enc.rel_end[i - 1]);
	/* The table slots are left zeroed for the writer. */
	for (size_t i = 0; i < 6 * 4; i++)
		assert_int_equal(f->enc.buf[i], 0);
	assert_blocks_decode(&f->enc, f->content, 5 * 4096 + 17, 4096);
}

static void blocks_equal_compress2_byte_for_byte_at_every_level(void **state)
{
	struct fixture *f = *state;
	const size_t size = 3 * 4096 + 1000;
	uint8_t *ref = malloc(compressBound(4096));

	assert_non_null(ref);
	fx_fill_text(f->content, size, 99);
	/* A little noise so every level gives a different stream. */
	fx_fill_random(f->content + 5000, 300, 3);
	for (int level = 0; level <= 9; level++) {
		struct cramfs_deflater d;

		assert_int_equal(cramfs_deflater_init(&d, level), 0);
		assert_int_equal(cramfs_encode(&d, &zlib_only, f->content, size,
					       &f->enc), 0);
		for (uint32_t i = 0; i < f->enc.nblocks; i++) {
			size_t in = i < 3 ? 4096 : 1000;
			uLongf rlen = compressBound(4096);
			size_t start = block_start(&f->enc, i);

			assert_int_equal(compress2(ref, &rlen, f->content + i * 4096u,
						   in, level), Z_OK);
			assert_int_equal(f->enc.rel_end[i] - start, rlen);
			assert_memory_equal(f->enc.buf + start, ref, rlen);
		}
		cramfs_deflater_end(&d);
	}
	free(ref);
}

static void deflater_rejects_levels_outside_0_to_9(void **state)
{
	struct cramfs_deflater d;

	(void)state;
	assert_int_equal(cramfs_deflater_init(&d, 10), -EINVAL);
	assert_false(d.ready);
	assert_int_equal(cramfs_deflater_init(&d, -1), -EINVAL);
	cramfs_deflater_end(&d); /* harmless when never set up */
	assert_false(d.ready);
}

static void without_holes_a_zero_block_is_compressed(void **state)
{
	struct fixture *f = *state;

	memset(f->content, 0, 2 * 4096);
	assert_int_equal(cramfs_encode(&f->d, &zlib_only, f->content, 8192,
				       &f->enc), 0);
	assert_int_equal(f->enc.kind[0], CRAMFS_BLOCK_ZLIB);
	assert_int_equal(f->enc.kind[1], CRAMFS_BLOCK_ZLIB);
	assert_true(f->enc.rel_end[0] > 8);
	assert_true(f->enc.rel_end[1] > f->enc.rel_end[0]);
	assert_blocks_decode(&f->enc, f->content, 8192, 4096);
}

static void with_holes_a_zero_block_is_empty(void **state)
{
	const struct cramfs_encode_opts o = { .block_size = 4096, .holes = true };
	struct fixture *f = *state;
	const size_t size = 3 * 4096 + 100;

	fx_fill_text(f->content, size, 5);
	memset(f->content + 4096, 0, 4096);          /* block 1: all zero */
	memset(f->content + 3 * 4096, 0, 100);       /* block 3: partial, zero */
	assert_int_equal(cramfs_encode(&f->d, &o, f->content, size, &f->enc), 0);
	assert_int_equal(f->enc.nblocks, 4);
	assert_int_equal(f->enc.kind[0], CRAMFS_BLOCK_ZLIB);
	assert_int_equal(f->enc.kind[1], CRAMFS_BLOCK_HOLE);
	assert_int_equal(f->enc.kind[2], CRAMFS_BLOCK_ZLIB);
	assert_int_equal(f->enc.kind[3], CRAMFS_BLOCK_HOLE);
	assert_int_equal(f->enc.rel_end[1], f->enc.rel_end[0]);
	assert_int_equal(f->enc.rel_end[3], f->enc.rel_end[2]);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_HOLE], 2);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_ZLIB], 2);
	assert_blocks_decode(&f->enc, f->content, size, 4096);
	assert_padded(&f->enc);
}

static void one_nonzero_byte_keeps_a_block_from_being_a_hole(void **state)
{
	const struct cramfs_encode_opts o = { .block_size = 4096, .holes = true };
	struct fixture *f = *state;

	memset(f->content, 0, 8192);
	f->content[4095] = 1;   /* last byte of block 0 */
	f->content[4096] = 2;   /* first byte of block 1 */
	assert_int_equal(cramfs_encode(&f->d, &o, f->content, 8192, &f->enc), 0);
	assert_int_equal(f->enc.kind[0], CRAMFS_BLOCK_ZLIB);
	assert_int_equal(f->enc.kind[1], CRAMFS_BLOCK_ZLIB);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_HOLE], 0);
	assert_blocks_decode(&f->enc, f->content, 8192, 4096);
}

static void with_raw_blocks_incompressible_data_is_stored_verbatim(void **state)
{
	const struct cramfs_encode_opts o = { .block_size = 4096, .raw_blocks = true };
	struct fixture *f = *state;
	const size_t size = 2 * 4096 + 1000;

	fx_fill_random(f->content, size, 11);
	assert_int_equal(cramfs_encode(&f->d, &o, f->content, size, &f->enc), 0);
	assert_int_equal(f->enc.nblocks, 3);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(f->enc.kind[i], CRAMFS_BLOCK_RAW);
	assert_int_equal(f->enc.rel_end[0], 12 + 4096);
	assert_int_equal(f->enc.rel_end[1], 12 + 8192);
	assert_int_equal(f->enc.rel_end[2], 12 + 8192 + 1000);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_RAW], 3);
	assert_memory_equal(f->enc.buf + 12, f->content, size);
	assert_int_equal(f->enc.len, 12 + size);
	assert_padded(&f->enc);
}

static void without_raw_blocks_incompressible_data_stays_zlib(void **state)
{
	struct fixture *f = *state;

	fx_fill_random(f->content, 4096, 11);
	assert_int_equal(cramfs_encode(&f->d, &zlib_only, f->content, 4096,
				       &f->enc), 0);
	assert_int_equal(f->enc.kind[0], CRAMFS_BLOCK_ZLIB);
	/* zlib cannot shrink random bytes: the stream is longer. */
	assert_true(f->enc.rel_end[0] - 4 > 4096);
	assert_true(f->enc.rel_end[0] - 4 <= CRAMFS_BLK_MAX_STORED(4096));
	assert_blocks_decode(&f->enc, f->content, 4096, 4096);
}

static void with_raw_blocks_compressible_data_stays_zlib(void **state)
{
	const struct cramfs_encode_opts o = { .block_size = 4096, .raw_blocks = true };
	struct fixture *f = *state;

	fx_fill_text(f->content, 4096, 2);
	fx_fill_random(f->content + 4096, 4096, 2);
	assert_int_equal(cramfs_encode(&f->d, &o, f->content, 8192, &f->enc), 0);
	assert_int_equal(f->enc.kind[0], CRAMFS_BLOCK_ZLIB);
	assert_int_equal(f->enc.kind[1], CRAMFS_BLOCK_RAW);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_RAW], 1);
	assert_blocks_decode(&f->enc, f->content, 8192, 4096);
}

/* Block 0 random (raw), block 1 text (zlib), block 2 zero (hole). */
static void encode_mixed(struct fixture *f)
{
	const struct cramfs_encode_opts o = {
		.block_size = 4096, .holes = true, .raw_blocks = true,
	};

	fx_fill_random(f->content, 4096, 21);
	fx_fill_text(f->content + 4096, 4096, 21);
	memset(f->content + 8192, 0, 4096);
	assert_int_equal(cramfs_encode(&f->d, &o, f->content, 3 * 4096, &f->enc), 0);
	assert_int_equal(f->enc.kind[0], CRAMFS_BLOCK_RAW);
	assert_int_equal(f->enc.kind[1], CRAMFS_BLOCK_ZLIB);
	assert_int_equal(f->enc.kind[2], CRAMFS_BLOCK_HOLE);
}

static void set_table_writes_absolute_ends_with_the_raw_flag_little_endian(void **state)
{
	struct fixture *f = *state;
	const uint32_t at = 0x1000;
	uint32_t e0, e1;

	encode_mixed(f);
	e0 = f->enc.rel_end[0];
	e1 = f->enc.rel_end[1];
	assert_int_equal(e0, 12 + 4096);
	cramfs_encoded_set_table(&f->enc, at, CRAMFS_ENDIAN_LITTLE);
	assert_int_equal(cramfs_get32(f->enc.buf, CRAMFS_ENDIAN_LITTLE),
			 (at + e0) | 0x80000000u);
	/* 0x1000 + 12 + 4096 = 0x200c, flag in the top bit of the last byte. */
	assert_int_equal(f->enc.buf[0], 0x0c);
	assert_int_equal(f->enc.buf[1], 0x20);
	assert_int_equal(f->enc.buf[2], 0x00);
	assert_int_equal(f->enc.buf[3], 0x80);
	assert_int_equal(cramfs_get32(f->enc.buf + 4, CRAMFS_ENDIAN_LITTLE), at + e1);
	/* A hole ends where the previous block ended; no flag. */
	assert_int_equal(cramfs_get32(f->enc.buf + 8, CRAMFS_ENDIAN_LITTLE), at + e1);
	/* The blocks themselves are untouched. */
	assert_memory_equal(f->enc.buf + 12, f->content, 4096);
}

static void set_table_writes_absolute_ends_with_the_raw_flag_big_endian(void **state)
{
	struct fixture *f = *state;
	const uint32_t at = 0x1000;
	uint32_t e1;

	encode_mixed(f);
	e1 = f->enc.rel_end[1];
	cramfs_encoded_set_table(&f->enc, at, CRAMFS_ENDIAN_BIG);
	assert_int_equal(f->enc.buf[0], 0x80);
	assert_int_equal(f->enc.buf[1], 0x00);
	assert_int_equal(f->enc.buf[2], 0x20);
	assert_int_equal(f->enc.buf[3], 0x0c);
	assert_int_equal(cramfs_get32(f->enc.buf + 4, CRAMFS_ENDIAN_BIG), at + e1);
	assert_int_equal(cramfs_get32(f->enc.buf + 8, CRAMFS_ENDIAN_BIG), at + e1);
}

static void encoder_state_is_reset_between_files(void **state)
{
	const struct cramfs_encode_opts o = {
		.block_size = 4096, .holes = true, .raw_blocks = true,
	};
	struct fixture *f = *state;

	encode_mixed(f);
	cramfs_encoded_set_table(&f->enc, 0x1000, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, 100, 8);
	assert_int_equal(cramfs_encode(&f->d, &o, f->content, 100, &f->enc), 0);
	assert_int_equal(f->enc.nblocks, 1);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_RAW], 0);
	assert_int_equal(f->enc.count[CRAMFS_BLOCK_HOLE], 0);
	assert_int_equal(cramfs_get32(f->enc.buf, CRAMFS_ENDIAN_LITTLE), 0);
	assert_blocks_decode(&f->enc, f->content, 100, 4096);
}

static void larger_block_sizes_split_at_their_own_boundary(void **state)
{
	static const uint32_t sizes[] = { 16384, 65536 };
	struct fixture *f = *state;

	for (size_t s = 0; s < 2; s++) {
		const struct cramfs_encode_opts o = { .block_size = sizes[s] };
		size_t size = 2u * sizes[s] + 1u;

		fx_fill_text(f->content, size, 4);
		assert_int_equal(cramfs_encode(&f->d, &o, f->content, size,
					       &f->enc), 0);
		assert_int_equal(f->enc.nblocks, 3);
		assert_blocks_decode(&f->enc, f->content, size, sizes[s]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(empty_content_has_no_blocks_and_no_bytes),
		T(block_counts_follow_the_content_size),
		T(block_ends_strictly_increase_after_the_table),
		T(blocks_equal_compress2_byte_for_byte_at_every_level),
		T(deflater_rejects_levels_outside_0_to_9),
		T(without_holes_a_zero_block_is_compressed),
		T(with_holes_a_zero_block_is_empty),
		T(one_nonzero_byte_keeps_a_block_from_being_a_hole),
		T(with_raw_blocks_incompressible_data_is_stored_verbatim),
		T(without_raw_blocks_incompressible_data_stays_zlib),
		T(with_raw_blocks_compressible_data_stays_zlib),
		T(set_table_writes_absolute_ends_with_the_raw_flag_little_endian),
		T(set_table_writes_absolute_ends_with_the_raw_flag_big_endian),
		T(encoder_state_is_reset_between_files),
		T(larger_block_sizes_split_at_their_own_boundary),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/encode.c: a file's stored form, block by block, into a memory sink.
 * Expected pointers and offsets come from the format rules; the zlib
 * streams are compress2()'s, which the zlib compressor reproduces.
 */
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
#include "encode.h"
#include "helper_fixture.h"

#define MAX_CONTENT (4u * 65536u)
#define MAX_BLOCKS (MAX_CONTENT / 4096u)

struct memsink {
	uint8_t *buf;
	size_t len;
	size_t cap;
	int fail;           /* returned by the sink when non-zero */
};

struct fixture {
	struct cramfs_compressor c;
	struct cramfs_encoder e;
	struct memsink out;
	uint8_t *content;
	uint8_t *z;
	size_t zcap;
	uint8_t table[MAX_BLOCKS * 4u];
	uint64_t len;       /* unpadded stored length from finish */
};

static int mem_sink(void *arg, const void *buf, size_t len)
{
	struct memsink *s = arg;

	if (s->fail)
		return s->fail;
	if (s->len + len > s->cap) {
		size_t cap = (s->len + len) * 2u;
		uint8_t *p = realloc(s->buf, cap);

		if (!p)
			return -ENOMEM;
		s->buf = p;
		s->cap = cap;
	}
	if (len)
		memcpy(s->buf + s->len, buf, len);
	s->len += len;
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (cramfs_compressor_init(&f->c, CRAMFS_COMPRESSOR_ZLIB, 6)) {
		free(f);
		return -1;
	}
	f->zcap = cramfs_compressor_bound(&f->c, 65536);
	f->z = malloc(f->zcap);
	f->content = malloc(MAX_CONTENT);
	if (!f->z || !f->content)
		return -1;
	f->e.sink = mem_sink;
	f->e.arg = &f->out;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cramfs_compressor_end(&f->c);
	cramfs_encoder_free(&f->e);
	free(f->out.buf);
	free(f->z);
	free(f->content);
	free(f);
	return 0;
}

static void set_opts(struct fixture *f, uint32_t block_size, bool holes,
		     bool raw_blocks, enum cramfs_endian endian)
{
	f->e.o = (struct cramfs_encode_opts){
		.block_size = block_size, .holes = holes,
		.raw_blocks = raw_blocks, .endian = endian,
	};
}

static size_t block_len(const struct fixture *f, uint64_t size, uint32_t i)
{
	uint64_t left = size - (uint64_t)i * f->e.o.block_size;

	return left < f->e.o.block_size ? (size_t)left : f->e.o.block_size;
}

/*
 * Add blocks [from, to) as the writer does: XIP where xip[i] is an
 * address, a hole when holes are on and the block is all zero, else the
 * zlib stream of the block.
 */
static int add_blocks(struct fixture *f, uint64_t size, uint32_t from,
		      uint32_t to, const uint32_t *xip)
{
	for (uint32_t i = from; i < to; i++) {
		const uint8_t *src = f->content + (size_t)i * f->e.o.block_size;
		struct cramfs_block_result b = {
			.src = src, .len = (uint32_t)block_len(f, size, i),
			.kind = CRAMFS_BLOCK_ZLIB, .z = f->z,
		};
		size_t zlen = 0;
		int err;

		if (xip && xip[i]) {
			b.kind = CRAMFS_BLOCK_XIP;
			b.xip_addr = xip[i];
		} else if (f->e.o.holes && cramfs_all_zero(src, b.len)) {
			b.kind = CRAMFS_BLOCK_HOLE;
		} else {
			assert_int_equal(cramfs_compress_block(&f->c, src, b.len,
					 f->z, f->zcap, &zlen), 0);
			b.zlen = (uint32_t)zlen;
		}
		err = cramfs_encoder_add(&f->e, &b);
		if (err)
			return err;
	}
	return 0;
}

/* begin, every block, finish, table; the sink starts empty. */
static void encode(struct fixture *f, bool direct, uint32_t start,
		   uint64_t size, const uint32_t *xip)
{
	f->out.len = 0;
	assert_int_equal(cramfs_encoder_begin(&f->e, direct, start, size), 0);
	assert_int_equal(add_blocks(f, size, 0, f->e.nblocks, xip), 0);
	assert_int_equal(cramfs_encoder_finish(&f->e, &f->len), 0);
	cramfs_encoder_table(&f->e, f->table);
}

static uint32_t ptr(const struct fixture *f, uint32_t i)
{
	return cramfs_get32(f->table + (size_t)i * 4u, f->e.o.endian);
}

/* compress2() of block i at level 6, into ref. */
static size_t zref(const struct fixture *f, uint64_t size, uint32_t i,
		   uint8_t *ref, size_t cap)
{
	uLongf rlen = cap;

	assert_int_equal(compress2(ref, &rlen,
				   f->content + (size_t)i * f->e.o.block_size,
				   block_len(f, size, i), 6), Z_OK);
	return rlen;
}

/* The table's room went out as zeros; the form is padded with zeros. */
static void assert_framing(const struct fixture *f, uint64_t expect_len)
{
	size_t tlen = (size_t)f->e.nblocks * 4u;

	assert_int_equal(f->len, expect_len);
	assert_int_equal(f->e.pos, expect_len);
	assert_int_equal(f->out.len, (expect_len + 3u) & ~(uint64_t)3u);
	for (size_t i = 0; i < tlen; i++)
		assert_int_equal(f->out.buf[i], 0);
	for (size_t i = expect_len; i < f->out.len; i++)
		assert_int_equal(f->out.buf[i], 0);
}

/* Offset in the sink output of image address `addr`. */
static size_t at(const struct fixture *f, uint32_t start, uint32_t addr)
{
	assert_true(addr >= start);
	assert_true(addr - start <= f->out.len);
	return addr - start;
}

static void assert_inflates_to(const uint8_t *z, size_t zlen,
			       const uint8_t *want, size_t len)
{
	uint8_t *back = malloc(65536);
	uLongf blen = 65536;

	assert_non_null(back);
	assert_int_equal(uncompress(back, &blen, z, zlen), Z_OK);
	assert_int_equal(blen, len);
	assert_memory_equal(back, want, len);
	free(back);
}

/*
 * Read every block back the way the kernel finds it (fs/cramfs/inode.c):
 * a classic block from the end of the block before it, a direct one at
 * its pointer. XIP blocks must point at their address.
 */
static void assert_reads_back(const struct fixture *f, uint32_t start,
			      uint64_t size, const uint32_t *xip)
{
	const uint32_t bs = f->e.o.block_size;
	const enum cramfs_endian en = f->e.o.endian;

	assert_int_equal(f->e.nblocks, (size + bs - 1) / bs);
	for (uint32_t i = 0; i < f->e.nblocks; i++) {
		const uint8_t *want = f->content + (size_t)i * bs;
		size_t len = block_len(f, size, i);
		uint32_t p = ptr(f, i), addr = p & ~CRAMFS_BLK_FLAGS;

		if (p & CRAMFS_BLK_FLAG_DIRECT_PTR) {
			size_t off;

			addr <<= CRAMFS_BLK_DIRECT_PTR_SHIFT;
			if (xip && xip[i]) {
				assert_int_equal(addr, xip[i]);
				assert_true(p & CRAMFS_BLK_FLAG_UNCOMPRESSED);
				continue;
			}
			off = at(f, start, addr);
			if (p & CRAMFS_BLK_FLAG_UNCOMPRESSED) {
				assert_true(off + len <= f->len);
				assert_memory_equal(f->out.buf + off, want, len);
			} else {
				size_t zlen = cramfs_get16(f->out.buf + off, en);

				assert_true(off + 2u + zlen <= f->len);
				assert_inflates_to(f->out.buf + off + 2, zlen,
						   want, len);
			}
		} else {
			uint32_t from = start + f->e.nblocks * 4u;
			size_t off;

			if (i) {
				uint32_t q = ptr(f, i - 1);

				from = q & ~CRAMFS_BLK_FLAGS;
				if (q & CRAMFS_BLK_FLAG_DIRECT_PTR) {
					from <<= CRAMFS_BLK_DIRECT_PTR_SHIFT;
					from += q & CRAMFS_BLK_FLAG_UNCOMPRESSED ?
						bs : 2u + cramfs_get16(f->out.buf +
							at(f, start, from), en);
				}
			}
			assert_false(xip && xip[i]);
			assert_true(addr >= from);
			off = at(f, start, from);
			assert_true(addr - start <= f->len);
			if (addr == from) {
				assert_true(cramfs_all_zero(want, len));
			} else if (p & CRAMFS_BLK_FLAG_UNCOMPRESSED) {
				assert_int_equal(addr - from, len);
				assert_memory_equal(f->out.buf + off, want, len);
			} else {
				assert_inflates_to(f->out.buf + off, addr - from,
						   want, len);
			}
		}
	}
}

/* ---- classic pointers ------------------------------------------------- */

static void empty_file_has_no_table_and_no_bytes(void **state)
{
	struct fixture *f = *state;

	set_opts(f, 4096, true, true, CRAMFS_ENDIAN_LITTLE);
	encode(f, false, 0x1000, 0, NULL);
	assert_int_equal(f->e.nblocks, 0);
	assert_int_equal(f->len, 0);
	assert_int_equal(f->out.len, 0);
	for (int k = 0; k < CRAMFS_BLOCK_KINDS; k++)
		assert_int_equal(f->e.count[k], 0);
}

static void block_counts_follow_the_file_size(void **state)
{
	static const struct { uint64_t size; uint32_t nblocks; } cases[] = {
		{ 1, 1 }, { 4095, 1 }, { 4096, 1 }, { 4097, 2 }, { 8192, 2 },
		{ 3 * 4096, 3 }, { 3 * 4096 + 1, 4 },
	};
	struct fixture *f = *state;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		fx_fill_text(f->content, cases[c].size, (uint32_t)c);
		encode(f, false, 0x400, cases[c].size, NULL);
		assert_int_equal(f->e.nblocks, cases[c].nblocks);
		assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], cases[c].nblocks);
		assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 0);
		assert_int_equal(f->e.count[CRAMFS_BLOCK_HOLE], 0);
		assert_int_equal(f->e.count[CRAMFS_BLOCK_XIP], 0);
		assert_framing(f, f->e.pos);
		assert_reads_back(f, 0x400, cases[c].size, NULL);
	}
}

/* Each pointer is the absolute end of its block; blocks are back to back. */
static void classic_pointers_are_the_exact_block_ends(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 5 * 4096 + 17;
	const uint32_t start = 0x2000;
	uint8_t ref[8192];
	size_t pos = 6 * 4;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, size, 1);
	fx_fill_random(f->content + 4096, 4096, 1);
	encode(f, false, start, size, NULL);
	assert_int_equal(f->e.nblocks, 6);
	for (uint32_t i = 0; i < 6; i++) {
		size_t rlen = zref(f, size, i, ref, sizeof(ref));

		assert_memory_equal(f->out.buf + pos, ref, rlen);
		pos += rlen;
		assert_int_equal(ptr(f, i), start + pos);
	}
	assert_framing(f, pos);
	assert_reads_back(f, start, size, NULL);
}

static void without_holes_a_zero_block_is_compressed(void **state)
{
	struct fixture *f = *state;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	memset(f->content, 0, 8192);
	encode(f, false, 0, 8192, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 2);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_HOLE], 0);
	assert_true(ptr(f, 0) > 8);
	assert_true(ptr(f, 1) > ptr(f, 0));
	assert_reads_back(f, 0, 8192, NULL);
}

static void with_holes_a_zero_block_is_empty(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 3 * 4096 + 100;

	set_opts(f, 4096, true, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, size, 5);
	memset(f->content + 4096, 0, 4096);       /* block 1: all zero */
	memset(f->content + 3 * 4096, 0, 100);    /* block 3: partial, zero */
	encode(f, false, 0x800, size, NULL);
	assert_int_equal(f->e.nblocks, 4);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_HOLE], 2);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 2);
	/* A hole ends where the block before it ended, with no flag. */
	assert_int_equal(ptr(f, 1), ptr(f, 0));
	assert_int_equal(ptr(f, 3), ptr(f, 2));
	assert_int_equal(ptr(f, 3), 0x800 + f->len);
	assert_framing(f, f->e.pos);
	assert_reads_back(f, 0x800, size, NULL);
}

static void a_leading_hole_ends_at_the_table_end(void **state)
{
	struct fixture *f = *state;
	uint8_t ref[8192];
	size_t rlen;

	set_opts(f, 4096, true, false, CRAMFS_ENDIAN_LITTLE);
	memset(f->content, 0, 4096);
	fx_fill_text(f->content + 4096, 4096, 6);
	encode(f, false, 0x800, 8192, NULL);
	rlen = zref(f, 8192, 1, ref, sizeof(ref));
	assert_int_equal(ptr(f, 0), 0x800 + 8);
	assert_int_equal(ptr(f, 1), 0x800 + 8 + rlen);
	assert_memory_equal(f->out.buf + 8, ref, rlen);
	assert_framing(f, 8 + rlen);
}

static void one_nonzero_byte_keeps_a_block_from_being_a_hole(void **state)
{
	struct fixture *f = *state;

	set_opts(f, 4096, true, false, CRAMFS_ENDIAN_LITTLE);
	memset(f->content, 0, 8192);
	f->content[4095] = 1;   /* last byte of block 0 */
	f->content[4096] = 2;   /* first byte of block 1 */
	encode(f, false, 0, 8192, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 2);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_HOLE], 0);
	assert_reads_back(f, 0, 8192, NULL);
}

static void with_raw_blocks_incompressible_data_is_stored_verbatim(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 2 * 4096 + 1000;
	const uint32_t start = 0x1000;

	set_opts(f, 4096, false, true, CRAMFS_ENDIAN_LITTLE);
	fx_fill_random(f->content, size, 11);
	encode(f, false, start, size, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 3);
	assert_int_equal(ptr(f, 0), (start + 12 + 4096) | CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_int_equal(ptr(f, 1), (start + 12 + 8192) | CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_int_equal(ptr(f, 2),
			 (start + 12 + 8192 + 1000) | CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_memory_equal(f->out.buf + 12, f->content, size);
	assert_framing(f, 12 + size);
	assert_reads_back(f, start, size, NULL);
}

static void without_raw_blocks_incompressible_data_stays_zlib(void **state)
{
	struct fixture *f = *state;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_random(f->content, 4096, 11);
	encode(f, false, 0, 4096, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_false(ptr(f, 0) & CRAMFS_BLK_FLAGS);
	/* zlib cannot shrink random bytes: the stream is longer. */
	assert_true(ptr(f, 0) - 4 > 4096);
	assert_true(ptr(f, 0) - 4 <= CRAMFS_BLK_MAX_STORED(4096));
	assert_reads_back(f, 0, 4096, NULL);
}

static void with_raw_blocks_compressible_data_stays_zlib(void **state)
{
	struct fixture *f = *state;

	set_opts(f, 4096, false, true, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, 4096, 2);
	fx_fill_random(f->content + 4096, 4096, 2);
	encode(f, false, 0, 8192, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 1);
	assert_false(ptr(f, 0) & CRAMFS_BLK_FLAGS);
	assert_int_equal(ptr(f, 1), (ptr(f, 0) + 4096) | CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_reads_back(f, 0, 8192, NULL);
}

/* Block 0 random (raw), block 1 text (zlib), block 2 zero (hole). */
static void encode_mixed(struct fixture *f, enum cramfs_endian endian)
{
	set_opts(f, 4096, true, true, endian);
	fx_fill_random(f->content, 4096, 21);
	fx_fill_text(f->content + 4096, 4096, 21);
	memset(f->content + 8192, 0, 4096);
	encode(f, false, 0x1000, 3 * 4096, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_HOLE], 1);
}

static void classic_table_little_endian_bytes(void **state)
{
	struct fixture *f = *state;
	uint8_t ref[8192];
	size_t rlen;

	encode_mixed(f, CRAMFS_ENDIAN_LITTLE);
	rlen = zref(f, 3 * 4096, 1, ref, sizeof(ref));
	/* 0x1000 + 12 + 4096 = 0x200c, flag in the top bit of the last byte. */
	assert_int_equal(f->table[0], 0x0c);
	assert_int_equal(f->table[1], 0x20);
	assert_int_equal(f->table[2], 0x00);
	assert_int_equal(f->table[3], 0x80);
	assert_int_equal(cramfs_get32(f->table + 4, CRAMFS_ENDIAN_LITTLE),
			 0x200c + rlen);
	assert_int_equal(cramfs_get32(f->table + 8, CRAMFS_ENDIAN_LITTLE),
			 0x200c + rlen);
	assert_memory_equal(f->out.buf + 12, f->content, 4096);
	assert_memory_equal(f->out.buf + 12 + 4096, ref, rlen);
	assert_framing(f, 12 + 4096 + rlen);
	assert_reads_back(f, 0x1000, 3 * 4096, NULL);
}

static void classic_table_big_endian_bytes(void **state)
{
	struct fixture *f = *state;
	uint8_t ref[8192];
	size_t rlen;

	encode_mixed(f, CRAMFS_ENDIAN_BIG);
	rlen = zref(f, 3 * 4096, 1, ref, sizeof(ref));
	assert_int_equal(f->table[0], 0x80);
	assert_int_equal(f->table[1], 0x00);
	assert_int_equal(f->table[2], 0x20);
	assert_int_equal(f->table[3], 0x0c);
	assert_int_equal(cramfs_get32(f->table + 4, CRAMFS_ENDIAN_BIG),
			 0x200c + rlen);
	assert_int_equal(cramfs_get32(f->table + 8, CRAMFS_ENDIAN_BIG),
			 0x200c + rlen);
	assert_reads_back(f, 0x1000, 3 * 4096, NULL);
}

static void encoder_state_is_reset_between_files(void **state)
{
	struct fixture *f = *state;
	uint8_t ref[8192];
	size_t rlen;

	encode_mixed(f, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, 100, 8);
	encode(f, false, 0x3000, 100, NULL);
	rlen = zref(f, 100, 0, ref, sizeof(ref));
	assert_int_equal(f->e.nblocks, 1);
	assert_int_equal(f->e.next, 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 0);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_HOLE], 0);
	assert_int_equal(ptr(f, 0), 0x3000 + 4 + rlen);
	assert_framing(f, 4 + rlen);
	assert_reads_back(f, 0x3000, 100, NULL);
}

static void larger_block_sizes_split_at_their_own_boundary(void **state)
{
	static const uint32_t sizes[] = { 16384, 65536 };
	struct fixture *f = *state;

	for (size_t s = 0; s < 2; s++) {
		uint64_t size = 2u * sizes[s] + 1u;
		uint8_t *ref = malloc(compressBound(sizes[s]));
		size_t pos = 12;

		assert_non_null(ref);
		set_opts(f, sizes[s], false, false, CRAMFS_ENDIAN_LITTLE);
		fx_fill_text(f->content, size, 4);
		encode(f, false, 0, size, NULL);
		assert_int_equal(f->e.nblocks, 3);
		for (uint32_t i = 0; i < 3; i++) {
			pos += zref(f, size, i, ref, compressBound(sizes[s]));
			assert_int_equal(ptr(f, i), pos);
		}
		assert_reads_back(f, 0, size, NULL);
		free(ref);
	}
}

/* Bytes leave as each block is added; the result is the same as in one go. */
static void blocks_added_in_several_calls_stream_out(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 6 * 4096 + 500;
	uint8_t *whole, table[7 * 4];
	size_t whole_len;
	uint8_t ref[8192];
	size_t r0;

	set_opts(f, 4096, true, true, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, size, 9);
	fx_fill_random(f->content + 2 * 4096, 4096, 9);
	memset(f->content + 4 * 4096, 0, 4096);
	encode(f, false, 0x1000, size, NULL);
	whole_len = f->out.len;
	whole = malloc(whole_len);
	assert_non_null(whole);
	memcpy(whole, f->out.buf, whole_len);
	memcpy(table, f->table, sizeof(table));

	f->out.len = 0;
	assert_int_equal(cramfs_encoder_begin(&f->e, false, 0x1000, size), 0);
	assert_int_equal(f->out.len, 7 * 4);
	assert_int_equal(add_blocks(f, size, 0, 2, NULL), 0);
	/* Block 0 is in the sink already, unpadded, before any finish. */
	r0 = zref(f, size, 0, ref, sizeof(ref));
	assert_memory_equal(f->out.buf + 28, ref, r0);
	assert_int_equal(f->out.len, f->e.pos);
	assert_int_equal(f->e.next, 2);
	assert_int_equal(add_blocks(f, size, 2, 5, NULL), 0);
	assert_int_equal(f->out.len, f->e.pos);
	assert_memory_equal(f->out.buf, whole, f->out.len);
	assert_int_equal(add_blocks(f, size, 5, 7, NULL), 0);
	assert_int_equal(cramfs_encoder_finish(&f->e, &f->len), 0);
	cramfs_encoder_table(&f->e, f->table);
	assert_int_equal(f->out.len, whole_len);
	assert_memory_equal(f->out.buf, whole, whole_len);
	assert_memory_equal(f->table, table, sizeof(table));
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_HOLE], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 5);
	free(whole);
}

/*
 * Thresholds, with made-up streams: the encoder takes the compression
 * stage's word for a block's zlib length and never reads the stream.
 */
static int add_fake(struct fixture *f, uint64_t size, uint32_t i,
		    uint32_t zlen, uint8_t fill)
{
	memset(f->z, fill, zlen);
	return cramfs_encoder_add(&f->e, &(struct cramfs_block_result){
		.src = f->content + (size_t)i * f->e.o.block_size,
		.len = (uint32_t)block_len(f, size, i),
		.kind = CRAMFS_BLOCK_ZLIB, .z = f->z, .zlen = zlen });
}

/* A block is kept raw only when zlib does not make it shorter. */
static void raw_blocks_start_at_a_stream_as_long_as_the_block(void **state)
{
	struct fixture *f = *state;
	const uint32_t start = 0x1000;

	set_opts(f, 4096, false, true, CRAMFS_ENDIAN_LITTLE);
	fx_fill_random(f->content, 3 * 4096, 23);
	f->out.len = 0;
	assert_int_equal(cramfs_encoder_begin(&f->e, false, start, 3 * 4096), 0);
	assert_int_equal(add_fake(f, 3 * 4096, 0, 4095, 0x11), 0);
	assert_int_equal(add_fake(f, 3 * 4096, 1, 4096, 0x22), 0);
	assert_int_equal(add_fake(f, 3 * 4096, 2, 4097, 0x33), 0);
	assert_int_equal(cramfs_encoder_finish(&f->e, &f->len), 0);
	cramfs_encoder_table(&f->e, f->table);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 2);
	assert_int_equal(ptr(f, 0), start + 12 + 4095);
	assert_int_equal(ptr(f, 1), (start + 12 + 4095 + 4096) |
			 CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_int_equal(ptr(f, 2), (start + 12 + 4095 + 8192) |
			 CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_int_equal(f->out.buf[12], 0x11);
	assert_memory_equal(f->out.buf + 12 + 4095, f->content + 4096, 8192);
	assert_framing(f, 12 + 4095 + 8192);
}

static void direct_lengths_up_to_0xffff_stay_zlib(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 3 * 65536;
	const uint32_t start = 0x20000;
	size_t p1 = 0x10010; /* 12 + 2 + 0xffff = 0x1000d, aligned up */

	set_opts(f, 65536, false, false, CRAMFS_ENDIAN_BIG);
	fx_fill_random(f->content, size, 24);
	f->out.len = 0;
	assert_int_equal(cramfs_encoder_begin(&f->e, true, start, size), 0);
	assert_int_equal(add_fake(f, size, 0, 0xffff, 0x44), 0);
	assert_int_equal(add_fake(f, size, 1, 0x10000, 0x55), 0);
	assert_int_equal(add_fake(f, size, 2, 100, 0x66), 0);
	assert_int_equal(cramfs_encoder_finish(&f->e, &f->len), 0);
	cramfs_encoder_table(&f->e, f->table);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 2);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 1);
	assert_int_equal(ptr(f, 0), (start + 12) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR);
	assert_int_equal(f->out.buf[12], 0xff);
	assert_int_equal(f->out.buf[13], 0xff);
	assert_int_equal(f->out.buf[14], 0x44);
	for (size_t i = 0x1000d; i < p1; i++)
		assert_int_equal(f->out.buf[i], 0); /* the alignment gap */
	assert_int_equal(ptr(f, 1), (start + p1) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR |
			 CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_memory_equal(f->out.buf + p1, f->content + 65536, 65536);
	assert_int_equal(ptr(f, 2), (start + p1 + 65536) >> 2 |
			 CRAMFS_BLK_FLAG_DIRECT_PTR);
	assert_int_equal(cramfs_get16(f->out.buf + p1 + 65536, CRAMFS_ENDIAN_BIG),
			 100);
	assert_framing(f, p1 + 65536 + 2 + 100);
}

/* ---- misuse and sink errors ------------------------------------------- */

static void adding_past_the_last_block_is_einval(void **state)
{
	struct fixture *f = *state;
	size_t out_len;
	uint64_t pos;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, 2 * 4096, 3);
	encode(f, false, 0, 4096, NULL);
	out_len = f->out.len;
	pos = f->e.pos;
	/* Block 1 of a one-block file. */
	assert_int_equal(add_blocks(f, 2 * 4096, 1, 2, NULL), -EINVAL);
	assert_int_equal(f->e.next, 1);
	assert_int_equal(f->e.pos, pos);
	assert_int_equal(f->out.len, out_len);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	/* An empty file takes no block at all. */
	assert_int_equal(cramfs_encoder_begin(&f->e, false, 0, 0), 0);
	assert_int_equal(add_blocks(f, 4096, 0, 1, NULL), -EINVAL);
	assert_int_equal(cramfs_encoder_begin(&f->e, true, 0, 0), 0);
	assert_int_equal(add_blocks(f, 4096, 0, 1, NULL), -EINVAL);
}

static void finishing_before_the_last_block_is_einval(void **state)
{
	struct fixture *f = *state;
	uint64_t len;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, 3 * 4096, 3);
	for (int direct = 0; direct < 2; direct++) {
		f->out.len = 0;
		assert_int_equal(cramfs_encoder_begin(&f->e, direct, 0, 3 * 4096), 0);
		assert_int_equal(cramfs_encoder_finish(&f->e, &len), -EINVAL);
		assert_int_equal(add_blocks(f, 3 * 4096, 0, 2, NULL), 0);
		assert_int_equal(cramfs_encoder_finish(&f->e, &len), -EINVAL);
		assert_int_equal(add_blocks(f, 3 * 4096, 2, 3, NULL), 0);
		assert_int_equal(cramfs_encoder_finish(&f->e, &len), 0);
		assert_int_equal(len, f->e.pos);
	}
}

static void sink_errors_are_returned(void **state)
{
	struct fixture *f = *state;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, 2 * 4096, 3);
	f->out.fail = -ENOSPC;
	assert_int_equal(cramfs_encoder_begin(&f->e, false, 0, 8192), -ENOSPC);
	for (int direct = 0; direct < 2; direct++) {
		f->out.fail = 0;
		assert_int_equal(cramfs_encoder_begin(&f->e, direct, 0, 8192), 0);
		f->out.fail = -ENOSPC;
		assert_int_equal(add_blocks(f, 8192, 0, 1, NULL), -ENOSPC);
	}
}

/* ---- direct pointers -------------------------------------------------- */

/*
 * Compressed direct blocks: pointer = address >> 2 with DIRECT_PTR, the
 * address 4-byte aligned (zero gap), then a 16-bit length and the stream.
 */
static void check_direct_zlib_file(struct fixture *f, enum cramfs_endian en)
{
	const uint64_t size = 3 * 4096 + 100;
	const uint32_t start = 0x10000;
	uint8_t ref[8192];
	size_t pos = 16;
	int gaps = 0;

	set_opts(f, 4096, false, false, en);
	fx_fill_text(f->content, size, 12);
	fx_fill_random(f->content + 4096 + 1000, 333, 12);
	encode(f, true, start, size, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 4);
	for (uint32_t i = 0; i < 4; i++) {
		size_t rlen = zref(f, size, i, ref, sizeof(ref)), aligned;

		aligned = (pos + 3u) & ~(size_t)3u;
		for (; pos < aligned; pos++, gaps++)
			assert_int_equal(f->out.buf[pos], 0);
		assert_int_equal(ptr(f, i), (start + pos) >> 2 |
				 CRAMFS_BLK_FLAG_DIRECT_PTR);
		if (en == CRAMFS_ENDIAN_BIG) {
			assert_int_equal(f->out.buf[pos], rlen >> 8);
			assert_int_equal(f->out.buf[pos + 1], rlen & 0xff);
		} else {
			assert_int_equal(f->out.buf[pos], rlen & 0xff);
			assert_int_equal(f->out.buf[pos + 1], rlen >> 8);
		}
		assert_memory_equal(f->out.buf + pos + 2, ref, rlen);
		pos += 2 + rlen;
	}
	assert_true(gaps > 0); /* the data was picked to need alignment */
	assert_framing(f, pos);
	assert_reads_back(f, start, size, NULL);
}

static void direct_blocks_are_aligned_behind_a_16bit_length(void **state)
{
	check_direct_zlib_file(*state, CRAMFS_ENDIAN_LITTLE);
}

static void direct_lengths_and_table_follow_big_endian(void **state)
{
	struct fixture *f = *state;

	check_direct_zlib_file(f, CRAMFS_ENDIAN_BIG);
	/* (0x10000 + 16) >> 2 = 0x4004, DIRECT_PTR = 0x40000000. */
	assert_int_equal(f->table[0], 0x40);
	assert_int_equal(f->table[1], 0x00);
	assert_int_equal(f->table[2], 0x40);
	assert_int_equal(f->table[3], 0x04);
}

static void direct_raw_blocks_when_zlib_does_not_shrink(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 2 * 4096 + 1000;
	const uint32_t start = 0x10000;
	const uint32_t flags = CRAMFS_BLK_FLAG_DIRECT_PTR |
			       CRAMFS_BLK_FLAG_UNCOMPRESSED;

	set_opts(f, 4096, false, true, CRAMFS_ENDIAN_LITTLE);
	fx_fill_random(f->content, size, 13);
	encode(f, true, start, size, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 3);
	/* 12 + 4096 = 4108 and 4108 + 4096 = 8204 are aligned: no gaps. */
	assert_int_equal(ptr(f, 0), (start + 12) >> 2 | flags);
	assert_int_equal(ptr(f, 1), (start + 4108) >> 2 | flags);
	assert_int_equal(ptr(f, 2), (start + 8204) >> 2 | flags);
	assert_memory_equal(f->out.buf + 12, f->content, size);
	assert_framing(f, 12 + size);
	assert_reads_back(f, start, size, NULL);
}

static void direct_noise_stays_zlib_without_raw_blocks(void **state)
{
	struct fixture *f = *state;
	uint8_t ref[8192];
	size_t rlen;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_random(f->content, 5000, 14);
	encode(f, true, 0x1000, 5000, NULL);
	rlen = zref(f, 5000, 0, ref, sizeof(ref));
	assert_true(rlen > 4096);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 2);
	assert_int_equal(ptr(f, 0), (0x1000 + 8) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR);
	assert_int_equal(cramfs_get16(f->out.buf + 8, CRAMFS_ENDIAN_LITTLE), rlen);
	assert_reads_back(f, 0x1000, 5000, NULL);
}

/*
 * A raw direct last block of a whole-block file would read as zeros: a
 * 4K one that zlib cannot shrink stays zlib, behind its length.
 */
static void direct_last_whole_block_stays_zlib_with_raw_blocks(void **state)
{
	struct fixture *f = *state;
	const uint32_t start = 0x10000;
	uint8_t ref[8192];
	size_t rlen;

	set_opts(f, 4096, false, true, CRAMFS_ENDIAN_LITTLE);
	fx_fill_random(f->content, 8192, 15);
	encode(f, true, start, 8192, NULL);
	rlen = zref(f, 8192, 1, ref, sizeof(ref));
	assert_true(rlen >= 4096);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(ptr(f, 0), (start + 8) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR |
			 CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_int_equal(ptr(f, 1), (start + 8 + 4096) >> 2 |
			 CRAMFS_BLK_FLAG_DIRECT_PTR);
	assert_int_equal(cramfs_get16(f->out.buf + 8 + 4096, CRAMFS_ENDIAN_LITTLE),
			 rlen);
	assert_memory_equal(f->out.buf + 8 + 4096 + 2, ref, rlen);
	assert_framing(f, 8 + 4096 + 2 + rlen);
	assert_reads_back(f, start, 8192, NULL);
}

/* The 16-bit length cannot say 65536 or more: such a block goes raw. */
static void direct_blocks_over_0xffff_go_raw(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 2 * 65536 + 1000;
	const uint32_t start = 0x20000;
	uint8_t *ref = malloc(compressBound(65536));
	size_t r1, r2, p1, p2;

	assert_non_null(ref);
	/* No raw_blocks: only the length limit makes block 0 raw. */
	set_opts(f, 65536, false, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_random(f->content, 65536, 16);
	fx_fill_text(f->content + 65536, 65536, 16);
	fx_fill_random(f->content + 2 * 65536, 1000, 16);
	encode(f, true, start, size, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 2);
	assert_int_equal(ptr(f, 0), (start + 12) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR |
			 CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_memory_equal(f->out.buf + 12, f->content, 65536);
	p1 = 12 + 65536;
	r1 = zref(f, size, 1, ref, compressBound(65536));
	assert_int_equal(ptr(f, 1), (start + p1) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR);
	assert_int_equal(cramfs_get16(f->out.buf + p1, CRAMFS_ENDIAN_LITTLE), r1);
	p2 = (p1 + 2 + r1 + 3) & ~(size_t)3;
	r2 = zref(f, size, 2, ref, compressBound(65536));
	assert_true(r2 > 1000); /* the partial noise block stays zlib */
	assert_int_equal(ptr(f, 2), (start + p2) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR);
	assert_memory_equal(f->out.buf + p2 + 2, ref, r2);
	assert_framing(f, p2 + 2 + r2);
	assert_reads_back(f, start, size, NULL);
	free(ref);
}

/*
 * A raw last block of a whole-block file gets a classic end pointer and
 * follows the block before it with no alignment gap: the kernel takes its
 * start from that block's end.
 */
static void direct_raw_last_whole_block_gets_a_classic_end_pointer(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 2 * 65536;
	const uint32_t start = 0x20000;
	uint8_t *ref = malloc(compressBound(65536));
	size_t r0 = 0, end0;
	uint32_t seed;

	assert_non_null(ref);
	set_opts(f, 65536, false, false, CRAMFS_ENDIAN_LITTLE);
	/* Pick a block 0 whose end is not 4-byte aligned. */
	for (seed = 0; seed < 64; seed++) {
		fx_fill_text(f->content, 65536, seed);
		r0 = zref(f, size, 0, ref, compressBound(65536));
		if ((8 + 2 + r0) % 4)
			break;
	}
	assert_true(seed < 64);
	fx_fill_random(f->content + 65536, 65536, 17);
	encode(f, true, start, size, NULL);
	end0 = 8 + 2 + r0;
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 1);
	assert_int_equal(ptr(f, 0), (start + 8) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR);
	assert_memory_equal(f->out.buf + 10, ref, r0);
	assert_int_equal(ptr(f, 1), (start + end0 + 65536) |
			 CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_memory_equal(f->out.buf + end0, f->content + 65536, 65536);
	assert_framing(f, end0 + 65536);
	assert_reads_back(f, start, size, NULL);

	/* A one-block file: the block starts at the table's end. */
	fx_fill_random(f->content, 65536, 18);
	encode(f, true, start, 65536, NULL);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 1);
	assert_int_equal(ptr(f, 0), (start + 4 + 65536) | CRAMFS_BLK_FLAG_UNCOMPRESSED);
	assert_memory_equal(f->out.buf + 4, f->content, 65536);
	assert_framing(f, 4 + 65536);
	assert_reads_back(f, start, 65536, NULL);
	free(ref);
}

static void xip_blocks_point_at_their_address_and_take_no_bytes(void **state)
{
	struct fixture *f = *state;
	const uint64_t size = 2 * 4096 + 700;
	const uint32_t start = 0x1000;
	const uint32_t xip[] = { 0x40000, 0x41000, 0 };
	const uint32_t flags = CRAMFS_BLK_FLAG_DIRECT_PTR |
			       CRAMFS_BLK_FLAG_UNCOMPRESSED;
	uint8_t ref[8192];
	size_t rlen;

	set_opts(f, 4096, false, true, CRAMFS_ENDIAN_BIG);
	fx_fill_random(f->content, 8192, 19);
	fx_fill_text(f->content + 8192, 700, 19);
	encode(f, true, start, size, xip);
	rlen = zref(f, size, 2, ref, sizeof(ref));
	assert_int_equal(f->e.count[CRAMFS_BLOCK_XIP], 2);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(ptr(f, 0), 0x40000 >> 2 | flags);
	assert_int_equal(ptr(f, 1), 0x41000 >> 2 | flags);
	/* 0x40000 >> 2 = 0x10000: C0 01 00 00 big-endian. */
	assert_int_equal(f->table[0], 0xc0);
	assert_int_equal(f->table[1], 0x01);
	assert_int_equal(f->table[2], 0x00);
	assert_int_equal(f->table[3], 0x00);
	assert_int_equal(ptr(f, 2), (start + 12) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR);
	assert_int_equal(cramfs_get16(f->out.buf + 12, CRAMFS_ENDIAN_BIG), rlen);
	assert_memory_equal(f->out.buf + 14, ref, rlen);
	assert_framing(f, 14 + rlen);
	assert_reads_back(f, start, size, xip);
}

/* A classic end pointer after an XIP page would resolve into that page. */
static void after_an_xip_block_the_last_whole_block_stays_zlib(void **state)
{
	struct fixture *f = *state;
	const uint32_t start = 0x1000;
	const uint32_t xip[] = { 0x80000, 0 };
	const uint32_t flags = CRAMFS_BLK_FLAG_DIRECT_PTR |
			       CRAMFS_BLK_FLAG_UNCOMPRESSED;

	/*
	 * 4K with raw_blocks, incompressible: a direct raw last block would
	 * read as zeros on stock kernels, and a classic pointer cannot follow
	 * an XIP page; the 16-bit length can say it, so it stays zlib.
	 */
	set_opts(f, 4096, false, true, CRAMFS_ENDIAN_LITTLE);
	fx_fill_random(f->content, 8192, 20);
	encode(f, true, start, 8192, xip);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_XIP], 1);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 0);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_ZLIB], 1);
	assert_int_equal(ptr(f, 1), (start + 8) >> 2 | CRAMFS_BLK_FLAG_DIRECT_PTR);
	assert_reads_back(f, start, 8192, xip);

	/* 64K, over the 16-bit length: raw and direct, the only way left. */
	set_opts(f, 65536, false, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_random(f->content, 2 * 65536, 21);
	encode(f, true, start, 2 * 65536, xip);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_RAW], 1);
	assert_int_equal(ptr(f, 1), (start + 8) >> 2 | flags);
	assert_memory_equal(f->out.buf + 8, f->content + 65536, 65536);
	assert_framing(f, 8 + 65536);
	assert_reads_back(f, start, 2 * 65536, xip);
}

static void a_hole_is_einval_for_a_direct_encoder(void **state)
{
	struct fixture *f = *state;
	uint64_t pos;

	/* holes on: add_blocks hands the all-zero block 1 over as a HOLE. */
	set_opts(f, 4096, true, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, 4096, 22);
	memset(f->content + 4096, 0, 4096);
	f->out.len = 0;
	assert_int_equal(cramfs_encoder_begin(&f->e, true, 0x1000, 8192), 0);
	assert_int_equal(add_blocks(f, 8192, 0, 1, NULL), 0);
	pos = f->e.pos;
	assert_int_equal(add_blocks(f, 8192, 1, 2, NULL), -EINVAL);
	assert_int_equal(f->e.next, 1);
	assert_int_equal(f->e.pos, pos);
	assert_int_equal(f->e.count[CRAMFS_BLOCK_HOLE], 0);
}

static void an_xip_block_is_einval_for_a_classic_encoder(void **state)
{
	struct fixture *f = *state;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	f->out.len = 0;
	assert_int_equal(cramfs_encoder_begin(&f->e, false, 0x1000, 4096), 0);
	assert_int_equal(cramfs_encoder_add(&f->e, &(struct cramfs_block_result){
		.src = f->content, .len = 4096, .kind = CRAMFS_BLOCK_XIP,
		.xip_addr = 0x8000 }), -EINVAL);
	assert_int_equal(f->e.next, 0);
}

static void an_unaligned_start_or_bad_block_size_is_einval(void **state)
{
	struct fixture *f = *state;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	assert_int_equal(cramfs_encoder_begin(&f->e, false, 0x1002, 100), -EINVAL);
	assert_int_equal(cramfs_encoder_begin(&f->e, true, 0x1001, 100), -EINVAL);
	set_opts(f, 0, false, false, CRAMFS_ENDIAN_LITTLE);
	assert_int_equal(cramfs_encoder_begin(&f->e, false, 0x1000, 100), -EINVAL);
	set_opts(f, 12288, false, false, CRAMFS_ENDIAN_LITTLE);
	assert_int_equal(cramfs_encoder_begin(&f->e, false, 0x1000, 100), -EINVAL);
}

/* Block i holds min(block size, size - i * block size) bytes, no other. */
static void a_block_of_the_wrong_length_is_einval(void **state)
{
	struct fixture *f = *state;

	set_opts(f, 4096, false, false, CRAMFS_ENDIAN_LITTLE);
	fx_fill_text(f->content, 5000, 3);
	f->out.len = 0;
	assert_int_equal(cramfs_encoder_begin(&f->e, false, 0x1000, 5000), 0);
	assert_int_equal(cramfs_encoder_add(&f->e, &(struct cramfs_block_result){
		.src = f->content, .len = 4095, .kind = CRAMFS_BLOCK_HOLE }),
		-EINVAL);
	assert_int_equal(cramfs_encoder_add(&f->e, &(struct cramfs_block_result){
		.src = f->content, .len = 4096, .kind = CRAMFS_BLOCK_HOLE }), 0);
	assert_int_equal(cramfs_encoder_add(&f->e, &(struct cramfs_block_result){
		.src = f->content + 4096, .len = 4096, .kind = CRAMFS_BLOCK_HOLE }),
		-EINVAL);
	assert_int_equal(cramfs_encoder_add(&f->e, &(struct cramfs_block_result){
		.src = f->content + 4096, .len = 904, .kind = CRAMFS_BLOCK_HOLE }),
		0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(empty_file_has_no_table_and_no_bytes),
		T(block_counts_follow_the_file_size),
		T(classic_pointers_are_the_exact_block_ends),
		T(without_holes_a_zero_block_is_compressed),
		T(with_holes_a_zero_block_is_empty),
		T(a_leading_hole_ends_at_the_table_end),
		T(one_nonzero_byte_keeps_a_block_from_being_a_hole),
		T(with_raw_blocks_incompressible_data_is_stored_verbatim),
		T(without_raw_blocks_incompressible_data_stays_zlib),
		T(with_raw_blocks_compressible_data_stays_zlib),
		T(classic_table_little_endian_bytes),
		T(classic_table_big_endian_bytes),
		T(encoder_state_is_reset_between_files),
		T(larger_block_sizes_split_at_their_own_boundary),
		T(blocks_added_in_several_calls_stream_out),
		T(raw_blocks_start_at_a_stream_as_long_as_the_block),
		T(direct_lengths_up_to_0xffff_stay_zlib),
		T(adding_past_the_last_block_is_einval),
		T(finishing_before_the_last_block_is_einval),
		T(sink_errors_are_returned),
		T(direct_blocks_are_aligned_behind_a_16bit_length),
		T(direct_lengths_and_table_follow_big_endian),
		T(direct_raw_blocks_when_zlib_does_not_shrink),
		T(direct_noise_stays_zlib_without_raw_blocks),
		T(direct_last_whole_block_stays_zlib_with_raw_blocks),
		T(direct_blocks_over_0xffff_go_raw),
		T(direct_raw_last_whole_block_gets_a_classic_end_pointer),
		T(xip_blocks_point_at_their_address_and_take_no_bytes),
		T(after_an_xip_block_the_last_whole_block_stays_zlib),
		T(a_hole_is_einval_for_a_direct_encoder),
		T(an_xip_block_is_einval_for_a_classic_encoder),
		T(an_unaligned_start_or_bad_block_size_is_einval),
		T(a_block_of_the_wrong_length_is_einval),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

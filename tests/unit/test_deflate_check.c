// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/deflate_check.c: libdeflate judges a block only where it agrees with
 * zlib, the kernel's inflate. Streams are built bit by bit here, so the
 * cases libdeflate accepts and zlib refuses can be written down.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libdeflate.h>
#include <zlib.h>

#include "deflate_check.h"
#include "helper_craft.h"

struct bitwriter {
	uint8_t buf[256];
	size_t bits;
};

/* A number, least significant bit first (header fields, extra bits). */
static void put(struct bitwriter *w, unsigned v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, w->bits++)
		if ((v >> i) & 1u)
			w->buf[w->bits / 8] |= (uint8_t)(1u << (w->bits % 8));
}

/* A Huffman code, most significant bit first. */
static void code(struct bitwriter *w, unsigned c, unsigned len)
{
	while (len--)
		put(w, (c >> len) & 1u, 1);
}

/*
 * "ABA" as a zlib stream of one dynamic block. Literal/length code:
 * 'A' 1 bit (0), 'B' and end-of-block 2 bits (10, 11); distance code: two
 * symbols of 1 bit (unused). The 259 code lengths are sent with the
 * precode 18 -> 0, 1 -> 10, 2 -> 110, 16 -> 111. With `overrun` the last
 * length is sent as "repeat the previous 3 times" where 1 is left: zlib
 * refuses that ("invalid bit length repeat"); libdeflate lets it pass.
 */
static size_t aba_stream(uint8_t *out, bool overrun)
{
	static const uint8_t order[19] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
	};
	uint8_t pre[19] = { 0 };
	struct bitwriter w;
	uint32_t adler;
	size_t n;

	memset(&w, 0, sizeof(w));
	pre[18] = 1;
	pre[1] = 2;
	pre[2] = 3;
	pre[16] = 3;
	put(&w, 1, 1);             /* BFINAL */
	put(&w, 2, 2);             /* dynamic Huffman */
	put(&w, 257 - 257, 5);     /* HLIT */
	put(&w, 2 - 1, 5);         /* HDIST */
	put(&w, 18 - 4, 4);        /* HCLEN: up to symbol 1 in `order` */
	for (unsigned i = 0; i < 18; i++)
		put(&w, pre[order[i]], 3);
	code(&w, 0, 1);            /* 18: 65 zeros */
	put(&w, 65 - 11, 7);
	code(&w, 2, 2);            /* 'A' = 65: length 1 */
	code(&w, 6, 3);            /* 'B' = 66: length 2 */
	code(&w, 0, 1);            /* 18: 138 zeros */
	put(&w, 138 - 11, 7);
	code(&w, 0, 1);            /* 18: 51 zeros, to 255 */
	put(&w, 51 - 11, 7);
	code(&w, 6, 3);            /* end of block = 256: length 2 */
	code(&w, 2, 2);            /* distance 0: length 1 */
	if (overrun) {
		code(&w, 7, 3);    /* 16: 3 more of length 1, where 1 fits */
		put(&w, 0, 2);
	} else {
		code(&w, 2, 2);    /* distance 1: length 1 */
	}
	code(&w, 0, 1);            /* 'A' */
	code(&w, 2, 2);            /* 'B' */
	code(&w, 0, 1);            /* 'A' */
	code(&w, 3, 2);            /* end of block */
	out[0] = 0x78;
	out[1] = 0x9c;
	n = (w.bits + 7) / 8;
	memcpy(out + 2, w.buf, n);
	adler = (uint32_t)adler32(adler32(0, NULL, 0), (const Bytef *)"ABA", 3);
	out[2 + n] = (uint8_t)(adler >> 24);
	out[3 + n] = (uint8_t)(adler >> 16);
	out[4 + n] = (uint8_t)(adler >> 8);
	out[5 + n] = (uint8_t)adler;
	return n + 6;
}

static int zlib_inflate(const uint8_t *in, size_t len, uint8_t *out,
			uLongf *out_len)
{
	return uncompress(out, out_len, in, (uLong)len);
}

static void a_clean_dynamic_block_is_plain_and_both_agree(void **state)
{
	uint8_t s[300], out[16];
	uLongf zlen = sizeof(out);
	size_t len = aba_stream(s, false), dlen = 0;
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();

	(void)state;
	assert_true(cramfs_deflate_is_plain(s, len));
	assert_int_equal(zlib_inflate(s, len, out, &zlen), Z_OK);
	assert_int_equal(zlen, 3);
	assert_memory_equal(out, "ABA", 3);
	assert_int_equal(libdeflate_zlib_decompress(d, s, len, out, sizeof(out),
						    &dlen), LIBDEFLATE_SUCCESS);
	assert_int_equal(dlen, 3);
	libdeflate_free_decompressor(d);
}

/* The case libdeflate lets pass: the fast path must not take it. */
static void an_overrunning_length_repeat_is_left_to_zlib(void **state)
{
	uint8_t s[300], out[16];
	uLongf zlen = sizeof(out);
	size_t len = aba_stream(s, true), dlen = 0;
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();

	(void)state;
	assert_int_equal(zlib_inflate(s, len, out, &zlen), Z_DATA_ERROR);
	assert_int_equal(libdeflate_zlib_decompress(d, s, len, out, sizeof(out),
						    &dlen), LIBDEFLATE_SUCCESS);
	assert_false(cramfs_deflate_is_plain(s, len));
	libdeflate_free_decompressor(d);
}

/* Compressors' streams of real data take the fast path. */
static void compressor_output_is_plain(void **state)
{
	static uint8_t text[4096], z[8192];
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	uLongf zlen = sizeof(z);
	size_t n;

	(void)state;
	fx_fill_text(text, sizeof(text), 5);
	assert_int_equal(compress2(z, &zlen, text, sizeof(text), 6), Z_OK);
	assert_true(cramfs_deflate_is_plain(z, zlen));
	n = libdeflate_zlib_compress(c, text, sizeof(text), z, sizeof(z));
	assert_true(n > 0);
	assert_true(cramfs_deflate_is_plain(z, n));
	libdeflate_free_compressor(c);
}

/* Fixed and stored blocks, truncated headers: zlib decides. */
static void other_streams_are_not_plain(void **state)
{
	static const uint8_t zeros[64];
	uint8_t s[300], z[256];
	uLongf zlen = sizeof(z);
	size_t len = aba_stream(s, false);

	(void)state;
	assert_int_equal(compress2(z, &zlen, zeros, sizeof(zeros), 0), Z_OK);
	assert_false(cramfs_deflate_is_plain(z, zlen));      /* stored */
	zlen = sizeof(z);
	assert_int_equal(compress2(z, &zlen, (const Bytef *)"x", 1, 9), Z_OK);
	assert_false(cramfs_deflate_is_plain(z, zlen));      /* fixed */
	/* The header ends in byte 16 (2 + 107 bits): cut before it. */
	for (size_t cut = 0; cut < 15 && cut < len; cut++)
		assert_false(cramfs_deflate_is_plain(s, cut));
	assert_true(cramfs_deflate_is_plain(s, 16));
}

/* A block of an image written with the overrun: cramfsck says it is bad. */
static void the_verifier_refuses_what_zlib_refuses(void **state)
{
	uint8_t data[3] = { 'A', 'B', 'A' }, s[300];
	struct fx_node nodes[] = {
		{ .path = "f", .mode = 0100644, .data = data, .len = 3 },
	};
	struct cramfs_write_opts o;
	struct cramfs_verify_stats st;
	struct cramfs_image *img;
	struct hc_image hc;
	uint32_t where, start;
	size_t len = aba_stream(s, true);

	(void)state;
	cramfs_write_opts_init(&o);
	o.endian = CRAMFS_ENDIAN_LITTLE;
	assert_int_equal(hc_make(nodes, 1, &o, &hc), 0);
	/* f's table is one pointer; its block follows. Put ours there. */
	assert_int_equal(hc_ptr_offset(&hc, "f", 0, &where), 0);
	start = where + 4;
	assert_true(start + len <= hc.len);
	memcpy(hc.buf + start, s, len);
	hc_put32(&hc, where, (uint32_t)(start + len));
	hc_fix_crc(&hc);
	assert_int_equal(cramfs_image_new(&img), 0);
	assert_int_equal(cramfs_image_open_memory(img, hc.buf, hc.len), 0);
	assert_int_equal(cramfs_verify(img, NULL, NULL, &st), 0);
	assert_int_equal(st.errors, 1);
	cramfs_image_free(img);
	hc_free(&hc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_clean_dynamic_block_is_plain_and_both_agree),
		cmocka_unit_test(an_overrunning_length_repeat_is_left_to_zlib),
		cmocka_unit_test(compressor_output_is_plain),
		cmocka_unit_test(other_streams_are_not_plain),
		cmocka_unit_test(the_verifier_refuses_what_zlib_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

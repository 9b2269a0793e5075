// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which zlib streams libdeflate may judge alone. libdeflate inflates about
 * twice as fast as zlib but is, by design, more accepting in the headers
 * of dynamic Huffman blocks (an over-long code-length run, incomplete
 * codes), and the kernel inflates with zlib. On a stream that is one final
 * dynamic block whose three Huffman codes are complete and whose header
 * zlib accepts, both decode the same symbols and refuse the same data; any
 * other stream is left to zlib. Compressors write such streams for almost
 * every block, so the fast path is the common one.
 */
#include <libdeflate.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deflate_check.h"

#define MAX_BITS 15
#define PRECODE_SYMS 19
#define LITLEN_MAX 286   /* zlib: "too many length or distance symbols" */
#define DIST_MAX 30

struct bitreader {
	const uint8_t *p;
	const uint8_t *end;
	uint64_t buf;
	unsigned n;          /* bits in buf that came from the input */
};

static void refill(struct bitreader *br)
{
	while (br->n <= 56 && br->p != br->end) {
		br->buf |= (uint64_t)*br->p++ << br->n;
		br->n += 8;
	}
}

/* Read k <= 16 bits, least significant first; false past the end. */
static bool get_bits(struct bitreader *br, unsigned k, unsigned *v)
{
	if (br->n < k) {
		refill(br);
		if (br->n < k)
			return false;
	}
	*v = (unsigned)(br->buf & ((1u << k) - 1u));
	br->buf >>= k;
	br->n -= k;
	return true;
}

/* Kraft's sum of the code lengths is exactly one: a complete code. */
static bool complete(const uint8_t *len, unsigned n)
{
	unsigned count[MAX_BITS + 1] = { 0 };
	int left = 1;

	for (unsigned s = 0; s < n; s++)
		count[len[s]]++;
	for (unsigned i = 1; i <= MAX_BITS; i++) {
		left = 2 * left - (int)count[i];
		if (left < 0)
			return false; /* oversubscribed */
	}
	return left == 0;     /* else incomplete, or empty */
}

/*
 * The precode (codes of at most 7 bits) as a table indexed by the next 7
 * stream bits: symbol in the low byte, code length above.
 */
static void precode_table(const uint8_t *len, uint16_t table[128])
{
	unsigned count[8] = { 0 }, next[8];
	unsigned code = 0;

	for (unsigned s = 0; s < PRECODE_SYMS; s++)
		count[len[s]]++;
	count[0] = 0;
	for (unsigned l = 1; l < 8; l++) {
		code = (code + count[l - 1]) << 1;
		next[l] = code;
	}
	for (unsigned s = 0; s < PRECODE_SYMS; s++) {
		unsigned l = len[s], c, rev = 0;

		if (!l)
			continue;
		c = next[l]++;
		/* Huffman codes go most significant bit first. */
		for (unsigned i = 0; i < l; i++)
			rev |= ((c >> i) & 1u) << (l - 1 - i);
		for (unsigned i = rev; i < 128; i += 1u << l)
			table[i] = (uint16_t)(l << 8 | s);
	}
}

static bool read_lengths(struct bitreader *br, const uint16_t *pre,
			 uint8_t *lens, unsigned total)
{
	unsigned have = 0;

	while (have < total) {
		unsigned sym, len, rep, extra, val = 0;

		if (br->n < 7)
			refill(br);
		sym = pre[br->buf & 127u] & 0xffu;
		len = pre[br->buf & 127u] >> 8;
		if (len > br->n)
			return false;
		br->buf >>= len;
		br->n -= len;
		if (sym < 16) {
			lens[have++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (!have || !get_bits(br, 2, &extra))
				return false;
			val = lens[have - 1];
			rep = 3 + extra;
		} else if (sym == 17) {
			if (!get_bits(br, 3, &extra))
				return false;
			rep = 3 + extra;
		} else {
			if (!get_bits(br, 7, &extra))
				return false;
			rep = 11 + extra;
		}
		if (rep > total - have)
			return false; /* zlib: "invalid bit length repeat" */
		while (rep--)
			lens[have++] = (uint8_t)val;
	}
	return true;
}

bool cramfs_deflate_is_plain(const uint8_t *in, size_t len)
{
	static const uint8_t order[PRECODE_SYMS] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
	};
	struct bitreader br;
	uint16_t table[128];
	uint8_t lens[LITLEN_MAX + DIST_MAX];
	uint8_t pre[PRECODE_SYMS] = { 0 };
	unsigned final, type, hlit, hdist, hclen;

	/* The 2-byte zlib header: both libraries check it the same way. */
	if (len < 2)
		return false;
	br = (struct bitreader){ .p = in + 2, .end = in + len };
	if (!get_bits(&br, 1, &final) || !get_bits(&br, 2, &type) ||
	    !final || type != 2)
		return false;
	if (!get_bits(&br, 5, &hlit) || !get_bits(&br, 5, &hdist) ||
	    !get_bits(&br, 4, &hclen))
		return false;
	hlit += 257;
	hdist += 1;
	hclen += 4;
	if (hlit > LITLEN_MAX || hdist > DIST_MAX)
		return false;
	for (unsigned i = 0; i < hclen; i++) {
		unsigned v;

		if (!get_bits(&br, 3, &v))
			return false;
		pre[order[i]] = (uint8_t)v;
	}
	if (!complete(pre, PRECODE_SYMS))
		return false;
	precode_table(pre, table);
	if (!read_lengths(&br, table, lens, hlit + hdist))
		return false;
	if (!lens[256])
		return false; /* zlib: "invalid code -- missing end-of-block" */
	return complete(lens, hlit) && complete(lens + hlit, hdist);
}

bool cramfs_inflate_plain(struct libdeflate_decompressor *d, const uint8_t *in,
			  size_t len, uint8_t *out, size_t cap, size_t out_len,
			  size_t *used)
{
	size_t produced = 0;

	*used = 0;
	return cramfs_deflate_is_plain(in, len) &&
	       libdeflate_zlib_decompress_ex(d, in, len, out, cap, used,
					     &produced) == LIBDEFLATE_SUCCESS &&
	       produced == out_len;
}

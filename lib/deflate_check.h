/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Streams on which libdeflate and zlib (the kernel's inflate) agree. */
#ifndef CRAMFS_DEFLATE_CHECK_H
#define CRAMFS_DEFLATE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * True when the zlib stream `in` is one final dynamic-Huffman block whose
 * header zlib accepts and whose three codes are complete: libdeflate's
 * verdict on it is zlib's. False means "ask zlib", not "bad".
 */
bool cramfs_deflate_is_plain(const uint8_t *in, size_t len);

struct libdeflate_decompressor;

/*
 * libdeflate's verdict where it is zlib's: true when `in` is plain and
 * inflates into `out` (room for `cap` bytes) to exactly `out_len` bytes;
 * *used gets the input bytes the stream took. False means "ask zlib".
 */
bool cramfs_inflate_plain(struct libdeflate_decompressor *d, const uint8_t *in,
			  size_t len, uint8_t *out, size_t cap, size_t out_len,
			  size_t *used);

#endif /* CRAMFS_DEFLATE_CHECK_H */

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

#endif /* CRAMFS_DEFLATE_CHECK_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals shared by lib/ files; never installed, never used by front ends. */
#ifndef CRAMFS_PRIVATE_H
#define CRAMFS_PRIVATE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "cramfs/cramfs.h"

/* Room for two paths of CRAMFS_TREE_PATH_MAX and the words around them. */
#define CRAMFS_MSG_MAX 9216

/* The last failure of a handle, as text. */
struct cramfs_msg {
	char text[CRAMFS_MSG_MAX];
};

/* Record a message and return `err`, so callers can `return cramfs_msg_set(...)`. */
int cramfs_msg_set(struct cramfs_msg *msg, int err, const char *fmt, ...)
	CRAMFS_PRINTF(3, 4);
int cramfs_msg_vset(struct cramfs_msg *msg, int err, const char *fmt,
		    va_list ap) CRAMFS_PRINTF(3, 0);
void cramfs_msg_clear(struct cramfs_msg *msg);

/* A growing list of strings (warnings). */
struct cramfs_strlist {
	char **items;
	size_t count;
	size_t cap;
};

int cramfs_strlist_addf(struct cramfs_strlist *list, const char *fmt, ...)
	CRAMFS_PRINTF(2, 3);
void cramfs_strlist_free(struct cramfs_strlist *list);

/* Read exactly `len` bytes at `offset`: 0, -errno, or -ENODATA at EOF. */
int cramfs_pread_all(int fd, void *buf, size_t len, uint64_t offset);

/* Grow *arr (element size `size`) so that index `need - 1` fits. */
int cramfs_grow(void *arr, size_t *cap, size_t need, size_t size);

/* CRC-32 as zlib's crc32() computes it (0 to start), at libdeflate's speed. */
uint32_t cramfs_crc32(uint32_t crc, const void *buf, size_t len);

static inline uint64_t cramfs_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

#endif /* CRAMFS_PRIVATE_H */
